// Blue/green rebuild and rollback of a search-engine read model.
//
// rebuild: create `<alias>_v<N+1>` from the current mappings (no replicas,
// refresh off), fill it with the same projection code through a second
// runner that keeps its own checkpoint (`<projection>@v<N+1>`), restore the
// settings, catch up to the live projector, move every alias of the read
// model in ONE `_aliases` request, then catch up once more: until the swap
// the live projector wrote through the alias into the old index, and a batch
// it wrote between the last catch-up and the swap is only there. Documents
// are versioned by position, so applying an event twice is harmless.
// The old index stays, with its position recorded (`<projection>@v<N>`), for
// rollback, which brings it up to date the same way and moves the aliases back.
//
// Known window: the live projector runs in another process and is not paused.
// If it applies an event to the old index in the milliseconds between the last
// catch-up and the swap, and applies a later event to the same document right
// after the swap (reading the new index before the catch-up below re-applied
// the first one), that document misses the first event's change until the
// drift check repairs it. Queries never fail and never lose a document.

import type { EventStore } from '../../eventstore/port.ts';
import type { DeadLetterStore } from '../../projections/deadLetters.ts';
import { checkpointIndex } from '../../query/engine/engineJobSink.ts';
import { ProjectionRunner } from '../../projections/projectionRunner.ts';
import type { SearchClient } from '../../query/engine/searchClient.ts';
import { collectingDeadLetters } from './collectingDeadLetters.ts';
import { bulkLoadEngineVersion } from './bulkEngineLoad.ts';
import { countingProjection } from './countingProjection.ts';
import type { EngineReadModel, ReadModelName } from './engineReadModels.ts';
import { nextVersion, previousVersion, swapActions, versionCheckpointName, versionedName, versionOf, versionsOf } from './indexVersions.ts';

export interface RebuildProgress {
  phase: 'load' | 'catch-up' | 'swap' | 'after-swap';
  applied: number;
  head: number;
}

export interface RebuildOptions {
  client: SearchClient;
  store: EventStore;
  prefix: string;
  onProgress?: (p: RebuildProgress) => void;
  log?: (line: string) => void;
}

export interface RebuildSummary {
  readModel: ReadModelName;
  action: 'rebuild' | 'rollback';
  /** Position the new index set was filled from (0 for a rebuild, the stored one for a rollback). */
  from: number;
  /** Position the index set had applied when the command finished. */
  to: number;
  events: number;
  documents: number;
  seconds: number;
  /** The concrete indexes behind the aliases now. */
  index: string[];
  /** The indexes behind them before (kept). */
  previous: string[];
  version: number;
  previousVersion: number;
  deadLetters: number;
}

export interface VersionState {
  readModel: ReadModelName;
  /** The version behind the aliases (undefined when the aliases are missing). */
  current: number | undefined;
  versions: Array<{ version: number; indexes: string[]; position: number | undefined; live: boolean }>;
}

export class RebuildError extends Error {}

const checkpointDocName = (model: EngineReadModel, version: number): string => versionCheckpointName(model.projection, version);

async function readCheckpoint(client: SearchClient, prefix: string, name: string): Promise<number | undefined> {
  const doc = await client.get<{ position: number }>(checkpointIndex(prefix), name);
  return doc?._source.position;
}

async function writeCheckpoint(client: SearchClient, prefix: string, name: string, position: number): Promise<void> {
  await client.request({ method: 'PUT', path: `/${checkpointIndex(prefix)}/_doc/${encodeURIComponent(name)}`, body: { name, position, at: new Date().toISOString() } });
}

/** The version every alias of the read model points to; refuses a split or doubled alias. */
async function currentVersion(client: SearchClient, model: EngineReadModel, prefix: string): Promise<{ version: number; indexes: string[] } | undefined> {
  const versions = new Set<number>();
  const indexes: string[] = [];
  let missing = 0;
  for (const alias of model.aliases(prefix)) {
    const behind = Object.keys(await client.getAliases(alias));
    if (behind.length === 0) {
      missing++;
      continue;
    }
    if (behind.length > 1) throw new RebuildError(`alias ${alias} points to ${behind.length} indexes (${behind.join(', ')}); fix it by hand first`);
    const v = versionOf(alias, behind[0]!);
    if (v === undefined) throw new RebuildError(`alias ${alias} points to ${behind[0]!}, which is not a versioned index of it`);
    versions.add(v);
    indexes.push(behind[0]!);
  }
  if (missing === model.aliases(prefix).length) return undefined;
  if (missing > 0 || versions.size !== 1) throw new RebuildError(`the ${model.name} aliases point to different versions (${indexes.join(', ')}); roll them to one version by hand first`);
  return { version: [...versions][0]!, indexes };
}

