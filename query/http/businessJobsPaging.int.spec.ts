import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobExample } from '../../command/http/examples.ts';
import { buildApp } from '../../ops/http/buildApp.ts';
import type { FullApp } from '../../tests/support/fullApp.ts';
import { startFullApp } from '../../tests/support/fullApp.ts';

const business = { role: 'business', sub: 'b-many' } as const;
const { publish: _publish, ...draft } = jobExample;
/** Open jobs: more than 20 pages of size 1 between the newest jobs of one status and the rest. */
const OPEN = 24;

interface Page {
  items: Array<{ jobId: string; businessId: string }>;
  nextCursor?: string;
}
interface ErrorBody {
  statusCode: number;
  code: string;
  details?: Array<{ field: string }>;
}
interface Counts {
  views: number;
  saves: number;
  applications: number;
}

describe.each(['embedded', 'server'] as const)('a business with many jobs pages through all of them (%s mode)', (mode) => {
  let t: FullApp;
  /** The full app's read side, analytics reading one stats document per page. */
  let app: FastifyInstance;
  let last = 0;
  const ids = { draft: [] as string[], open: [] as string[], closed: [] as string[], expired: [] as string[] };

  const send = async (url: string, payload: object) => {
    t.clock.now = new Date(t.clock.now.getTime() + 60_000);
    const res = await app.inject({ method: 'POST', url, payload, headers: await t.auth(business) });
    expect(res.statusCode, res.body).toBeLessThan(300);
    const body = res.json<{ id: string; position: number }>();
    last = Math.max(last, body.position);
    return body;
  };
  const get = async <T>(url: string, p: { role: 'business' | 'worker'; sub: string } = business) => {
    const res = await app.inject({ url, headers: await t.auth(p) });
    return { status: res.statusCode, body: res.json<T>() };
  };
  /** Every page of a listing, following nextCursor to the end. */
  const pageAll = async (query: string, size: number): Promise<Page[]> => {
    const pages: Page[] = [];
    let cursor: string | undefined;
    do {
      const res = await get<Page>(`/v1/businesses/me/jobs?size=${size}&minPosition=${last}${query}${cursor !== undefined ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.status).toBe(200);
      pages.push(res.body);
      cursor = res.body.nextCursor;
    } while (cursor !== undefined && pages.length <= 100);
    return pages;
  };

  beforeAll(async () => {
    t = await startFullApp(mode);
    t.clock.now = new Date('2027-03-01T12:00:00Z');
    app = await buildApp({
      store: t.runtime.store,
      idempotency: t.runtime.idempotency,
      tokens: t.runtime.tokens,
      clock: () => t.clock.now,
      reads: { jobs: t.reads.jobs, progress: t.reads.progress, lists: t.reads.lists, minPositionWaitMs: 5000, analyticsPageSize: 1 },
    });
    await app.ready();
    // Oldest first: drafts, closed ones, two that expire within the hour, then the open ones (newest).
    for (let i = 0; i < 3; i++) ids.draft.push((await send('/v1/jobs', { ...draft, title: `Draft ${i}` })).id);
    for (let i = 0; i < 2; i++) {
      const job = await send('/v1/jobs', { ...jobExample, title: `Closed ${i}` });
      await send(`/v1/jobs/${job.id}/close`, { reason: 'filled' });
      ids.closed.push(job.id);
    }
    for (let i = 0; i < 2; i++) {
      ids.expired.push((await send('/v1/jobs', { ...jobExample, title: `Short ${i}`, publish: { expiresAt: new Date(t.clock.now.getTime() + 3_600_000).toISOString() } })).id);
    }
    for (let i = 0; i < OPEN; i++) ids.open.push((await send('/v1/jobs', { ...jobExample, title: `Open ${i}` })).id);
    // Past the short jobs' expiry, before the expiry sweep records it.
    t.clock.now = new Date(t.clock.now.getTime() + 2 * 3_600_000);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  it.each([
    ['draft', 1],
    ['closed', 1],
    ['expired', 1],
    ['open', 1],
    ['open', 5],
  ] as const)('status %s, size %i: every job of that status once, full pages up to the last', async (status, size) => {
    const pages = await pageAll(`&status=${status}`, size);
    const seen = pages.flatMap((p) => p.items.map((j) => j.jobId));
    expect([...seen].sort()).toEqual([...ids[status]].sort());
    expect(new Set(seen).size).toBe(seen.length);
    expect(pages.slice(0, -1).every((p) => p.items.length === size)).toBe(true);
    expect(pages.at(-1)!.items.length).toBeGreaterThan(0);
    expect(pages.length).toBe(Math.ceil(ids[status].length / size));
    expect(pages.every((p) => p.items.every((j) => j.businessId === business.sub))).toBe(true);
  });

  it('without a status: every job, newest first, the drafts last', async () => {
    const seen = (await pageAll('', 4)).flatMap((p) => p.items.map((j) => j.jobId));
    expect(seen).toHaveLength(3 + 2 + 2 + OPEN);
    expect(seen.slice(0, OPEN)).toEqual([...ids.open].reverse());
    expect([...seen.slice(-3)].sort()).toEqual([...ids.draft].sort());
  });

  it('the public search and map reject status (400 naming it), for the owner too', async () => {
    const owner = `businessId=${business.sub}&includeClosed=true`;
    for (const url of [`/v1/search?${owner}&status=draft`, `/v1/map?${owner}&bbox=-180,-90,180,90&zoom=2&status=draft`, '/v1/search?status=open']) {
      const res = await get<ErrorBody>(url);
      expect(res.status, url).toBe(400);
      expect(JSON.stringify(res.body.details), url).toContain('status');
    }
    const posted = await app.inject({ method: 'POST', url: '/v1/search', payload: { businessId: business.sub, includeClosed: true, status: 'draft' }, headers: await t.auth(business) });
    expect(posted.statusCode).toBe(400);
    expect(JSON.stringify(posted.json<ErrorBody>().details)).toContain('status');
    expect((await get<ErrorBody>('/v1/businesses/me/jobs?status=gone')).status).toBe(400);
  });

  it('analytics counts every job of the business, however many pages of stats documents it takes', async () => {
    const viewed = [ids.open[0]!, ids.open[3]!, ids.open[OPEN - 1]!];
    for (const id of viewed) await send(`/v1/jobs/${id}/views`, {});
    const res = await get<{ jobs: Array<{ jobId: string; totals: Counts }>; totals: Counts }>(`/v1/businesses/me/analytics?minPosition=${last}`);
    expect(res.status).toBe(200);
    const all = Object.values(ids).flat();
    expect(res.body.jobs.map((j) => j.jobId)).toEqual([...all].sort());
    expect(res.body.totals).toEqual({ views: 3, saves: 0, applications: 0 });
    expect(res.body.jobs.filter((j) => j.totals.views > 0).map((j) => j.jobId)).toEqual([...viewed].sort());
  });
});
