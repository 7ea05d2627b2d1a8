// Acceptance: while a bounded query loop runs against /v1/search,
// `jobsctl rebuild-index` completes, and the loop sees no failed query and no
// response that misses a job committed before the rebuild began; rollback
// swaps back the same way. Server mode (real OpenSearch, aliases) and
// embedded mode (the serving process swaps its stores, via --url).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startJobsctl } from '../support/jobsctl.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobExample } from '../../command/http/examples.ts';
import { seedEventStore } from '../../ops/seed/seedEventStore.ts';
import { connectSearch } from '../../query/engine/connect.ts';
import type { FullApp } from '../support/fullApp.ts';
import { startFullApp } from '../support/fullApp.ts';

const business = { role: 'business', sub: 'b-rebuild' } as const;
const PROBES = 60;
const NOW = new Date('2027-03-01T12:00:00Z');



const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface LoopReport {
  queries: number;
  failed: Array<{ status: number; body: string }>;
  missing: number;
  liveIds: string[];
  lastPosition: number;
}

describe.each(['server', 'embedded'] as const)('rebuild-index under load (%s mode)', (mode) => {
  let t: FullApp;
  let env: Record<string, string>;
  let url = '';
  const probeIds = new Set<string>();
  let baselineTotal = 0;

  beforeAll(async () => {
    t = await startFullApp(mode);
    t.clock.now = NOW;
    const c = t.runtime.config;
    env =
      mode === 'server'
        ? {
            JOBS_MODE: 'server',
            DATA_DIR: c.DATA_DIR,
            DATABASE_URL: c.DATABASE_URL!,
            SEARCH_URL: c.SEARCH_URL!,
            REDIS_URL: process.env.REDIS_URL!,
            AUTH_SECRET: c.AUTH_SECRET!,
            SEARCH_PREFIX: c.SEARCH_PREFIX,
            DATABASE_SCHEMA_PREFIX: c.DATABASE_SCHEMA_PREFIX,
          }
        : { JOBS_MODE: 'embedded', DATA_DIR: c.DATA_DIR, AUTH_SECRET: c.AUTH_SECRET!, SEED: 'false' };
    if (mode === 'embedded') url = await t.app.listen({ host: '127.0.0.1', port: 0 });
    // A background of seeded jobs, workers, applications and saved searches, plus probe jobs found by one word.
    await seedEventStore(t.runtime.store, { jobs: 600, seed: 11, now: NOW });
    const headers = await t.auth(business);
    let position = 0;
    for (let i = 0; i < PROBES; i++) {
      const res = await t.app.inject({ method: 'POST', url: '/v1/jobs', payload: { ...jobExample, title: `Quokkaprobe helper ${i}` }, headers });
      expect(res.statusCode).toBe(201);
      const body = res.json<{ id: string; position: number }>();
      probeIds.add(body.id);
      position = body.position;
    }
    await t.reads.catchUp();
    const all = await t.app.inject(`/v1/search?size=1&minPosition=${position}`);
    baselineTotal = all.json<{ total: number }>().total;
    expect(baselineTotal).toBeGreaterThan(PROBES);
  });

  afterAll(async () => {
    if (mode === 'server' && t) {
      // startFullApp's cleanup drops the v1 indexes; the versions this test built are dropped here.
      const client = await connectSearch(t.runtime.config.SEARCH_URL!);
      const p = t.runtime.config.SEARCH_PREFIX;
      await client.deleteIndex(['jobs', 'businesses', 'applications', 'saved_jobs', 'saved_searches', 'job_stats'].flatMap((m) => [2, 3].map((v) => `${p}${m}_v${v}`)), { ignoreMissing: true });
      await client.close();
    }
    await t?.close();
  });

  /** Queries (and a few live writes) until the command exits; checks every answer. */
  async function loopWhile(running: () => boolean, tag: string): Promise<LoopReport> {
    const report: LoopReport = { queries: 0, failed: [], missing: 0, liveIds: [], lastPosition: 0 };
    const headers = await t.auth(business);
    // Bounded by the command, not by a count: the loop must span the whole rebuild, swap included.
    for (let i = 0; running() || report.queries < 20; i++) {
      if (i >= 20_000) throw new Error('the command ran past 20 000 loop turns');
      await sleep(5);
      if (i % 15 === 7 && report.liveIds.length < 10) {
        const res = await t.app.inject({ method: 'POST', url: '/v1/jobs', payload: { ...jobExample, title: `Wombat${tag} live ${i}` }, headers });
        expect(res.statusCode).toBe(201);
        const body = res.json<{ id: string; position: number }>();
        report.liveIds.push(body.id);
        report.lastPosition = body.position;
        continue;
      }
      report.queries++;
      const res = i % 2 === 0 ? await t.app.inject('/v1/search?text=quokkaprobe&size=100') : await t.app.inject('/v1/search?size=1');
      if (res.statusCode !== 200) {
        report.failed.push({ status: res.statusCode, body: res.body.slice(0, 300) });
        continue;
      }
      const body = res.json<{ total: number; hits: Array<{ job: { jobId: string } }> }>();
      if (i % 2 === 0) {
        const found = new Set(body.hits.map((h) => h.job.jobId));
        if ([...probeIds].some((id) => !found.has(id))) report.missing++;
      } else if (body.total < baselineTotal) {
        report.missing++;
      }
    }
    return report;
  }

  async function liveJobsFound(report: LoopReport, tag: string): Promise<void> {
    const res = await t.app.inject(`/v1/search?text=wombat${tag}&size=100&minPosition=${report.lastPosition}`);
    expect(res.statusCode).toBe(200);
    const ids = new Set(res.json<{ hits: Array<{ job: { jobId: string } }> }>().hits.map((h) => h.job.jobId));
    for (const id of report.liveIds) expect(ids).toContain(id);
  }

  const switchArgs = (command: string) => [command, '--json', ...(mode === 'embedded' ? ['--url', url] : [])];

  it('rebuild-index swaps every read model to v2 with zero failed queries and no missing job; writes during it are found after', async () => {
    const cmd = startJobsctl(switchArgs('rebuild-index'), { LOG_LEVEL: 'silent', ...env });
    const report = await loopWhile(cmd.running, 'rb');
    const run = await cmd.done;
    expect(run.code, run.stderr).toBe(0);
    expect(report.failed).toEqual([]);
    expect(report.missing).toBe(0);
    expect(report.queries).toBeGreaterThanOrEqual(20);
    const { results } = JSON.parse(run.stdout) as { results: Array<{ readModel: string; version: number; previousVersion: number; documents: number; events: number; to: number }> };
    expect(results.map((r) => [r.readModel, r.previousVersion, r.version])).toEqual([
      ['jobs', 1, 2],
      ['lists', 1, 2],
    ]);
    expect(results[0]!.documents).toBeGreaterThanOrEqual(baselineTotal);
    await assertLive(2);
    await liveJobsFound(report, 'rb');
  });

  it('rollback-index brings v1 up to date and swaps back, again with zero failed queries', async () => {
    const cmd = startJobsctl(switchArgs('rollback-index'), { LOG_LEVEL: 'silent', ...env });
    const report = await loopWhile(cmd.running, 'rl');
    const run = await cmd.done;
    expect(run.code, run.stderr).toBe(0);
    expect(report.failed).toEqual([]);
    expect(report.missing).toBe(0);
    await assertLive(1);
    // Jobs written while v2 was live (the previous test) are in v1 too: rollback replayed them.
    await liveJobsFound(report, 'rl');
    const res = await t.app.inject('/v1/search?text=wombatrb&size=100');
    expect(res.json<{ total: number }>().total).toBeGreaterThan(0);
  });

  it('rollback-index with no version below the live one exits 2 and changes nothing; --list shows both versions, v1 live', async () => {
    const run = await startJobsctl(switchArgs('rollback-index'), { LOG_LEVEL: 'silent', ...env }).done;
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no (complete )?previous version/);
    await assertLive(1);
    // Both versions are kept and listed, v1 live; in server mode with the position each has applied.
    const listed = await startJobsctl(['rebuild-index', '--list', '--json'], { LOG_LEVEL: 'silent', ...env }).done;
    expect(listed.code, listed.stderr).toBe(0);
    const { readModels } = JSON.parse(listed.stdout) as { readModels: Array<{ readModel: string; current: number; versions: Array<{ version: number; live: boolean; position?: number }> }> };
    for (const m of readModels) {
      expect(m.current).toBe(1);
      expect(m.versions.map((v) => [v.version, v.live])).toEqual([
        [1, true],
        [2, false],
      ]);
      if (mode === 'server') expect(m.versions.every((v) => typeof v.position === 'number' && v.position > 0)).toBe(true);
    }
  });

  async function assertLive(version: number): Promise<void> {
    if (mode === 'server') {
      const client = await connectSearch(t.runtime.config.SEARCH_URL!);
      const p = t.runtime.config.SEARCH_PREFIX;
      try {
        for (const m of ['jobs', 'applications', 'saved_jobs', 'saved_searches', 'job_stats']) {
          expect(Object.keys(await client.getAliases(`${p}${m}`))).toEqual([`${p}${m}_v${version}`]);
        }
      } finally {
        await client.close();
      }
    } else {
      const pointer = JSON.parse(readFileSync(join(t.runtime.config.DATA_DIR, 'read-models.json'), 'utf8')) as Record<string, number>;
      expect(pointer).toEqual({ jobs: version, lists: version });
    }
  }
});
