// Recorded events for the list projection and store specs.
import type { AlertFrequency, DomainEvent } from '../../eventstore/events/index.ts';
import type { RecordedEvent } from '../../eventstore/port.ts';

/** Records domain events at positions `from`, `from + 1`, ... */
export function recorded(events: readonly DomainEvent[], from = 1): RecordedEvent[] {
  return events.map((e, i) => ({
    ...e,
    eventId: `e${from + i}`,
    streamId: `s-${from + i}`,
    revision: 0,
    position: from + i,
    metadata: { actor: { role: 'system', sub: 'test' }, correlationId: 'c', causationId: 'c', occurredAt: '2027-01-01T00:00:00Z' },
    storedVersion: 1,
    recordedAt: '2027-01-01T00:00:00Z',
  }));
}

export const at = (minute: number): string => new Date(Date.UTC(2027, 0, 1, 0, minute)).toISOString();

export const submitted = (applicationId: string, jobId: string, workerId: string, minute: number, businessId = 'b1'): DomainEvent => ({
  type: 'ApplicationSubmitted',
  data: { applicationId, jobId, workerId, businessId, message: 'hello', submittedAt: at(minute) },
});
export const statusChanged = (applicationId: string, status: 'reviewing' | 'shortlisted' | 'rejected' | 'hired', minute: number): DomainEvent => ({
  type: 'ApplicationStatusChanged',
  data: { applicationId, status, changedAt: at(minute) },
});
export const withdrawn = (applicationId: string, minute: number): DomainEvent => ({ type: 'ApplicationWithdrawn', data: { applicationId, withdrawnAt: at(minute) } });
export const saved = (workerId: string, jobId: string, minute: number): DomainEvent => ({ type: 'JobSaved', data: { workerId, jobId, savedAt: at(minute) } });
export const unsaved = (workerId: string, jobId: string, minute: number): DomainEvent => ({ type: 'JobUnsaved', data: { workerId, jobId, unsavedAt: at(minute) } });
export const searchSaved = (workerId: string, searchId: string, minute: number, query: Record<string, unknown> = { text: 'barista' }, alertFrequency: AlertFrequency = 'instant'): DomainEvent => ({
  type: 'SearchSaved',
  data: { workerId, searchId, name: `search ${searchId}`, query, alertFrequency, alertHour: 8, alertWeekday: 1, timeZone: 'UTC', savedAt: at(minute) },
});
export const searchAlertsChanged = (workerId: string, searchId: string, minute: number, alertFrequency: AlertFrequency, timeZone = 'UTC'): DomainEvent => ({
  type: 'SavedSearchAlertsChanged',
  data: { workerId, searchId, alertFrequency, alertHour: 8, alertWeekday: 1, timeZone, changedAt: at(minute) },
});
export const searchArchived = (workerId: string, searchId: string, minute: number): DomainEvent => ({ type: 'SavedSearchArchived', data: { workerId, searchId, archivedAt: at(minute) } });
export const searchDeleted = (workerId: string, searchId: string, minute: number): DomainEvent => ({ type: 'SavedSearchDeleted', data: { workerId, searchId, deletedAt: at(minute) } });
