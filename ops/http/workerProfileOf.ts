import { type WorkerState, workerDecider, workerStream } from '../../command/deciders/workerDecider.ts';
import { foldStream } from '../../command/execute.ts';
import type { WorkerEvent, WorkerProfile } from '../../eventstore/events/index.ts';
import type { EventStore, RecordedEvent } from '../../eventstore/port.ts';

/** Workers whose folded stream is kept (a few KB each at most). */
const DEFAULT_CACHED_WORKERS = 10_000;

/**
 * A worker's profile folded from its own stream, for the reads that score a
 * worker: the log always has the latest profile, a read model might not yet.
 * The folded state of recently asked workers is kept with the revision it
 * reached, and each call reads only the events after it: decoding a stream's
 * events again on every match or recommendation cost more than the answer's
 * own work at times. The log still decides, so a change made by any process
 * counts at the next call.
 */
export function workerProfileOf(
  store: Pick<EventStore, 'readStream'>,
  { cachedWorkers = DEFAULT_CACHED_WORKERS }: { cachedWorkers?: number } = {},
): (workerId: string) => Promise<WorkerProfile | undefined> {
  const folded = new Map<string, { revision: number; state: WorkerState }>();
  const keep = (workerId: string, entry: { revision: number; state: WorkerState }): void => {
    folded.delete(workerId);
    folded.set(workerId, entry);
    if (folded.size > cachedWorkers) folded.delete(folded.keys().next().value!);
  };
  return async (workerId) => {
    const known = folded.get(workerId);
    const events = await store.readStream(workerStream(workerId), known ? { fromRevision: known.revision + 1 } : undefined);
    const last = events.at(-1);
    if (last === undefined) {
      if (known) keep(workerId, known);
      return known?.state.profile ?? undefined;
    }
    const state = known ? foldOnto(known.state, events) : foldStream(workerDecider, events);
    // Calls run side by side: the one that read further is kept.
    if ((folded.get(workerId)?.revision ?? -1) < last.revision) keep(workerId, { revision: last.revision, state });
    return state.profile ?? undefined;
  };
}

/** `events` of a worker's stream folded onto the state its earlier events reached. */
function foldOnto(state: WorkerState, events: readonly RecordedEvent[]): WorkerState {
  return events.reduce((s, e) => workerDecider.evolve(s, e as unknown as WorkerEvent), state);
}
