// POST /v1/ops/jobs/:name/run: an operator runs one scheduled job in the
// serving process and gets its run report; bad input is a 400 naming the
// field, an unknown job a 404 naming it, a job already running a 409.
// GET /v1/ops/jobs: the jobs' health and the latest runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobExample } from '../../command/http/examples.ts';
import type { FullApp } from '../../tests/support/fullApp.ts';
import { startFullApp } from '../../tests/support/fullApp.ts';
import { HOUR_MS } from './scheduledJob.ts';

const t0 = new Date('2027-03-01T12:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms).toISOString();

describe.each(['embedded', 'server'] as const)('POST /v1/ops/jobs/:name/run (%s mode)', (mode) => {
  let t: FullApp;
  let operator: { authorization: string };
  let doomed: string;
  beforeAll(async () => {
    t = await startFullApp(mode, { scheduler: true, minPositionWaitMs: 20_000 });
    t.clock.now = t0;
    operator = await t.auth({ role: 'operator', sub: 'ops-1' });
    const res = await t.app.inject({ method: 'POST', url: '/v1/jobs', payload: { ...jobExample, title: 'Route Run Deckhand', publish: { expiresAt: at(HOUR_MS) } }, headers: await t.auth({ role: 'business', sub: 'b-run' }) });
    expect(res.statusCode, res.body).toBe(201);
    doomed = res.json<{ id: string }>().id;
    expect(await t.settled()).toBe(true);
  });
  afterAll(async () => t?.close());

  const run = (name: string, payload: object, headers: Record<string, string> = operator) => t.app.inject({ method: 'POST', url: `/v1/ops/jobs/${name}/run`, payload, headers });

  it('is for operators only', async () => {
    expect((await run('expire-jobs', {}, {})).statusCode).toBe(401);
    expect((await run('expire-jobs', {}, await t.auth({ role: 'worker', sub: 'w-1' }))).statusCode).toBe(403);
    expect((await run('expire-jobs', {}, await t.auth({ role: 'business', sub: 'b-run' }))).statusCode).toBe(403);
  });

  it('runs expire-jobs as of `now` and answers its run report, recorded like a scheduled run', async () => {
    const res = await run('expire-jobs', { now: at(2 * HOUR_MS) });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ job: 'expire-jobs', slot: at(2 * HOUR_MS), startedAt: t0.toISOString(), endedAt: t0.toISOString(), items: 1 });
    expect((await t.runtime.store.readStream(`job-${doomed}`)).at(-1)).toMatchObject({ type: 'JobExpired' });
    expect((await t.scheduler!.runs.recent({ job: 'expire-jobs' }))[0]).toMatchObject({ items: 1 });
  });

  it('runs the drift check and answers its report (as of the app clock without `now`): nothing drifted in a read model the projector built', async () => {
    expect(await t.settled()).toBe(true);
    const res = await run('drift-check', {});
    expect(res.json()).toMatchObject({ slot: t0.toISOString() });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ job: 'drift-check', items: 0 });
    expect(res.json()).not.toHaveProperty('error');
  });

  it('answers 409 scheduled_job_running to a second run of a job still running in the process, and runs it again afterwards', async () => {
    expect(await t.settled()).toBe(true);
    const [a, b] = await Promise.all([run('drift-check', {}), run('drift-check', {})]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const refused = a.statusCode === 409 ? a : b;
    expect(refused.json()).toMatchObject({ statusCode: 409, code: 'scheduled_job_running', details: [{ field: 'params.name', code: 'running' }] });
    expect((await run('drift-check', {})).statusCode).toBe(200);
  });

  it('answers 404 naming the field for a job this process does not run', async () => {
    const res = await run('make-coffee', {});
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'scheduled_job_not_found', details: [{ field: 'params.name', code: 'unknown_job' }] });
    expect(res.json<{ message: string }>().message).toContain('expire-jobs');
  });

  it('answers 400 naming body.now for a `now` that is no ISO instant, and for unknown fields', async () => {
    for (const now of ['yesterday', '2027-03-01', 1700000000000]) {
      const res = await run('expire-jobs', { now });
      expect(res.statusCode, String(now)).toBe(400);
      expect(JSON.stringify(res.json())).toContain('body.now');
    }
    const extra = await run('expire-jobs', { at: t0.toISOString() });
    expect(extra.statusCode).toBe(400);
    expect(extra.json()).toMatchObject({ details: [{ field: 'body.at' }] });
  });

  it('GET /v1/ops/jobs: every job with its health, and the latest runs newest first, as many as asked', async () => {
    const before = await t.app.inject({ method: 'GET', url: '/v1/ops/jobs?runs=200', headers: operator });
    expect(before.statusCode, before.body).toBe(200);
    await run('expire-jobs', { now: at(3 * HOUR_MS) });
    const res = await t.app.inject({ method: 'GET', url: '/v1/ops/jobs?runs=2', headers: operator });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<{ jobs: Array<{ job: string; overdue: boolean; lastRunAt?: string }>; runs: Array<{ id: number; job: string; slot: string; startedAt: string; endedAt?: string; items?: number }> }>();
    expect(body.jobs.map((j) => j.job)).toEqual(t.scheduler!.jobs.map((j) => j.name));
    expect(body.jobs.find((j) => j.job === 'expire-jobs')).toMatchObject({ lastRunAt: t0.toISOString() });
    expect(body.runs).toHaveLength(2);
    expect(body.runs[0]).toMatchObject({ job: 'expire-jobs', slot: at(3 * HOUR_MS), startedAt: t0.toISOString(), endedAt: t0.toISOString(), items: 0 });
    expect(body.runs[0]!.id).toBeGreaterThan(body.runs[1]!.id);
    expect(before.json<{ runs: unknown[] }>().runs.length + 1).toBe((await t.app.inject({ method: 'GET', url: '/v1/ops/jobs?runs=200', headers: operator })).json<{ runs: unknown[] }>().runs.length);
  });

  it('GET /v1/ops/jobs: operators only; a bad or unknown parameter is a 400 naming it', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/v1/ops/jobs' })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/v1/ops/jobs', headers: await t.auth({ role: 'worker', sub: 'w-1' }) })).statusCode).toBe(403);
    for (const query of ['runs=201', 'runs=-1', 'runs=two', 'limit=5']) {
      const res = await t.app.inject({ method: 'GET', url: `/v1/ops/jobs?${query}`, headers: operator });
      expect(res.statusCode, query).toBe(400);
      expect(JSON.stringify(res.json())).toContain(query.startsWith('limit') ? 'querystring.limit' : 'querystring.runs');
    }
  });
});
