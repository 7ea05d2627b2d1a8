// Child process: one engine in process, the same requests in a loop.
//   node --expose-gc --import tsx bench/support/inprocess.ts embedded|orama|flexsearch <dataDir> <maxDocs> <seconds>
// embedded: the service's own store (query/embedded) opened on the dataset's current jobs read model;
// orama: @orama/orama loaded with the same job documents (read from that file);
// flexsearch: a FlexSearch Document index of the same documents' text fields, asked the text alone.
// Prints one JSON InprocessResult line.
import { create, insertMultiple, search } from '@orama/orama';
import Database from 'better-sqlite3';
import FlexSearch from 'flexsearch';
import { performance } from 'node:perf_hooks';
import type { JobDocument } from '../../mappings/jobDocument.ts';
import { currentEmbeddedPath } from '../../ops/rebuild/embeddedVersions.ts';
import { openEmbeddedJobStore } from '../../query/embedded/embeddedJobStore.ts';
import type { InprocessResult } from './inprocessSpec.ts';
import { mapPaths, searchPaths } from './queries.ts';
import { mapRequestOf, searchRequestOf } from './requests.ts';
import { summarize } from './stats.ts';

const [engine, dataDir = '', maxDocsArg = '100000', secondsArg = '3'] = process.argv.slice(2);
const maxDocs = Number(maxDocsArg);
const seconds = Number(secondsArg);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const footprint = (): number => {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

/** The text+filter and text+radius requests of the search mix (kinds 0 and 1 of searchPaths). */
const mix = searchPaths(500);
const textFilter = mix.filter((_, i) => i % 5 === 0).map(searchRequestOf);
const radius = mix.filter((_, i) => i % 5 === 1).map(searchRequestOf);
/** The text of the text+filter requests alone, first pages of 20: what a text-only library answers. */
const textOnly = textFilter.flatMap((r) => (r.text !== undefined ? [{ text: r.text, size: 20 }] : []));
const readModel = currentEmbeddedPath(dataDir, 'jobs');

/** The dataset's job documents (up to maxDocs) with their descriptions, in slot order. */
function* documents(): Generator<{ doc: JobDocument; description: string }> {
  const sqlite = new Database(readModel, { readonly: true });
  try {
    const rows = sqlite.prepare<[number], [string, string]>('SELECT description, doc FROM job_documents ORDER BY rowid LIMIT ?').raw().iterate(maxDocs);
    for (const [description, json] of rows) yield { doc: JSON.parse(json) as JobDocument, description };
  } finally {
    sqlite.close();
  }
}

/** Runs `fn` over the requests in turn for `seconds`; per-call latency. */
async function loop<T>(requests: readonly T[], fn: (r: T) => unknown): Promise<InprocessResult['latency'][string]> {
  const times: number[] = [];
  const end = performance.now() + seconds * 1000;
  for (let i = 0; performance.now() < end; i++) {
    const t = performance.now();
    await fn(requests[i % requests.length]!);
    times.push(performance.now() - t);
  }
  const total = times.reduce((a, b) => a + b, 0);
  return { ...summarize(times), opsPerS: Math.round((times.length / total) * 1000) };
}

const now = new Date();
const before = footprint();
const rss0 = process.memoryUsage().rss;
const t0 = performance.now();
let result: InprocessResult;

if (engine === 'embedded') {
  const store = await openEmbeddedJobStore({ path: readModel });
  const loadS = (performance.now() - t0) / 1000;
  const docs = store.stats().documents;
  const bytes = footprint() - before;
  const rssDeltaMb = (process.memoryUsage().rss - rss0) / 1048576;
  // Warm up the code paths before measuring.
  for (const r of [...textFilter, ...radius]) await store.search(r, now);
  result = {
    engine: 'embedded',
    docs,
    loadS,
    bytesPerJob: Math.round(bytes / Math.max(1, docs)),
    rssDeltaMb: Math.round(rssDeltaMb),
    latency: {
      textFilter: await loop(textFilter, (r) => store.search(r, now)),
      textOnly: await loop(textOnly, (r) => store.search(r, now)),
      radius: await loop(radius, (r) => store.search(r, now)),
      mix: await loop(mix.map(searchRequestOf), (r) => store.search(r, now)),
      map: await loop(mapPaths(420).map(mapRequestOf), (r) => store.map(r, now)),
    },
  };
  store.close();
} else if (engine === 'orama') {
  const db = create({
    schema: {
      title: 'string',
      description: 'string',
      skills: 'string[]',
      category: 'enum',
      employmentType: 'enum',
      status: 'enum',
      hourlyMax: 'number',
      expiresAtMs: 'number',
      location: 'geopoint',
    } as const,
  });
  let docs = 0;
  let batch: Array<Record<string, unknown>> = [];
  const flush = async (): Promise<void> => {
    await insertMultiple(db, batch as never, 1000);
    batch = [];
  };
  for (const { doc, description } of documents()) {
    batch.push({
      id: doc.jobId,
      title: doc.title,
      description,
      skills: doc.skills,
      category: doc.category,
      employmentType: doc.employmentType,
      status: doc.status,
      hourlyMax: doc.hourlyMax ?? 0,
      expiresAtMs: doc.expiresAt ? Date.parse(doc.expiresAt) : 0,
      ...(doc.location ? { location: { lat: doc.location.lat, lon: doc.location.lon } } : {}),
    });
    docs++;
    if (batch.length >= 5000) await flush();
  }
  await flush();
  const loadS = (performance.now() - t0) / 1000;
  const bytes = footprint() - before;
  const rssDeltaMb = (process.memoryUsage().rss - rss0) / 1048576;
  const nowMs = now.getTime();
  // The same visibility the service applies (open, not expired) plus the request's filters.
  const visible = { status: { eq: 'open' }, expiresAtMs: { gt: nowMs } };
  const oramaTextFilter = (r: (typeof textFilter)[number]) =>
    search(db, {
      term: r.text ?? '',
      properties: ['title', 'description', 'skills'],
      where: { ...visible, ...(r.category ? { category: { in: r.category } } : {}), ...(r.payMin !== undefined ? { hourlyMax: { gte: r.payMin } } : {}) },
      limit: r.size + 1,
    } as never);
  const oramaRadius = (r: (typeof radius)[number]) =>
    search(db, {
      term: r.text ?? '',
      properties: ['title', 'description', 'skills'],
      where: { ...visible, ...(r.near ? { location: { radius: { coordinates: { lat: r.near.lat, lon: r.near.lon }, value: r.near.radiusKm, unit: 'km', inside: true } } } : {}) },
      limit: r.size + 1,
    } as never);
  for (const r of textFilter.slice(0, 20)) await oramaTextFilter(r);
  for (const r of radius.slice(0, 20)) await oramaRadius(r);
  result = {
    engine: 'orama',
    docs,
    loadS,
    bytesPerJob: Math.round(bytes / Math.max(1, docs)),
    rssDeltaMb: Math.round(rssDeltaMb),
    latency: {
      textFilter: await loop(textFilter, oramaTextFilter),
      radius: await loop(radius, oramaRadius),
    },
  };
} else {
  // Whole words (our analyzer's unit), every term in one field at least (merged over fields); no scores to sum, no total.
  const index = new FlexSearch.Document({ tokenize: 'strict', document: { id: 'id', index: ['title', 'description', 'skills'] } });
  let docs = 0;
  for (const { doc, description } of documents()) {
    index.add({ id: docs, title: doc.title, description, skills: doc.skills.join(' ') });
    docs++;
  }
  const loadS = (performance.now() - t0) / 1000;
  const bytes = footprint() - before;
  const rssDeltaMb = (process.memoryUsage().rss - rss0) / 1048576;
  const ask = (r: (typeof textOnly)[number]) => index.search(r.text, { limit: r.size + 1, merge: true });
  for (const r of textOnly.slice(0, 20)) ask(r);
  result = { engine: 'flexsearch', docs, loadS, bytesPerJob: Math.round(bytes / Math.max(1, docs)), rssDeltaMb: Math.round(rssDeltaMb), latency: { textOnly: await loop(textOnly, ask) } };
}
process.stdout.write(`${JSON.stringify(result)}\n`);
