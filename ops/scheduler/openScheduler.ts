import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { EventStore } from '../../eventstore/port.ts';
import type { Config } from '../config.ts';
import type { RunGuard } from './runGuard.ts';
import { inProcessRunGuard, redisRunGuard } from './runGuard.ts';
import type { RunLog } from './runLog.ts';
import { openPostgresRunLog, openSqliteRunLog } from './runLog.ts';
import type { Scheduler } from './scheduler.ts';
import { createScheduler } from './scheduler.ts';
import type { ScheduledJobDeps } from './scheduledJobs.ts';
import { scheduledJobs } from './scheduledJobs.ts';

export interface RunningScheduler extends Scheduler {
  readonly runs: RunLog;
  /** Stops the scheduler and closes its run log and guard. */
  close(): Promise<void>;
}

export interface OpenSchedulerOptions {
  store: EventStore;
  reads: Pick<ScheduledJobDeps, 'jobs' | 'lists'>;
  driftCheck?: ScheduledJobDeps['driftCheck'];
  digests?: ScheduledJobDeps['digests'];
  expiryReminders?: ScheduledJobDeps['expiryReminders'];
  purgeIdempotencyKeys?: ScheduledJobDeps['purgeIdempotencyKeys'];
  weeklySummaries?: ScheduledJobDeps['weeklySummaries'];
  lastAlertOf?: ScheduledJobDeps['lastAlertOf'];
  clock?: () => Date;
  log?: (line: string) => void;
}

/**
 * The scheduler the configuration describes. Server mode: runs claimed in
 * Redis (once across instances) and recorded in PostgreSQL beside the dead
 * letters; without REDIS_URL or DATABASE_URL it falls back to the embedded
 * choices (in-process claims, DATA_DIR/scheduler.db), which only hold for one
 * instance. Not started: call start() to arm the timers.
 */
export async function openScheduler(config: Config, { store, reads, driftCheck, digests, expiryReminders, purgeIdempotencyKeys, weeklySummaries, lastAlertOf, clock, log }: OpenSchedulerOptions): Promise<RunningScheduler> {
  const server = config.JOBS_MODE === 'server';
  let runs: RunLog;
  if (server && config.DATABASE_URL) {
    runs = await openPostgresRunLog(config.DATABASE_URL, `${config.DATABASE_SCHEMA_PREFIX}_projections`);
  } else {
    const dir = resolve(config.DATA_DIR);
    mkdirSync(dir, { recursive: true });
    runs = openSqliteRunLog(join(dir, 'scheduler.db'));
  }
  const guard: RunGuard = server && config.REDIS_URL ? redisRunGuard(config.REDIS_URL, { prefix: config.DATABASE_SCHEMA_PREFIX }) : inProcessRunGuard();
  const scheduler = createScheduler({
    jobs: scheduledJobs({ store, jobs: reads.jobs, lists: reads.lists, ...(driftCheck ? { driftCheck } : {}), ...(digests ? { digests } : {}), ...(expiryReminders ? { expiryReminders } : {}), ...(purgeIdempotencyKeys ? { purgeIdempotencyKeys } : {}), ...(weeklySummaries ? { weeklySummaries } : {}), ...(lastAlertOf ? { lastAlertOf } : {}) }),
    guard,
    runs,
    ...(clock ? { clock } : {}),
    ...(log ? { log } : {}),
  });
  let closing: Promise<void> | undefined;
  return {
    ...scheduler,
    runs,
    close: () =>
      (closing ??= (async () => {
        await scheduler.stop();
        await guard.close();
        await runs.close();
      })()),
  };
}
