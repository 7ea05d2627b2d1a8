// `replay`: one projection over a position range, folded in memory with the
// projection code the live projector runs, written to an NDJSON file or to a
// fresh index outside every alias. Documents need every earlier event, so
// the fold always starts at the beginning of the log; `from` selects the
// documents last changed in (from, to], the view "as of `to`" of what that
// range touched (from 0: the whole view as of `to`).
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { EventStore, RecordedEvent } from '../../eventstore/port.ts';
import type { JobDocument } from '../../mappings/jobDocument.ts';
import { jobsIndexDefinition } from '../../mappings/jobsIndex.ts';
import type { ListModelName } from '../../mappings/listIndexes.ts';
import { listIndexDefinition } from '../../mappings/listIndexes.ts';
import { jobsProjection } from '../../projections/jobs/jobsProjection.ts';
import { listsProjection } from '../../projections/lists/listsProjection.ts';
import type { Projection } from '../../projections/projection.ts';
import { ProjectionRunner } from '../../projections/projectionRunner.ts';
import { createEngineJobStore } from '../../query/engine/engineJobStore.ts';
import type { SearchClient } from '../../query/engine/searchClient.ts';
import { openEngineListStores } from '../../query/lists/engineListStore.ts';
import type { StoredEntry } from '../../query/lists/keyedStore.ts';
import { collectingDeadLetters } from './collectingDeadLetters.ts';
import type { ReadModelName } from './engineReadModels.ts';
import { memoryJobSink, memoryListSink } from './memorySinks.ts';

/** One NDJSON line: the read model's document, keyed as its store keys it. */
export interface ReplayRecord {
  model: 'jobs' | ListModelName;
  key: string;
  position: number;
  doc: unknown;
}

export interface ReplayOptions {
  projection: ReadModelName;
  from: number;
  /** Inclusive; clamped to the log head. */
  to?: number;
  onProgress?: (applied: number, to: number) => void;
}

export interface ReplayResult {
  from: number;
  to: number;
  events: number;
  records: ReplayRecord[];
  deadLetters: number;
}

/** Applies only events up to `to` (the runner may hand it a batch that goes past it). */
function upTo(inner: Projection, to: number, counter: { events: number }): Projection {
  return {
    name: inner.name,
    checkpoint: () => inner.checkpoint(),
    deadLetter: (event, error) => (event.position <= to ? inner.deadLetter(event, error) : Promise.resolve()),
    async apply(events: readonly RecordedEvent[]) {
      const inRange = events.filter((e) => e.position <= to);
      if (inRange.length === 0) return;
      await inner.apply(inRange);
      counter.events += inRange.length;
    },
  };
}

const byModelThenKey = (a: ReplayRecord, b: ReplayRecord): number => (a.model < b.model ? -1 : a.model > b.model ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

function listRecords<D>(model: ListModelName, entries: Map<string, StoredEntry<D>>, from: number): ReplayRecord[] {
  const out: ReplayRecord[] = [];
  // Tombstones are how a store forgets a document, not documents.
  for (const e of entries.values()) if (e.doc !== undefined && e.position > from) out.push({ model, key: e.key, position: e.position, doc: e.doc });
  return out;
}

export async function replayProjection(store: EventStore, options: ReplayOptions): Promise<ReplayResult> {
  const head = await store.headPosition();
  const to = Math.min(options.to ?? head, head);
  const from = options.from;
  const counter = { events: 0 };
  const deadLetters = collectingDeadLetters();
  let collect: () => ReplayRecord[];
  let projection: Projection;
  let batchSize: number;
  if (options.projection === 'jobs') {
    const sink = memoryJobSink();
    projection = jobsProjection(sink, deadLetters);
    batchSize = 1000;
    collect = () => [...sink.docs.values()].filter((d) => d.position > from).map((d) => ({ model: 'jobs' as const, key: d.jobId, position: d.position, doc: d }));
  } else {
    const sink = memoryListSink();
    projection = listsProjection(sink, deadLetters);
    batchSize = 5000;
    collect = () => [
      ...listRecords('applications', sink.applications.entries, from),
      ...listRecords('saved_jobs', sink.savedJobs.entries, from),
      ...listRecords('saved_searches', sink.savedSearches.entries, from),
      ...listRecords('job_stats', sink.jobStats.entries, from),
    ];
  }
  if (to > 0) {
    const runner = new ProjectionRunner(store, upTo(projection, to, counter), { batchSize });
    await runner.start();
    try {
      while (!(await runner.waitFor(to, 500))) options.onProgress?.(runner.position, to);
    } finally {
      await runner.stop();
    }
  }
  options.onProgress?.(to, to);
  return { from, to, events: counter.events, records: collect().sort(byModelThenKey), deadLetters: deadLetters.letters.length };
}

/** One record per line; resolves once the file is flushed. */
export async function writeNdjson(path: string, records: readonly ReplayRecord[]): Promise<void> {
  const out = createWriteStream(path, { flags: 'wx' });
  await once(out, 'open');
  for (const r of records) {
    if (!out.write(`${JSON.stringify(r)}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** The concrete index names `replay --index NAME` writes: NAME for jobs, `NAME_<model>` per list model. */
export function replayIndexNames(projection: ReadModelName, name: string): Map<'jobs' | ListModelName, string> {
  if (projection === 'jobs') return new Map([['jobs', name]]);
  return new Map((['applications', 'saved_jobs', 'saved_searches', 'job_stats'] as const).map((m) => [m, `${name}_${m}`]));
}

export class ReplayTargetExistsError extends Error {}

/** Writes the records into fresh indexes (refused when one exists: a replay never overwrites a live or kept index). */
export async function writeToIndex(client: SearchClient, projection: ReadModelName, name: string, records: readonly ReplayRecord[]): Promise<string[]> {
  const names = replayIndexNames(projection, name);
  for (const index of names.values()) {
    if (await client.indexExists(index)) throw new ReplayTargetExistsError(`${index} already exists (an index or an alias); pick a fresh name`);
  }
  for (const [model, index] of names) {
    const def = model === 'jobs' ? jobsIndexDefinition() : listIndexDefinition(model);
    await client.createIndex(index, def);
  }
  if (projection === 'jobs') {
    const index = names.get('jobs')!;
    const store = createEngineJobStore(client, { alias: index, index, refresh: false });
    await store.putJobs(records.map((r) => r.doc as JobDocument));
  } else {
    const stores = openEngineListStores(client, { refresh: false, targets: Object.fromEntries(names) });
    // The records came out of these models' own stores: their docs are of the model's document type.
    const of = <D>(model: ListModelName): StoredEntry<D>[] => records.filter((r) => r.model === model).map((r) => ({ key: r.key, position: r.position, doc: r.doc as D }));
    await stores.applications.write(of('applications'));
    await stores.savedJobs.write(of('saved_jobs'));
    await stores.savedSearches.write(of('saved_searches'));
    await stores.jobStats.write(of('job_stats'));
  }
  await client.refresh([...names.values()]);
  return [...names.values()];
}
