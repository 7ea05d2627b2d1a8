import type { EventStore, RecordedEvent } from '../../eventstore/port.ts';
import type { JobDocument } from '../../mappings/jobDocument.ts';
import { applyToJobDocument, jobIdOf } from '../../projections/jobs/applyToJobDocument.ts';

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
 * Folds the log up to `to` through the projector's own pure function, so the
 * expected documents are exactly what the projector writes. Keeps one
 * document per job (the latest), nothing per event; `only` narrows the fold
 * to some jobs (incremental checks), `keep` to the jobs it accepts (one pass
 * of a check in passes): events of other jobs are skipped before any state is
 * built for them.
 */
export async function foldExpectedJobs(
  store: EventStore,
  options: { to: number; only?: ReadonlySet<string>; keep?: (jobId: string) => boolean; onProgress?: (p: LogProgress) => void },
): Promise<ExpectedJobs> {
  const docs = new Map<string, JobDocument>();
  let poisonEvents = 0;
  const { only, keep } = options;
  await readLog(
    store,
    0,
    options.to,
    (events) => {
      for (const event of events) {
        const id = jobIdOf(event);
        if (id === undefined || (only && !only.has(id)) || (keep && !keep(id))) continue;
        let next: JobDocument | undefined;
        try {
          next = applyToJobDocument(docs.get(id), event);
        } catch {
          poisonEvents++;
          continue;
        }
        if (next) docs.set(id, next);
      }
    },
    options.onProgress,
  );
  return { docs, poisonEvents };
}

/** Jobs that events in (after, to] touch. */
export async function jobsTouched(store: EventStore, after: number, to: number, onProgress?: (p: LogProgress) => void): Promise<Set<string>> {
  const ids = new Set<string>();
  await readLog(
    store,
    after,
    to,
    (events) => {
      for (const e of events) {
        const id = jobIdOf(e);
        if (id !== undefined) ids.add(id);
      }
    },
    onProgress,
  );
  return ids;
}
