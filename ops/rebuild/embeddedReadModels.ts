// Embedded mode: the serving process holds each read model in memory (the
// jobs indexes) or in an open SQLite file (the lists), so a rebuild must swap
// the store the process uses, not an alias. The read side opens its stores
// through this holder, which hands out proxies that always forward to the
// current store; a swap reassigns the store between two queries (JavaScript
// runs one at a time), so no query ever sees a half-built or closed store.
//
// switchTo: open the target version's file (fresh for a rebuild, the kept
// one for a rollback), fill it with the same projection code up to the head
// while the live projector goes on (a rebuild first folds the log in bulk in
// a worker thread, bulkEmbeddedBuild.ts, when the holder knows the log's
// configuration, and fills only what came after), stop the live projector (its in-flight
// batch finishes), catch the target up, swap, record the version in
// `read-models.json`, and restart the live projector, which resumes from the
// target's own checkpoint. The old store is closed after a grace period (a
// query that began on it may still be running) and its file kept for rollback.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { EventStoreConfig } from '../../eventstore/openEventStore.ts';
import type { EventStore } from '../../eventstore/port.ts';
import type { DeadLetterStore } from '../../projections/deadLetters.ts';
import { embeddedJobSink } from '../../query/embedded/embeddedJobSink.ts';
import { jobsProjection } from '../../projections/jobs/jobsProjection.ts';
import { listsProjection } from '../../projections/lists/listsProjection.ts';
import type { Projection } from '../../projections/projection.ts';
import { ProjectionRunner } from '../../projections/projectionRunner.ts';
import type { EmbeddedJobStore } from '../../query/embedded/embeddedJobStore.ts';
import { openEmbeddedJobStore } from '../../query/embedded/embeddedJobStore.ts';
import type { ListSink } from '../../query/lists/keyedStore.ts';
import { openEmbeddedLists } from '../../query/lists/listsWiring.ts';
import type { BulkBuildResult } from './bulkEmbeddedBuild.ts';
import { bulkBuildEmbeddedVersion, removeBuilding } from './bulkEmbeddedBuild.ts';
import { buildVersionInWorker } from './buildVersionInWorker.ts';
import { collectingDeadLetters } from './collectingDeadLetters.ts';
import { countingProjection } from './countingProjection.ts';
import type { RebuildProgress, RebuildSummary, VersionState } from './engineRebuild.ts';
import { RebuildError } from './engineRebuild.ts';
import type { ReadModelName } from './engineReadModels.ts';
import { embeddedFileName, embeddedVersions, readPointer, removeEmbeddedVersion, writePointer } from './embeddedVersions.ts';

type Store = EmbeddedJobStore | ListSink;

interface Opened<S extends Store> {
  store: S;
  projection(deadLetters: DeadLetterStore): Projection;
  documents(): Promise<number>;
  close(): Promise<void>;
}

async function openJobsVersion(dir: string, version: number): Promise<Opened<EmbeddedJobStore>> {
  const store = await openEmbeddedJobStore({ path: join(dir, embeddedFileName('jobs', version)) });
  return {
    store,
    projection: (dl) => jobsProjection(embeddedJobSink(store), dl),
    documents: () => store.count(),
    close: async () => store.close(),
  };
}

function openListsVersion(dir: string, version: number): Opened<ListSink> {
  const path = join(dir, embeddedFileName('lists', version));
  const store = openEmbeddedLists(path);
  return {
    store,
    projection: (dl) => listsProjection(store, dl),
    documents: () => Promise.resolve(countListDocuments(path)),
    close: () => store.close(),
  };
}

/** Stored list documents (tombstones excluded), read from the file. */
function countListDocuments(path: string): number {
  const db = new Database(path, { readonly: true });
  try {
    let n = 0;
    for (const t of ['applications', 'saved_jobs', 'saved_searches', 'job_stats']) {
      const row = db.prepare(`SELECT count(*) AS n FROM "${t}" WHERE doc IS NOT NULL`).get() as { n: number } | undefined;
      n += row?.n ?? 0;
    }
    return n;
  } finally {
    db.close();
  }
}

const openVersion = async (dir: string, model: ReadModelName, version: number): Promise<Opened<Store>> =>
  model === 'jobs' ? openJobsVersion(dir, version) : openListsVersion(dir, version);

