// `jobsctl rebuild-index --read-model all` in embedded mode builds both read
// models at once (a worker thread each). A jobsctl killed while it writes the
// new files leaves the live versions and read-models.json as they were and
// no new version; the next rebuild succeeds and the drift check finds the
// rebuilt read model equal to the log.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEventStore } from '../../eventstore/openEventStore.ts';
import { runJobsctl as jobsctl } from '../../tests/support/jobsctl.ts';
import { seedEventStore } from '../seed/seedEventStore.ts';
import { openEmbeddedReadModels } from './embeddedReadModels.ts';
import { embeddedVersions, readPointer } from './embeddedVersions.ts';

const root = join(import.meta.dirname, '..', '..');

describe('parallel embedded rebuild-index, and a crash in the middle of it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bulk-crash-'));
  const env = { JOBS_MODE: 'embedded', DATA_DIR: dir, SEED: 'false', AUTH_SECRET: 'bulk-crash-secret-0123456789abcdef', LOG_LEVEL: 'silent' };

  beforeAll(async () => {
    const store = await openEventStore({ kind: 'sqlite', path: join(dir, 'events.db'), synchronous: 'NORMAL' });
    try {
      await seedEventStore(store, { jobs: 4000, seed: 3, now: new Date('2027-03-01T00:00:00Z') });
    } finally {
      await store.close();
    }
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('builds both read models in parallel to v2 and the drift check after it is clean', async () => {
    const run = await jobsctl(['rebuild-index', '--read-model', 'all', '--json'], env);
    expect(run.code, run.stderr).toBe(0);
    const { results } = JSON.parse(run.stdout) as { results: Array<{ readModel: string; version: number; documents: number; deadLetters: number }> };
    expect(results.map((r) => [r.readModel, r.version, r.deadLetters])).toEqual([
      ['jobs', 2, 0],
      ['lists', 2, 0],
    ]);
    expect(readPointer(dir)).toEqual({ jobs: 2, lists: 2 });
    const drift = await jobsctl(['drift-check', '--full', '--json'], env);
    expect(drift.code, drift.stderr).toBe(0);
    expect(JSON.parse(drift.stdout)).toMatchObject({ clean: true, missing: 0, extra: 0, stale: 0 });
  }, 120_000);

  it('a jobsctl killed while writing the new files leaves v2 live and intact and no v3; the next rebuild gives v3', async () => {
    const models = await openEmbeddedReadModels(dir);
    const liveJobs = await models.jobs.count();
    await models.close();
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'ops', 'cli', 'jobsctl.ts'), 'rebuild-index', '--read-model', 'all', '--json'], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: 'ignore',
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    // Killed as soon as a new file is being written (after the fold, in the middle of the load).
    let sawBuilding = false;
    for (let i = 0; i < 6000 && child.exitCode === null; i++) {
      if (readdirSync(dir).some((f) => f.endsWith('.building'))) {
        child.kill('SIGKILL');
        sawBuilding = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    await exited;
    expect(sawBuilding, 'jobsctl finished before a file was being written').toBe(true);
    expect(readPointer(dir)).toEqual({ jobs: 2, lists: 2 });
    expect(embeddedVersions(dir, 'jobs')).toEqual([2]);
    expect(embeddedVersions(dir, 'lists')).toEqual([2]);
    const after = await openEmbeddedReadModels(dir);
    try {
      expect(await after.jobs.count()).toBe(liveJobs);
    } finally {
      await after.close();
    }
    const again = await jobsctl(['rebuild-index', '--read-model', 'all', '--json'], env);
    expect(again.code, again.stderr).toBe(0);
    expect(readPointer(dir)).toEqual({ jobs: 3, lists: 3 });
    expect(readdirSync(dir).filter((f) => f.endsWith('.building'))).toEqual([]);
    expect(existsSync(join(dir, 'read.v3.db'))).toBe(true);
  }, 180_000);
});
