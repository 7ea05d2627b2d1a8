// Embedded rebuild without a serving process, the fast way: fold
// the whole log in memory with the projection code the live projector runs
// (each event decoded once, no store read per batch), then write every final
// document ONCE into the new version's file, in large transactions.
//
// The file is built under a name no version lookup matches
// (`<file>.building`) and renamed to the version's name only when complete
// and closed, so a crash mid-load leaves the live version untouched and no
// half-built version a later rollback could pick; the next rebuild discards
// the leftover. The checkpoint is stored with the documents, so a service
// that opens the new version catches it up from there.
import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { EventStore } from '../../eventstore/port.ts';
import type { DeadLetterStore } from '../../projections/deadLetters.ts';
import { JOBS_PROJECTION, jobsProjection } from '../../projections/jobs/jobsProjection.ts';
import { LISTS_PROJECTION, listsProjection } from '../../projections/lists/listsProjection.ts';
import type { Projection } from '../../projections/projection.ts';
import { ProjectionRunner } from '../../projections/projectionRunner.ts';
import { openEmbeddedJobStore } from '../../query/embedded/embeddedJobStore.ts';
import { openEmbeddedListStores } from '../../query/lists/embeddedListStore.ts';
import type { ListChanges, StoredEntry } from '../../query/lists/keyedStore.ts';
import { DRIFT_MARKER } from '../drift/driftTarget.ts';
import { collectingDeadLetters } from './collectingDeadLetters.ts';
import { countingProjection } from './countingProjection.ts';
import type { RebuildProgress } from './engineRebuild.ts';
import type { ReadModelName } from './engineReadModels.ts';
import { embeddedFileName } from './embeddedVersions.ts';
import { memoryListSink } from './memorySinks.ts';
import { spillingJobSink } from './spillingJobSink.ts';

/** Events per fold batch: large, since no store is read or written per batch. */
export const FOLD_BATCH = 10_000;
/** Documents per write transaction while loading the file. */
export const LOAD_CHUNK = 5_000;
/** Most job documents a fold holds in memory before it writes them out (bounds the memory of a large rebuild). */
export const SPILL_DOCS = 200_000;

/** The database, its journal files and (jobs) the persisted segments beside it: all built under the building name, all renamed. */
const SQLITE_SUFFIXES = ['', '-wal', '-shm', '-journal', '.segments', '.segments.tmp'] as const;

export interface BulkBuildResult {
  readModel: ReadModelName;
  /** Log position the file holds (its stored checkpoint). */
  position: number;
  events: number;
  documents: number;
  deadLetters: number;
}

export const buildingPath = (dir: string, model: ReadModelName, version: number): string => `${join(dir, embeddedFileName(model, version))}.building`;

/** Removes a half-built file of the version (left by a crashed build). */
export function removeBuilding(dir: string, model: ReadModelName, version: number): void {
  const path = buildingPath(dir, model, version);
  for (const s of SQLITE_SUFFIXES) rmSync(`${path}${s}`, { force: true });
}

/** Folds the log from the start up to its head (read when the fold starts) through `projection`. */
export async function foldToHead(store: EventStore, projection: Projection, onProgress?: (p: RebuildProgress) => void): Promise<{ position: number; events: number }> {
  const counted = countingProjection(projection);
  const runner = new ProjectionRunner(store, counted, { batchSize: FOLD_BATCH });
  const head = await store.headPosition();
  await runner.start();
  try {
    while (!(await runner.waitFor(head, 500))) {
      onProgress?.({ phase: 'load', applied: runner.position, head });
      const status = await runner.status();
      if (status.state === 'stopped') throw new Error(`the ${runner.name} fold stopped at ${runner.position}`);
    }
  } finally {
    await runner.stop();
  }
  onProgress?.({ phase: 'load', applied: runner.position, head });
  return { position: runner.position, events: counted.events };
}

function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

