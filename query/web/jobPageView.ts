import type { JobDocument } from '../../mappings/jobDocument.ts';
import { jobPostingJsonLd } from '../http/jobPostingJsonLd.ts';
import { dateText, excerpt, humanize, payText, placeText } from './format.ts';

export interface JobPageView {
  title: string;
  description: string;
  canonical: string;
  /** The JobPosting document, serialized to sit inside a script element. */
  jsonLd: string;
  job: {
    title: string;
    business: string;
    place: string;
    pay: string;
    type: string;
    category: string;
    remote: boolean;
    paragraphs: string[];
    skills: string[];
    facts: Array<{ term: string; value: string }>;
  };
}

/**
 * JSON for an inline script element: `<`, `>`, `&` and the two line
 * separators JavaScript reads as line ends are written as escapes, so no value
 * can close the element or open a comment; JSON.parse reads it back unchanged.
 */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function jobPageView(job: JobDocument, publicUrl: string, jobPath: string): JobPageView {
  const facts: Array<{ term: string; value: string }> = [];
  const add = (term: string, value: string | undefined) => {
    if (value) facts.push({ term, value });
  };
  add('Pay', payText(job));
  add('Type of work', humanize(job.employmentType));
  add('Category', humanize(job.category));
  add('Where', placeText(job));
  add('Dates', job.startDate ? (job.endDate ? `${dateText(job.startDate)} to ${dateText(job.endDate)}` : `from ${dateText(job.startDate)}`) : undefined);
  add('Hours per week', job.hoursPerWeek !== undefined ? String(job.hoursPerWeek) : undefined);
  add('Experience', job.experienceYears > 0 ? `${job.experienceYears} year${job.experienceYears === 1 ? '' : 's'}` : 'None needed');
  add('Posted', dateText(job.publishedAt ?? job.createdAt));
  add('Apply by', job.expiresAt ? dateText(job.expiresAt) : undefined);
  add('Applicants so far', String(job.applications));
  const where = placeText(job);
  return {
    title: `${job.title} · ${where}`,
    description: excerpt(`${job.title}, ${where}. ${payText(job)}. ${job.description}`, 160),
    canonical: `${publicUrl.replace(/\/$/, '')}${jobPath}`,
    jsonLd: scriptSafeJson(jobPostingJsonLd(job)),
    job: {
      title: job.title,
      business: job.businessName ?? job.businessId,
      place: where,
      pay: payText(job),
      type: humanize(job.employmentType),
      category: humanize(job.category),
      remote: job.remote,
      paragraphs: job.description.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean),
      skills: job.skills.map(humanize),
      facts,
    },
  };
}
