// Worker-thread entry of a parallel embedded rebuild: builds one read
// model's next version file (see bulkEmbeddedBuild.ts) with its own
// connection to the log, and reports progress and the result to the parent.
import { parentPort, workerData } from 'node:worker_threads';
import type { EventStoreConfig } from '../../eventstore/openEventStore.ts';
import { openEventStore } from '../../eventstore/openEventStore.ts';
import { bulkBuildEmbeddedVersion } from './bulkEmbeddedBuild.ts';
import type { ReadModelName } from './engineReadModels.ts';
import type { BuildWorkerData, BuildWorkerMessage } from './buildVersionInWorker.ts';
import { lowerThisThreadPriority } from '../support/threadPriority.ts';

// In a serving process (an in-process rebuild) its queries go first when the cores are busy; on idle cores the build runs at full speed.
lowerThisThreadPriority();

const data = workerData as BuildWorkerData;
const post = (m: BuildWorkerMessage) => parentPort!.postMessage(m);

async function main(model: ReadModelName, config: EventStoreConfig): Promise<void> {
  const store = await openEventStore(config);
  try {
    let last = 0;
    const result = await bulkBuildEmbeddedVersion(data.dir, store, model, data.version, (p) => {
      // Throttled: a message per progress tick of the fold is plenty.
      const now = Date.now();
      if (now - last < 200 && p.applied < p.head) return;
      last = now;
      post({ type: 'progress', progress: p });
    });
    post({ type: 'done', result });
  } finally {
    await store.close();
  }
}

main(data.model, data.eventStore).catch((err: unknown) => post({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) }));
