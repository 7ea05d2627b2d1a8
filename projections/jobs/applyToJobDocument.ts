import type { JobContent } from '../../eventstore/events/index.ts';
import type { RecordedEvent } from '../../eventstore/port.ts';
import type { JobDocument } from '../../mappings/jobDocument.ts';
import { hourlyRange } from './hourlyPay.ts';

function fromContent(content: JobContent): Omit<JobDocument, 'jobId' | 'businessId' | 'businessName' | 'status' | 'createdAt' | 'updatedAt' | 'views' | 'saves' | 'applications' | 'position'> {
  const hourly = hourlyRange(content.pay, content.hoursPerWeek);
  return {
    title: content.title,
    description: content.description,
    category: content.category,
    employmentType: content.employmentType,
    pay: content.pay,
    hourlyMin: hourly.min,
    hourlyMax: hourly.max,
    ...(content.location
      ? {
          location: { lat: content.location.point.lat, lon: content.location.point.lon },
          city: content.location.city,
          country: content.location.country,
          ...(content.location.region ? { region: content.location.region } : {}),
        }
      : {}),
    remote: content.remote,
    skills: [...new Set(content.skills)],
    ...(content.startDate ? { startDate: content.startDate } : {}),
    ...(content.endDate ? { endDate: content.endDate } : {}),
    ...(content.hoursPerWeek !== undefined ? { hoursPerWeek: content.hoursPerWeek } : {}),
    experienceYears: content.experienceYears,
  };
}

function contentOf(doc: JobDocument): JobContent {
  return {
    title: doc.title,
    description: doc.description,
    category: doc.category,
    employmentType: doc.employmentType,
    pay: doc.pay,
    ...(doc.location && doc.city && doc.country
      ? { location: { point: doc.location, city: doc.city, country: doc.country, ...(doc.region ? { region: doc.region } : {}) } }
      : {}),
    remote: doc.remote,
    skills: doc.skills,
    ...(doc.startDate ? { startDate: doc.startDate } : {}),
    ...(doc.endDate ? { endDate: doc.endDate } : {}),
    ...(doc.hoursPerWeek !== undefined ? { hoursPerWeek: doc.hoursPerWeek } : {}),
    experienceYears: doc.experienceYears,
  };
}

/**
 * Applies one event to a job's document. Pure: the same events in the same
 * order give the same document. Events of other aggregates that touch a job
 * (saves, applications) only bump its counters. Returns `undefined` when the
 * event does not concern a job document that exists. `businessName` is the
 * name the job's business has at this point of the log (a new job takes it).
 */
export function applyToJobDocument(doc: JobDocument | undefined, event: RecordedEvent, businessName?: (businessId: string) => string | undefined): JobDocument | undefined {
  const at = event.metadata.occurredAt;
  const touch = (d: JobDocument, patch: Partial<JobDocument>): JobDocument => ({ ...d, ...patch, updatedAt: at, position: event.position });
  switch (event.type) {
    case 'JobDrafted': {
      const { jobId, businessId, ...content } = event.data;
      const name = businessName?.(businessId);
      return {
        jobId,
        businessId,
        ...(name !== undefined ? { businessName: name } : {}),
        ...fromContent(content),
        status: 'draft',
        createdAt: at,
        updatedAt: at,
        views: 0,
        saves: 0,
        applications: 0,
        position: event.position,
      };
    }
    case 'JobUpdated': {
      if (!doc) return undefined;
      const merged = { ...contentOf(doc), ...Object.fromEntries(Object.entries(event.data.changes).filter(([, v]) => v !== undefined)) };
      const base: JobDocument = { ...doc };
      for (const k of ['location', 'city', 'region', 'country', 'startDate', 'endDate', 'hoursPerWeek'] as const) delete base[k];
      return touch(base, fromContent(merged));
    }
    case 'JobPublished':
      return doc && touch(doc, { status: 'open', publishedAt: event.data.publishedAt, expiresAt: event.data.expiresAt });
    case 'JobReopened': {
      if (!doc) return undefined;
      const { closedReason: _gone, ...rest } = doc;
      return touch(rest, { status: 'open', expiresAt: event.data.expiresAt });
    }
    case 'JobClosed':
      return doc && touch(doc, { status: 'closed', closedReason: event.data.reason });
    case 'JobExpired':
      return doc && touch(doc, { status: 'expired', closedReason: 'expired' });
    case 'JobViewed':
      return doc && touch(doc, { views: doc.views + 1 });
    case 'JobSaved':
      return doc && touch(doc, { saves: doc.saves + 1 });
    case 'JobUnsaved':
      return doc && touch(doc, { saves: Math.max(0, doc.saves - 1) });
    case 'ApplicationSubmitted':
      return doc && touch(doc, { applications: doc.applications + 1 });
    default:
      return undefined;
  }
}

/** The job a given event concerns, if any. */
export function jobIdOf(event: RecordedEvent): string | undefined {
  switch (event.type) {
    case 'JobDrafted':
    case 'JobUpdated':
    case 'JobPublished':
    case 'JobReopened':
    case 'JobClosed':
    case 'JobExpired':
    case 'JobViewed':
    case 'JobSaved':
    case 'JobUnsaved':
    case 'ApplicationSubmitted':
    case 'JobDiscarded':
      return event.data.jobId;
    default:
      return undefined;
  }
}
