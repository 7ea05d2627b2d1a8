// `jobsctl replay`: the NDJSON of a projection as of position P equals the
// documents the live projector had stored at P, whatever came after; --from
// keeps only what changed after it; --index writes a fresh index and leaves
// the aliases alone. Server mode: the projector's documents are read back
// from the real search engine.
import { LIST_BOOKKEEPING_FIELDS } from '../../query/lists/engineListStore.ts';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runJobsctl as jobsctl } from '../../tests/support/jobsctl.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobExample } from '../../command/http/examples.ts';
import { connectSearch } from '../../query/engine/connect.ts';
import type { SearchClient } from '../../query/engine/searchClient.ts';
import type { FullApp } from '../../tests/support/fullApp.ts';
import { startFullApp } from '../../tests/support/fullApp.ts';
import { seedEventStore } from '../seed/seedEventStore.ts';
import type { ReplayRecord } from './replay.ts';

const NOW = new Date('2027-03-01T12:00:00Z');
const LIST_MODELS = ['applications', 'saved_jobs', 'saved_searches', 'job_stats'] as const;


/** Every document behind an alias, keyed by id, as the projector stored it (list bookkeeping fields removed, tombstones left out). */
async function documentsOf(client: SearchClient, index: string): Promise<Map<string, unknown>> {
  await client.refresh(index);
  const res = await client.search<Record<string, unknown>>(index, { query: { match_all: {} }, size: 10_000, sort: [{ _id: 'asc' }] });
  const out = new Map<string, unknown>();
  for (const h of res.hits.hits) {
    const doc = { ...h._source };
    if (doc.deleted === true) continue;
    for (const f of LIST_BOOKKEEPING_FIELDS) delete doc[f];
    out.set(h._id, doc);
  }
  return out;
}

const readNdjson = (path: string): ReplayRecord[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as ReplayRecord);

describe('jobsctl replay (server mode)', () => {
  let t: FullApp;
  let client: SearchClient;
  let env: Record<string, string>;
  let p = 0;
  let prefix = '';
  const out = mkdtempSync(join(tmpdir(), 'replay-'));
  const atP = { jobs: new Map<string, unknown>(), lists: new Map<string, unknown>() };
  const changedAfterP = new Set<string>();

  beforeAll(async () => {
    t = await startFullApp('server');
    t.clock.now = NOW;
    const c = t.runtime.config;
    prefix = c.SEARCH_PREFIX;
    env = { JOBS_MODE: 'server', DATA_DIR: c.DATA_DIR, DATABASE_URL: c.DATABASE_URL!, SEARCH_URL: c.SEARCH_URL!, AUTH_SECRET: c.AUTH_SECRET!, SEARCH_PREFIX: prefix, DATABASE_SCHEMA_PREFIX: c.DATABASE_SCHEMA_PREFIX, LOG_LEVEL: 'silent' };
    client = await connectSearch(c.SEARCH_URL!);
    await seedEventStore(t.runtime.store, { jobs: 250, seed: 5, now: NOW });
    await t.reads.catchUp();
    p = await t.runtime.store.headPosition();
    atP.jobs = await documentsOf(client, `${prefix}jobs`);
    for (const m of LIST_MODELS) for (const [k, v] of await documentsOf(client, `${prefix}${m}`)) atP.lists.set(`${m}/${k}`, v);
    // After P: a changed title, a closed job and a new one; none of it may show in the view as of P.
    const headers = await t.auth({ role: 'business', sub: 'b-replay' });
    const created = await t.app.inject({ method: 'POST', url: '/v1/jobs', payload: { ...jobExample, title: 'Replay Ferry Deckhand' }, headers });
    const { id } = created.json<{ id: string }>();
    const patched = await t.app.inject({ method: 'PATCH', url: `/v1/jobs/${id}`, payload: { title: 'Replay Ferry Captain' }, headers });
    expect(patched.statusCode).toBe(200);
    const second = await t.app.inject({ method: 'POST', url: '/v1/jobs', payload: { ...jobExample, title: 'Replay Dock Hand' }, headers });
    const closed = await t.app.inject({ method: 'POST', url: `/v1/jobs/${second.json<{ id: string }>().id}/close`, payload: { reason: 'filled' }, headers });
    expect(closed.statusCode).toBe(200);
    changedAfterP.add(id).add(second.json<{ id: string }>().id);
    await t.reads.catchUp();
  });

  afterAll(async () => {
    await client?.deleteIndex([`${prefix}replay_jobs`, ...LIST_MODELS.map((m) => `${prefix}replay_lists_${m}`)], { ignoreMissing: true });
    await client?.close();
    await t?.close();
    rmSync(out, { recursive: true, force: true });
  });

  it('the jobs NDJSON as of P equals the job documents the projector had at P', async () => {
    const file = join(out, 'jobs.ndjson');
    const run = await jobsctl(['replay', '--projection', 'jobs', '--to', String(p), '--out', file, '--json'], env);
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as { readModel: string; from: number; to: number; events: number; documents: number; out: string };
    expect(summary).toMatchObject({ readModel: 'jobs', from: 0, to: p, documents: atP.jobs.size, out: file });
    expect(summary.events).toBe(p);
    const records = readNdjson(file);
    expect(new Map(records.map((r) => [r.key, r.doc]))).toEqual(atP.jobs);
    expect(records.every((r) => r.model === 'jobs' && r.position <= p)).toBe(true);
  });

  it('the lists NDJSON as of P equals the list documents the projector had at P', async () => {
    const file = join(out, 'lists.ndjson');
    const run = await jobsctl(['replay', '--projection', 'lists', '--to', String(p), '--out', file, '--json'], env);
    expect(run.code, run.stderr).toBe(0);
    const records = readNdjson(file);
    expect(atP.lists.size).toBeGreaterThan(0);
    expect(new Map(records.map((r) => [`${r.model}/${r.key}`, r.doc]))).toEqual(atP.lists);
  });

  it('--from P keeps only the documents changed after P, as they are at the head', async () => {
    const file = join(out, 'after.ndjson');
    const run = await jobsctl(['replay', '--projection', 'jobs', '--from', String(p), '--out', file, '--json'], env);
    expect(run.code, run.stderr).toBe(0);
    const records = readNdjson(file);
    expect(new Set(records.map((r) => r.key))).toEqual(changedAfterP);
    const titles = records.map((r) => (r.doc as { title: string; status: string }).title).sort();
    expect(titles).toEqual(['Replay Dock Hand', 'Replay Ferry Captain']);
  });

  it('--index writes a fresh index outside the aliases and refuses an existing name', async () => {
    const name = `${prefix}replay_jobs`;
    const run = await jobsctl(['replay', '--projection', 'jobs', '--to', String(p), '--index', name, '--json'], env);
    expect(run.code, run.stderr).toBe(0);
    expect(await documentsOf(client, name)).toEqual(atP.jobs);
    expect(Object.keys(await client.getAliases(`${prefix}jobs`))).toEqual([`${prefix}jobs_v1`]);
    expect((await client.getAliases())[name]).toEqual([]);
    const again = await jobsctl(['replay', '--projection', 'jobs', '--index', name], env);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists/);
    const alias = await jobsctl(['replay', '--projection', 'jobs', '--index', `${prefix}jobs`], env);
    expect(alias.code).toBe(2);
  });

  it('refuses a missing target and an existing file, with exit 2', async () => {
    expect((await jobsctl(['replay', '--projection', 'jobs'], env)).code).toBe(2);
    expect((await jobsctl(['replay', '--projection', 'jobs', '--out', join(out, 'jobs.ndjson')], env)).code).toBe(2);
  });
});
