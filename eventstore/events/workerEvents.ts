import { z } from 'zod';
import { SavedSearchAlertSettings } from './savedSearchAlerts.ts';
import { GeoPoint, Skills, TimeWindow, id, isoInstant } from './shared.ts';

export const WorkerProfile = z
  .object({
    name: z.string().trim().min(1).max(200),
    skills: Skills,
    location: GeoPoint.optional(),
    maxTravelKm: z.number().positive().max(20_000),
    desiredHourlyPay: z.number().nonnegative().max(10_000).optional(),
    currency: z.string().regex(/^[A-Z]{3}$/).default('USD'),
    availability: z.array(TimeWindow).max(50),
    experienceYears: z.number().min(0).max(60),
    email: z.email().optional(),
  })
  .strict();
export type WorkerProfile = z.infer<typeof WorkerProfile>;

/**
 * A saved search keeps the search request as plain JSON; the query model
 * (query/) validates it when it runs, so the event stays stable when the
 * query model grows new optional fields.
 */
export const SavedSearchQuery = z.record(z.string(), z.unknown());

export const WorkerProfileUpdated = z.object({ workerId: id, profile: WorkerProfile, updatedAt: isoInstant }).strict();
export const JobSaved = z.object({ workerId: id, jobId: id, savedAt: isoInstant }).strict();
export const JobUnsaved = z.object({ workerId: id, jobId: id, unsavedAt: isoInstant }).strict();
/** v1: alerts were on or off. */
export const SearchSavedV1 = z
  .object({
    workerId: id,
    searchId: id,
    name: z.string().trim().min(1).max(200),
    query: SavedSearchQuery,
    alerts: z.boolean(),
    savedAt: isoInstant,
  })
  .strict();
/** v2: alerts have a frequency, and digests an hour and weekday in the worker's time zone. */
export const SearchSaved = z
  .object({
    workerId: id,
    searchId: id,
    name: z.string().trim().min(1).max(200),
    query: SavedSearchQuery,
    ...SavedSearchAlertSettings.shape,
    savedAt: isoInstant,
  })
  .strict();
/** The whole new alert settings, so a reader needs no earlier event to apply it. */
export const SavedSearchAlertsChanged = z
  .object({ workerId: id, searchId: id, ...SavedSearchAlertSettings.shape, changedAt: isoInstant })
  .strict();
export const SavedSearchDeleted = z.object({ workerId: id, searchId: id, deletedAt: isoInstant }).strict();
export const SavedSearchArchived = z.object({ workerId: id, searchId: id, archivedAt: isoInstant }).strict();
/** The worker ran the search (its results page); what was published since the visit before counts as new. */
export const SavedSearchViewed = z.object({ workerId: id, searchId: id, viewedAt: isoInstant }).strict();
