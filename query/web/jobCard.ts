import type { SearchHit } from '../model/readStore.ts';
import { agoText, distanceText, excerpt, humanize, payText, placeText } from './format.ts';
import { escapeHtml, safeHighlight } from './safeHighlight.ts';

/** What a result card shows. The two `Html` fields are markup, already made safe; all else is text the template escapes. */
export interface JobCard {
  href: string;
  titleHtml: string;
  snippetHtml: string;
  place: string;
  pay: string;
  type: string;
  category: string;
  posted: string;
  distance?: string;
  /** The employer's name, when its profile gives one. */
  business?: string;
}

export const jobHref = (jobId: string): string => `/jobs/${encodeURIComponent(jobId)}`;

export function jobCard(hit: SearchHit, now: Date): JobCard {
  const { job } = hit;
  const title = hit.highlights?.title?.[0];
  const fragments = hit.highlights?.description;
  return {
    href: jobHref(job.jobId),
    titleHtml: title ? safeHighlight(title) : escapeHtml(job.title),
    snippetHtml: fragments?.length ? fragments.map(safeHighlight).join(' … ') : escapeHtml(excerpt(job.description)),
    place: placeText(job),
    pay: payText(job),
    type: humanize(job.employmentType),
    category: humanize(job.category),
    posted: agoText(job.publishedAt ?? job.createdAt, now),
    ...(hit.distanceKm !== undefined ? { distance: distanceText(hit.distanceKm) } : {}),
    ...(job.businessName !== undefined ? { business: job.businessName } : {}),
  };
}
