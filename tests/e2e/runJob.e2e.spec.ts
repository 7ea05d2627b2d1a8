import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runJobsctl } from '../support/jobsctl.ts';
import { afterAll, describe, expect, it } from 'vitest';
import { jobDecider } from '../../command/deciders/jobDecider.ts';
import { execute } from '../../command/execute.ts';
import { jobExample } from '../../command/http/examples.ts';
import { loadConfig } from '../../ops/config.ts';
import { openReadSide } from '../../ops/readSide.ts';
import { openRuntime } from '../../ops/runtime.ts';
import { openSqliteRunLog } from '../../ops/scheduler/runLog.ts';
import { MapRequest, SearchRequest } from '../../query/model/searchRequest.ts';

const dir = mkdtempSync(join(tmpdir(), 'run-job-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const env = { DATA_DIR: dir, JOBS_MODE: 'embedded', SEED: 'false', AUTH_SECRET: 'run-job-e2e-secret-run-job-e2e-secret' };

const jobsctl = (...args: string[]) => runJobsctl(args, env);

const t0 = new Date('2027-03-01T12:00:00Z');
const at = (hours: number) => new Date(t0.getTime() + hours * 3_600_000);


/** The embedded service's log and read models in DATA_DIR, projected up to the head, as a stopped server leaves them. */
async function withProjectedDataDir<T>(fn: (x: Awaited<ReturnType<typeof open>>) => Promise<T>): Promise<T> {
  const x = await open();
  try {
    await x.reads.catchUp();
    const result = await fn(x);
    // What fn appended is projected too before the read models close, as a server stopping cleanly leaves them.
    await x.reads.catchUp();
    return result;
  } finally {
    await x.reads.close();
    await x.runtime.close();
  }
}
async function open() {
  const config = loadConfig(env);
  const runtime = await openRuntime(config);
  const reads = await openReadSide(config, runtime.store, { runProjector: true });
  return { runtime, reads };
}

describe('jobsctl run-job', () => {
  it('expire-jobs --now closes the job past its expiry in an embedded DATA_DIR: it leaves search and map, the run is recorded', async () => {
    const { publish: _p, ...content } = jobExample;
    const ids = { doomed: 'job-e2e-doomed', survivor: 'job-e2e-survivor' };
    await withProjectedDataDir(async ({ runtime }) => {
      for (const [jobId, expiresAt] of [[ids.doomed, at(1)], [ids.survivor, at(5)]] as const) {
        const ctx = { actor: { role: 'business' as const, sub: 'b-e2e' }, correlationId: `e2e-${jobId}`, now: t0 };
        const base = { store: runtime.store, streamId: `job-${jobId}`, id: jobId, decider: jobDecider, ctx };
        await execute({ ...base, command: { type: 'DraftJob', jobId, businessId: 'b-e2e', content: { ...content, skills: [...content.skills], title: `Glacier ${jobId}` }, now: t0.toISOString() } });
        await execute({ ...base, command: { type: 'PublishJob', jobId, businessId: 'b-e2e', expiresAt: expiresAt.toISOString(), now: t0.toISOString() } });
      }
    });

    const run = await jobsctl('run-job', 'expire-jobs', '--now', at(2).toISOString(), '--json');
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ job: 'expire-jobs', slot: at(2).toISOString(), items: 1 });

    await withProjectedDataDir(async ({ reads }) => {
      // Read as of a time before the expiry: only the JobExpired event the run appended can hide the job.
      const before = at(0.5);
      const found = await reads.jobs.search(SearchRequest.parse({ text: 'glacier' }), before);
      expect(found.hits.map((h) => h.job.jobId)).toEqual([ids.survivor]);
      const map = await reads.jobs.map(MapRequest.parse({ bbox: { minLat: 38, minLon: -121, maxLat: 40, maxLon: -119 }, zoom: 8 }), before);
      expect(map.total).toBe(1);
      expect(map.points?.map((p) => p.jobId)).toEqual([ids.survivor]);
      expect(await reads.jobs.getJob(ids.doomed)).toMatchObject({ status: 'expired', closedReason: 'expired' });
    });
    const runs = openSqliteRunLog(join(dir, 'scheduler.db'));
    try {
      expect(await runs.recent()).toEqual([expect.objectContaining({ job: 'expire-jobs', slot: at(2).toISOString(), items: 1 })]);
    } finally {
      await runs.close();
    }

    const text = await jobsctl('run-job', 'expire-jobs', '--now', at(2).toISOString());
    expect(text).toMatchObject({ code: 0 });
    expect(text.stdout).toMatch(/^expire-jobs \(slot 2027-03-01T14:00:00.000Z\): 0 items in [\d.]+ s\n$/);
  });

  it('has --help and refuses an unknown job (listing the jobs) or a bad --now with exit code 2', async () => {
    const [help, unknown, badNow] = await Promise.all([
      jobsctl('run-job', '--help'),
      jobsctl('run-job', 'expire-job'),
      jobsctl('run-job', 'expire-jobs', '--now', 'yesterday'),
    ]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: jobsctl run-job \[options\] <name>/);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown job "expire-job"; the jobs are: expire-jobs, archive-saved-searches, drift-check, saved-search-digest, remind-expiring-jobs, weekly-summary');
    expect(badNow.code).toBe(2);
    expect(badNow.stderr).toContain('--now must be an ISO-8601 instant');
  });
});
