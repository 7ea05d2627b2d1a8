// How ops/readSide.ts opens the list read models and folds their projector
// into the read progress (kept here so readSide only gains a few lines).
import type { EventStore } from '../../eventstore/port.ts';
import type { DeadLetterStore } from '../../projections/deadLetters.ts';
import { LISTS_PROJECTION, listsProjection } from '../../projections/lists/listsProjection.ts';
import { ProjectionRunner } from '../../projections/projectionRunner.ts';
import type { SearchClient } from '../engine/searchClient.ts';
import type { ReadProgress } from '../http/readProgress.ts';
import { openEmbeddedListStores } from './embeddedListStore.ts';
import { openEngineListStores } from './engineListStore.ts';
import type { ListSink } from './keyedStore.ts';

/** Embedded: the lists in their own SQLite file (`<dataDir>/lists.db`). */
export function openEmbeddedLists(path: string): ListSink {
  return openEmbeddedListStores(path);
}

/** Server: one index per list model behind `<prefix><model>`, created when missing. */
export async function openEngineLists(client: SearchClient, prefix: string): Promise<ListSink> {
  const stores = openEngineListStores(client, { prefix });
  await stores.ensureIndexes();
  return stores;
}

/** Starts the lists projector (its own checkpoint and runner). */
export async function startListsRunner(store: EventStore, sink: ListSink, deadLetters: DeadLetterStore): Promise<ProjectionRunner> {
  const runner = new ProjectionRunner(store, listsProjection(sink, deadLetters), { batchSize: 1000 });
  await runner.start();
  return runner;
}

/** The lists projection's stored checkpoint (what a stateless query node polls). */
export const listsCheckpoint = (sink: ListSink): Promise<number> => sink.checkpoint(LISTS_PROJECTION);

/** Progress of several read models: the slowest one's position; waiting waits for all. */
export function slowestProgress(parts: readonly ReadProgress[]): ReadProgress {
  return {
    position: () => Math.min(...parts.map((p) => p.position())),
    async waitFor(position, timeoutMs) {
      const results = await Promise.all(parts.map((p) => p.waitFor(position, timeoutMs)));
      return results.every(Boolean);
    },
  };
}
