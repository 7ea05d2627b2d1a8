// What the business's pages show, from the API's answers: pure functions,
// every value plain text for the templates to escape.
import type { z } from 'zod';
import type { ApplicationLifecycle } from '../../../eventstore/events/index.ts';
import { applicationTransitions } from '../../../eventstore/events/index.ts';
import type { JobView } from '../../model/jobView.ts';
import { effectiveStatus } from '../../model/effectiveStatus.ts';
import { agoText, dateText, humanize, payText, placeText } from '../format.ts';
import type { ApplicantView } from '../../http/applicantRoutes.ts';
import { jobHref } from '../jobCard.ts';

export type BusinessJob = z.infer<typeof JobView>;
export type JobStatusKey = BusinessJob['status'];

export interface Applicant {
  applicationId: string;
  workerId: string;
  status: ApplicationLifecycle;
  message?: string | undefined;
  submittedAt: string;
  updatedAt: string;
  contact?: ApplicantView['contact'];
  worker?: ApplicantView['worker'];
  match?: ApplicantView['match'];
}

/** An open job past its expiry is expired, whether or not the expiry sweep has run yet. */
export const statusOf = (job: Pick<BusinessJob, 'status' | 'expiresAt'>, now: Date): JobStatusKey => effectiveStatus(job, now);

const statusWords: Record<JobStatusKey, string> = { draft: 'Draft', open: 'Open', closed: 'Closed', expired: 'Expired' };
const closedWords: Record<string, string> = { filled: 'filled', withdrawn: 'withdrawn', expired: 'expired' };

export const jobStatusTabs = [['', 'All'], ['draft', 'Drafts'], ['open', 'Open'], ['closed', 'Closed'], ['expired', 'Expired']] as const;

export const businessJobHref = (jobId: string): string => `/business/jobs/${encodeURIComponent(jobId)}`;

export function businessJobRow(job: BusinessJob, now: Date) {
  const status = statusOf(job, now);
  return {
    jobId: job.jobId,
    href: businessJobHref(job.jobId),
    title: job.title,
    status: statusWords[status],
    statusKey: status,
    place: placeText(job),
    pay: payText(job),
    when: status === 'draft' ? `drafted ${agoText(job.createdAt, now)}` : job.publishedAt ? `published ${agoText(job.publishedAt, now)}` : `drafted ${agoText(job.createdAt, now)}`,
    counts: `${job.views} view${job.views === 1 ? '' : 's'} · ${job.saves} save${job.saves === 1 ? '' : 's'} · ${job.applications} application${job.applications === 1 ? '' : 's'}`,
  };
}

/** Which lifecycle forms the job's page offers, as the job decider allows them. */
export function jobActions(job: Pick<BusinessJob, 'status' | 'expiresAt' | 'publishedAt'>, now: Date) {
  const status = statusOf(job, now);
  const beforeExpiry = job.expiresAt !== undefined && Date.parse(job.expiresAt) > now.getTime();
  return {
    edit: status === 'draft' || status === 'open',
    publish: status === 'draft',
    close: status === 'open',
    reopen: job.status === 'closed' && beforeExpiry,
    // Only what was never published can be thrown away: a published job is closed, so its log and applicants stay.
    discard: job.publishedAt === undefined && (job.status === 'draft' || job.status === 'closed'),
  };
}

export function jobSummary(job: BusinessJob, now: Date) {
  const status = statusOf(job, now);
  const closed = job.closedReason ? ` (${closedWords[job.closedReason] ?? job.closedReason})` : '';
  return {
    jobId: job.jobId,
    title: job.title,
    status: `${statusWords[status]}${status === 'closed' ? closed : ''}`,
    statusKey: status,
    publicHref: jobHref(job.jobId),
    editHref: `${businessJobHref(job.jobId)}/edit`,
    place: placeText(job),
    pay: payText(job),
    type: humanize(job.employmentType),
    category: humanize(job.category),
    created: dateText(job.createdAt),
    published: job.publishedAt ? dateText(job.publishedAt) : '',
    expires: job.expiresAt ? `${Date.parse(job.expiresAt) <= now.getTime() ? 'expired' : 'expires'} ${dateText(job.expiresAt)}` : '',
    actions: jobActions(job, now),
  };
}

