// A service starting on a log whose read models hold nothing builds them in
// bulk (worker threads) and must end exactly where the projector going event
// by event ends: same documents, same list rows, same checkpoint, no drift,
// and the projector goes on from there. Embedded mode only: the bulk build
// writes the embedded files (server mode rebuilds into engine indexes).
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEventStore } from '../../eventstore/openEventStore.ts';
import { jobsProjection } from '../../projections/jobs/jobsProjection.ts';
import { listsProjection } from '../../projections/lists/listsProjection.ts';
import { embeddedJobSink } from '../../query/embedded/embeddedJobSink.ts';
import { EmbeddedJobStore, openEmbeddedJobStore } from '../../query/embedded/embeddedJobStore.ts';
import { openEmbeddedListStores } from '../../query/lists/embeddedListStore.ts';
import { loadConfig } from '../config.ts';
import { checkDrift } from '../drift/checkDrift.ts';
import { driftTargetOfReadSide } from '../drift/openDriftTarget.ts';
import { openReadSide } from '../readSide.ts';
import { openRuntime } from '../runtime.ts';
import { seedEventStore } from '../seed/seedEventStore.ts';
import { bulkBuildEmptyReadModels, storedCheckpoint } from './bulkCatchUp.ts';
import { collectingDeadLetters } from './collectingDeadLetters.ts';
import { LIST_TABLES, runToHead, tableRows } from '../../tests/support/readModelFiles.ts';

const JOBS = 300;
const NOW = new Date('2027-03-01T00:00:00Z');

