import type { EventStore, RecordedEvent } from '../../eventstore/port.ts';
import type { JobDocument } from '../../mappings/jobDocument.ts';
import { jobIdOf } from '../../projections/jobs/applyToJobDocument.ts';
import { businessIdOf } from '../../projections/jobs/businessProfiles.ts';
import { JobsFold } from '../../projections/jobs/jobsFold.ts';

const BATCH = 5000;

export interface LogProgress {
  /** Log position read so far. */
  position: number;
  /** Where this read stops. */
  to: number;
}

/** Reads the log in (after, to], batch by batch. */
export async function readLog(store: EventStore, after: number, to: number, onBatch: (events: readonly RecordedEvent[]) => void, onProgress?: (p: LogProgress) => void): Promise<void> {
  let at = after;
  while (at < to) {
    const batch = await store.readAll({ after: at, maxCount: BATCH });
    if (batch.length === 0) break;
    const within = batch.filter((e) => e.position <= to);
    onBatch(within);
    at = batch[batch.length - 1]!.position;
    onProgress?.({ position: Math.min(at, to), to });
    if (within.length < batch.length) break;
  }
}

export interface ExpectedJobs {
  /** The document the projector would hold for each job after applying the log up to `to`. */
  docs: Map<string, JobDocument>;
  /** Events the fold threw on: the projector dead-letters these and goes on without them, and so does the fold. */
  poisonEvents: number;
}

/**
 * Folds the log up to `to` through the projector's own pure functions
 * (JobsFold), so the expected documents are exactly what the projector
 * writes. Keeps one document per job (the latest), nothing per event; `only`
 * narrows the fold to some jobs (incremental checks) and `businesses` adds
 * every job of those businesses (a profile change renames them all), `keep`
 * to the jobs it accepts (one pass of a check in passes): events of other
 * jobs are skipped before any state is built for them.
 */
export async function foldExpectedJobs(
  store: EventStore,
  options: { to: number; only?: ReadonlySet<string>; businesses?: ReadonlySet<string>; keep?: (jobId: string) => boolean; onProgress?: (p: LogProgress) => void },
): Promise<ExpectedJobs> {
  const { only, keep, businesses } = options;
  const fold = new JobsFold(
    only || keep ? (jobId, businessId) => (!keep || keep(jobId)) && (!only || only.has(jobId) || businesses?.has(businessId) === true) : undefined,
  );
  await readLog(
    store,
    0,
    options.to,
    (events) => {
      for (const event of events) fold.apply(event);
    },
    options.onProgress,
  );
  return { docs: fold.docs, poisonEvents: fold.poisonEvents };
}

/** Jobs that events in (after, to] touch, and the businesses whose profile they change (which renames their jobs). */
export async function jobsTouched(store: EventStore, after: number, to: number, onProgress?: (p: LogProgress) => void): Promise<{ jobs: Set<string>; businesses: Set<string> }> {
  const ids = new Set<string>();
  const businesses = new Set<string>();
  await readLog(
    store,
    after,
    to,
    (events) => {
      for (const e of events) {
        const id = jobIdOf(e);
        if (id !== undefined) ids.add(id);
        const business = businessIdOf(e);
        if (business !== undefined) businesses.add(business);
      }
    },
    onProgress,
  );
  return { jobs: ids, businesses };
}
