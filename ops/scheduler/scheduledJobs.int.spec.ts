import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobExample, savedSearchExample } from '../../command/http/examples.ts';
import type { FullApp } from '../../tests/support/fullApp.ts';
import { startFullApp } from '../../tests/support/fullApp.ts';
import { expireJobs, isExpiredJobFinder } from './expireJobs.ts';
import type { RunningScheduler } from './openScheduler.ts';
import { openScheduler } from './openScheduler.ts';
import { DAY_MS, HOUR_MS, MINUTE_MS } from './scheduledJob.ts';

const business = { role: 'business', sub: 'b-sched' } as const;
const worker = { role: 'worker', sub: 'w-sched' } as const;
const t0 = new Date('2027-03-01T12:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);
// Tahoe (the example's place) and, well away from it, Denver.
const tahoe = 'bbox=-121,38,-119,40';
const denver = { point: { lat: 39.74, lon: -104.99 }, city: 'Denver', country: 'US' };

describe.each(['embedded', 'server'] as const)('scheduled jobs against the real read models (%s mode)', (mode) => {
  let t: FullApp;
  let scheduler: RunningScheduler;
  beforeAll(async () => {
    // A generous read-your-writes wait: the machine is shared, and a stale read here would only be noise.
    t = await startFullApp(mode, { minPositionWaitMs: 20_000 });
    t.clock.now = t0;
    // The run log and guard the configuration picks (server: PostgreSQL in the test's own schema).
    scheduler = await openScheduler(t.runtime.config, { store: t.runtime.store, reads: t.reads, clock: () => t.clock.now });
  });
  afterAll(async () => {
    await scheduler?.close();
    await t?.close();
  });

  const post = async (url: string, principal: { role: 'business' | 'worker'; sub: string }, payload: object) => {
    const res = await t.app.inject({ method: 'POST', url, payload, headers: await t.auth(principal) });
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res.json<{ id: string; position: number }>();
  };
  const head = () => t.runtime.store.headPosition();
  const read = async <T>(url: string): Promise<T> => {
    const res = await t.app.inject(`${url}&minPosition=${await head()}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<T>();
  };
  const searchIds = async (qs: string) => (await read<{ hits: { job: { jobId: string } }[] }>(`/v1/search?${qs}`)).hits.map((h) => h.job.jobId);
  const mapTotal = async () => (await read<{ total: number }>(`/v1/map?${tahoe}&zoom=8`)).total;

  it('expire-jobs closes a job past expiresAt through the decider: it leaves search and map, its detail is 410; a job still valid stays', async () => {
    const doomed = await post('/v1/jobs', business, { ...jobExample, title: 'Glacier Ferry Deckhand', publish: { expiresAt: at(HOUR_MS).toISOString() } });
    const survivor = await post('/v1/jobs', business, { ...jobExample, title: 'Glacier Lodge Porter', location: denver, publish: { expiresAt: at(3 * HOUR_MS).toISOString() } });
    expect(await searchIds('text=glacier')).toEqual(expect.arrayContaining([doomed.id, survivor.id]));
    expect(await mapTotal()).toBe(1);

    const report = await scheduler.runNow('expire-jobs', at(2 * HOUR_MS));
    expect(report).toMatchObject({ job: 'expire-jobs', slot: at(2 * HOUR_MS).toISOString(), items: 1 });
    expect(report.error).toBeUndefined();

    // Read as of a time before the expiry: only the JobExpired event can hide the job now, not the read side's clock.
    t.clock.now = at(30 * MINUTE_MS);
    expect(await searchIds('text=glacier')).toEqual([survivor.id]);
    expect(await mapTotal()).toBe(0);
    const detail = await t.app.inject(`/v1/jobs/${doomed.id}?minPosition=${await head()}`);
    expect(detail.statusCode).toBe(410);
    expect(detail.json()).toMatchObject({ details: { reason: 'expired' } });
    expect((await t.app.inject(`/v1/jobs/${survivor.id}`)).statusCode).toBe(200);
    const stream = await t.runtime.store.readStream(`job-${doomed.id}`);
    expect(stream.at(-1)).toMatchObject({ type: 'JobExpired', data: { expiredAt: at(2 * HOUR_MS).toISOString() }, metadata: { actor: { role: 'system', sub: 'scheduler' } } });

    // Run again: nothing left to expire, and both runs are recorded.
    expect(await scheduler.runNow('expire-jobs', at(2 * HOUR_MS))).toMatchObject({ items: 0 });
    const runs = await scheduler.runs.recent({ job: 'expire-jobs' });
    expect(runs.map((r) => r.items)).toEqual([0, 1]);
    expect(runs.every((r) => r.endedAt !== undefined && r.error === undefined)).toBe(true);
    t.clock.now = t0;
  });

  it('expire-jobs skips a job the read model still shows open but the log has closed (the decider refuses it; nothing is appended)', async () => {
    const closed = await post('/v1/jobs', business, { ...jobExample, title: 'Harbor Kiosk Clerk', publish: { expiresAt: at(HOUR_MS).toISOString() } });
    await post(`/v1/jobs/${closed.id}/close`, business, { reason: 'filled' });
    const before = await t.runtime.store.readStream(`job-${closed.id}`);
    // A lagging read model, which a real store cannot be made to show on demand: it nominates the closed job.
    const lagging = { expiredOpenJobIds: (_now: Date, _size: number, after?: string) => Promise.resolve(after === undefined ? [closed.id] : []) };
    const run = expireJobs({ store: t.runtime.store, jobs: lagging });
    expect(await run({ now: at(2 * HOUR_MS), slot: at(2 * HOUR_MS), signal: new AbortController().signal })).toEqual({ items: 0 });
    expect(await t.runtime.store.readStream(`job-${closed.id}`)).toHaveLength(before.length);
    // And the real read model does not nominate it at all.
    expect(isExpiredJobFinder(t.reads.jobs)).toBe(true);
    if (isExpiredJobFinder(t.reads.jobs)) {
      await t.reads.progress.waitFor(await head(), 5000);
      expect(await t.reads.jobs.expiredOpenJobIds(at(2 * HOUR_MS), 100)).not.toContain(closed.id);
    }
  });

  it('archive-saved-searches archives a search saved more than 90 days ago, and only that one', async () => {
    const old = await post('/v1/me/saved-searches', worker, { ...savedSearchExample, name: 'old one' });
    t.clock.now = at(10 * DAY_MS);
    const recent = await post('/v1/me/saved-searches', worker, { ...savedSearchExample, name: 'recent one' });
    t.clock.now = t0;
    await t.reads.progress.waitFor(await head(), 5000);

    expect(await scheduler.runNow('archive-saved-searches', at(89 * DAY_MS))).toMatchObject({ items: 0 });
    expect(await scheduler.runNow('archive-saved-searches', at(95 * DAY_MS))).toMatchObject({ items: 1 });
    const list = await t.app.inject({ url: `/v1/me/saved-searches?minPosition=${await head()}`, headers: await t.auth(worker) });
    const items = list.json<{ items: { searchId: string; status: string }[] }>().items;
    expect(items.find((s) => s.searchId === old.id)).toMatchObject({ status: 'archived' });
    expect(items.find((s) => s.searchId === recent.id)).toMatchObject({ status: 'active' });
    // Once archived it is no candidate any more.
    expect(await scheduler.runNow('archive-saved-searches', at(95 * DAY_MS))).toMatchObject({ items: 0 });
  });
});