describe('bulk catch-up of an empty embedded read side', () => {
  const root = mkdtempSync(join(tmpdir(), 'bulk-catch-up-'));
  const log = join(root, 'log', 'events.db');
  const reference = join(root, 'reference');
  let head = 0;
  let jobIds: string[] = [];
  const secret = 'bulk-catch-up-secret-0123456789abcdef';

  /** A data directory holding a copy of the seeded log and nothing else. */
  const fresh = (name: string): string => {
    const dir = join(root, name);
    mkdirSync(dir, { recursive: true });
    copyFileSync(log, join(dir, 'events.db'));
    return dir;
  };
  const configOf = (dir: string, minEvents: number) => loadConfig({ DATA_DIR: dir, SEED: 'false', AUTH_SECRET: secret, BULK_CATCH_UP_EVENTS: String(minEvents) });

  beforeAll(async () => {
    mkdirSync(join(root, 'log'));
    const store = await openEventStore({ kind: 'sqlite', path: log, synchronous: 'NORMAL' });
    try {
      await seedEventStore(store, { jobs: JOBS, seed: 8, now: NOW });
      head = await store.headPosition();
      // The reference: the projectors event by event over the real stores (small batches: documents rewritten many times).
      mkdirSync(reference);
      const jobs = await openEmbeddedJobStore({ path: join(reference, 'read.db') });
      await runToHead(store, jobsProjection(embeddedJobSink(jobs), collectingDeadLetters()), 97);
      jobs.close();
      const lists = openEmbeddedListStores(join(reference, 'lists.db'));
      await runToHead(store, listsProjection(lists, collectingDeadLetters()), 89);
      await lists.close();
    } finally {
      await store.close();
    }
    jobIds = (tableRows(join(reference, 'read.db'), 'job_documents') as Array<{ job_id: string }>).map((r) => r.job_id);
  }, 120_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('a start on a log with nothing projected builds both read models in bulk, equal to the projector’s, with no drift, and the projector goes on from there', async () => {
    const dir = fresh('start');
    const config = configOf(dir, 1);
    const runtime = await openRuntime(config);
    const lines: string[] = [];
    const reads = await openReadSide(config, runtime.store, { runProjector: true, log: (l) => lines.push(l) });
    try {
      expect(lines.some((l) => /^built jobs and lists in bulk/.test(l))).toBe(true);
      // Built before the projector started: it starts at the head.
      expect(reads.progress.position()).toBe(head);
      const jobs = reads.jobs as EmbeddedJobStore;
      expect(jobs.openedFrom).toBe('segments');
      const live = await openEmbeddedJobStore({ path: join(reference, 'read.db') });
      try {
        expect(jobIds.length).toBeGreaterThan(0);
        expect(await jobs.count()).toBe(jobIds.length);
        expect(await jobs.getJobs(jobIds)).toEqual(await live.getJobs(jobIds));
        const q = { text: 'cook', size: 100, facets: true };
        expect((await jobs.search(q, NOW)).hits.map((h) => h.job.jobId)).toEqual((await live.search(q, NOW)).hits.map((h) => h.job.jobId));
      } finally {
        live.close();
      }
      for (const table of LIST_TABLES) expect(tableRows(join(dir, 'lists.db'), table), table).toEqual(tableRows(join(reference, 'lists.db'), table));
      const target = await driftTargetOfReadSide(config, reads.jobs);
      expect(await checkDrift({ store: runtime.store, target: target.target }, { mode: 'full' })).toMatchObject({ missing: 0, extra: 0, stale: 0, clean: true, checkedJobs: jobIds.length });
      await target.close();

      // New events after the build are the projector's, from the checkpoint the build stored.
      await seedEventStore(runtime.store, { jobs: JOBS + 20, seed: 8, now: NOW });
      await reads.catchUp();
      expect(await jobs.count()).toBeGreaterThan(jobIds.length);
      expect(await checkDrift({ store: runtime.store, target: (await driftTargetOfReadSide(config, reads.jobs)).target }, { mode: 'full' })).toMatchObject({ clean: true });
    } finally {
      await reads.close();
      await runtime.close();
    }
    // In place: the live versions keep their names, and nothing half-built is left.
    expect(readdirSync(dir).filter((f) => /\.v\d+\.db|\.building/.test(f))).toEqual([]);
  }, 120_000);

  it('leaves a read model that holds a checkpoint alone', async () => {
    const dir = fresh('kept');
    expect((await bulkBuildEmptyReadModels(dir, { kind: 'sqlite', path: join(dir, 'events.db') }, head, { minEvents: 1 })).built).toEqual(['jobs', 'lists']);
    const before = tableRows(join(dir, 'read.db'), 'store_meta');
    expect(await bulkBuildEmptyReadModels(dir, { kind: 'sqlite', path: join(dir, 'events.db') }, head, { minEvents: 1 })).toEqual({ built: [] });
    // Not rewritten: the write counter of the file is where the build left it.
    expect(tableRows(join(dir, 'read.db'), 'store_meta')).toEqual(before);
  }, 60_000);

  it('below BULK_CATCH_UP_EVENTS (or with it 0) the projector catches up event by event, to the same documents', async () => {
    for (const [name, minEvents] of [['small', head + 1], ['off', 0]] as const) {
      const dir = fresh(name);
      const config = configOf(dir, minEvents);
      const runtime = await openRuntime(config);
      const lines: string[] = [];
      const reads = await openReadSide(config, runtime.store, { runProjector: true, log: (l) => lines.push(l) });
      try {
        expect(lines.filter((l) => l.includes('bulk'))).toEqual([]);
        await reads.catchUp();
        const live = await openEmbeddedJobStore({ path: join(reference, 'read.db') });
        try {
          expect(await (reads.jobs as EmbeddedJobStore).getJobs(jobIds)).toEqual(await live.getJobs(jobIds));
        } finally {
          live.close();
        }
      } finally {
        await reads.close();
        await runtime.close();
      }
    }
  }, 120_000);

  it('after a crash mid-build (a half-built file beside an empty read model) the next start builds again, in full', async () => {
    const dir = fresh('crash');
    // What a start killed during its build leaves: the empty live file its earlier open created and the half-built one.
    EmbeddedJobStore.open({ path: join(dir, 'read.db') }).close();
    writeFileSync(join(dir, 'read.db.building'), 'half a database');
    expect(storedCheckpoint(join(dir, 'read.db'), 'jobs')).toBe(0);
    expect((await bulkBuildEmptyReadModels(dir, { kind: 'sqlite', path: join(dir, 'events.db') }, head, { minEvents: 1 })).built).toEqual(['jobs', 'lists']);
    expect(storedCheckpoint(join(dir, 'read.db'), 'jobs')).toBe(head);
    expect(storedCheckpoint(join(dir, 'lists.db'), 'lists')).toBe(head);
    expect(existsSync(join(dir, 'read.db.building'))).toBe(false);
    const store = await openEmbeddedJobStore({ path: join(dir, 'read.db') });
    try {
      expect(await store.count()).toBe(jobIds.length);
    } finally {
      store.close();
    }
  }, 60_000);
});
