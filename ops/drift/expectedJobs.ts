import { jobStream } from '../../command/deciders/jobDecider.ts';
import { type OutsideStreamsReader, readsOutsideStreams } from '../../eventstore/encodedEvent.ts';
import type { EventStore, RecordedEvent } from '../../eventstore/port.ts';
import type { JobDocument } from '../../mappings/jobDocument.ts';
import { jobIdOf } from '../../projections/jobs/applyToJobDocument.ts';
import { businessIdOf } from '../../projections/jobs/businessProfiles.ts';
import { JobsFold } from '../../projections/jobs/jobsFold.ts';

const BATCH = 5000;
/** Most jobs one selective fold reads by stream (kilobytes of decoded events each, held until merged). */
export const SELECTIVE_MAX_JOBS = 20_000;
/**
 * Most selective folds of one check, each of SELECTIVE_MAX_JOBS jobs: each
 * reads the log outside job streams again (about an eighth of a log like the
 * seeded one), so past this many the whole log costs about as much.
 */
export const SELECTIVE_MAX_CHUNKS = 5;

export interface LogProgress {
  /** Log position read so far. */
  position: number;
  /** Where this read stops. */
  to: number;
}

type ReadPage = (after: number, maxCount: number) => Promise<RecordedEvent[]>;

/** Reads the log in (after, to], batch by batch (`read`: a reader of part of it, paged the same way). */
export async function readLog(
  store: EventStore,
  after: number,
  to: number,
  onBatch: (events: readonly RecordedEvent[]) => void,
  onProgress?: (p: LogProgress) => void,
  read: ReadPage = (at, maxCount) => store.readAll({ after: at, maxCount }),
): Promise<void> {
  let at = after;
  while (at < to) {
    const batch = await read(at, BATCH);
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
  options: {
    to: number;
    only?: ReadonlySet<string>;
    businesses?: ReadonlySet<string>;
    keep?: (jobId: string) => boolean;
    onProgress?: (p: LogProgress) => void;
    /** Jobs per selective fold (SELECTIVE_MAX_JOBS unless told). */
    chunkJobs?: number;
  },
): Promise<ExpectedJobs> {
  const { only, keep, businesses, chunkJobs = SELECTIVE_MAX_JOBS } = options;
  const wanted = only && keep ? [...only].filter(keep) : only && [...only];
  // A renamed business brings jobs no one listed, found only at their drafts: those need every job stream.
  if (wanted && wanted.length <= chunkJobs * SELECTIVE_MAX_CHUNKS && (businesses?.size ?? 0) === 0 && readsOutsideStreams(store)) {
    return foldInChunks(store, wanted, chunkJobs, options.to, options.onProgress);
  }
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

/**
 * The fold of some jobs SELECTIVE_MAX_JOBS at a time (their own events are
 * held until merged), one JobsFold per chunk; the documents add up. A
 * business profile event reaches every chunk's fold, so one that the fold
 * throws on is counted once, not once per chunk. A check past
 * SELECTIVE_MAX_JOBS jobs (a burst of writes between two checks) read the
 * whole log: two minutes of a core at 1M jobs beside the serving thread.
 */
async function foldInChunks(store: EventStore & OutsideStreamsReader, wanted: readonly string[], chunkJobs: number, to: number, onProgress?: (p: LogProgress) => void): Promise<ExpectedJobs> {
  const docs = new Map<string, JobDocument>();
  let jobPoison = 0;
  let profilePoison = 0;
  const chunks = Math.ceil(wanted.length / chunkJobs);
  for (let k = 0; k < chunks; k++) {
    const chunk = wanted.slice(k * chunkJobs, (k + 1) * chunkJobs);
    const members = new Set(chunk);
    const fold = new JobsFold((jobId) => members.has(jobId));
    // One progress over all chunks, as over one read of the log.
    await foldOnly(store, chunk, to, fold, onProgress && ((p) => onProgress({ position: Math.round((k * to + p.position) / chunks), to })));
    for (const [id, doc] of fold.docs) docs.set(id, doc);
    jobPoison += fold.poisonEvents - fold.profilePoisonEvents;
    profilePoison = fold.profilePoisonEvents;
  }
  return { docs, poisonEvents: jobPoison + profilePoison };
}

/**
 * The fold of some jobs without decoding every job's events: their own
 * streams, read one by one, merged in log order with the rest of the log
 * outside job streams (saves, applications, business profiles: what a job's
 * document takes from other streams). The same events reach the fold in the
 * same order as from the whole log, but the other jobs' own (the bulk of a
 * large log, which the fold would skip anyway), since a job stream holds the
 * events of its job only. An incremental check at 1M jobs read and decoded
 * 2.2M events to fold a few thousand jobs: over a minute of a core every five.
 */
async function foldOnly(store: EventStore & OutsideStreamsReader, only: readonly string[], to: number, fold: JobsFold, onProgress?: (p: LogProgress) => void): Promise<void> {
  const own: RecordedEvent[] = [];
  for (const id of only) for (const e of await store.readStream(jobStream(id))) if (e.position <= to) own.push(e);
  own.sort((a, b) => a.position - b.position);
  let next = 0;
  const prefix = jobStream('');
  await readLog(
    store,
    0,
    to,
    (events) => {
      for (const event of events) {
        for (; next < own.length && own[next]!.position < event.position; next++) fold.apply(own[next]!);
        fold.apply(event);
      }
    },
    onProgress,
    (after, maxCount) => store.readAllOutside(prefix, { after, maxCount }),
  );
  for (; next < own.length; next++) fold.apply(own[next]!);
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
