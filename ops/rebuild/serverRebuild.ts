// Server mode: rebuild or roll back the read models in the search engine,
// one at a time, under a Redis lease so two operators never move the same
// aliases at once.
import type { EventStore } from '../../eventstore/port.ts';
import { connectSearch } from '../../query/engine/connect.ts';
import type { Config } from '../config.ts';
import { redisLeaderLock } from '../leaderLock.ts';
import type { ReadModelName } from './engineReadModels.ts';
import { engineReadModels } from './engineReadModels.ts';
import type { RebuildProgress, RebuildSummary, VersionState } from './engineRebuild.ts';
import { describeVersions, RebuildError, rebuildEngineReadModel, rollbackEngineReadModel } from './engineRebuild.ts';

export type RebuildAction = 'rebuild' | 'rollback';

export async function runServerRebuild(
  config: Config,
  store: EventStore,
  action: RebuildAction,
  models: readonly ReadModelName[],
  hooks: { onProgress?: (model: ReadModelName, p: RebuildProgress) => void; log?: (line: string) => void } = {},
): Promise<RebuildSummary[]> {
  if (!config.SEARCH_URL) throw new RebuildError('SEARCH_URL is not set');
  const prefix = config.SEARCH_PREFIX;
  const lock = config.REDIS_URL ? redisLeaderLock(config.REDIS_URL) : undefined;
  const lease = lock ? await lock.tryAcquire(`rebuild:${prefix}`) : undefined;
  if (lock && !lease) {
    await lock.close();
    throw new RebuildError('another rebuild or rollback of these read models is running');
  }
  const client = await connectSearch(config.SEARCH_URL);
  try {
    const one = (name: ReadModelName) => {
      const model = engineReadModels[name];
      const opts = { client, store, prefix, onProgress: (p: RebuildProgress) => hooks.onProgress?.(name, p), ...(hooks.log ? { log: hooks.log } : {}) };
      return action === 'rebuild' ? rebuildEngineReadModel(model, opts) : rollbackEngineReadModel(model, opts);
    };
    // The read models own disjoint aliases and checkpoints: rebuilt side by side, the fold of one overlaps the other's bulk writes.
    // Every one runs to its end (a failed one cleans up after itself) before a failure is reported.
    const settled = await Promise.allSettled(models.map(one));
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    return settled.map((s) => (s as PromiseFulfilledResult<RebuildSummary>).value);
  } finally {
    await client.close();
    await lease?.release();
    await lock?.close();
  }
}

export async function serverVersions(config: Config, models: readonly ReadModelName[]): Promise<VersionState[]> {
  if (!config.SEARCH_URL) throw new RebuildError('SEARCH_URL is not set');
  const client = await connectSearch(config.SEARCH_URL);
  try {
    const out: VersionState[] = [];
    for (const name of models) out.push(await describeVersions(client, engineReadModels[name], config.SEARCH_PREFIX));
    return out;
  } finally {
    await client.close();
  }
}