async function allIndexes(client: SearchClient): Promise<string[]> {
  return Object.keys(await client.getAliases());
}

export async function describeVersions(client: SearchClient, model: EngineReadModel, prefix: string): Promise<VersionState> {
  const current = await currentVersion(client, model, prefix);
  const indexes = await allIndexes(client);
  const aliases = model.aliases(prefix);
  const all = new Set<number>();
  for (const a of aliases) for (const v of versionsOf(a, indexes)) all.add(v);
  const versions = [];
  for (const v of [...all].sort((a, b) => a - b)) {
    const live = v === current?.version;
    const position = live ? await readCheckpoint(client, prefix, model.projection) : await readCheckpoint(client, prefix, checkpointDocName(model, v));
    versions.push({ version: v, indexes: aliases.map((a) => versionedName(a, v)).filter((i) => indexes.includes(i)), position, live });
  }
  return { readModel: model.name, current: current?.version, versions };
}

async function waitUntil(runner: ProjectionRunner, position: number, phase: RebuildProgress['phase'], onProgress?: (p: RebuildProgress) => void): Promise<void> {
  for (;;) {
    if (await runner.waitFor(position, 500)) {
      onProgress?.({ phase, applied: runner.position, head: position });
      return;
    }
    const status = await runner.status();
    onProgress?.({ phase, applied: runner.position, head: position });
    if (status.state === 'stopped') throw new RebuildError(`the ${runner.name} projector stopped at ${runner.position}`);
  }
}

/**
 * Fills `target` (a version of the read model's indexes) from its stored
 * checkpoint to the live head, moves the aliases to it, and catches it up
 * again. Shared by rebuild (a fresh version) and rollback (a kept one).
 */
async function switchTo(
  model: EngineReadModel,
  opts: RebuildOptions,
  from: { version: number; indexes: string[] },
  to: number,
  action: RebuildSummary['action'],
  prepare?: (load: { targets: ReadonlyMap<string, string>; checkpointName: string; deadLetters: DeadLetterStore }) => Promise<number | void>,
): Promise<RebuildSummary> {
  const { client, store, prefix, onProgress } = opts;
  const started = Date.now();
  const aliases = model.aliases(prefix);
  const targets = new Map(aliases.map((a) => [a, versionedName(a, to)]));
  const checkpointName = checkpointDocName(model, to);
  const deadLetters = collectingDeadLetters();
  const projection = countingProjection(model.projectionInto(client, prefix, targets, checkpointName, deadLetters));
  const runner = new ProjectionRunner(store, projection, { batchSize: model.batchSize });
  // What prepare bulk-loaded (events folded) before the runner takes over from the checkpoint it stored.
  const loaded = (await prepare?.({ targets, checkpointName, deadLetters })) ?? 0;
  const startPosition = loaded > 0 ? 0 : await projection.checkpoint();
  await runner.start();
  try {
    await waitUntil(runner, await store.headPosition(), 'load', onProgress);
    // The live index's replicas, and the periodic refresh back: also on a rollback target a crashed rebuild may have left in load settings.
    const replicas = (await settingsOf(client, from.indexes[0]!)).number_of_replicas ?? '0';
    await putSettings(client, [...targets.values()], { number_of_replicas: Number(replicas), refresh_interval: null, 'translog.durability': null });
    // Up to what the live projector has stored: everything a read may rely on is in the new version.
    const live = await readCheckpoint(client, prefix, model.projection);
    await waitUntil(runner, Math.max(live ?? 0, await store.headPosition()), 'catch-up', onProgress);
    await client.refresh([...targets.values()]);
    // The old version holds at least what the live projector had stored before the swap: a rollback replays from there.
    const liveAtSwap = (await readCheckpoint(client, prefix, model.projection)) ?? 0;
    await writeCheckpoint(client, prefix, checkpointDocName(model, from.version), liveAtSwap);
    await client.updateAliases(swapActions(aliases.map((alias, i) => ({ alias, from: from.indexes[i], to: targets.get(alias)! }))));
    onProgress?.({ phase: 'swap', applied: runner.position, head: runner.position });
    await waitUntil(runner, await store.headPosition(), 'after-swap', onProgress);
    await client.refresh([...targets.values()]);
    // A live projector that never ran (or lags) would replay the log into the new version from its own checkpoint: that version already holds up to here.
    const liveAfter = await readCheckpoint(client, prefix, model.projection);
    if (liveAfter === undefined || liveAfter < runner.position) await writeCheckpoint(client, prefix, model.projection, runner.position);
  } finally {
    await runner.stop();
  }
  const documents = await client.count([...targets.values()]);
  return {
    readModel: model.name,
    action,
    from: startPosition,
    to: runner.position,
    events: loaded + projection.events,
    documents,
    seconds: Math.round((Date.now() - started) / 100) / 10,
    index: [...targets.values()],
    previous: from.indexes,
    version: to,
    previousVersion: from.version,
    deadLetters: deadLetters.letters.length,
  };
}

