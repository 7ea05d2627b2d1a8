import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobExample } from '../../command/http/examples.ts';
import type { FullApp } from '../../tests/support/fullApp.ts';
import { startFullApp } from '../../tests/support/fullApp.ts';

const business = { role: 'business', sub: 'b-cache' } as const;
const operator = { role: 'operator', sub: 'op-cache' } as const;
const worker = { role: 'worker', sub: 'w-cache' } as const;
const HOUR = 3_600_000;

describe.each(['embedded', 'server'] as const)('whole-answer cache of search and map (%s mode)', (mode) => {
  let t: FullApp;
  let position = 0;
  const jobs: Array<{ id: string; open: boolean }> = [];

  beforeAll(async () => {
    // On a loaded machine the engine can take seconds to show a write; the property is about equal answers, not latency.
    t = await startFullApp(mode, { responseCacheBytes: 8 * 1024 * 1024, minPositionWaitMs: 15_000 });
    t.clock.now = new Date('2027-03-01T12:00:00Z');
  });
  afterAll(async () => t?.close());

  const create = async (over: { category?: string; expiresInH?: number; title?: string } = {}) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/jobs',
      headers: await t.auth(business),
      payload: {
        ...jobExample,
        title: over.title ?? jobExample.title,
        category: over.category ?? jobExample.category,
        publish: { expiresAt: new Date(t.clock.now.getTime() + (over.expiresInH ?? 24) * HOUR).toISOString() },
      },
    });
    expect(res.statusCode).toBe(201);
    const body = res.json<{ id: string; position: number }>();
    position = Math.max(position, body.position);
    jobs.push({ id: body.id, open: true });
    return body;
  };
  // `Cache-Control: no-cache` is honoured for operators only: a fresh answer is asked for as one.
  const get = async (url: string, fresh = false) =>
    t.app.inject({ url, headers: { 'x-min-position': String(position), ...(fresh ? { 'cache-control': 'no-cache', ...(await t.auth(operator)) } : {}) } });

  it('answers a repeated search and map request with the very bytes it sent before', async () => {
    await create({ title: 'Cache Kayak Guide' });
    for (const url of ['/v1/search?text=kayak&facets=true', '/v1/map?bbox=-121,38,-119,40&zoom=6']) {
      const first = await get(url);
      const second = await get(url);
      expect(first.statusCode).toBe(200);
      expect([first.headers['x-cache'], second.headers['x-cache']]).toEqual(['miss', 'hit']);
      expect(second.body).toBe(first.body);
      expect(second.headers['content-type']).toBe(first.headers['content-type']);
    }
  });

  it('a new job makes the cached answers stale: the next answer holds it', async () => {
    const url = '/v1/search?text=kayak';
    const before = (await get(url)).json<{ total: number }>().total;
    expect((await get(url)).headers['x-cache']).toBe('hit');
    await create({ title: 'Cache Kayak Instructor' });
    const after = await get(url);
    expect(after.headers['x-cache']).toBe('miss');
    expect(after.json<{ total: number }>().total).toBe(before + 1);
  });

  it('an answer is not served once the clock passes the expiry of a job in it', async () => {
    const { id } = await create({ title: 'Cache Ferry Deckhand', expiresInH: 2 });
    const url = '/v1/search?text=ferry%20deckhand';
    expect((await get(url)).json<{ hits: Array<{ job: { jobId: string } }> }>().hits.map((h) => h.job.jobId)).toContain(id);
    expect((await get(url)).headers['x-cache']).toBe('hit');
    t.clock.now = new Date(t.clock.now.getTime() + 3 * HOUR);
    const later = await get(url);
    expect(later.headers['x-cache']).toBe('miss');
    expect(later.json<{ total: number }>().total).toBe(0);
  });

  it('never stores an owner view (includeClosed) or a postedWithinDays answer, and Cache-Control: no-cache goes to the store', async () => {
    const owner = { ...(await t.auth(business)), 'x-min-position': String(position) };
    const ownUrl = `/v1/search?businessId=${business.sub}&includeClosed=true`;
    expect((await t.app.inject({ url: ownUrl, headers: owner })).statusCode).toBe(200);
    expect((await t.app.inject({ url: ownUrl, headers: owner })).headers['x-cache']).toBe('miss');
    // Served to nobody else either: the stranger is refused as without a cache.
    expect((await t.app.inject(ownUrl)).statusCode).toBe(403);
    const posted = '/v1/search?text=kayak&postedWithinDays=7';
    await get(posted);
    expect((await get(posted)).headers['x-cache']).toBe('miss');
    const plain = '/v1/search?text=kayak&size=5';
    await get(plain);
    const bypass = await get(plain, true);
    expect(bypass.headers['x-cache']).toBeUndefined();
    expect(bypass.statusCode).toBe(200);
  });

  it('Cache-Control: no-cache from anyone but an operator is served from the cache as usual', async () => {
    const url = '/v1/search?text=kayak&size=3';
    await get(url);
    for (const who of [undefined, worker, business]) {
      const headers = { 'x-min-position': String(position), 'cache-control': 'no-cache, no-store', ...(who ? await t.auth(who) : {}) };
      const res = await t.app.inject({ url, headers });
      expect(res.statusCode).toBe(200);
      expect(res.headers['x-cache'], who?.role ?? 'anonymous').toBe('hit');
    }
    const op = await t.app.inject({ url, headers: { 'x-min-position': String(position), 'cache-control': 'no-cache', ...(await t.auth(operator)) } });
    expect(op.headers['x-cache']).toBeUndefined();
  });

  it('property: after any sequence of posts, closes and clock moves, a cached answer equals the store asked afresh', async () => {
    const urls = [
      '/v1/search?text=barista',
      '/v1/search?category=retail&sort=newest',
      '/v1/search?category=hospitality&facets=true',
      '/v1/search?lat=39.1&lon=-120.03&radiusKm=50&sort=distance',
      '/v1/map?bbox=-121,38,-119,40&zoom=5',
      '/v1/map?bbox=-121,38,-119,40&zoom=12&category=retail',
    ];
    // Reads outnumber writes, as in life, so that answers are cached across clock moves and then checked.
    const op = fc.oneof(
      { arbitrary: fc.record({ kind: fc.constant('post' as const), category: fc.constantFrom('hospitality', 'retail'), expiresInH: fc.integer({ min: 1, max: 12 }) }), weight: 1 },
      { arbitrary: fc.record({ kind: fc.constant('close' as const), pick: fc.nat() }), weight: 1 },
      { arbitrary: fc.record({ kind: fc.constant('tick' as const), hours: fc.double({ min: 0, max: 4, noNaN: true }) }), weight: 2 },
      { arbitrary: fc.record({ kind: fc.constant('read' as const), url: fc.constantFrom(...urls) }), weight: 6 },
    );
    let hits = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 20 }), async (ops) => {
        for (const o of ops) {
          if (o.kind === 'post') await create(o);
          else if (o.kind === 'close') {
            const open = jobs.filter((j) => j.open);
            const j = open[o.pick % Math.max(1, open.length)];
            if (!j) continue;
            const res = await t.app.inject({ method: 'POST', url: `/v1/jobs/${j.id}/close`, payload: { reason: 'filled' }, headers: await t.auth(business) });
            expect(res.statusCode).toBe(200);
            position = Math.max(position, res.json<{ position: number }>().position);
            j.open = false;
          } else if (o.kind === 'tick') t.clock.now = new Date(t.clock.now.getTime() + o.hours * HOUR);
          else {
            const cachedOrNot = await get(o.url);
            const fresh = await get(o.url, true);
            expect(cachedOrNot.statusCode).toBe(200);
            expect(cachedOrNot.body).toBe(fresh.body);
            if (cachedOrNot.headers['x-cache'] === 'hit') hits++;
          }
        }
        // Each run ends by asking one answer twice with nothing between, so the cache's side is always exercised.
        const url = urls[ops.length % urls.length]!;
        await get(url);
        const again = await get(url);
        expect(again.body).toBe((await get(url, true)).body);
        if (again.headers['x-cache'] === 'hit') hits++;
      }),
      { numRuns: mode === 'server' ? 15 : 40 },
    );
    // The property means something only if answers did come from the cache.
    expect(hits).toBeGreaterThan(mode === 'server' ? 10 : 30);
  });
});
