import { Eta } from 'eta';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NotificationKind } from '../../eventstore/events/index.ts';
import { notificationKindLabels } from '../../eventstore/events/index.ts';
import type { OutboxKind, StoredMessage } from '../../projections/notifications/notificationMessage.ts';

export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
}

export interface RenderContext {
  /** Where links point (the service's public address). */
  publicUrl: string;
  siteName?: string;
  /** Empty for a service mail (no preference switches it off): the footer then offers no unsubscribe. */
  unsubscribeUrl: string;
  recipientName?: string;
}

const views = join(dirname(fileURLToPath(import.meta.url)), 'templates');
// HTML escapes every `<%= %>` value; plain text and subjects escape nothing (no markup there).
const html = new Eta({ views, autoEscape: true, cache: true });
const text = new Eta({ views, autoEscape: false, cache: true });

const subjects: Record<OutboxKind, string> = {
  saved_search_digest: '<%= it.m.jobs.length %> new job<% if (it.m.jobs.length > 1) { %>s<% } %> for "<%= it.m.searchName %>"',
  saved_search_alert: 'New job for "<%= it.m.searches[0].name %>"<% if (it.m.searches.length > 1) { %> and <%= it.m.searches.length - 1 %> more<% } %>: <%= it.m.jobTitle %>',
  application_received: "New applicant for <%= it.m.jobTitle %><% if (it.m.workerName) { %>: <%= it.m.workerName %><% } %>",
  application_withdrawn: 'Application withdrawn: <%= it.m.jobTitle %>',
  application_status: 'Your application to <%= it.m.jobTitle %> is <%= it.statusLabel %>',
  job_expiring: 'Your job <%= it.m.jobTitle %> expires on <%= it.expiresOn %>: extend or close it',
  job_expired: 'Your job has expired: <%= it.m.jobTitle %>',
  webhook_disabled: 'Your webhook was disabled: <%= it.m.url %>',
  weekly_summary: 'Your week, <%= it.weekRange %><% if (it.m.role === "worker" && it.m.newMatches > 0) { %>: <%= it.m.newMatches %> new job<% if (it.m.newMatches > 1) { %>s<% } %> for you<% } %>',
};

/** How the footer names a kind; a service mail has no preference to name. */
const kindLabelOf = (kind: OutboxKind): string => (kind === 'webhook_disabled' ? 'webhook notices' : notificationKindLabels[kind satisfies NotificationKind]);

const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** An instant as mails show it, "Mon 31 May 2027, 23:59 UTC": the service knows no time zone of the business, and Intl's wording varies with ICU versions. */
function mailDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${weekdays[d.getUTCDay()]} ${d.getUTCDate()} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()}, ${two(d.getUTCHours())}:${two(d.getUTCMinutes())} UTC`;
}

/** A UTC day as mails show it, "Mon 1 Mar 2027". */
function dayLabel(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? day : `${weekdays[d.getUTCDay()]} ${d.getUTCDate()} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

const weeklyStatusLabels: Record<string, string> = { submitted: 'sent', reviewing: 'being reviewed', shortlisted: 'shortlisted', rejected: 'not selected', hired: 'hired', withdrawn: 'withdrawn' };

const statusLabels: Record<string, string> = { reviewing: 'being reviewed', shortlisted: 'shortlisted', rejected: 'not selected', hired: 'accepted: you are hired' };

/** Subject, plain text and HTML of a message, from its kind's templates. */
export function renderMessage(message: StoredMessage, ctx: RenderContext): RenderedMessage {
  const kind = message.data.kind;
  const base = ctx.publicUrl.replace(/\/$/, '');
  // Job links open the job's web page; the applicant and application lists are still API reads.
  const jobUrlOf = (jobId: string) => `${base}/jobs/${encodeURIComponent(jobId)}`;
  const jobId = 'jobId' in message.data ? encodeURIComponent(message.data.jobId) : '';
  const it = {
    m: message.data,
    siteUrl: base,
    siteName: ctx.siteName ?? 'Job discovery',
    recipientName: ctx.recipientName,
    unsubscribeUrl: ctx.unsubscribeUrl,
    kindLabel: kindLabelOf(message.kind),
    webhooksUrl: `${base}/v1/businesses/me/webhooks`,
    disabledOn: message.data.kind === 'webhook_disabled' ? mailDate(message.data.disabledAt) : '',
    jobUrl: `${base}/jobs/${jobId}`,
    jobUrlOf,
    applicantsUrl: `${base}/v1/jobs/${jobId}/applications`,
    applicationsUrl: `${base}/v1/me/applications`,
    businessJobsUrl: `${base}/v1/businesses/me/jobs`,
    weekRange: message.data.kind === 'weekly_summary' ? `${dayLabel(message.data.from)} to ${dayLabel(message.data.to)}` : '',
    statusLabelOf: (status: string) => weeklyStatusLabels[status] ?? status,
    expiresOn: message.data.kind === 'job_expiring' ? mailDate(message.data.expiresAt) : '',
    statusLabel: message.data.kind === 'application_status' ? (statusLabels[message.data.status] ?? message.data.status) : '',
  };
  // One line, whatever a job title holds: a header never carries a line break.
  const subject = text.renderString(subjects[kind], it).replace(/[\r\n]+/g, ' ').trim().slice(0, 250);
  const htmlBody = html.render(`./${kind}.html.eta`, it);
  const textBody = text.render(`./${kind}.txt.eta`, it);
  return {
    subject,
    html: html.render('./layout.html.eta', { ...it, subject, body: htmlBody }),
    text: text.render('./layout.txt.eta', { ...it, body: textBody.trim() }),
  };
}
