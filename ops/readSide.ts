import { join, resolve } from 'node:path';
import type { EventStore } from '../eventstore/port.ts';
import type { DeadLetter, DeadLetterStore } from '../projections/deadLetters.ts';
import type { RunnerStatus } from '../projections/projectionRunner.ts';
import { openPostgresDeadLetters, openSqliteDeadLetters } from '../projections/deadLetters.ts';
import { embeddedJobSink } from '../query/embedded/embeddedJobSink.ts';
import { engineJobSink } from '../query/engine/engineJobSink.ts';
import type { JobDocumentSink } from '../projections/jobs/jobsProjection.ts';
import { jobsProjection } from '../projections/jobs/jobsProjection.ts';
import { ProjectionRunner } from '../projections/projectionRunner.ts';
import { connectSearch } from '../query/engine/connect.ts';
import { createEngineJobStore } from '../query/engine/engineJobStore.ts';
import type { ReadProgress } from '../query/http/readProgress.ts';
import type { JobReadStore } from '../query/model/readStore.ts';
import type { Config } from './config.ts';
import type { ReadinessCheck } from './http/buildApp.ts';
import type { LeaderLock } from './leaderLock.ts';
import { runWhileLeading } from './leadership.ts';
import type { CandidateSource } from '../query/match/recommend.ts';
import { engineCandidates } from '../query/match/recommendEngine.ts';
// --- list read models (applications, saved_jobs, saved_searches) ---
import type { ListSink, ListStores } from '../query/lists/keyedStore.ts';
import { listsCheckpoint, openEngineLists, slowestProgress } from '../query/lists/listsWiring.ts';
import { listsProjection } from '../projections/lists/listsProjection.ts';
import { openEmbeddedReadModels, type EmbeddedReadModels } from './rebuild/embeddedReadModels.ts';
import { bulkBuildEmptyReadModels } from './rebuild/bulkCatchUp.ts';
import { eventStoreConfigOf } from './runtime.ts';

export interface ReadSide {
  jobs: JobReadStore;
  progress: ReadProgress;
  runner?: ProjectionRunner;
  /** The per-owner lists (applications, saved jobs, saved searches) and their projector. */
  lists: ListStores;
  listsRunner?: ProjectionRunner;
  readiness: ReadinessCheck[];
  /** Server mode: recommendation candidates ranked by the engine's script_score (embedded: the store's search). */
  matchCandidates?: CandidateSource;
  /** Checkpoint, lag, state and dead letters of each projection (state `stopped` when its projector runs elsewhere or not at all). */
  status(): Promise<Array<RunnerStatus & { deadLettered: DeadLetter[] }>>;
  /** Lists another projector of this process (the notification outbox's) in `status`, with its dead letters from the same store. */
  follow(runner: ProjectionRunner): void;
  /** Embedded mode: the swappable read models (blue/green rebuild and rollback in this process). */
  embeddedReadModels?: EmbeddedReadModels;
  /** Resolves once the projector has applied the log up to the head at the time of the call. */
  catchUp(onProgress?: (applied: number, head: number) => void): Promise<void>;
  close(): Promise<void>;
}

