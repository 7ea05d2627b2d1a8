// One read model's version file built by bulkBuildEmbeddedVersion in a
// worker thread of its own (bulkBuildWorker.ts), with its own connection to
// the log: the calling thread only waits, so a serving process keeps
// answering queries, and two models build on two cores.
import type { EventStoreConfig } from '../../eventstore/openEventStore.ts';
import { siblingModule, startWorker } from '../support/typescriptWorker.ts';
import type { BulkBuildResult } from './bulkEmbeddedBuild.ts';
import type { RebuildProgress } from './engineRebuild.ts';
import type { ReadModelName } from './engineReadModels.ts';

export interface BuildWorkerData {
  dir: string;
  model: ReadModelName;
  version: number;
  eventStore: EventStoreConfig;
}

export type BuildWorkerMessage = { type: 'progress'; progress: RebuildProgress } | { type: 'done'; result: BulkBuildResult } | { type: 'error'; message: string };

/** Builds one read model's version file (bulkBuildEmbeddedVersion) in a worker thread of its own. */
export function buildVersionInWorker(data: BuildWorkerData, onProgress?: (p: RebuildProgress) => void): Promise<BulkBuildResult> {
  const entry = siblingModule(import.meta.url, 'bulkBuildWorker');
  return new Promise((resolvePromise, reject) => {
    let settled = false;
    // A larger young generation (the fold allocates short-lived objects per event and field) and room for a large log's lists.
    const worker = startWorker(entry, { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: 96, maxOldGenerationSizeMb: 8192 } });
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
      void worker.terminate();
    };
    worker.on('message', (m: BuildWorkerMessage) => {
      if (m.type === 'progress') onProgress?.(m.progress);
      else if (m.type === 'done') settle(() => resolvePromise(m.result));
      else settle(() => reject(new Error(`building ${data.model} failed: ${m.message}`)));
    });
    worker.on('error', (err) => settle(() => reject(err)));
    worker.on('exit', (code) => settle(() => reject(new Error(`the ${data.model} build worker exited with code ${code} before finishing`))));
  });
}
