// Server-mode rebuild, the fast way: before the runner of
// engineRebuild.ts takes over, fold the whole log in memory with the
// projection code the live projector runs and bulk-write each final document
// ONCE into the new (not yet aliased) indexes, two bulk requests in flight,
// instead of an _mget and a bulk per batch of events. Then store the new
// version's checkpoint at the fold's position: the runner catches up from
// there exactly as before. Documents are versioned by position, so the
// catch-up re-applying an event is harmless.
import type { EventStore } from '../../eventstore/port.ts';
import type { JobDocument } from '../../mappings/jobDocument.ts';
import { jobsAliasName } from '../../mappings/jobsIndex.ts';
import { businessesAliasName } from '../../mappings/businessesIndex.ts';
import type { ListModelName } from '../../mappings/listIndexes.ts';
import { listAliasName } from '../../mappings/listIndexes.ts';
import type { DeadLetterStore } from '../../projections/deadLetters.ts';
import { jobsProjection } from '../../projections/jobs/jobsProjection.ts';
import { listsProjection } from '../../projections/lists/listsProjection.ts';
import { checkpointIndex } from '../../query/engine/engineJobSink.ts';
import { createEngineJobStore } from '../../query/engine/engineJobStore.ts';
import type { SearchClient } from '../../query/engine/searchClient.ts';
import { openEngineListStores } from '../../query/lists/engineListStore.ts';
import type { KeyedDocStore, Positioned, StoredEntry } from '../../query/lists/keyedStore.ts';
import { foldToHead, SPILL_DOCS } from './bulkEmbeddedBuild.ts';
import { spillingJobSink } from './spillingJobSink.ts';
import type { RebuildProgress } from './engineRebuild.ts';
import type { ReadModelName } from './engineReadModels.ts';
import { memoryListSink } from './memorySinks.ts';

/** Documents per bulk request (~5 MB of job documents). */
export const ENGINE_BULK_DOCS = 2_000;
/** Bulk requests in flight at once. */
export const ENGINE_BULKS_IN_FLIGHT = 2;

const LIST_MODELS: readonly ListModelName[] = ['applications', 'saved_jobs', 'saved_searches', 'job_stats'];

/** Runs `work` over the chunks with at most `inFlight` at once, in order of start. */
async function pooled<T>(items: readonly T[], size: number, inFlight: number, work: (chunk: T[]) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const chunk = items.slice(next, next + size);
      next += size;
      await work(chunk);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
}

export interface EngineBulkLoad {
  position: number;
  events: number;
  documents: number;
}

/**
 * Fills the concrete indexes `targets` (alias → index) of a fresh version
 * from the whole log and stores its checkpoint `checkpointName`.
 */
export async function bulkLoadEngineVersion(
  model: ReadModelName,
  opts: { client: SearchClient; store: EventStore; prefix: string; targets: ReadonlyMap<string, string>; checkpointName: string; deadLetters: DeadLetterStore; onProgress?: (p: RebuildProgress) => void },
): Promise<EngineBulkLoad> {
  const { client, prefix, targets } = opts;
  const targetOf = (alias: string): string => {
    const t = targets.get(alias);
    if (t === undefined) throw new Error(`no target index for alias ${alias}`);
    return t;
  };
  let fold: { position: number; events: number };
  let documents = 0;
  if (model === 'jobs') {
    const index = targetOf(jobsAliasName(prefix));
    const businesses = targetOf(businessesAliasName(prefix));
    const jobs = createEngineJobStore(client, { prefix, alias: index, index, refresh: false, bulkDocs: ENGINE_BULK_DOCS, businesses: { alias: businesses, index: businesses } });
    const sink = spillingJobSink(
      {
        write: (docs) => pooled(docs, ENGINE_BULK_DOCS, ENGINE_BULKS_IN_FLIGHT, (chunk) => jobs.putJobs(chunk, { refresh: false })),
        writeBusinesses: (docs) => pooled(docs, ENGINE_BULK_DOCS, ENGINE_BULKS_IN_FLIGHT, (chunk) => jobs.businesses.put(chunk, { refresh: false })),
        remove: (removed) => jobs.removeJobs(removed, { refresh: false }),
        async read(ids) {
          // _mget is real-time: it sees the spilled documents without a refresh.
          const res = await client.request({ method: 'POST', path: `/${encodeURIComponent(index)}/_mget`, body: { ids: [...ids] } });
          const out = new Map<string, JobDocument>();
          for (const d of (res.body as { docs: Array<{ _id: string; found: boolean; _source?: JobDocument }> }).docs) if (d.found && d._source) out.set(d._id, d._source);
          return out;
        },
      },
      SPILL_DOCS,
    );
    fold = await foldToHead(opts.store, jobsProjection(sink, opts.deadLetters), opts.onProgress);
    await sink.flush();
    documents = sink.documents;
  } else {
    const sink = memoryListSink();
    fold = await foldToHead(opts.store, listsProjection(sink, opts.deadLetters), opts.onProgress);
    const stores = openEngineListStores(client, { prefix, refresh: false, targets: Object.fromEntries(LIST_MODELS.map((m) => [m, targetOf(listAliasName(m, prefix))])) });
    const write = async <D extends Positioned>(store: KeyedDocStore<D>, entries: Map<string, StoredEntry<D>>) => {
      const all = [...entries.values()];
      for (const e of all) if (e.doc !== undefined) documents++;
      // Tombstones too, as the live store keeps them.
      await pooled(all, ENGINE_BULK_DOCS, ENGINE_BULKS_IN_FLIGHT, (chunk) => store.write(chunk));
    };
    await write(stores.applications, sink.applications.entries);
    await write(stores.savedJobs, sink.savedJobs.entries);
    await write(stores.savedSearches, sink.savedSearches.entries);
    await write(stores.jobStats, sink.jobStats.entries);
  }
  await client.request({
    method: 'PUT',
    path: `/${checkpointIndex(prefix)}/_doc/${encodeURIComponent(opts.checkpointName)}`,
    body: { name: opts.checkpointName, position: fold.position, at: new Date().toISOString() },
  });
  return { position: fold.position, events: fold.events, documents };
}