/** A proxy that forwards every property to whatever `current()` returns now (methods bound to it). */
function forwarding<T extends object>(initial: T, current: () => T): T {
  return new Proxy(initial, {
    get(_target, prop) {
      const target = current();
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
    has: (_target, prop) => Reflect.has(current(), prop),
  });
}

export type RebuildAction = 'rebuild' | 'rollback';

/** Lets queued work (queries) run after each batch: the SQLite log and store answer synchronously, so a catch-up would otherwise hold the event loop until it ends. */
function yielding(inner: Projection): Projection {
  return {
    name: inner.name,
    checkpoint: () => inner.checkpoint(),
    deadLetter: (event, error) => inner.deadLetter(event, error),
    async apply(events) {
      await inner.apply(events);
      await new Promise<void>((resolve) => setImmediate(resolve));
    },
  };
}

/**
 * Fills a version from its own checkpoint to the head: the building block of
 * both paths below. In the serving process, smaller batches with a yield
 * between them keep queries answered while it runs.
 */
async function fill(store: EventStore, opened: Opened<Store>, model: ReadModelName, onProgress?: (p: RebuildProgress) => void, inProcess = false) {
  const deadLetters = collectingDeadLetters();
  const projection = countingProjection(inProcess ? yielding(opened.projection(deadLetters)) : opened.projection(deadLetters));
  const batchSize = (model === 'jobs' ? 1000 : 5000) / (inProcess ? 4 : 1);
  const runner = new ProjectionRunner(store, projection, { batchSize });
  const from = await projection.checkpoint();
  await runner.start();
  const until = async (position: number, phase: RebuildProgress['phase']) => {
    while (!(await runner.waitFor(position, 500))) onProgress?.({ phase, applied: runner.position, head: position });
    onProgress?.({ phase, applied: runner.position, head: position });
  };
  await until(await store.headPosition(), 'load');
  return { runner, projection, from, deadLetters, until };
}

export function targetVersion(dir: string, model: ReadModelName, current: number, action: RebuildAction): number {
  const versions = embeddedVersions(dir, model);
  if (action === 'rebuild') return Math.max(current, ...versions) + 1;
  const previous = versions.filter((v) => v < current).at(-1);
  if (previous === undefined) throw new RebuildError(`no previous version of ${model} below v${current} to roll back to`);
  return previous;
}

/**
 * Without a serving process (`jobsctl rebuild-index` on the data directory):
 * builds or catches up the target file and points `read-models.json` at it.
 * A service running on the same directory keeps its open store until its next
 * start, which opens the new version and catches it up from its checkpoint.
 */
export async function switchEmbeddedFiles(dir: string, store: EventStore, action: RebuildAction, model: ReadModelName, onProgress?: (p: RebuildProgress) => void): Promise<RebuildSummary> {
  const started = Date.now();
  const pointer = readPointer(dir);
  const current = pointer[model];
  const to = targetVersion(dir, model, current, action);
  if (action === 'rebuild') {
    removeEmbeddedVersion(dir, model, to);
    const built = await bulkBuildEmbeddedVersion(dir, store, model, to, onProgress);
    writePointer(dir, { ...readPointer(dir), [model]: to });
    onProgress?.({ phase: 'swap', applied: built.position, head: built.position });
    return bulkSummary(built, started, to, current);
  }
  const opened = await openVersion(dir, model, to);
  try {
    const run = await fill(store, opened, model, onProgress);
    await run.runner.stop();
    writePointer(dir, { ...readPointer(dir), [model]: to });
    onProgress?.({ phase: 'swap', applied: run.runner.position, head: run.runner.position });
    return summary(model, action, run, await opened.documents(), started, to, current);
  } catch (err) {
    await opened.close().catch(() => undefined);
    throw err;
  } finally {
    await opened.close().catch(() => undefined);
  }
}

/** The summary of a bulk build (a rebuild: from the start of the log). */
export function bulkSummary(built: BulkBuildResult, started: number, to: number, from: number): RebuildSummary {
  return {
    readModel: built.readModel,
    action: 'rebuild',
    from: 0,
    to: built.position,
    events: built.events,
    documents: built.documents,
    seconds: Math.round((Date.now() - started) / 100) / 10,
    index: [embeddedFileName(built.readModel, to)],
    previous: [embeddedFileName(built.readModel, from)],
    version: to,
    previousVersion: from,
    deadLetters: built.deadLetters,
  };
}

function summary(model: ReadModelName, action: RebuildAction, run: Awaited<ReturnType<typeof fill>>, documents: number, started: number, to: number, from: number): RebuildSummary {
  return {
    readModel: model,
    action,
    from: run.from,
    to: run.runner.position,
    events: run.projection.events,
    documents,
    seconds: Math.round((Date.now() - started) / 100) / 10,
    index: [embeddedFileName(model, to)],
    previous: [embeddedFileName(model, from)],
    version: to,
    previousVersion: from,
    deadLetters: run.deadLetters.letters.length,
  };
}

export interface EmbeddedReadModels {
  /** The jobs store reads and the projector go through (always the current version). */
  readonly jobs: EmbeddedJobStore;
  /** The lists, likewise. */
  readonly lists: ListSink;
  /**
   * The live projectors, stopped and restarted around a swap. With the log's
   * configuration, a rebuild folds the log in bulk in a worker thread (this
   * thread keeps answering queries) and only catches up here.
   */
  attach(store: EventStore, runners: Partial<Record<ReadModelName, ProjectionRunner>>, eventStore?: EventStoreConfig): void;
  /** Rebuilds (or rolls back) one read model in this process and swaps it in. */
  switchTo(action: RebuildAction, model: ReadModelName, onProgress?: (p: RebuildProgress) => void): Promise<RebuildSummary>;
  versions(): VersionState[];
  close(): Promise<void>;
}

/** Opens the current version of each embedded read model (as `read-models.json` names it). */
export async function openEmbeddedReadModels(dir: string, { graceMs = 5000 } = {}): Promise<EmbeddedReadModels> {
  const pointer = readPointer(dir);
  const live: { jobs: Opened<EmbeddedJobStore>; lists: Opened<ListSink> } = {
    jobs: await openJobsVersion(dir, pointer.jobs),
    lists: openListsVersion(dir, pointer.lists),
  };
  const retired = new Set<Opened<Store>>();
  const timers = new Set<NodeJS.Timeout>();
  let eventStore: EventStore | undefined;
  let eventStoreConfig: EventStoreConfig | undefined;
  let runners: Partial<Record<ReadModelName, ProjectionRunner>> = {};
  let busy = false;
  let closed = false;
  const jobs = forwarding(live.jobs.store, () => live.jobs.store);
  const lists = forwarding(live.lists.store, () => live.lists.store);

  const retire = (opened: Opened<Store>) => {
    retired.add(opened);
    const timer = setTimeout(() => {
      timers.delete(timer);
      retired.delete(opened);
      void opened.close().catch(() => undefined);
    }, graceMs);
    timer.unref();
    timers.add(timer);
  };

  return {
    jobs,
    lists,
    attach(store, r, config) {
      eventStore = store;
      runners = r;
      eventStoreConfig = config;
    },
    async switchTo(action, model, onProgress) {
      if (!eventStore) throw new RebuildError('the read models have no projector in this process');
      if (busy) throw new RebuildError('a rebuild or rollback is already running');
      busy = true;
      const started = Date.now();
      try {
        const current = readPointer(dir)[model];
        const to = targetVersion(dir, model, current, action);
        if (action === 'rebuild') removeEmbeddedVersion(dir, model, to);
        let built: BulkBuildResult | undefined;
        if (action === 'rebuild' && eventStoreConfig) {
          try {
            built = await buildVersionInWorker({ dir, model, version: to, eventStore: eventStoreConfig }, onProgress);
          } catch (err) {
            removeBuilding(dir, model, to);
            removeEmbeddedVersion(dir, model, to);
            throw err;
          }
        }
        // A bulk-built jobs version opens from the segments the build saved; the catch-up below starts at its checkpoint.
        const opened = await openVersion(dir, model, to);
        let swapped = false;
        try {
          const run = await fill(eventStore, opened, model, onProgress, true);
          const liveRunner = runners[model];
          // The live projector writes through the proxy: stop it so no batch straddles the swap.
          await liveRunner?.stop();
          try {
            await run.until(await eventStore.headPosition(), 'catch-up');
            await run.runner.stop();
            const old = live[model] as Opened<Store>;
            if (model === 'jobs') live.jobs = opened as Opened<EmbeddedJobStore>;
            else live.lists = opened as Opened<ListSink>;
            swapped = true;
            writePointer(dir, { ...readPointer(dir), [model]: to });
            onProgress?.({ phase: 'swap', applied: run.runner.position, head: run.runner.position });
            retire(old);
          } finally {
            // Resumes from the checkpoint of whichever store is current now.
            await liveRunner?.start();
          }
          const done = summary(model, action, run, await opened.documents(), started, to, current);
          return built ? { ...done, from: 0, events: built.events + done.events, deadLetters: built.deadLetters + done.deadLetters } : done;
        } catch (err) {
          if (!swapped) {
            await opened.close().catch(() => undefined);
            if (action === 'rebuild') removeEmbeddedVersion(dir, model, to);
          }
          throw err;
        }
      } finally {
        busy = false;
      }
    },
    versions() {
      const pointer = readPointer(dir);
      return (['jobs', 'lists'] as const).map((m) => ({
        readModel: m,
        current: pointer[m],
        versions: embeddedVersions(dir, m).map((v) => ({ version: v, indexes: [embeddedFileName(m, v)], position: undefined, live: v === pointer[m] })),
      }));
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const t of timers) clearTimeout(t);
      for (const o of retired) await o.close().catch(() => undefined);
      await live.jobs.close();
      await live.lists.close();
    },
  };
}
