import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobExample } from '../../command/http/examples.ts';
import type { FullApp } from '../../tests/support/fullApp.ts';
import { startFullApp } from '../../tests/support/fullApp.ts';

const business = { role: 'business', sub: 'b-ryw' } as const;
const { publish: _p, ...draft } = jobExample;

describe.each(['embedded', 'server'] as const)('read-your-writes through the API (%s mode)', (mode) => {
  let t: FullApp;
  beforeAll(async () => {
    t = await startFullApp(mode);
    t.clock.now = new Date('2027-03-01T12:00:00Z');
  });
  afterAll(async () => t?.close());

  const search = (qs: string) => t.app.inject(`/v1/search?${qs}`);
  const bbox = 'bbox=-121,38,-119,40';

  it('a published job is found with the returned position as minPosition; closing it removes it from search and map; detail is 410', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/v1/jobs',
      payload: { ...jobExample, title: 'Lakeside Kayak Guide', skills: ['kayaking', 'first aid'] },
      headers: await t.auth(business),
    });
    expect(created.statusCode).toBe(201);
    const { id, position } = created.json<{ id: string; position: number }>();

    const found = await search(`text=kayak&minPosition=${position}`);
    expect(found.statusCode).toBe(200);
    expect(found.json<{ hits: { job: { jobId: string } }[] }>().hits.map((h) => h.job.jobId)).toContain(id);
    const onMap = await t.app.inject({ url: `/v1/map?${bbox}&zoom=8`, headers: { 'x-min-position': String(position) } });
    expect(onMap.json<{ total: number }>().total).toBe(1);
    expect((await t.app.inject(`/v1/jobs/${id}?minPosition=${position}`)).json()).toMatchObject({ jobId: id, status: 'open' });

    const closed = await t.app.inject({ method: 'POST', url: `/v1/jobs/${id}/close`, payload: { reason: 'filled' }, headers: await t.auth(business) });
    const after = closed.json<{ position: number }>().position;
    expect((await search(`text=kayak&minPosition=${after}`)).json<{ total: number }>().total).toBe(0);
    expect((await t.app.inject(`/v1/map?${bbox}&zoom=8&minPosition=${after}`)).json<{ total: number }>().total).toBe(0);
    const detail = await t.app.inject(`/v1/jobs/${id}`);
    expect(detail.statusCode).toBe(410);
    expect(detail.json()).toMatchObject({ code: 'job_closed', details: { reason: 'filled' } });
    // The owner still sees it, with its status.
    expect((await t.app.inject({ url: `/v1/jobs/${id}`, headers: await t.auth(business) })).json()).toMatchObject({ status: 'closed', closedReason: 'filled' });
  });

  it('after a title change the old title no longer finds the job and the new one does', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/v1/jobs', payload: { ...jobExample, title: 'Glacier Trail Porter' }, headers: await t.auth(business) });
    const { id } = created.json<{ id: string }>();
    const patched = await t.app.inject({ method: 'PATCH', url: `/v1/jobs/${id}`, payload: { title: 'Vineyard Harvest Helper' }, headers: await t.auth(business) });
    const { position } = patched.json<{ position: number }>();
    expect((await search(`text=glacier%20porter&minPosition=${position}`)).json<{ total: number }>().total).toBe(0);
    const hits = (await search(`text=vineyard%20harvest&minPosition=${position}`)).json<{ hits: { job: { jobId: string; title: string } }[] }>().hits;
    expect(hits.map((h) => h.job.jobId)).toContain(id);
  });

  it('a draft is invisible to others (404) and found by its owner', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/v1/jobs', payload: draft, headers: await t.auth(business) });
    const { id, position } = created.json<{ id: string; position: number }>();
    expect((await t.app.inject(`/v1/jobs/${id}?minPosition=${position}`)).statusCode).toBe(404);
    expect((await t.app.inject({ url: `/v1/jobs/${id}`, headers: await t.auth(business) })).json()).toMatchObject({ status: 'draft' });
    const own = await t.app.inject({ url: `/v1/search?businessId=${business.sub}&includeClosed=true`, headers: await t.auth(business) });
    expect(own.json<{ hits: { job: { jobId: string } }[] }>().hits.map((h) => h.job.jobId)).toContain(id);
    expect((await t.app.inject(`/v1/search?businessId=${business.sub}&includeClosed=true`)).statusCode).toBe(403);
  });

  it('a minPosition beyond the log answers 503 with Retry-After and the current position, within the bound', async () => {
    const head = await t.runtime.store.headPosition();
    const started = Date.now();
    const res = await t.app.inject(`/v1/search?text=anything&minPosition=${head + 1000}`);
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.json()).toMatchObject({ code: 'stale_read', details: { minPosition: head + 1000 } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
  });

  it('rejects bad read parameters with 400 naming the field', async () => {
    const res = await search('payMin=abc');
    expect(res.statusCode).toBe(400);
    expect(JSON.stringify(res.json())).toContain('payMin');
    const unknown = await search('colour=blue');
    expect(unknown.statusCode).toBe(400);
    expect(JSON.stringify(unknown.json())).toContain('colour');
    const cursor = await search('cursor=not-a-cursor');
    expect(cursor.statusCode).toBe(400);
    expect(cursor.json()).toMatchObject({ code: 'invalid_cursor' });
    const zoom = await t.app.inject('/v1/map?bbox=-10,40,10,50&zoom=21');
    expect(zoom.statusCode).toBe(400);
  });

  it('shows operators each projector with its checkpoint and lag; others get 403', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/v1/jobs', payload: jobExample, headers: await t.auth(business) });
    const { position } = created.json<{ position: number }>();
    await t.app.inject(`/v1/search?minPosition=${position}`);
    const res = await t.app.inject({ url: '/v1/ops/projections', headers: await t.auth({ role: 'operator', sub: 'ops' }) });
    expect(res.statusCode).toBe(200);
    const projections = res.json<{ projections: { name: string; checkpoint: number; lagEvents: number; state: string }[] }>().projections;
    expect(projections.map((p) => p.name).sort()).toEqual(['jobs', 'lists']);
    for (const p of projections) expect(p.checkpoint).toBeGreaterThanOrEqual(position);
    expect((await t.app.inject({ url: '/v1/ops/projections', headers: await t.auth({ role: 'worker', sub: 'w' }) })).statusCode).toBe(403);
  });

  it('serves a job as schema.org JobPosting JSON-LD', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/v1/jobs', payload: jobExample, headers: await t.auth(business) });
    const { id, position } = created.json<{ id: string; position: number }>();
    const res = await t.app.inject({ url: `/v1/jobs/${id}?minPosition=${position}`, headers: { accept: 'application/ld+json' } });
    expect(res.headers['content-type']).toContain('application/ld+json');
    expect(res.json()).toMatchObject({ '@type': 'JobPosting', title: jobExample.title, baseSalary: { currency: 'USD' } });
  });
});
