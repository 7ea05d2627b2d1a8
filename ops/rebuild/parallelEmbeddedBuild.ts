// `rebuild-index --read-model all` in embedded mode without a serving
// process: each read model is built in its own worker thread (a core each),
// reading the log through its own connection; the parent only waits and then
// points read-models.json at the new versions, one model after the other,
// each pointer write a whole-file rename (never two writers at once).
import { eventStoreConfigOf } from '../runtime.ts';
import type { Config } from '../config.ts';
import { resolve } from 'node:path';
import type { BulkBuildResult } from './bulkEmbeddedBuild.ts';
import { removeBuilding } from './bulkEmbeddedBuild.ts';
import { bulkSummary, targetVersion } from './embeddedReadModels.ts';
import type { RebuildProgress, RebuildSummary } from './engineRebuild.ts';
import type { ReadModelName } from './engineReadModels.ts';
import { readPointer, removeEmbeddedVersion, writePointer } from './embeddedVersions.ts';
import { buildVersionInWorker } from './buildVersionInWorker.ts';

/** Builds the next version of each model in parallel and switches read-models.json to them once all are built. */
export async function rebuildEmbeddedFilesInParallel(
  config: Config,
  models: readonly ReadModelName[],
  onProgress?: (model: ReadModelName, p: RebuildProgress) => void,
): Promise<RebuildSummary[]> {
  const dir = resolve(config.DATA_DIR);
  const started = Date.now();
  const pointer = readPointer(dir);
  const plan = models.map((model) => ({ model, current: pointer[model], version: targetVersion(dir, model, pointer[model], 'rebuild') }));
  for (const p of plan) removeEmbeddedVersion(dir, p.model, p.version);
  const eventStore = eventStoreConfigOf(config);
  const settled = await Promise.allSettled(plan.map((p) => buildVersionInWorker({ dir, model: p.model, version: p.version, eventStore }, (progress) => onProgress?.(p.model, progress))));
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    // Nothing was switched: drop every version this run built (the live ones are untouched).
    for (const p of plan) {
      removeBuilding(dir, p.model, p.version);
      removeEmbeddedVersion(dir, p.model, p.version);
    }
    throw failed.reason;
  }
  const out: RebuildSummary[] = [];
  plan.forEach((p, i) => {
    const built = (settled[i] as PromiseFulfilledResult<BulkBuildResult>).value;
    writePointer(dir, { ...readPointer(dir), [p.model]: p.version });
    onProgress?.(p.model, { phase: 'swap', applied: built.position, head: built.position });
    out.push(bulkSummary(built, started, p.version, p.current));
  });
  return out;
}
