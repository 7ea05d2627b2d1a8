import type { z } from 'zod';
import { ApplicationStatusChanged, ApplicationSubmitted, ApplicationWithdrawn } from './applicationEvents.ts';
import { BusinessProfileUpdated, WebhookDisabled, WebhookRegistered, WebhookRemoved } from './businessEvents.ts';
import { NotificationPreferencesSet } from './notificationEvents.ts';
import { JobClosed, JobDiscarded, JobDrafted, JobExpired, JobPublished, JobReopened, JobUpdated, JobViewed } from './jobEvents.ts';
import {
  JobSaved,
  JobUnsaved,
  SavedSearchAlertsChanged,
  SavedSearchArchived,
  SavedSearchDeleted,
  SavedSearchViewed,
  SearchSaved,
  WorkerProfileUpdated,
} from './workerEvents.ts';

/**
 * Every event type with the schema of its current version. Older versions live
 * in upcasters.ts and are lifted to these on read; stored events are never
 * rewritten.
 */
export const eventCatalog = {
  JobDrafted: { version: 2, schema: JobDrafted },
  JobUpdated: { version: 1, schema: JobUpdated },
  JobPublished: { version: 1, schema: JobPublished },
  JobClosed: { version: 1, schema: JobClosed },
  JobExpired: { version: 1, schema: JobExpired },
  JobReopened: { version: 1, schema: JobReopened },
  JobViewed: { version: 1, schema: JobViewed },
  JobDiscarded: { version: 1, schema: JobDiscarded },
  ApplicationSubmitted: { version: 1, schema: ApplicationSubmitted },
  ApplicationWithdrawn: { version: 1, schema: ApplicationWithdrawn },
  ApplicationStatusChanged: { version: 1, schema: ApplicationStatusChanged },
  WorkerProfileUpdated: { version: 1, schema: WorkerProfileUpdated },
  JobSaved: { version: 1, schema: JobSaved },
  JobUnsaved: { version: 1, schema: JobUnsaved },
  SearchSaved: { version: 2, schema: SearchSaved },
  SavedSearchAlertsChanged: { version: 1, schema: SavedSearchAlertsChanged },
  SavedSearchDeleted: { version: 1, schema: SavedSearchDeleted },
  SavedSearchArchived: { version: 1, schema: SavedSearchArchived },
  SavedSearchViewed: { version: 1, schema: SavedSearchViewed },
  BusinessProfileUpdated: { version: 1, schema: BusinessProfileUpdated },
  WebhookRegistered: { version: 1, schema: WebhookRegistered },
  WebhookRemoved: { version: 1, schema: WebhookRemoved },
  WebhookDisabled: { version: 1, schema: WebhookDisabled },
  NotificationPreferencesSet: { version: 1, schema: NotificationPreferencesSet },
} as const;

export type EventCatalog = typeof eventCatalog;
export type EventType = keyof EventCatalog;
export type EventData<T extends EventType> = z.infer<EventCatalog[T]['schema']>;

/** A domain event as deciders produce it: a type and its current-version data. */
export type DomainEvent = { [T in EventType]: { type: T; data: EventData<T> } }[EventType];
export type DomainEventOf<T extends EventType> = Extract<DomainEvent, { type: T }>;

export const eventTypes = Object.keys(eventCatalog) as EventType[];

export function isEventType(type: string): type is EventType {
  return Object.hasOwn(eventCatalog, type);
}

export const jobEventTypes = [
  'JobDrafted', 'JobUpdated', 'JobPublished', 'JobClosed', 'JobExpired', 'JobReopened', 'JobViewed', 'JobDiscarded',
] as const satisfies readonly EventType[];
export const applicationEventTypes = [
  'ApplicationSubmitted', 'ApplicationWithdrawn', 'ApplicationStatusChanged',
] as const satisfies readonly EventType[];
export const workerEventTypes = [
  'WorkerProfileUpdated', 'JobSaved', 'JobUnsaved', 'SearchSaved', 'SavedSearchAlertsChanged', 'SavedSearchDeleted',
  'SavedSearchArchived', 'SavedSearchViewed',
] as const satisfies readonly EventType[];
export const businessEventTypes = ['BusinessProfileUpdated', 'WebhookRegistered', 'WebhookRemoved', 'WebhookDisabled'] as const satisfies readonly EventType[];
export const notificationEventTypes = ['NotificationPreferencesSet'] as const satisfies readonly EventType[];

export type JobEvent = DomainEventOf<(typeof jobEventTypes)[number]>;
export type ApplicationEvent = DomainEventOf<(typeof applicationEventTypes)[number]>;
export type WorkerEvent = DomainEventOf<(typeof workerEventTypes)[number]>;
export type BusinessEvent = DomainEventOf<(typeof businessEventTypes)[number]>;
export type NotificationEvent = DomainEventOf<(typeof notificationEventTypes)[number]>;
