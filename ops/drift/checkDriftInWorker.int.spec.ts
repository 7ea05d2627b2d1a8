// The serving process's drift check in a worker thread (embedded mode): it
// reads the store's file and the log on its own connections, and its repairs
// reach the serving store's in-memory indexes through the store object.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobExample } from '../../command/http/examples.ts';
import { EmbeddedJobStore } from '../../query/embedded/embeddedJobStore.ts';
import { type FullApp, startFullApp } from '../../tests/support/fullApp.ts';
import { eventStoreConfigOf } from '../runtime.ts';
import { openScheduler } from '../scheduler/openScheduler.ts';
import { seedEventStore } from '../seed/seedEventStore.ts';
import { type DriftReport, checkDrift } from './checkDrift.ts';
import { checkDriftInWorker } from './checkDriftInWorker.ts';
import { embeddedDriftTarget } from './embeddedDriftTarget.ts';
import { scheduledDriftCheck } from './scheduledDriftCheck.ts';
import { servingDriftCheck } from './servingDriftCheck.ts';

const essentials = ({ durationMs: _d, ...rest }: DriftReport) => rest;

describe('the drift check in a worker thread (embedded mode)', () => {
  let t: FullApp;
  let store: EmbeddedJobStore;
  let quokka: string;
  let wombat: string;
  beforeAll(async () => {
    t = await startFullApp('embedded');
    await seedEventStore(t.runtime.store, { jobs: 260, seed: 5, now: new Date('2027-03-01T00:00:00Z') });
    const post = async (title: string) => {
      const res = await t.app.inject({ method: 'POST', url: '/v1/jobs', payload: { ...jobExample, title }, headers: await t.auth({ role: 'business', sub: 'b-drift' }) });
      expect(res.statusCode, res.body).toBe(201);
      return res.json<{ id: string }>().id;
    };
    quokka = await post('Quokka Wrangler');
    wombat = await post('Wombat Herder');
    await t.reads.catchUp();
    expect(t.reads.jobs).toBeInstanceOf(EmbeddedJobStore);
    store = t.reads.jobs as EmbeddedJobStore;
  });
  afterAll(async () => t?.close());

  // Through the API: the serving store's in-memory indexes (no response cache in this app).
  const hits = async (text: string) => (await t.app.inject(`/v1/search?text=${encodeURIComponent(text)}`)).json<{ total: number }>().total;
  const tamper = () => {
    // Behind the projector's back: one document deleted, one edited, one invented.
    const gone = store.scanJobs('', 1000).find((d) => d.jobId === quokka)!;
    store.deleteJobs([{ jobId: quokka, seenPosition: gone.position }]);
    const victim = store.scanJobs('', 1000).find((d) => d.jobId === wombat)!;
    store.replaceJobs([{ doc: { ...victim, title: 'Zebracorn Tamer' }, seenPosition: victim.position }]);
    store.replaceJobs([{ doc: { ...victim, jobId: 'ghost-job-1', title: 'Ghost Porter' }, seenPosition: undefined }]);
  };

  it('reports what the in-process check reports, repairs into the serving store (search sees it at once), and moves the marker', async () => {
    tamper();
    expect(await hits('quokka')).toBe(0);
    expect(await hits('zebracorn')).toBe(1);
    expect(await hits('ghost porter')).toBe(1);
    const inProcess = await checkDrift({ store: t.runtime.store, target: embeddedDriftTarget(store) }, { mode: 'full' });
    expect(inProcess).toMatchObject({ missing: 1, extra: 1, stale: 1, clean: false });
    const deps = { jobs: store, eventStore: eventStoreConfigOf(t.runtime.config) };
    expect(essentials(await checkDriftInWorker(deps, { mode: 'full', repair: false }))).toEqual(essentials(inProcess));

    // The scheduled job's first run: no clean-check marker yet, so a full check.
    const reports: DriftReport[] = [];
    const run = servingDriftCheck(t.runtime.config, t.runtime.store, store, { onReport: (r) => reports.push(r) });
    expect(await run(new Date('2027-03-02T00:00:00Z'))).toEqual({ items: 3 });
    expect(reports[0]).toMatchObject({ mode: 'full', fromPosition: 0, missing: 1, extra: 1, stale: 1, repaired: { missing: 1, extra: 1, stale: 1 }, clean: true });
    expect(await hits('quokka')).toBe(1);
    expect(await hits('zebracorn')).toBe(0);
    expect(await hits('ghost porter')).toBe(0);
    expect(await hits('wombat')).toBe(1);
    expect(await store.getCheckpoint('drift:jobs')).toBe(reports[0]!.toPosition);
    const after = await checkDrift({ store: t.runtime.store, target: embeddedDriftTarget(store) }, { mode: 'full' });
    expect(after).toMatchObject({ missing: 0, extra: 0, stale: 0, clean: true });
  });

  it('as the scheduled job: a worker that cannot open the log is a failed run recorded by the scheduler, and the process goes on', async () => {
    // The read file stands where the log's folder should be: the worker cannot open it.
    const broken = { kind: 'sqlite' as const, path: join(store.path, 'events.db') };
    const driftCheck = scheduledDriftCheck({ check: (mode, signal) => checkDriftInWorker({ jobs: store, eventStore: broken }, { mode, repair: true }, signal) });
    const scheduler = await openScheduler(t.runtime.config, { store: t.runtime.store, reads: t.reads, driftCheck });
    try {
      const report = await scheduler.runNow('drift-check', new Date('2027-03-02T00:10:00Z'));
      expect(report.error).toMatch(/^drift check failed: .*(directory|open)/i);
      expect((await scheduler.runs.recent({ job: 'drift-check' }))[0]).toMatchObject({ error: report.error });
      expect(await hits('quokka')).toBe(1);
    } finally {
      await scheduler.close();
    }
  });

  it('repairs a drift larger than one message holds: every deleted document is back, in the store and its search', async () => {
    const before = store.scanJobs('', 1000);
    const searchable = (await t.app.inject('/v1/search')).json<{ total: number }>().total;
    const gone = before.slice(0, 230);
    store.deleteJobs(gone.map((d) => ({ jobId: d.jobId, seenPosition: d.position })));
    expect(await store.count()).toBe(before.length - 230);
    expect((await t.app.inject('/v1/search')).json<{ total: number }>().total).toBeLessThan(searchable);
    const report = await checkDriftInWorker({ jobs: store, eventStore: eventStoreConfigOf(t.runtime.config) }, { mode: 'full', repair: true });
    expect(report).toMatchObject({ missing: 230, repaired: { missing: 230, extra: 0, stale: 0 }, clean: true });
    expect(store.scanJobs('', 1000)).toEqual(before);
    expect((await t.app.inject('/v1/search')).json<{ total: number }>().total).toBe(searchable);
  });

  it('ends the worker when the scheduler stops: the run fails as stopped', async () => {
    const stopping = new AbortController();
    const running = checkDriftInWorker({ jobs: store, eventStore: eventStoreConfigOf(t.runtime.config) }, { mode: 'full', repair: true }, stopping.signal);
    stopping.abort();
    await expect(running).rejects.toThrow(/stopped/);
  });
});
