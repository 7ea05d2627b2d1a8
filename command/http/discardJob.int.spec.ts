import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobExample } from '../../command/http/examples.ts';
import type { FullApp } from '../../tests/support/fullApp.ts';
import { startFullApp } from '../../tests/support/fullApp.ts';

const business = { role: 'business', sub: 'b-discard' } as const;
const other = { role: 'business', sub: 'b-discard-other' } as const;
const worker = { role: 'worker', sub: 'w-discard' } as const;
type Who = typeof business | typeof other | typeof worker;
const { publish: _publish, ...draft } = jobExample;

describe.each(['embedded', 'server'] as const)('DELETE /v1/jobs/:id discards a draft (%s mode)', (mode) => {
  let t: FullApp;
  let position = 0;
  const call = async (method: 'POST' | 'DELETE' | 'GET', url: string, who?: Who, payload?: object) => {
    const res = await t.app.inject({ method, url, headers: { ...(who ? await t.auth(who) : {}), 'x-min-position': String(position) }, ...(payload ? { payload } : {}) });
    const body = res.body ? res.json<{ position?: number }>() : {};
    if (method !== 'GET' && typeof body.position === 'number') position = Math.max(position, body.position);
    return res;
  };
  const newDraft = async (title = 'Draft to throw away') => (await call('POST', '/v1/jobs', business, { ...draft, title })).json<{ id: string }>().id;
  const ownJobIds = async () => (await call('GET', '/v1/businesses/me/jobs?size=100', business)).json<{ items: { jobId: string }[] }>().items.map((j) => j.jobId);

  beforeAll(async () => {
    t = await startFullApp(mode, { minPositionWaitMs: 15_000 });
  });
  afterAll(async () => t?.close());

  it('removes the draft from the read models; the job answers 404 and no list names it', async () => {
    const kept = await newDraft('Draft to keep');
    const id = await newDraft();
    expect(await ownJobIds()).toEqual(expect.arrayContaining([id, kept]));
    const res = await call('DELETE', `/v1/jobs/${id}`, business);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id, revision: 1 });
    expect((await call('GET', `/v1/jobs/${id}`, business)).statusCode).toBe(404);
    const left = await ownJobIds();
    expect(left).toContain(kept);
    expect(left).not.toContain(id);
    expect((await call('GET', `/v1/businesses/me/jobs?status=draft&size=100`, business)).body).not.toContain(id);
  });

  it('a repeated DELETE answers as the first did and appends nothing', async () => {
    const id = await newDraft();
    const first = (await call('DELETE', `/v1/jobs/${id}`, business)).json<{ revision: number; position: number }>();
    const head = await t.runtime.store.headPosition();
    const again = await call('DELETE', `/v1/jobs/${id}`, business);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ id, revision: first.revision });
    expect(await t.runtime.store.headPosition()).toBe(head);
  });

  it('refuses a stale If-Match with a 409 and discards nothing', async () => {
    const id = await newDraft();
    const stale = await t.app.inject({ method: 'DELETE', url: `/v1/jobs/${id}`, headers: { ...(await t.auth(business)), 'if-match': '"7"' } });
    expect(stale.statusCode).toBe(409);
    expect(await ownJobIds()).toContain(id);
    const fresh = await t.app.inject({ method: 'DELETE', url: `/v1/jobs/${id}`, headers: { ...(await t.auth(business)), 'if-match': '"0"' } });
    expect(fresh.statusCode, fresh.body).toBe(200);
  });

  it('a draft withdrawn before it was published can be discarded too', async () => {
    const id = await newDraft();
    expect((await call('POST', `/v1/jobs/${id}/close`, business, { reason: 'withdrawn' })).statusCode).toBe(200);
    expect((await call('DELETE', `/v1/jobs/${id}`, business)).statusCode).toBe(200);
    expect(await ownJobIds()).not.toContain(id);
  });

  it('refuses a published job (it is closed, never deleted), keeping it and its applications', async () => {
    const id = (await call('POST', '/v1/jobs', business, jobExample)).json<{ id: string }>().id;
    expect((await call('POST', `/v1/jobs/${id}/applications`, worker, { message: 'I can start Monday.' })).statusCode).toBe(201);
    const res = await call('DELETE', `/v1/jobs/${id}`, business);
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ statusCode: 409, code: 'job_published' });
    expect((await call('GET', `/v1/jobs/${id}`)).statusCode).toBe(200);
    expect((await call('GET', `/v1/jobs/${id}/applications`, business)).json<{ items: unknown[] }>().items).toHaveLength(1);
  });

  it("refuses another business (403), a worker (403) and anonymous callers (401); the draft stays", async () => {
    const id = await newDraft();
    expect((await call('DELETE', `/v1/jobs/${id}`, other)).statusCode).toBe(403);
    expect((await call('DELETE', `/v1/jobs/${id}`, worker)).statusCode).toBe(403);
    expect((await call('DELETE', `/v1/jobs/${id}`)).statusCode).toBe(401);
    expect(await ownJobIds()).toContain(id);
  });

  it('after a discard the job takes no other command: publish, edit and save answer 404', async () => {
    const id = await newDraft();
    await call('DELETE', `/v1/jobs/${id}`, business);
    expect((await call('POST', `/v1/jobs/${id}/publish`, business, { expiresAt: '2099-01-01T00:00:00Z' })).statusCode).toBe(404);
    const edit = await t.app.inject({ method: 'PATCH', url: `/v1/jobs/${id}`, headers: await t.auth(business), payload: { title: 'Back again' } });
    expect(edit.statusCode).toBe(404);
    const save = await t.app.inject({ method: 'PUT', url: `/v1/me/saved-jobs/${id}`, headers: await t.auth(worker) });
    expect(save.statusCode).toBe(404);
  });

  it('an unknown job is a 404', async () => {
    expect((await call('DELETE', '/v1/jobs/no-such-job', business)).statusCode).toBe(404);
  });
});
