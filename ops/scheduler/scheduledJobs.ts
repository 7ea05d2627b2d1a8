import type { EventStore } from '../../eventstore/port.ts';
import { archiveSavedSearches } from './archiveSavedSearches.ts';
import type { LastAlertOf } from './archiveSavedSearches.ts';
import { expireJobs } from './expireJobs.ts';
import type { JobRunResult, ScheduledJob } from './scheduledJob.ts';
import { DAY_MS, HOUR_MS, MINUTE_MS, WEEK_MS } from './scheduledJob.ts';

export const scheduledJobNames = ['expire-jobs', 'archive-saved-searches', 'drift-check', 'saved-search-digest', 'remind-expiring-jobs', 'weekly-summary', 'purge-idempotency-keys'] as const;
export type ScheduledJobName = (typeof scheduledJobNames)[number];

/** The names scheduledJobs registers, in its order: drift-check only where a drift check is wired. */
export function availableJobNames({ driftCheck }: { driftCheck: boolean }): ScheduledJobName[] {
  return scheduledJobNames.filter((name) => driftCheck || name !== 'drift-check');
}

export interface ScheduledJobDeps {
  store: EventStore;
  /** The jobs read store (nominates expired jobs). */
  jobs: object;
  /** The list read stores (nominate stale saved searches). */
  lists: object;
  /** The drift check and repair (ops/drift); the job is registered only when given. `signal`: the scheduler is stopping. */
  driftCheck?: (now: Date, signal?: AbortSignal) => Promise<JobRunResult>;
  /** Saved-search digests due in the slot's hour (ops/notify/composeDigests.ts); a no-op without notifications. */
  digests?: (now: Date, slot: Date) => Promise<JobRunResult>;
  /** Reminders of open jobs expiring within 3 days (ops/notify/remindExpiringJobs.ts); a no-op without notifications. */
  expiryReminders?: (now: Date) => Promise<JobRunResult>;
  /** When a saved search last alerted (the outbox): a search alerting within 90 days is in use and not archived. */
  lastAlertOf?: LastAlertOf;
  /** The week in review for every addressed person (ops/notify/composeWeeklySummaries.ts); a no-op without notifications. */
  weeklySummaries?: (now: Date) => Promise<JobRunResult>;
  /** Forgets Idempotency-Key answers past the time they are kept (IDEMPOTENCY_TTL_HOURS); a no-op without it. */
  purgeIdempotencyKeys?: (now: Date) => Promise<JobRunResult>;
}

/** Every job the scheduler runs, with its UTC schedule and period (DESIGN.md section 4). */
export function scheduledJobs(deps: ScheduledJobDeps): ScheduledJob[] {
  const jobs: ScheduledJob[] = [
    { name: 'expire-jobs', schedule: '59 23 * * *', periodMs: DAY_MS, run: expireJobs(deps) },
    { name: 'archive-saved-searches', schedule: '0 0 * * 0', periodMs: WEEK_MS, run: archiveSavedSearches(deps) },
  ];
  const { driftCheck } = deps;
  if (driftCheck) jobs.push({ name: 'drift-check', schedule: '*/5 * * * *', periodMs: 5 * MINUTE_MS, run: ({ now, signal }) => driftCheck(now, signal) });
  jobs.push(
    // Hourly: each saved search's own hour and weekday in its time zone decide which digests go out.
    { name: 'saved-search-digest', schedule: '0 * * * *', periodMs: HOUR_MS, run: ({ now, slot }) => (deps.digests ? deps.digests(now, slot) : Promise.resolve({ items: 0 })) },
    // Hourly, so that a reminder goes out within the hour its job comes 3 days from expiry; ids keep it to one per expiry.
    { name: 'remind-expiring-jobs', schedule: '30 * * * *', periodMs: HOUR_MS, run: ({ now }) => (deps.expiryReminders ? deps.expiryReminders(now) : Promise.resolve({ items: 0 })) },
    // Monday 08:00 UTC, about the seven UTC days before; ids name the week, so a rerun sends nothing twice.
    { name: 'weekly-summary', schedule: '0 8 * * 1', periodMs: WEEK_MS, run: ({ now }) => (deps.weeklySummaries ? deps.weeklySummaries(now) : Promise.resolve({ items: 0 })) },
    // Hourly, so that no key outlives its stated time by more than an hour.
    { name: 'purge-idempotency-keys', schedule: '15 * * * *', periodMs: HOUR_MS, run: ({ now }) => (deps.purgeIdempotencyKeys ? deps.purgeIdempotencyKeys(now) : Promise.resolve({ items: 0 })) },
  );
  return jobs;
}
