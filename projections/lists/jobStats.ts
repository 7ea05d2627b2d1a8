import type { RecordedEvent } from '../../eventstore/port.ts';
import type { DocChange } from './listDocuments.ts';

// The `job_stats` read model: one document per job with its views, saves and
// applications per UTC day (of the event's `metadata.occurredAt`) and in total.
// Pure: the same events in the same order give the same document; an event at
// or below the document's position is ignored, so a replay changes nothing.

export interface JobStatCounts {
  views: number;
  saves: number;
  applications: number;
}

export interface JobStatsDocument {
  jobId: string;
  businessId: string;
  days: Record<string, JobStatCounts>;
  totals: JobStatCounts;
  /** When the last counted event occurred (ISO-8601; lists are ordered by it). */
  updatedAt: string;
  position: number;
}

const zero = (): JobStatCounts => ({ views: 0, saves: 0, applications: 0 });

/** The UTC date (YYYY-MM-DD) an event occurred on. */
export const utcDayOf = (event: RecordedEvent): string => new Date(event.metadata.occurredAt).toISOString().slice(0, 10);

/** Conversion: applications per view (0 when there are no views). */
export const conversionOf = (c: JobStatCounts): number => (c.views > 0 ? c.applications / c.views : 0);

export function jobStatsKeyOf(event: RecordedEvent): string | undefined {
  switch (event.type) {
    case 'JobDrafted':
    case 'JobViewed':
    case 'JobSaved':
    case 'ApplicationSubmitted':
      return event.data.jobId;
    default:
      return undefined;
  }
}

function bump(doc: JobStatsDocument, event: RecordedEvent, field: keyof JobStatCounts): JobStatsDocument {
  const day = utcDayOf(event);
  const counts = { ...(doc.days[day] ?? zero()) };
  counts[field] += 1;
  return {
    ...doc,
    days: { ...doc.days, [day]: counts },
    totals: { ...doc.totals, [field]: doc.totals[field] + 1 },
    updatedAt: event.metadata.occurredAt,
    position: event.position,
  };
}

export function applyToJobStats(doc: JobStatsDocument | undefined, event: RecordedEvent): DocChange<JobStatsDocument> {
  if (doc && event.position <= doc.position) return undefined;
  switch (event.type) {
    case 'JobDrafted':
      return doc ? { ...doc, businessId: event.data.businessId, position: event.position } : { jobId: event.data.jobId, businessId: event.data.businessId, days: {}, totals: zero(), updatedAt: event.metadata.occurredAt, position: event.position };
    case 'JobViewed':
      return doc && bump(doc, event, 'views');
    case 'JobSaved':
      return doc && bump(doc, event, 'saves');
    case 'ApplicationSubmitted':
      return doc && bump(doc, event, 'applications');
    default:
      return undefined;
  }
}

/** Folds events into documents by job (what the projection does, without a store). */
export function foldJobStats(events: readonly RecordedEvent[], start: ReadonlyMap<string, JobStatsDocument> = new Map()): Map<string, JobStatsDocument> {
  const out = new Map(start);
  for (const e of events) {
    const key = jobStatsKeyOf(e);
    if (key === undefined) continue;
    const next = applyToJobStats(out.get(key), e);
    if (next) out.set(key, next);
  }
  return out;
}
