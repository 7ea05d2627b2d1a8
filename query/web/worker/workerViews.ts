// What the worker's pages show, from the API's answers: pure functions,
// every value plain text for the templates to escape.
import type { z } from 'zod';
import type { MyApplicationView, SavedJobView, SavedSearchView } from '../../http/listRoutes.ts';
import type { RecommendationsView } from '../../http/matchRoutes.ts';
import type { NotificationView } from '../../http/notificationRoutes.ts';
import { agoText, dateText, distanceText, humanize, money } from '../format.ts';
import type { JobCard } from '../jobCard.ts';
import { jobCard, jobHref } from '../jobCard.ts';
import { describeSavedQuery, frequencyChoices, frequencyLabels, runHref } from './savedSearchForm.ts';

type SavedJob = z.infer<typeof SavedJobView>;
type SavedSearch = z.infer<typeof SavedSearchView>;
type MyApplication = z.infer<typeof MyApplicationView>;
type Recommendation = z.infer<typeof RecommendationsView>['items'][number];
type Notification = z.infer<typeof NotificationView>;

const statusWords: Record<string, string> = { open: 'Open', draft: 'Draft', closed: 'Closed', expired: 'Expired' };

export function savedJobRow(s: SavedJob, now: Date) {
  return {
    jobId: s.jobId,
    href: jobHref(s.jobId),
    title: s.job?.title ?? `Job ${s.jobId} (no longer listed)`,
    place: s.job?.city ?? '',
    pay: s.job ? `${money(s.job.pay.min, s.job.pay.currency)}${s.job.pay.max !== s.job.pay.min ? `–${money(s.job.pay.max, s.job.pay.currency)}` : ''} per ${s.job.pay.unit}` : '',
    status: s.job ? (statusWords[s.job.status] ?? s.job.status) : 'Gone',
    open: s.job?.status === 'open',
    saved: agoText(s.savedAt, now),
  };
}


export function savedSearchRow(s: SavedSearch) {
  const run = runHref(s.query);
  return {
    searchId: s.searchId,
    name: s.name,
    summary: describeSavedQuery(s.query),
    runHref: run.href,
    partial: run.partial,
    archived: s.status === 'archived',
    frequency: frequencyLabels[s.alertFrequency],
    choices: frequencyChoices(s.alertFrequency),
  };
}

const applicationWords: Record<string, string> = {
  submitted: 'Sent, not yet read', reviewing: 'Being reviewed', shortlisted: 'Shortlisted', rejected: 'Not selected', hired: 'Hired', withdrawn: 'Withdrawn by you',
};

export function applicationRow(a: MyApplication, now: Date) {
  return {
    applicationId: a.applicationId,
    href: jobHref(a.jobId),
    title: a.job?.title ?? `Job ${a.jobId} (no longer listed)`,
    jobStatus: a.job && a.job.status !== 'open' ? (statusWords[a.job.status] ?? a.job.status) : '',
    status: applicationWords[a.status] ?? humanize(a.status),
    statusKey: a.status,
    message: a.message ?? '',
    submitted: agoText(a.submittedAt, now),
    canWithdraw: a.status === 'submitted' || a.status === 'reviewing' || a.status === 'shortlisted',
  };
}

const factorNames = [['skills', 'Skills'], ['distance', 'Distance'], ['pay', 'Pay'], ['availability', 'Availability'], ['experience', 'Experience']] as const;
const percent = (x: number): string => `${Math.round(x * 100)}%`;

export interface RecommendationRow {
  card: JobCard;
  jobId: string;
  score: string;
  reason: string;
  factors: Array<{ name: string; value: string; detail: string }>;
}

export function recommendationRow(r: Recommendation, now: Date): RecommendationRow {
  const d = r.details;
  const detail: Record<string, string> = {
    skills: d.skillsRequired > 0 ? `${d.skillsMatched} of ${d.skillsRequired} skill${d.skillsRequired === 1 ? '' : 's'}` : 'no skills asked',
    distance: d.distanceKm !== undefined ? `${distanceText(d.distanceKm)} away` : 'no distance',
    pay: d.payRatio !== undefined ? `${percent(d.payRatio)} of what you ask` : '',
    availability: d.availableDays !== undefined && d.jobDays !== undefined ? `${d.availableDays} of ${d.jobDays} days` : '',
    experience: d.experienceRatio !== undefined ? `${percent(Math.min(1, d.experienceRatio))} of the experience asked` : '',
  };
  return {
    card: jobCard({ job: r.job, ...(d.distanceKm !== undefined ? { distanceKm: d.distanceKm } : {}) }, now),
    jobId: r.job.jobId,
    score: `${Math.round(r.score)} / 100`,
    reason: r.reason,
    factors: factorNames.map(([key, name]) => ({ name, value: percent(r.factors[key]), detail: detail[key] ?? '' })),
  };
}

const notificationStatus: Record<string, string> = { sent: 'Mailed', pending: 'Being mailed', unaddressed: 'Not mailed: no e-mail address in your profile', stale: 'Not mailed: too old', dead: 'Could not be mailed' };

export function notificationRow(n: Notification, now: Date) {
  const d = n.data;
  const text_ = (v: unknown, fallback: string): string => (typeof v === 'string' && v ? v : fallback);
  const title = typeof d.jobTitle === 'string' ? d.jobTitle : '';
  const jobId = typeof d.jobId === 'string' ? d.jobId : undefined;
  const who = typeof d.workerName === 'string' ? d.workerName : typeof d.workerId === 'string' ? d.workerId : 'someone';
  const text = ((): string => {
    switch (n.kind) {
      case 'application_received': return `${who} applied to ${title}`;
      case 'application_withdrawn': return `${who} withdrew their application to ${title}`;
      case 'application_status': return `Your application to ${title}: ${applicationWords[String(d.status)] ?? String(d.status)}`;
      case 'job_expiring': return `${title} expires on ${typeof d.expiresAt === 'string' ? dateText(d.expiresAt) : 'soon'}`;
      case 'job_expired': return `${title} has expired`;
      case 'saved_search_alert': {
        const names = Array.isArray(d.searches) ? (d.searches as Array<{ name?: unknown }>).map((s) => text_(s.name, '')).filter(Boolean).join(', ') : '';
        return `New job for ${names || 'your saved search'}: ${title}${typeof d.city === 'string' ? ` in ${d.city}` : ''}`;
      }
      case 'saved_search_digest': {
        const count = Array.isArray(d.jobs) ? d.jobs.length : 0;
        return `${count} new job${count === 1 ? '' : 's'} for ${text_(d.searchName, 'your saved search')}`;
      }
      case 'weekly_summary': return 'Your weekly summary';
      default: {
        const never: never = n.kind;
        return String(never);
      }
    }
  })();
  return { id: n.id, text, href: jobId ? jobHref(jobId) : undefined, status: notificationStatus[n.status] ?? n.status, when: agoText(n.createdAt, now) };
}

