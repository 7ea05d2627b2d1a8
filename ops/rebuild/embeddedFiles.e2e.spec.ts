// Embedded mode without a serving process: `jobsctl rebuild-index` builds the
// next version's files from the log and points read-models.json at them; the
// next start opens them. `rollback-index` goes back to the kept version.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runJobsctl as jobsctl } from '../../tests/support/jobsctl.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEventStore } from '../../eventstore/openEventStore.ts';
import { seedEventStore } from '../seed/seedEventStore.ts';
import { openEmbeddedReadModels } from './embeddedReadModels.ts';
import { readPointer } from './embeddedVersions.ts';
import { replayProjection } from './replay.ts';



describe('rebuild-index on the embedded data directory (no server running)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'embedded-rebuild-'));
  const env = { JOBS_MODE: 'embedded', DATA_DIR: dir, SEED: 'false', AUTH_SECRET: 'embedded-rebuild-secret-0123456789abcdef', LOG_LEVEL: 'silent' };
  let jobDocs = 0;

  beforeAll(async () => {
    const store = await openEventStore({ kind: 'sqlite', path: join(dir, 'events.db'), synchronous: 'NORMAL' });
    try {
      await seedEventStore(store, { jobs: 200, seed: 9, now: new Date('2027-03-01T00:00:00Z') });
      jobDocs = (await replayProjection(store, { projection: 'jobs', from: 0 })).records.length;
    } finally {
      await store.close();
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('builds the next version of both read models, points read-models.json at it, and a fresh open serves it', async () => {
    const run = await jobsctl(['rebuild-index', '--json'], env);
    expect(run.code, run.stderr).toBe(0);
    const { results } = JSON.parse(run.stdout) as { results: Array<{ readModel: string; version: number; previousVersion: number; documents: number; index: string[] }> };
    expect(results.map((r) => [r.readModel, r.previousVersion, r.version, r.index[0]])).toEqual([
      ['jobs', 1, 2, 'read.v2.db'],
      ['lists', 1, 2, 'lists.v2.db'],
    ]);
    expect(results[0]!.documents).toBe(jobDocs);
    expect(readPointer(dir)).toEqual({ jobs: 2, lists: 2 });
    const models = await openEmbeddedReadModels(dir);
    try {
      expect(await models.jobs.count()).toBe(jobDocs);
    } finally {
      await models.close();
    }
  });

  it('rollback-index refuses when no version is below the live one, and goes from v3 back to the kept v2', async () => {
    // No server ever opened version 1 here, so there is nothing to roll back to for jobs.
    expect(existsSync(join(dir, 'read.db'))).toBe(false);
    const refused = await jobsctl(['rollback-index', '--read-model', 'jobs'], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/no previous version of jobs/);
    // A second rebuild gives v3, and then rollback returns to v2, caught up from its own checkpoint.
    expect((await jobsctl(['rebuild-index', '--read-model', 'jobs'], env)).code).toBe(0);
    expect(readPointer(dir).jobs).toBe(3);
    const back = await jobsctl(['rollback-index', '--read-model', 'jobs', '--json'], env);
    expect(back.code, back.stderr).toBe(0);
    expect(readPointer(dir)).toEqual({ jobs: 2, lists: 2 });
    const listed = await jobsctl(['rebuild-index', '--list', '--json'], env);
    const { readModels } = JSON.parse(listed.stdout) as { readModels: Array<{ readModel: string; current: number; versions: Array<{ version: number; live: boolean }> }> };
    expect(readModels.find((m) => m.readModel === 'jobs')).toMatchObject({ current: 2, versions: [{ version: 2, live: true }, { version: 3, live: false }] });
  });
});
