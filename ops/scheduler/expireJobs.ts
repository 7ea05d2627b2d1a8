import { execute } from '../../command/execute.ts';
import { CommandError } from '../../command/commandError.ts';
import { jobDecider, jobStream } from '../../command/deciders/jobDecider.ts';
import type { Actor } from '../../eventstore/events/index.ts';
import type { EventStore } from '../../eventstore/port.ts';
import type { JobRunContext, JobRunResult } from './scheduledJob.ts';
import { yieldEvery } from '../support/yieldEvery.ts';

/** The read store's side of the sweep (both job read stores implement it). */
export interface ExpiredJobFinder {
  /** Open jobs whose expiresAt is at or before `now`, ordered by jobId, after `afterJobId`. */
  expiredOpenJobIds(now: Date, size: number, afterJobId?: string): Promise<string[]>;
}

export const isExpiredJobFinder = (store: object): store is ExpiredJobFinder =>
  typeof (store as Partial<ExpiredJobFinder>).expiredOpenJobIds === 'function';

export const schedulerActor: Actor = { role: 'system', sub: 'scheduler' };

export interface ExpireLimits {
  pageSize?: number;
  /** Most candidates one run looks at; the next run takes the rest. */
  maxJobs?: number;
}

/**
 * Closes every open job past its expiry with `ExpireJob` through the decider,
 * so its rules hold: the read model only nominates candidates, and one that the
 * log says is closed, reopened with a later expiry or already expired (the read
 * model lags the log) is refused by the decider and skipped.
 */
export function expireJobs(deps: { store: EventStore; jobs: object }, { pageSize = 200, maxJobs = 100_000 }: ExpireLimits = {}) {
  return async ({ now, slot, signal }: JobRunContext): Promise<JobRunResult> => {
    const finder = deps.jobs;
    if (!isExpiredJobFinder(finder)) throw new Error('this jobs read store cannot list expired jobs');
    const correlationId = `scheduler:expire-jobs:${slot.toISOString()}`;
    let expired = 0;
    let seen = 0;
    let after: string | undefined;
    // A job the decider refuses appends nothing, and a refusal never waits on a commit: queries get a turn regardless.
    const pause = yieldEvery();
    while (seen < maxJobs && !signal.aborted) {
      const ids = await finder.expiredOpenJobIds(now, Math.min(pageSize, maxJobs - seen), after);
      for (const jobId of ids) {
        if (signal.aborted) break;
        await pause();
        if (await expireOne(deps.store, jobId, now, correlationId)) expired++;
      }
      seen += ids.length;
      const last = ids.at(-1);
      if (last === undefined || ids.length < pageSize) break;
      after = last;
    }
    return { items: expired };
  };
}

async function expireOne(store: EventStore, jobId: string, now: Date, correlationId: string): Promise<boolean> {
  try {
    const result = await execute({
      store,
      streamId: jobStream(jobId),
      id: jobId,
      decider: jobDecider,
      command: { type: 'ExpireJob', jobId, now: now.toISOString() },
      ctx: { actor: schedulerActor, correlationId, now },
    });
    return result.appended > 0;
  } catch (err) {
    if (err instanceof CommandError && (err.code === 'job_not_expirable' || err.code === 'job_not_found')) return false;
    throw err;
  }
}
