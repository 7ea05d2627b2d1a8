import { workerDecider, workerStream } from '../../command/deciders/workerDecider.ts';
import { foldStream } from '../../command/execute.ts';
import type { WorkerProfile } from '../../eventstore/events/index.ts';
import type { EventStore } from '../../eventstore/port.ts';

/**
 * A worker's profile folded from its own stream, for the reads that score a
 * worker: the log always has the latest profile, a read model might not yet.
 */
export function workerProfileOf(store: Pick<EventStore, 'readStream'>): (workerId: string) => Promise<WorkerProfile | undefined> {
  return async (workerId) => foldStream(workerDecider, await store.readStream(workerStream(workerId))).profile ?? undefined;
}