interface IndexSettings {
  number_of_replicas?: string;
  refresh_interval?: string;
}

async function settingsOf(client: SearchClient, index: string): Promise<IndexSettings> {
  const res = await client.request({ method: 'GET', path: `/${encodeURIComponent(index)}/_settings` });
  const body = res.body as Record<string, { settings?: { index?: IndexSettings } }>;
  return body[index]?.settings?.index ?? {};
}

async function putSettings(client: SearchClient, indexes: readonly string[], settings: Record<string, unknown>): Promise<void> {
  await client.request({ method: 'PUT', path: `/${indexes.map(encodeURIComponent).join(',')}/_settings`, body: { index: settings } });
}

/** Builds the next version of the read model from the log and moves its aliases to it. */
export async function rebuildEngineReadModel(model: EngineReadModel, opts: RebuildOptions): Promise<RebuildSummary> {
  const { client, prefix } = opts;
  const current = await currentVersion(client, model, prefix);
  if (!current) throw new RebuildError(`the ${model.name} read model has no index behind its aliases yet (start the service once to create it)`);
  const existing = await allIndexes(client);
  const next = Math.max(...model.aliases(prefix).map((a) => nextVersion(a, existing)));
  const created: string[] = [];
  const targets = model.aliases(prefix).map((a) => ({ alias: a, index: versionedName(a, next) }));
  try {
    return await switchTo(
      model,
      opts,
      current,
      next,
      'rebuild',
      async (load) => {
        for (const t of targets) {
          const def = model.definition(t.alias, prefix);
          // Bulk load: no replicas to copy to, no refresh per second, no fsync per request; all restored before the swap.
          await client.createIndex(t.index, { ...def, settings: { ...(def.settings ?? {}), number_of_replicas: 0, refresh_interval: '-1', 'translog.durability': 'async' } });
          created.push(t.index);
          opts.log?.(`created ${t.index}`);
        }
        // The whole log folded in memory and each document written once; the runner catches up from there.
        const bulk = await bulkLoadEngineVersion(model.name, { client, store: opts.store, prefix, ...load, ...(opts.onProgress ? { onProgress: opts.onProgress } : {}) });
        return bulk.events;
      },
    );
  } catch (err) {
    // A failed rebuild never moved the aliases (the swap is the last step that can fail before them): drop what it built.
    const behind = await currentVersion(client, model, prefix).catch(() => undefined);
    if (behind?.version === current.version && created.length > 0) {
      await client.deleteIndex(created, { ignoreMissing: true }).catch(() => undefined);
      await client.request({ method: 'DELETE', path: `/${checkpointIndex(prefix)}/_doc/${encodeURIComponent(checkpointDocName(model, next))}`, ignore: [404] }).catch(() => undefined);
    }
    throw err;
  }
}

/** Brings the previous version up to date and moves the aliases back to it. */
export async function rollbackEngineReadModel(model: EngineReadModel, opts: RebuildOptions): Promise<RebuildSummary> {
  const { client, prefix } = opts;
  const current = await currentVersion(client, model, prefix);
  if (!current) throw new RebuildError(`the ${model.name} read model has no index behind its aliases`);
  const existing = await allIndexes(client);
  const aliases = model.aliases(prefix);
  const candidates = aliases.map((a) => previousVersion(a, existing, current.version));
  const previous = candidates[0];
  if (previous === undefined || candidates.some((c) => c !== previous)) {
    throw new RebuildError(`no complete previous version of ${model.name} below v${current.version} to roll back to`);
  }
  return switchTo(model, opts, current, previous, 'rollback');
}
