import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobExample } from '../../command/http/examples.ts';
import type { FullApp } from '../../tests/support/fullApp.ts';
import { startFullApp } from '../../tests/support/fullApp.ts';

const owner = { role: 'business', sub: 'b-stats' } as const;
const other = { role: 'business', sub: 'b-other' } as const;
const operator = { role: 'operator', sub: 'op-1' } as const;
const worker = { role: 'worker', sub: 'w-stats' } as const;
const { startDate: _s, endDate: _e, publish: _p, ...base } = jobExample;
const expiresAt = '2027-12-31T23:59:00Z';

interface Counts {
  views: number;
  saves: number;
  applications: number;
}

describe.each(['embedded', 'server'] as const)('job stats, analytics and suggestPay (%s mode)', (mode) => {
  let t: FullApp;
  let last = 0;

  const call = async (method: 'POST' | 'PUT', url: string, p?: { role: 'business' | 'worker' | 'operator'; sub: string }, payload?: Record<string, unknown>) => {
    const res = await t.app.inject({ method, url, ...(payload !== undefined ? { payload } : {}), headers: p ? await t.auth(p) : {} });
    expect(res.statusCode, res.body).toBeLessThan(300);
    const body = res.json<{ id: string; position: number; suggestedPay?: unknown }>();
    last = Math.max(last, body.position);
    return body;
  };
  const get = async <T>(url: string, p: { role: 'business' | 'worker' | 'operator'; sub: string }) => {
    const res = await t.app.inject({ url, headers: await t.auth(p) });
    return { status: res.statusCode, body: res.json<T>() };
  };
  const createJob = (p: { role: 'business'; sub: string } = owner, extra: Record<string, unknown> = {}) => call('POST', '/v1/jobs', p, { ...base, publish: { expiresAt }, ...extra });

  beforeAll(async () => {
    t = await startFullApp(mode);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('counts views, saves and applications per UTC day; analytics sums them; others get 403', async () => {
    t.clock.now = new Date('2027-03-01T23:30:00Z');
    const job = await createJob();
    const quiet = await createJob();
    const foreign = await createJob(other);
    await call('POST', `/v1/jobs/${job.id}/views`);
    await call('POST', `/v1/jobs/${job.id}/views`, worker);
    await call('PUT', `/v1/me/saved-jobs/${job.id}`, worker);
    t.clock.now = new Date('2027-03-02T08:00:00Z');
    await call('POST', `/v1/jobs/${job.id}/views`);
    await call('POST', `/v1/jobs/${job.id}/applications`, worker, { message: 'hi' });
    await call('POST', `/v1/jobs/${foreign.id}/views`);

    const stats = await get<{ jobId: string; totals: Counts; conversion: number; days: Array<Counts & { date: string }> }>(`/v1/jobs/${job.id}/stats?minPosition=${last}`, owner);
    expect(stats.status).toBe(200);
    expect(stats.body).toMatchObject({
      jobId: job.id,
      totals: { views: 3, saves: 1, applications: 1 },
      days: [
        { date: '2027-03-01', views: 2, saves: 1, applications: 0 },
        { date: '2027-03-02', views: 1, saves: 0, applications: 1 },
      ],
    });
    expect(stats.body.conversion).toBeCloseTo(1 / 3);
    expect((await get(`/v1/jobs/${job.id}/stats?minPosition=${last}`, operator)).status).toBe(200);
    expect((await get(`/v1/jobs/${job.id}/stats?minPosition=${last}`, other)).status).toBe(403);
    expect((await get(`/v1/jobs/${job.id}/stats`, worker)).status).toBe(403);
    expect((await get('/v1/jobs/no-such-job/stats', owner)).status).toBe(404);

    const all = await get<{ jobs: Array<{ jobId: string; totals: Counts; conversion: number }>; totals: Counts; conversion: number }>(`/v1/businesses/me/analytics?minPosition=${last}`, owner);
    expect(all.status).toBe(200);
    expect(all.body.jobs.map((j) => j.jobId).sort()).toEqual([job.id, quiet.id].sort());
    expect(all.body.jobs.find((j) => j.jobId === quiet.id)).toEqual({ jobId: quiet.id, totals: { views: 0, saves: 0, applications: 0 }, conversion: 0 });
    expect(all.body.totals).toEqual({ views: 3, saves: 1, applications: 1 });
    const day2 = await get<{ totals: Counts; conversion: number }>(`/v1/businesses/me/analytics?from=2027-03-02&to=2027-03-02&minPosition=${last}`, owner);
    expect(day2.body.totals).toEqual({ views: 1, saves: 0, applications: 1 });
    expect(day2.body.conversion).toBe(1);
    expect((await get('/v1/businesses/me/analytics', worker)).status).toBe(403);
  });

  it('suggestPay answers a suggestion from comparable jobs; a plain create is unchanged', async () => {
    t.clock.now = new Date('2027-06-01T12:00:00Z');
    const comparable = { category: 'agriculture', employmentType: 'seasonal' };
    for (let i = 0; i < 12; i++) await createJob({ role: 'business', sub: 'b-seed' }, { ...comparable, pay: { min: 20 + i, max: 22 + i, unit: 'hour', currency: 'USD' } });
    // Wait until the jobs read model has the seeded jobs.
    expect((await get(`/v1/compensation/suggest?category=agriculture&employmentType=seasonal&minPosition=${last}`, owner)).status).toBe(200);

    const suggested = await call('POST', '/v1/jobs', owner, { ...base, ...comparable, suggestPay: true });
    expect(suggested.suggestedPay).toMatchObject({ sampleSize: 12, hourly: { p50: 26.5 }, currency: { code: 'USD' } });
    const thin = await call('POST', '/v1/jobs', owner, { ...base, category: 'construction', employmentType: 'seasonal', suggestPay: true });
    expect(thin.suggestedPay).toEqual({ insufficientData: true, sampleSize: 0 });

    const plain = await t.app.inject({ method: 'POST', url: '/v1/jobs', payload: { ...base, ...comparable }, headers: await t.auth(owner) });
    expect(plain.statusCode).toBe(201);
    expect(Object.keys(plain.json<object>()).sort()).toEqual(['id', 'position', 'revision']);
    // The flag never reaches the event.
    const events = await t.runtime.store.readStream(`job-${suggested.id}`);
    expect(events[0]?.type).toBe('JobDrafted');
    expect(events[0]?.data).not.toHaveProperty('suggestPay');
  });
});
