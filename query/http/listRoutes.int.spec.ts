import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobExample, savedSearchExample } from '../../command/http/examples.ts';
import { connectSearch } from '../engine/connect.ts';
import { listIndexName } from '../../mappings/listIndexes.ts';
import type { FullApp } from '../../tests/support/fullApp.ts';
import { startFullApp } from '../../tests/support/fullApp.ts';
import { appWithLists } from '../../tests/support/listApp.ts';

const business = { role: 'business', sub: 'b-lists' } as const;
const otherBusiness = { role: 'business', sub: 'b-other' } as const;
const worker = { role: 'worker', sub: 'w-lists' } as const;
const otherWorker = { role: 'worker', sub: 'w-other' } as const;
const { publish: _publish, ...draft } = jobExample;

interface Reply {
  id: string;
  position: number;
}
interface Page<T> {
  items: T[];
  nextCursor?: string;
  position: number;
}

describe.each(['embedded', 'server'] as const)('list endpoints (%s mode)', (mode) => {
  let t: FullApp;
  /** The app under test: the full app's own when it serves the lists, else one built on the same read side. */
  let app: FastifyInstance;
  let closeApp: (() => Promise<void>) | undefined;
  const tick = () => {
    t.clock.now = new Date(t.clock.now.getTime() + 60_000);
  };

  beforeAll(async () => {
    t = await startFullApp(mode);
    t.clock.now = new Date('2027-03-01T12:00:00Z');
    const served = await appWithLists(t);
    app = served.app;
    closeApp = () => served.close();
  });
  afterAll(async () => {
    await closeApp?.();
    const prefix = mode === 'server' ? t?.runtime.config.SEARCH_PREFIX : '';
    await t?.close();
    if (mode === 'server' && prefix && process.env.SEARCH_URL) {
      const client = await connectSearch(process.env.SEARCH_URL);
      await client.deleteIndex((['applications', 'saved_jobs', 'saved_searches', 'job_stats'] as const).map((m) => listIndexName(m, 1, prefix)), { ignoreMissing: true });
      await client.close();
    }
  });

  const as = async (p: { role: 'business' | 'worker'; sub: string }) => t.auth(p);
  const post = async (url: string, payload: object, p: { role: 'business' | 'worker'; sub: string }) => {
    tick();
    const res = await app.inject({ method: 'POST', url, payload, headers: await as(p) });
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res.json<Reply>();
  };
  const send = async (method: 'PUT' | 'DELETE' | 'PATCH', url: string, p: { role: 'business' | 'worker'; sub: string }, payload?: object) => {
    tick();
    const res = await app.inject({ method, url, headers: await as(p), ...(payload ? { payload } : {}) });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Reply>();
  };
  const get = async <T>(url: string, p?: { role: 'business' | 'worker'; sub: string }) => {
    const res = await app.inject({ url, ...(p ? { headers: await as(p) } : {}) });
    return { status: res.statusCode, body: res.json<T>() };
  };

  it('a worker sees what it saved and applied to, newest first, read-your-writes; others see nothing of it', async () => {
    const job1 = await post('/v1/jobs', { ...jobExample, title: 'Lakeside Barista' }, business);
    const job2 = await post('/v1/jobs', { ...jobExample, title: 'Dock Hand', category: 'outdoor' }, business);
    const foreign = await post('/v1/jobs', { ...jobExample, title: 'Orchard Picker' }, otherBusiness);

    await send('PUT', `/v1/me/saved-jobs/${job1.id}`, worker);
    const save2 = await send('PUT', `/v1/me/saved-jobs/${job2.id}`, worker);
    const search = await post('/v1/me/saved-searches', savedSearchExample, worker);
    const applied = await post(`/v1/jobs/${job1.id}/applications`, { message: 'I can start in June.' }, worker);
    await post(`/v1/jobs/${foreign.id}/applications`, {}, worker);
    const last = Math.max(save2.position, search.position, applied.position);

    const savedJobs = await get<Page<{ jobId: string; savedAt: string; job: { title: string; city?: string; pay: { min: number }; status: string } | null }>>(`/v1/me/saved-jobs?minPosition=${last}`, worker);
    expect(savedJobs.status).toBe(200);
    expect(savedJobs.body.items.map((s) => s.jobId)).toEqual([job2.id, job1.id]);
    expect(savedJobs.body.items[1]).toMatchObject({ job: { title: 'Lakeside Barista', city: 'Tahoe City', pay: { min: 16 }, status: 'open' } });
    expect(savedJobs.body.position).toBeGreaterThanOrEqual(last);

    const searches = await get<Page<{ searchId: string; name: string; archived: boolean; status: string; query: unknown }>>(`/v1/me/saved-searches?minPosition=${last}`, worker);
    expect(searches.body.items).toEqual([expect.objectContaining({ searchId: search.id, name: savedSearchExample.name, status: 'active', archived: false, query: savedSearchExample.query, alertFrequency: 'daily', alertHour: 7, alertWeekday: 1, timeZone: 'America/Los_Angeles' })]);

    const apps = await get<Page<{ applicationId: string; jobId: string; status: string; message?: string; job: { title: string } | null }>>('/v1/me/applications', worker);
    expect(apps.body.items.map((a) => a.jobId)).toEqual([foreign.id, job1.id]);
    expect(apps.body.items[1]).toMatchObject({ applicationId: applied.id, status: 'submitted', message: 'I can start in June.', job: { title: 'Lakeside Barista', status: 'open' } });

    // Another worker sees none of it.
    for (const url of ['/v1/me/saved-jobs', '/v1/me/saved-searches', '/v1/me/applications']) {
      const other = await get<Page<unknown>>(url, otherWorker);
      expect(other.status).toBe(200);
      expect(other.body.items).toEqual([]);
    }

    // Applicants: the owner sees them; another business gets 403, an unknown job 404, a worker 403.
    const applicants = await get<Page<{ applicationId: string; workerId: string; status: string }>>(`/v1/jobs/${job1.id}/applications`, business);
    expect(applicants.status).toBe(200);
    expect(applicants.body.items).toEqual([expect.objectContaining({ applicationId: applied.id, workerId: worker.sub, status: 'submitted' })]);
    expect((await get(`/v1/jobs/${job1.id}/applications`, otherBusiness)).status).toBe(403);
    expect((await get(`/v1/jobs/${job1.id}/applications`, worker)).status).toBe(403);
    const unknown = await get<{ statusCode: number; code: string; error: string; message: string }>('/v1/jobs/no-such-job/applications', business);
    expect(unknown).toMatchObject({ status: 404, body: { statusCode: 404, code: 'job_not_found', error: 'Not Found' } });
    expect((await get(`/v1/jobs/${foreign.id}/applications`, otherBusiness)).body).toMatchObject({ items: [expect.objectContaining({ workerId: worker.sub })] });

    // Changes are reflected: unsave, withdraw, status change, delete.
    const unsave = await send('DELETE', `/v1/me/saved-jobs/${job2.id}`, worker);
    expect((await get<Page<{ jobId: string }>>(`/v1/me/saved-jobs?minPosition=${unsave.position}`, worker)).body.items.map((s) => s.jobId)).toEqual([job1.id]);
    const withdrawn = await post(`/v1/applications/${applied.id}/withdraw`, {}, worker);
    const mine = await get<Page<{ applicationId: string; status: string }>>(`/v1/me/applications?minPosition=${withdrawn.position}&status=withdrawn`, worker);
    expect(mine.body.items).toEqual([expect.objectContaining({ applicationId: applied.id, status: 'withdrawn' })]);
    expect((await get<Page<unknown>>(`/v1/jobs/${job1.id}/applications?status=submitted`, business)).body.items).toEqual([]);
    const shortlisted = await post(`/v1/applications/${(await get<Page<{ applicationId: string }>>(`/v1/jobs/${foreign.id}/applications`, otherBusiness)).body.items[0]!.applicationId}/status`, { status: 'shortlisted' }, otherBusiness);
    expect((await get<Page<{ status: string }>>(`/v1/me/applications?minPosition=${shortlisted.position}&status=shortlisted`, worker)).body.items).toHaveLength(1);
    const off = await send('PATCH', `/v1/me/saved-searches/${search.id}`, worker, { alertFrequency: 'off' });
    const switchedOff = await get<Page<{ alertFrequency: string; alertHour: number }>>(`/v1/me/saved-searches?minPosition=${off.position}`, worker);
    expect(switchedOff.body.items).toEqual([expect.objectContaining({ alertFrequency: 'off', alertHour: 7 })]);
    const deleted = await send('DELETE', `/v1/me/saved-searches/${search.id}`, worker);
    expect((await get<Page<unknown>>(`/v1/me/saved-searches?minPosition=${deleted.position}`, worker)).body.items).toEqual([]);
  });

  it("a business lists its own jobs of every status, newest first, filtered by status; nobody else's", async () => {
    const open = await post('/v1/jobs', { ...jobExample, title: 'Ski Lift Operator' }, otherBusiness);
    const drafted = await post('/v1/jobs', { ...draft, title: 'Snow Groomer' }, otherBusiness);
    const closed = await post('/v1/jobs', { ...jobExample, title: 'Rental Desk Clerk' }, otherBusiness);
    const done = await post(`/v1/jobs/${closed.id}/close`, { reason: 'filled' }, otherBusiness);

    const all = await get<Page<{ jobId: string; status: string; businessId: string }>>(`/v1/businesses/me/jobs?minPosition=${done.position}&size=100`, otherBusiness);
    expect(all.status).toBe(200);
    const ids = all.body.items.map((j) => j.jobId);
    expect(ids).toEqual(expect.arrayContaining([open.id, drafted.id, closed.id]));
    expect(all.body.items.every((j) => j.businessId === otherBusiness.sub)).toBe(true);
    expect((await get<Page<{ jobId: string }>>('/v1/businesses/me/jobs?status=draft', otherBusiness)).body.items.map((j) => j.jobId)).toEqual([drafted.id]);
    expect((await get<Page<{ jobId: string }>>('/v1/businesses/me/jobs?status=closed', otherBusiness)).body.items.map((j) => j.jobId)).toEqual([closed.id]);
    const mineOnly = await get<Page<{ jobId: string }>>('/v1/businesses/me/jobs?size=100', business);
    expect(mineOnly.body.items.map((j) => j.jobId)).not.toContain(open.id);
    expect((await get('/v1/businesses/me/jobs', worker)).status).toBe(403);
  });

  it('pages by cursor, size at most 100, and rejects bad input with 400 / missing tokens with 401', async () => {
    const pager = { role: 'worker', sub: 'w-pager' } as const;
    const ids: string[] = [];
    let position = 0;
    for (let i = 0; i < 5; i++) {
      const job = await post('/v1/jobs', { ...jobExample, title: `Paging Job ${i}` }, business);
      ids.push(job.id);
      position = (await send('PUT', `/v1/me/saved-jobs/${job.id}`, pager)).position;
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await get<Page<{ jobId: string }>>(`/v1/me/saved-jobs?size=2&minPosition=${position}${cursor ? `&cursor=${cursor}` : ''}`, pager);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((s) => s.jobId));
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor !== undefined && pages < 10);
    expect(seen).toEqual([...ids].reverse());
    expect(pages).toBe(3);

    for (const qs of ['size=101', 'size=0', 'colour=blue', 'cursor=not-a-cursor', 'minPosition=-1']) {
      const res = await get<{ statusCode: number; code: string; error: string; message: string }>(`/v1/me/saved-jobs?${qs}`, pager);
      expect(res.status, qs).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    }
    expect((await get('/v1/me/applications?status=lost', pager)).status).toBe(400);
    expect((await get('/v1/businesses/me/jobs?cursor=garbage', business)).status).toBe(400);
    expect((await get('/v1/me/saved-jobs')).status).toBe(401);
    expect((await get('/v1/me/saved-jobs', business)).status).toBe(403);
    const stale = await app.inject({ url: '/v1/me/applications', headers: { ...(await as(pager)), 'x-min-position': String(position + 1000) } });
    expect(stale.statusCode).toBe(503);
    expect(stale.json()).toMatchObject({ code: 'stale_read' });
  });
});
