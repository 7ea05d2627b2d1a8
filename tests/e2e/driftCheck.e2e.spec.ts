import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runJobsctl } from '../support/jobsctl.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../ops/config.ts';
import type { DriftReport } from '../../ops/drift/checkDrift.ts';
import { openReadSide } from '../../ops/readSide.ts';
import { openRuntime } from '../../ops/runtime.ts';
import { seedEventStore } from '../../ops/seed/seedEventStore.ts';
import { EmbeddedJobStore } from '../../query/embedded/embeddedJobStore.ts';

const dir = mkdtempSync(join(tmpdir(), 'jobsctl-drift-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));


const jobsctl = (...args: string[]) => runJobsctl(args, { DATA_DIR: dir, JOBS_MODE: 'embedded', AUTH_SECRET: '' });

describe('jobsctl drift-check (embedded DATA_DIR, no server running)', () => {
  beforeAll(async () => {
    // Seed and project in this process, then leave the files to the CLI.
    const config = loadConfig({ DATA_DIR: dir, SEED: 'false', AUTH_SECRET: 'drift-e2e-secret-0123456789abcdef' });
    const runtime = await openRuntime(config);
    await seedEventStore(runtime.store, { jobs: 200, seed: 3, now: new Date('2027-03-01T00:00:00Z') });
    const reads = await openReadSide(config, runtime.store, { runProjector: true });
    await reads.catchUp();
    await reads.close();
    await runtime.close();
    const store = EmbeddedJobStore.open({ path: join(dir, 'read.db') });
    const gone = store.scanJobs('', 3);
    store.deleteJobs(gone.map((d) => ({ jobId: d.jobId, seenPosition: d.position })));
    store.close();
  });

  it('exits 1 with the counts when drift is found, 0 once --repair fixed it, and 0 on a clean incremental check', async () => {
    const human = await jobsctl('drift-check');
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/missing 3 {2}extra 0 {2}stale 0/);
    expect(human.stdout).toContain('drift found: run with --repair to fix it');

    const found = await jobsctl('drift-check', '--full', '--json');
    expect(found.code).toBe(1);
    const report = JSON.parse(found.stdout) as DriftReport;
    expect(report).toMatchObject({ mode: 'full', missing: 3, extra: 0, stale: 0, checkedJobs: 200, clean: false });

    const repaired = await jobsctl('drift-check', '--repair', '--json');
    expect(repaired.code).toBe(0);
    expect(JSON.parse(repaired.stdout)).toMatchObject({ mode: 'full', missing: 3, repaired: { missing: 3, extra: 0, stale: 0 }, clean: true });

    const incremental = await jobsctl('drift-check', '--json');
    expect(incremental.code).toBe(0);
    expect(JSON.parse(incremental.stdout)).toMatchObject({ mode: 'incremental', fromPosition: report.toPosition, missing: 0, extra: 0, stale: 0, clean: true });
    expect(JSON.parse((await jobsctl('drift-check', '--since', '0', '--json')).stdout)).toMatchObject({ mode: 'incremental', checkedJobs: 200, missing: 0 });
  }, 150_000);

  it('reports and repairs the same in --passes 3 as in one pass, and refuses --passes 0', async () => {
    const store = EmbeddedJobStore.open({ path: join(dir, 'read.db') });
    const docs = store.scanJobs('', 40);
    store.deleteJobs(docs.slice(0, 2).map((d) => ({ jobId: d.jobId, seenPosition: d.position })));
    store.replaceJobs(docs.slice(10, 13).map((d) => ({ doc: { ...d, title: `${d.title} (edited)` }, seenPosition: d.position })));
    store.close();
    const essentials = (stdout: string) => {
      const { durationMs: _ms, ...rest } = JSON.parse(stdout) as DriftReport;
      return rest;
    };
    const one = await jobsctl('drift-check', '--full', '--json', '--passes', '1');
    const three = await jobsctl('drift-check', '--full', '--json', '--passes', '3');
    expect(one.code).toBe(1);
    expect(three.code).toBe(1);
    expect(essentials(one.stdout)).toMatchObject({ missing: 2, extra: 0, stale: 3, clean: false });
    expect(essentials(three.stdout)).toEqual(essentials(one.stdout));
    const repaired = await jobsctl('drift-check', '--full', '--repair', '--json', '--passes', '3');
    expect(repaired.code).toBe(0);
    expect(JSON.parse(repaired.stdout)).toMatchObject({ missing: 2, stale: 3, repaired: { missing: 2, extra: 0, stale: 3 }, clean: true });
    const zero = await jobsctl('drift-check', '--passes', '0');
    expect(zero.code).toBe(2);
    expect(zero.stderr).toContain('--passes must be at least 1');
  }, 150_000);

  it('has --help and refuses contradictory or bad options with exit code 2', async () => {
    const help = await jobsctl('drift-check', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: jobsctl drift-check/);
    expect(help.stdout).toContain('--repair');
    const both = await jobsctl('drift-check', '--since', '4', '--full');
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--since and --full exclude each other');
    const bad = await jobsctl('drift-check', '--since', 'yesterday');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--since must be a non-negative integer');
  }, 90_000);
});