/** Folds the log into the jobs file: documents held in memory, written once each (or spilled, past SPILL_DOCS). */
async function buildJobs(
  path: string,
  store: EventStore,
  deadLetters: DeadLetterStore,
  spillDocs: number,
  onProgress?: (p: RebuildProgress) => void,
): Promise<{ position: number; events: number; documents: number }> {
  // The in-memory indexes are kept by the writes (each document once, rarely twice) and saved as segments when it closes, so the service's open takes them instead of loading every row again.
  const jobs = await openEmbeddedJobStore({ path, docCacheSize: 0, bulkLoad: true });
  try {
    const sink = spillingJobSink(
      {
        async write(docs) {
          for (const chunk of chunks(docs, LOAD_CHUNK)) await jobs.putJobs(chunk);
        },
        writeBusinesses: (docs) => jobs.putBusinesses(docs),
        remove: (removed) => jobs.removeJobs(removed),
        async read(ids) {
          const found = await jobs.getJobs(ids);
          return new Map(found.flatMap((d) => (d ? [[d.jobId, d] as const] : [])));
        },
      },
      spillDocs,
    );
    const fold = await foldToHead(store, jobsProjection(sink, deadLetters), onProgress);
    await sink.flush();
    // The checkpoint last: a file that has it holds every document up to it.
    await jobs.setCheckpoint(JOBS_PROJECTION, fold.position);
    // Built by the fold the drift check replays, so checked up to here by construction: the scheduled check
    // starts from this marker instead of comparing every document at its first run (at 1M jobs, a quarter of
    // an hour of a core); the daily full check still compares them all.
    await jobs.setCheckpoint(DRIFT_MARKER, fold.position);
    return { ...fold, documents: sink.documents };
  } finally {
    jobs.close();
  }
}

async function loadLists(path: string, changes: Required<ListChanges>, position: number): Promise<number> {
  const lists = openEmbeddedListStores(path);
  try {
    const empty = { applications: [], savedJobs: [], savedSearches: [], jobStats: [] };
    const models = Object.keys(empty) as Array<keyof typeof empty>;
    // Tombstones too: the live store keeps them (they stop a replayed older event from resurrecting a document).
    for (const m of models) {
      for (const chunk of chunks(changes[m] as StoredEntry<unknown>[], LOAD_CHUNK)) await lists.commit({ ...empty, [m]: chunk }, LISTS_PROJECTION, 0);
    }
    await lists.commit(empty, LISTS_PROJECTION, position);
    let documents = 0;
    for (const m of models) for (const e of changes[m] as StoredEntry<unknown>[]) if (e.doc !== undefined) documents++;
    return documents;
  } finally {
    await lists.close();
  }
}

/**
 * Builds version `version` of the read model from the whole log into its file
 * (which must not exist). Throws, leaving no file of that version, on failure.
 */
export async function bulkBuildEmbeddedVersion(
  dir: string,
  store: EventStore,
  model: ReadModelName,
  version: number,
  onProgress?: (p: RebuildProgress) => void,
  { spillDocs = SPILL_DOCS }: { spillDocs?: number } = {},
): Promise<BulkBuildResult> {
  const building = buildingPath(dir, model, version);
  const final = join(dir, embeddedFileName(model, version));
  if (existsSync(final)) throw new Error(`${final} already exists`);
  removeBuilding(dir, model, version);
  const deadLetters = collectingDeadLetters();
  try {
    let fold: { position: number; events: number };
    let documents: number;
    if (model === 'jobs') {
      ({ documents, ...fold } = await buildJobs(building, store, deadLetters, spillDocs, onProgress));
    } else {
      const sink = memoryListSink();
      fold = await foldToHead(store, listsProjection(sink, deadLetters), onProgress);
      const changes = {
        applications: [...sink.applications.entries.values()],
        savedJobs: [...sink.savedJobs.entries.values()],
        savedSearches: [...sink.savedSearches.entries.values()],
        jobStats: [...sink.jobStats.entries.values()],
      };
      documents = await loadLists(building, changes, fold.position);
    }
    // Closed above (its WAL folded into the file): only now does it become the version.
    for (const s of SQLITE_SUFFIXES) if (existsSync(`${building}${s}`)) renameSync(`${building}${s}`, `${final}${s}`);
    return { readModel: model, position: fold.position, events: fold.events, documents, deadLetters: deadLetters.letters.length };
  } catch (err) {
    removeBuilding(dir, model, version);
    throw err;
  }
}
