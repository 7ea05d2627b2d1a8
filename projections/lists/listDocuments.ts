import type { ApplicationContact, SavedSearchAlertSettings } from '../../eventstore/events/index.ts';
import type { RecordedEvent } from '../../eventstore/port.ts';

// The per-owner list read models (`applications`, `saved_jobs`,
// `saved_searches`): one document per key, the same in every read store. Each
// carries `position`, the log position of the last event applied; a store
// refuses a write that is not newer, so replays and retries are idempotent.

export const applicationDocStatuses = ['submitted', 'reviewing', 'shortlisted', 'rejected', 'hired', 'withdrawn'] as const;
export type ApplicationDocStatus = (typeof applicationDocStatuses)[number];

export interface ApplicationDocument {
  applicationId: string;
  jobId: string;
  workerId: string;
  businessId: string;
  status: ApplicationDocStatus;
  message?: string;
  /** What the worker chose to share with the job's business: stored, never indexed, shown to that business alone. */
  contact?: ApplicationContact;
  submittedAt: string;
  updatedAt: string;
  position: number;
}

export interface SavedJobDocument {
  workerId: string;
  jobId: string;
  savedAt: string;
  position: number;
}

export const savedSearchStatuses = ['active', 'archived', 'deleted'] as const;
export type SavedSearchStatus = (typeof savedSearchStatuses)[number];

export interface SavedSearchDocument extends SavedSearchAlertSettings {
  workerId: string;
  searchId: string;
  name: string;
  /** The search request as the worker saved it (plain JSON; validated when it runs). */
  query: Record<string, unknown>;
  status: SavedSearchStatus;
  savedAt: string;
  updatedAt: string;
  position: number;
}

/**
 * The alert settings of a stored saved search. Documents a store kept from
 * before alerts had a frequency carry only `alerts` (on: instant); they read
 * as the upcast event would make them until the model is rebuilt.
 */
export function alertSettingsOf(doc: SavedSearchDocument): SavedSearchAlertSettings {
  if (typeof doc.alertFrequency === 'string') {
    return { alertFrequency: doc.alertFrequency, alertHour: doc.alertHour, alertWeekday: doc.alertWeekday, timeZone: doc.timeZone };
  }
  const legacy = (doc as { alerts?: unknown }).alerts;
  return { alertFrequency: legacy === false ? 'off' : 'instant', alertHour: 8, alertWeekday: 1, timeZone: 'UTC' };
}

/**
 * What one event does to one keyed document: a new document, `null` to remove
 * it (stored as a tombstone that keeps the position), or `undefined` when the
 * event changes nothing (not this model's, or about a document that is missing).
 */
export type DocChange<D> = D | null | undefined;

/** Keys: one document per application, per (worker, job), per (worker, search). `|` never occurs in ids. */
export const savedJobKey = (workerId: string, jobId: string): string => `${workerId}|${jobId}`;
export const savedSearchKey = (workerId: string, searchId: string): string => `${workerId}|${searchId}`;

export function applicationKeyOf(event: RecordedEvent): string | undefined {
  switch (event.type) {
    case 'ApplicationSubmitted':
    case 'ApplicationStatusChanged':
    case 'ApplicationWithdrawn':
      return event.data.applicationId;
    default:
      return undefined;
  }
}

export function savedJobKeyOf(event: RecordedEvent): string | undefined {
  switch (event.type) {
    case 'JobSaved':
    case 'JobUnsaved':
      return savedJobKey(event.data.workerId, event.data.jobId);
    default:
      return undefined;
  }
}

export function savedSearchKeyOf(event: RecordedEvent): string | undefined {
  switch (event.type) {
    case 'SearchSaved':
    case 'SavedSearchAlertsChanged':
    case 'SavedSearchArchived':
    case 'SavedSearchDeleted':
      return savedSearchKey(event.data.workerId, event.data.searchId);
    default:
      return undefined;
  }
}

/** Pure: the same events in the same order give the same document. */
export function applyToApplication(doc: ApplicationDocument | undefined, event: RecordedEvent): DocChange<ApplicationDocument> {
  switch (event.type) {
    case 'ApplicationSubmitted': {
      const { applicationId, jobId, workerId, businessId, message, contact, submittedAt } = event.data;
      return {
        applicationId,
        jobId,
        workerId,
        businessId,
        status: 'submitted',
        ...(message !== undefined ? { message } : {}),
        ...(contact !== undefined ? { contact } : {}),
        submittedAt,
        updatedAt: submittedAt,
        position: event.position,
      };
    }
    case 'ApplicationStatusChanged':
      return doc && { ...doc, status: event.data.status, updatedAt: event.data.changedAt, position: event.position };
    case 'ApplicationWithdrawn':
      return doc && { ...doc, status: 'withdrawn', updatedAt: event.data.withdrawnAt, position: event.position };
    default:
      return undefined;
  }
}

export function applyToSavedJob(_doc: SavedJobDocument | undefined, event: RecordedEvent): DocChange<SavedJobDocument> {
  switch (event.type) {
    case 'JobSaved':
      return { workerId: event.data.workerId, jobId: event.data.jobId, savedAt: event.data.savedAt, position: event.position };
    case 'JobUnsaved':
      return null;
    default:
      return undefined;
  }
}

export function applyToSavedSearch(doc: SavedSearchDocument | undefined, event: RecordedEvent): DocChange<SavedSearchDocument> {
  switch (event.type) {
    case 'SearchSaved': {
      const { workerId, searchId, name, query, alertFrequency, alertHour, alertWeekday, timeZone, savedAt } = event.data;
      return { workerId, searchId, name, query, alertFrequency, alertHour, alertWeekday, timeZone, status: 'active', savedAt, updatedAt: savedAt, position: event.position };
    }
    case 'SavedSearchAlertsChanged': {
      const { alertFrequency, alertHour, alertWeekday, timeZone, changedAt } = event.data;
      if (!doc) return doc;
      // A deleted search keeps its last settings: only the position moves.
      if (doc.status === 'deleted') return { ...doc, position: event.position };
      const { alerts: _legacy, ...rest } = doc as SavedSearchDocument & { alerts?: unknown };
      return { ...rest, alertFrequency, alertHour, alertWeekday, timeZone, updatedAt: changedAt, position: event.position };
    }
    case 'SavedSearchArchived':
      return doc && (doc.status === 'deleted' ? { ...doc, position: event.position } : { ...doc, status: 'archived', updatedAt: event.data.archivedAt, position: event.position });
    case 'SavedSearchDeleted':
      return doc && { ...doc, status: 'deleted', updatedAt: event.data.deletedAt, position: event.position };
    default:
      return undefined;
  }
}
