// Views counted once per viewer, job and UTC day (no event
// per call), and a worker's saved jobs capped; both modes, real stores.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobExample } from './examples.ts';
import { MAX_SAVED_JOBS } from '../deciders/workerDecider.ts';
import type { FullApp } from '../../tests/support/fullApp.ts';
import { startFullApp } from '../../tests/support/fullApp.ts';
import { allEvents } from '../../tests/support/commandApp.ts';

const business = { role: 'business', sub: 'b-views' } as const;
const worker = { role: 'worker', sub: 'w-views' } as const;
const otherWorker = { role: 'worker', sub: 'w-views-2' } as const;
const { startDate: _s, endDate: _e, publish: _p, ...base } = jobExample;

describe.each(['embedded', 'server'] as const)('views and saved jobs (%s mode)', (mode) => {
  let t: FullApp;
  let last = 0;

  beforeAll(async () => {
    t = await startFullApp(mode);
    t.clock.now = new Date('2027-03-01T10:00:00Z');
  });
  afterAll(async () => t?.close());

  const createJob = async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/jobs', payload: { ...base, publish: { expiresAt: '2027-12-31T00:00:00Z' } }, headers: await t.auth(business) });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json<{ id: string; position: number }>();
    last = Math.max(last, body.position);
    return body.id;
  };
  const view = async (jobId: string, headers: Record<string, string> = {}) => {
    const res = await t.app.inject({ method: 'POST', url: `/v1/jobs/${jobId}/views`, headers });
    expect(res.statusCode, res.body).toBe(202);
    const body = res.json<{ id: string; revision: number; position: number }>();
    last = Math.max(last, body.position);
    return body;
  };
  const viewsOf = async (jobId: string) => (await allEvents(t.runtime.store)).filter((e) => e.type === 'JobViewed' && e.data.jobId === jobId);

  it('records one view per viewer, job and UTC day; a repeat appends nothing and answers 202 with the first reply', async () => {
    const jobId = await createJob();
    const anonymous = { 'user-agent': 'browser-a' };
    const first = await view(jobId, anonymous);
    const head = await t.runtime.store.headPosition();
    // Repeats: the same anonymous caller (IP and user agent), the same signed-in worker.
    expect(await view(jobId, anonymous)).toEqual(first);
    expect(await view(jobId, anonymous)).toEqual(first);
    const w = await t.auth(worker);
    const byWorker = await view(jobId, w);
    expect(await view(jobId, { ...w, 'user-agent': 'another device' })).toEqual(byWorker);
    // New viewers count: another user agent behind the same IP, another worker.
    await view(jobId, { 'user-agent': 'browser-b' });
    await view(jobId, await t.auth(otherWorker));
    expect(await viewsOf(jobId)).toHaveLength(4);
    expect(await t.runtime.store.headPosition()).toBe(head + 3);
    // The next UTC day counts again.
    t.clock.now = new Date('2027-03-02T00:00:01Z');
    try {
      expect((await view(jobId, anonymous)).position).toBeGreaterThan(first.position);
      await view(jobId, anonymous);
    } finally {
      t.clock.now = new Date('2027-03-01T10:00:00Z');
    }
    const views = await viewsOf(jobId);
    expect(views).toHaveLength(5);
    // The raw IP never reaches the log: only a salted hash, inside the stream id.
    for (const e of views) {
      expect(e.streamId).toMatch(new RegExp(`^jobviews-${jobId}-2027-03-0[12]-[A-Za-z0-9_-]{22}$`));
      expect(JSON.stringify(e)).not.toContain('127.0.0.1');
    }
    // The read models count unique viewers per day.
    const headers = await t.auth(business);
    const doc = await t.app.inject({ url: `/v1/jobs/${jobId}?minPosition=${last}`, headers });
    expect(doc.json<{ views: number }>().views).toBe(5);
    const stats = await t.app.inject({ url: `/v1/jobs/${jobId}/stats?minPosition=${last}`, headers });
    expect(stats.json()).toMatchObject({ totals: { views: 5 }, days: [{ date: '2027-03-01', views: 4 }, { date: '2027-03-02', views: 1 }] });
  });

  it('concurrent first views by one viewer record one event', async () => {
    const jobId = await createJob();
    const replies = await Promise.all(Array.from({ length: 8 }, () => view(jobId, { 'user-agent': 'racer' })));
    expect(new Set(replies.map((r) => r.position)).size).toBe(1);
    expect(await viewsOf(jobId)).toHaveLength(1);
  });

  it('still refuses views of unknown jobs (404) and closed ones (409)', async () => {
    expect((await t.app.inject({ method: 'POST', url: '/v1/jobs/no-such-job/views' })).statusCode).toBe(404);
    const jobId = await createJob();
    expect((await t.app.inject({ method: 'POST', url: `/v1/jobs/${jobId}/close`, payload: { reason: 'filled' }, headers: await t.auth(business) })).statusCode).toBe(200);
    const closed = await t.app.inject({ method: 'POST', url: `/v1/jobs/${jobId}/views` });
    expect(closed.statusCode).toBe(409);
    expect(closed.json()).toMatchObject({ statusCode: 409, code: 'job_not_open' });
  });

  it(`holds at most ${MAX_SAVED_JOBS} saved jobs per worker (422 too_many_saved_jobs); unsaving one makes room`, async () => {
    const jobId = await createJob();
    const other = await createJob();
    const sub = 'w-hoarder';
    // The worker's stream already holds the cap (appended directly: the cap is the decider's, not the route's).
    const meta = { actor: { role: 'worker' as const, sub }, correlationId: 'c', causationId: 'c', occurredAt: '2027-03-01T09:00:00.000Z' };
    const saved = Array.from({ length: MAX_SAVED_JOBS }, (_, i) => ({ type: 'JobSaved' as const, data: { workerId: sub, jobId: i === 0 ? jobId : `gone-${i}`, savedAt: meta.occurredAt }, eventId: randomUUID(), metadata: meta }));
    await t.runtime.store.append(`worker-${sub}`, saved, 'no_stream');
    const h = await t.auth({ role: 'worker', sub });
    const over = await t.app.inject({ method: 'PUT', url: `/v1/me/saved-jobs/${other}`, headers: h });
    expect(over.statusCode).toBe(422);
    expect(over.json()).toMatchObject({ statusCode: 422, code: 'too_many_saved_jobs', error: 'Unprocessable Entity' });
    // Saving one already saved stays a no-op, not an error.
    expect((await t.app.inject({ method: 'PUT', url: `/v1/me/saved-jobs/${jobId}`, headers: h })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'DELETE', url: '/v1/me/saved-jobs/gone-1', headers: h })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'PUT', url: `/v1/me/saved-jobs/${other}`, headers: h })).statusCode).toBe(200);
  });
});