/** Follows a checkpoint the projector role stores elsewhere (stateless query nodes). */
function pollingProgress(sink: Pick<JobDocumentSink, 'checkpoint'>, everyMs = 250): ReadProgress & { stop(): void } {
  let current = 0;
  let inFlight: Promise<void> | undefined;
  // Every waiting read shares one checkpoint read at a time, so many
  // concurrent minPosition reads do not multiply the engine round trips.
  const refresh = (): Promise<void> =>
    (inFlight ??= sink
      .checkpoint()
      .then((c) => {
        current = Math.max(current, c);
      })
      .finally(() => {
        inFlight = undefined;
      }));
  void refresh().catch(() => undefined);
  const timer = setInterval(() => void refresh().catch(() => undefined), everyMs);
  timer.unref();
  return {
    position: () => current,
    async waitFor(position, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        await refresh().catch(() => undefined);
        if (current >= position) return true;
        if (Date.now() >= deadline) return false;
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    stop: () => clearInterval(timer),
  };
}

/**
 * The read models and their projector for the configured mode: embedded
 * (in-memory indexes persisted in SQLite, projector in-process) or server
 * (the search engine; the projector runs where `runProjector` says).
 */
export interface ReadSideOptions {
  /** Run the projector in this process (embedded mode, roles `all` and `projector`). */
  runProjector: boolean;
  /** Server mode: only the holder of the read model's lease projects; the others stand by. */
  lock?: LeaderLock;
  log?: (line: string) => void;
}

export async function openReadSide(config: Config, store: EventStore, { runProjector, lock, log = () => undefined }: ReadSideOptions): Promise<ReadSide> {
  let sink: JobDocumentSink;
  let jobs: JobReadStore;
  let deadLetters: DeadLetterStore;
  let listSink: ListSink;
  let matchCandidates: CandidateSource | undefined;
  let embeddedModels: EmbeddedReadModels | undefined;
  const closers: Array<() => Promise<void> | void> = [];
  const readiness: ReadinessCheck[] = [];
  if (config.JOBS_MODE === 'embedded' || !config.SEARCH_URL) {
    const dir = resolve(config.DATA_DIR);
    if (runProjector && !lock && config.BULK_CATCH_UP_EVENTS > 0) {
      // A read side starting from nothing is folded in bulk first; the projector then goes on from the checkpoint the build stored.
      await bulkBuildEmptyReadModels(dir, eventStoreConfigOf(config), await store.headPosition(), { log, minEvents: config.BULK_CATCH_UP_EVENTS });
    }
    // The current version of each read model (read-models.json), behind proxies a blue/green rebuild swaps in-process.
    const embedded = await openEmbeddedReadModels(dir);
    embeddedModels = embedded;
    closers.push(() => embedded.close());
    jobs = embedded.jobs;
    sink = embeddedJobSink(embedded.jobs);
    deadLetters = openSqliteDeadLetters(join(dir, 'projections.db'));
    listSink = embedded.lists;
  } else {
    const client = await connectSearch(config.SEARCH_URL);
    closers.push(() => client.close());
    const engine = createEngineJobStore(client, { prefix: config.SEARCH_PREFIX });
    await engine.ensureIndex();
    jobs = engine;
    matchCandidates = engineCandidates(client, engine.alias);
    sink = engineJobSink(client, engine, { prefix: config.SEARCH_PREFIX });
    listSink = await openEngineLists(client, config.SEARCH_PREFIX);
    deadLetters = config.DATABASE_URL ? await openPostgresDeadLetters(config.DATABASE_URL, `${config.DATABASE_SCHEMA_PREFIX}_projections`) : openSqliteDeadLetters(join(resolve(config.DATA_DIR), 'projections.db'));
    readiness.push({ name: 'searchEngine', check: async () => void (await client.info()) });
  }
  closers.push(() => deadLetters.close());
  closers.push(() => listSink.close());

  let runner: ProjectionRunner | undefined;
  let listsRunner: ProjectionRunner | undefined;
  const stopLeading = new AbortController();
  if (runProjector) {
    runner = new ProjectionRunner(store, jobsProjection(sink, deadLetters), { batchSize: 1000 });
    // Most events do not touch a list: big batches keep a catch-up from being paced by refreshes.
    listsRunner = new ProjectionRunner(store, listsProjection(listSink, deadLetters), { batchSize: 5000 });
  }
  for (const r of [runner, listsRunner]) {
    if (!r) continue;
    if (!lock) {
      await r.start();
    } else {
      // Stand by until this process holds the lease; project while it holds it.
      void runWhileLeading(lock, `projector:${r.name}:${config.SEARCH_PREFIX}`, r, stopLeading.signal, { log, label: `projector ${r.name}` });
    }
  }
  embeddedModels?.attach(store, { ...(runner ? { jobs: runner } : {}), ...(listsRunner ? { lists: listsRunner } : {}) }, eventStoreConfigOf(config));
  // Embedded: the projector is in this process and signals each batch. Server:
  // reads follow the checkpoint the active projector stores beside the documents.
  let progress: ReadProgress;
  if (runner && listsRunner && !lock && config.JOBS_MODE === 'embedded') {
    // The slowest runner bounds what every read may rely on.
    progress = slowestProgress([runner, listsRunner].map((r) => ({ position: () => r.position, waitFor: (p: number, t: number) => r.waitFor(p, t) })));
  } else {
    const polling = pollingProgress({ checkpoint: async () => Math.min(await sink.checkpoint(), await listsCheckpoint(listSink)) });
    closers.push(() => polling.stop());
    progress = polling;
  }

  const followed: ProjectionRunner[] = [];
  return {
    jobs,
    progress,
    ...(runner ? { runner } : {}),
    lists: listSink,
    ...(listsRunner ? { listsRunner } : {}),
    readiness,
    ...(matchCandidates ? { matchCandidates } : {}),
    ...(embeddedModels ? { embeddedReadModels: embeddedModels } : {}),
    follow(r) {
      followed.push(r);
    },
    async status() {
      // From the stored checkpoints, so it also answers where the projector runs in another process.
      const [head, letters] = await Promise.all([store.headPosition(), deadLetters.list()]);
      const projections = [
        { name: 'jobs', runner, checkpoint: () => sink.checkpoint() },
        { name: 'lists', runner: listsRunner, checkpoint: () => listsCheckpoint(listSink) },
        ...followed.map((r) => ({ name: r.name, runner: r, checkpoint: () => Promise.resolve(r.position) })),
      ];
      return Promise.all(
        projections.map(async (p) => {
          const deadLettered = letters.filter((l) => l.projection === p.name);
          if (p.runner) return { ...(await p.runner.status()), deadLettered: deadLettered.slice(-20) };
          const checkpoint = await p.checkpoint();
          return {
            name: p.name,
            state: 'stopped' as const,
            checkpoint,
            head,
            lagEvents: Math.max(0, head - checkpoint),
            lagSeconds: 0,
            deadLetters: deadLettered.length,
            deadLettered: deadLettered.slice(-20),
          };
        }),
      );
    },
    async catchUp(onProgress) {
      const head = await store.headPosition();
      for (;;) {
        if (await progress.waitFor(head, 1000)) return;
        onProgress?.(progress.position(), head);
      }
    },
    async close() {
      stopLeading.abort();
      await runner?.stop();
      await listsRunner?.stop();
      for (const close of closers.reverse()) await close();
    },
  };
}