export interface FunnelCounts {
  views: number;
  saves: number;
  applications: number;
  /** Applicants who reached the shortlist or were hired. */
  shortlisted: number;
  hired: number;
}

/**
 * The job's funnel: views, then applications out of views, shortlisted out of
 * applications, hired out of shortlisted; saves, a side step that applying
 * does not need, out of views.
 */
export function funnel(counts: FunnelCounts) {
  const stages = [['views', 'Views', undefined], ['saves', 'Saves', 'views'], ['applications', 'Applications', 'views'], ['shortlisted', 'Shortlisted', 'applications'], ['hired', 'Hired', 'shortlisted']] as const;
  return stages.map(([key, label, base]) => {
    const count = counts[key];
    const of = base === undefined ? undefined : counts[base];
    const share = of === undefined || base === undefined ? '' : of > 0 ? `${Math.round((count / of) * 100)}% of ${base}` : '—';
    return { key, label, count: count.toLocaleString('en'), share };
  });
}

const applicantWords: Record<ApplicationLifecycle, string> = {
  submitted: 'New', reviewing: 'Reviewing', shortlisted: 'Shortlisted', rejected: 'Rejected', hired: 'Hired', withdrawn: 'Withdrawn by the applicant',
};
const moveWords: Record<string, string> = { reviewing: 'Mark as reviewing', shortlisted: 'Shortlist', hired: 'Accept (hire)', rejected: 'Reject' };

const percent = (x: number): string => `${Math.round(x * 100)}%`;
const factorWords = [['skills', 'skills'], ['distance', 'distance'], ['pay', 'pay'], ['availability', 'availability'], ['experience', 'experience']] as const;

/** What the business knows of the applicant to decide: contact shared, skills, experience, availability, match. Plain text (and safe links). */
function applicantFacts(a: Applicant): Array<{ label: string; value: string; href?: string }> {
  const facts: Array<{ label: string; value: string; href?: string }> = [];
  const { contact, worker, match } = a;
  if (contact?.email !== undefined) facts.push({ label: 'Email', value: contact.email, href: `mailto:${encodeURIComponent(contact.email).replace(/%40/g, '@')}` });
  if (contact?.phone !== undefined) facts.push({ label: 'Phone', value: contact.phone, href: `tel:${contact.phone.replace(/[^+\d]/g, '')}` });
  if (worker) {
    facts.push({ label: 'Skills', value: worker.skills.length > 0 ? worker.skills.join(', ') : 'none listed' });
    facts.push({ label: 'Experience', value: `${worker.experienceYears} year${worker.experienceYears === 1 ? '' : 's'}` });
    const windows = worker.availability.map((w) => (w.to !== undefined ? `${dateText(w.from)} – ${dateText(w.to)}` : `from ${dateText(w.from)}`));
    facts.push({ label: 'Available', value: windows.length > 0 ? windows.join('; ') : 'not given' });
  }
  if (match) facts.push({ label: 'Match', value: factorWords.map(([key, word]) => `${word} ${percent(match.factors[key])}`).join(' · ') });
  return facts;
}

export function applicantRow(a: Applicant, now: Date) {
  return {
    applicationId: a.applicationId,
    workerId: a.workerId,
    /** The worker's name, or who they are without a profile. */
    heading: a.worker ? a.worker.name : `Applicant ${a.workerId}`,
    who: a.worker ? a.worker.name : `applicant ${a.workerId}`,
    score: a.match ? `${Math.round(a.match.score)}% match` : '',
    facts: applicantFacts(a),
    status: applicantWords[a.status],
    statusKey: a.status,
    message: a.message ?? '',
    submitted: agoText(a.submittedAt, now),
    moves: applicationTransitions[a.status].map((to) => ({ to, label: moveWords[to] ?? humanize(to) })),
  };
}
