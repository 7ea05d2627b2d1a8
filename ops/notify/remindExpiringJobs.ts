import type { DirectoryEntry, JobEntry, RecipientEntry } from '../../projections/notifications/directory.ts';
import { jobKey, recipientKey, webhooksKey } from '../../projections/notifications/directory.ts';
import type { MessageData, OutboxMessage } from '../../projections/notifications/notificationMessage.ts';
import { webhookMessageIdOf } from '../../projections/notifications/notificationMessage.ts';
import type { NotificationStore } from '../../projections/notifications/notificationStore.ts';
import { isExpiredJobFinder } from '../scheduler/expireJobs.ts';
import type { JobRunResult } from '../scheduler/scheduledJob.ts';
import { yieldEvery } from '../support/yieldEvery.ts';

/** How long before its expiry the business is reminded of an open job. */
export const EXPIRY_REMINDER_LEAD_MS = 3 * 24 * 3_600_000;

/**
 * One id per job and expiry instant (in epoch ms, so that two spellings of
 * one instant are one reminder): a rerun, a second instance or a crash between
 * commit and report finds it stored, while a job given a later expiry gets a
 * reminder of its own when that one comes near.
 */
export const expiryReminderId = (job: Pick<JobEntry, 'jobId' | 'businessId'>, expiresAt: string): string =>
  `job_expiring.e${Date.parse(expiresAt)}.${job.jobId}.business.${job.businessId}`;

/** Whether a job is due its reminder at `now`: open, and its expiry after `now` but within the lead time. */
export function expiryReminderDue(job: JobEntry, now: Date, leadMs = EXPIRY_REMINDER_LEAD_MS): job is JobEntry & { expiresAt: string } {
  if (job.status !== 'open' || job.expiresAt === undefined) return false;
  const expiresMs = Date.parse(job.expiresAt);
  return Number.isFinite(expiresMs) && expiresMs > now.getTime() && expiresMs <= now.getTime() + leadMs;
}

/**
 * The reminders due at `now` for these job entries of the notifications
 * directory, addressed from the business entries in `directory`: none for a
 * draft, closed or expired job, one past its expiry (expire-jobs closes it) or
 * further off than the lead time, nor for a business that muted the kind. Pure.
 */
export function expiryReminders(jobs: Iterable<DirectoryEntry>, directory: ReadonlyMap<string, DirectoryEntry>, now: Date, leadMs = EXPIRY_REMINDER_LEAD_MS): OutboxMessage[] {
  const messages: OutboxMessage[] = [];
  for (const entry of jobs) {
    const job = entry.value;
    if (job.type !== 'job' || !expiryReminderDue(job, now, leadMs)) continue;
    const found = directory.get(recipientKey('business', job.businessId))?.value;
    const business: RecipientEntry | undefined = found?.type === 'recipient' ? found : undefined;
    const data: MessageData = { kind: 'job_expiring', jobId: job.jobId, jobTitle: job.title, expiresAt: job.expiresAt };
    // Webhooks are told whatever the business muted for its e-mails; one id per job, expiry instant and webhook.
    const hooks = directory.get(webhooksKey(job.businessId))?.value;
    for (const w of hooks?.type === 'webhooks' ? hooks.webhooks : []) {
      if (w.status !== 'active' || !w.eventTypes.includes('job.expiring')) continue;
      messages.push({
        id: webhookMessageIdOf('job.expiring', `e${Date.parse(job.expiresAt)}.${job.jobId}`, w.webhookId),
        kind: 'job_expiring',
        recipient: { role: 'business', id: job.businessId },
        data,
        causePosition: entry.position,
        createdAt: now.toISOString(),
        status: 'pending',
        webhook: { webhookId: w.webhookId, eventType: 'job.expiring', url: w.url },
      });
    }
    if (business?.muted.includes('job_expiring')) continue;
    messages.push({
      id: expiryReminderId(job, job.expiresAt),
      kind: 'job_expiring',
      recipient: { role: 'business', id: job.businessId },
      ...(business?.email !== undefined ? { to: business.email } : {}),
      data,
      causePosition: entry.position,
      createdAt: now.toISOString(),
      status: business?.email === undefined ? 'unaddressed' : 'pending',
    });
  }
  return messages;
}

export interface ExpiryReminderLimits {
  leadMs?: number;
  pageSize?: number;
  /** Most candidates one run looks at; the next run takes the rest. */
  maxJobs?: number;
}

/**
 * The scheduled reminder run: the jobs read model nominates the open jobs
 * expiring by `now` + the lead time (with the ones already past it that
 * expire-jobs has not closed yet), and the notifications directory, kept by
 * the outbox projection beside the messages, decides from its own view of
 * each job (status, current expiry, title) and of its business (address,
 * muted kinds). Messages go into the outbox insert-once by id, so a rerun,
 * a concurrent `run-job` or a crash halfway never mails a job twice for one
 * expiry. Returns how many reminders it added.
 */
export async function remindExpiringJobs(deps: { store: NotificationStore; jobs: object }, now: Date, { leadMs = EXPIRY_REMINDER_LEAD_MS, pageSize = 500, maxJobs = 100_000 }: ExpiryReminderLimits = {}): Promise<JobRunResult> {
  const finder = deps.jobs;
  if (!isExpiredJobFinder(finder)) throw new Error('this jobs read store cannot list expiring jobs');
  const horizon = new Date(now.getTime() + leadMs);
  let added = 0;
  let seen = 0;
  let after: string | undefined;
  // The embedded stores answer synchronously: without a pause the whole run would be one stretch of the serving thread.
  const pause = yieldEvery();
  while (seen < maxJobs) {
    await pause();
    const ids = await finder.expiredOpenJobIds(horizon, Math.min(pageSize, maxJobs - seen), after);
    if (ids.length === 0) break;
    const jobs = await deps.store.loadDirectory(ids.map(jobKey));
    const businesses = await deps.store.loadDirectory([...jobs.values()].flatMap((e) => (e.value.type === 'job' ? [recipientKey('business', e.value.businessId), webhooksKey(e.value.businessId)] : [])));
    const fresh: OutboxMessage[] = [];
    // Looked up only to count what is new: the insert-once commit is what keeps a second copy out.
    for (const m of expiryReminders(jobs.values(), businesses, now, leadMs)) {
      await pause();
      if ((await deps.store.get(m.id)) === undefined) fresh.push(m);
    }
    if (fresh.length > 0) await deps.store.commitDigests({ messages: fresh, remove: [] });
    added += fresh.length;
    seen += ids.length;
    after = ids.at(-1);
    if (ids.length < pageSize) break;
  }
  return { items: added };
}
