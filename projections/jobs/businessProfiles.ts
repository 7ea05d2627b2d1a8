import type { RecordedEvent } from '../../eventstore/port.ts';
import type { BusinessDocument, JobDocument } from '../../mappings/jobDocument.ts';

/** The business whose public profile an event changes, if any. */
export function businessIdOf(event: RecordedEvent): string | undefined {
  return event.type === 'BusinessProfileUpdated' ? event.data.businessId : undefined;
}

/** A link is shown only when it is a web address: a profile may hold any URL, a page must not link `javascript:`. */
const webAddress = (url: string | undefined): string | undefined => (url !== undefined && /^https?:\/\//i.test(url) ? url : undefined);

/**
 * The public part of a business's profile after one event. Pure; `undefined`
 * when the event is not a profile change or the document already includes it.
 */
export function applyToBusiness(doc: BusinessDocument | undefined, event: RecordedEvent): BusinessDocument | undefined {
  if (event.type !== 'BusinessProfileUpdated') return undefined;
  if (doc && event.position <= doc.position) return undefined;
  const { businessId, profile, updatedAt } = event.data;
  const website = webAddress(profile.website);
  const logoUrl = webAddress(profile.logoUrl);
  return {
    businessId,
    name: profile.name,
    ...(profile.description !== undefined ? { description: profile.description } : {}),
    ...(website !== undefined ? { website } : {}),
    ...(logoUrl !== undefined ? { logoUrl } : {}),
    ...(profile.locations !== undefined && profile.locations.length > 0 ? { locations: profile.locations } : {}),
    updatedAt,
    position: event.position,
  };
}

/**
 * A job of a business whose name changed at `position`: the job carries the
 * new name from that position on. `undefined` when the job already includes
 * that change or already carries the name (nothing to write).
 */
export function withBusinessName(job: JobDocument, name: string, position: number): JobDocument | undefined {
  if (job.position >= position || job.businessName === name) return undefined;
  return { ...job, businessName: name, position };
}
