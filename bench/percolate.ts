// Percolation cost per published job: N saved searches (the seed generator's,
// as users write them), then each of M open jobs percolated one at a time;
// reports p50/p95/max in ms and the matches per job. Server mode: the
// engine's percolator index (SEARCH_URL, e.g. from `npm run services:up`);
// embedded: the in-process percolator. Then the time from publishing a job
// to its instant alert reaching a loopback SMTP server, in both modes
// (server mode needs DATABASE_URL and SEARCH_URL).
//   npx tsx bench/percolate.ts --searches 100000 --jobs 100
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { RecordedEvent } from '../eventstore/port.ts';
import type { JobDocument } from '../mappings/jobDocument.ts';
import { applyToJobDocument } from '../projections/jobs/applyToJobDocument.ts';
import type { SavedSearchDocument } from '../projections/lists/listDocuments.ts';
import { applyToSavedSearch, savedSearchKey } from '../projections/lists/listDocuments.ts';
import { connectSearch } from '../query/engine/connect.ts';
import { openEngineListStores } from '../query/lists/engineListStore.ts';
import { generateDataset } from '../ops/seed/generateDataset.ts';
import { EmbeddedPercolator } from '../query/embedded/percolator/embeddedPercolator.ts';
import { jobExample } from '../command/http/examples.ts';
import { startFullApp } from '../tests/support/fullApp.ts';
import type { Mode } from '../tests/support/fullApp.ts';
import { startSmtpServer } from '../tests/support/smtpServer.ts';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const searches = arg('searches', 100_000);
const jobsToTry = arg('jobs', 500);
const now = new Date('2027-03-01T00:00:00Z');

let position = 0;
const recorded = (event: { type: string; data: unknown }, at: string): RecordedEvent =>
  ({ ...event, eventId: `e${++position}`, streamId: 's', revision: 0, position, storedVersion: 1, recordedAt: at, metadata: { actor: { role: 'system', sub: 'bench' }, correlationId: 'c', causationId: 'c', occurredAt: at } }) as RecordedEvent;

const jobs: JobDocument[] = [];
const saved: SavedSearchDocument[] = [];
for (const stream of generateDataset({ jobs: Math.max(2000, jobsToTry * 4), workers: Math.ceil(searches / 5), savedSearches: searches, now })) {
  let doc: JobDocument | undefined;
  stream.events.forEach((e, i) => {
    const r = recorded(e, stream.occurredAt[i] ?? now.toISOString());
    if (stream.kind === 'job') doc = applyToJobDocument(doc, r);
    if (e.type === 'SearchSaved') {
      const s = applyToSavedSearch(undefined, r);
      if (s) saved.push(s);
    }
  });
  if (doc?.status === 'open') jobs.push(doc);
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

async function engine(): Promise<Record<string, number>> {
  const url = process.env.SEARCH_URL ?? '';
  const client = await connectSearch(url);
  const prefix = `benchperc${Date.now()}_`;
  const stores = openEngineListStores(client, { prefix, refresh: false });
  await stores.ensureIndexes();
  try {
    const t0 = Date.now();
    for (let i = 0; i < saved.length; i += 2000) {
      await stores.savedSearches.write(saved.slice(i, i + 2000).map((d) => ({ key: savedSearchKey(d.workerId, d.searchId), position: d.position, doc: d })));
    }
    await stores.refresh();
    const loadS = (Date.now() - t0) / 1000;
    for (const job of jobs.slice(0, 20)) await stores.percolateJob(job, { size: 10_000 }); // warm-up
    const times: number[] = [];
    let matches = 0;
    for (const job of jobs.slice(20, 20 + jobsToTry)) {
      const t = performance.now();
      matches += (await stores.percolateJob(job, { size: 10_000 })).length;
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    return { loadSeconds: loadS, jobs: times.length, p50: percentile(times, 50), p95: percentile(times, 95), max: times.at(-1) ?? 0, matchesPerJob: matches / Math.max(1, times.length) };
  } finally {
    await client.deleteIndex([...stores.indexes], { ignoreMissing: true });
    await client.close();
  }
}

function embedded(): Record<string, number> {
  const t0 = Date.now();
  const percolator = new EmbeddedPercolator();
  for (const d of saved) percolator.put(d);
  const loadS = (Date.now() - t0) / 1000;
  for (const job of jobs.slice(0, 50)) percolator.percolate(job);
  const times: number[] = [];
  let matches = 0;
  for (const job of jobs.slice(50, 50 + Math.max(jobsToTry, 1000))) {
    const t = performance.now();
    matches += percolator.percolate(job).length;
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { loadSeconds: loadS, jobs: times.length, p50: percentile(times, 50), p95: percentile(times, 95), max: times.at(-1) ?? 0, matchesPerJob: matches / Math.max(1, times.length) };
}

/** Publish (POST /v1/jobs with publish) to the instant alert handed to a loopback SMTP server, one job at a time. */
async function publishToAlert(mode: Mode, rounds = 30): Promise<Record<string, number>> {
  const smtp = await startSmtpServer();
  const full = await startFullApp(mode, { notifications: { SMTP_URL: smtp.url } });
  try {
    const business = await full.auth({ role: 'business', sub: 'bench-b' });
    const times: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const worker = { role: 'worker', sub: `bench-w${i}` } as const;
      const headers = await full.auth(worker);
      await full.app.inject({ method: 'PUT', url: '/v1/me/profile', headers, payload: { name: 'W', skills: [], maxTravelKm: 10, availability: [], experienceYears: 0, email: `w${i}@example.com` } });
      const token = `zq${i}x${Date.now().toString(36)}`;
      const savedRes = await full.app.inject({ method: 'POST', url: '/v1/me/saved-searches', headers, payload: { name: `s${i}`, query: { text: token }, alertFrequency: 'instant' } });
      const { position } = savedRes.json<{ position: number }>();
      // The saved search must be in the read models before the job is posted, as it would be for a real user.
      await full.reads.progress.waitFor(position, 10_000);
      const before = smtp.received.length;
      const t = performance.now();
      await full.app.inject({ method: 'POST', url: '/v1/jobs', headers: business, payload: { ...jobExample, title: `Orchard hand ${token}` } });
      while (smtp.received.length === before) await new Promise((r) => setTimeout(r, 2));
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    return { rounds, p50: percentile(times, 50), p95: percentile(times, 95), max: times.at(-1) ?? 0 };
  } finally {
    await full.close();
    await smtp.close();
  }
}

const result = {
  at: new Date().toISOString(),
  savedSearches: saved.length,
  openJobs: jobs.length,
  percolation: { embedded: embedded(), ...(process.env.SEARCH_URL ? { server: await engine() } : {}) },
  publishToAlertMs: { embedded: await publishToAlert('embedded'), ...(process.env.SEARCH_URL && process.env.DATABASE_URL ? { server: await publishToAlert('server') } : {}) },
};
mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
const file = join(import.meta.dirname, 'results', `percolate-${result.at.replace(/[:.]/g, '-')}.json`);
writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result, null, 2));
console.log(`written to ${file}`);
