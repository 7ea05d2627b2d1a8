import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineJobStore } from '../../query/engine/engineJobStore.ts';
import { mapBody, mapPointsBody, searchBody } from '../../query/engine/dsl/search.ts';
import { DEFAULT_MAP_MAX_CELLS } from '../../query/model/readStore.ts';
import { geohashPrecisionFor, mapPointsThreshold } from '../../query/model/zoomPrecision.ts';
import { type FullApp, startFullApp } from '../../tests/support/fullApp.ts';
import { captureEngineRequests } from './engineCapture.ts';
import { resolvePages } from './logPaging.ts';
import { mapLog } from './mapLog.ts';
import { jobBodies } from './queries.ts';
import { mapRequestOf, searchRequestOf } from './requests.ts';
import { searchLog, withCursor } from './searchLog.ts';

describe.each(['embedded', 'server'] as const)('the query logs replayed against the %s service', (mode) => {
  let t: FullApp;
  let url: string;
  let noCache: Record<string, string>;
  beforeAll(async () => {
    t = await startFullApp(mode, { responseCacheBytes: 8 * 1024 * 1024 });
    const business = await t.auth({ role: 'business', sub: 'b-bench-log' });
    for (const body of jobBodies(40, t.clock.now, 31)) {
      const res = await t.app.inject({ method: 'POST', url: '/v1/jobs', headers: { ...business, 'content-type': 'application/json' }, payload: body });
      expect(res.statusCode, res.body).toBeLessThan(300);
    }
    expect(await t.settled()).toBe(true);
    url = await t.app.listen({ host: '127.0.0.1', port: 0 });
    noCache = { ...(await t.auth({ role: 'operator', sub: 'op-bench' })), 'cache-control': 'no-cache' };
  });
  afterAll(async () => t?.close());

  const json = async (path: string): Promise<{ nextCursor?: string }> => {
    const res = await t.app.inject({ url: path, headers: noCache });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  it('writes each next page with the cursor the service answers for the page before, and leaves out a page no search has', async () => {
    const path = '/v1/search?sort=newest&size=5';
    const single = '/v1/search?text=bench&category=retail&sort=newest&size=100';
    const { paths, dropped } = await resolvePages(url, [{ path, page: 1 }, { path, page: 2 }, { path: single, page: 2 }, { path, page: 3 }], 10, noCache);
    const second = withCursor(path, (await json(path)).nextCursor!);
    const third = withCursor(path, (await json(second)).nextCursor!);
    expect(paths).toEqual([path, second, third]);
    expect(dropped).toBe(1);
  });

  it('resolves pages without filling the response cache, so the replay starts cold', async () => {
    const path = '/v1/search?sort=pay&size=4';
    await resolvePages(url, [{ path, page: 2 }], 1, noCache);
    const first = await t.app.inject(path);
    const again = await t.app.inject(path);
    expect([first.headers['x-cache'], again.headers['x-cache']]).toEqual(['miss', 'hit']);
  });

  it('answers every request at the head of the search and map logs with 200', async () => {
    const searches = [...new Set(searchLog({ distinct: 300 }).entries.filter((e) => e.page === 1).map((e) => e.path))];
    for (const path of [...searches, ...mapLog({ requests: 200 })]) {
      const res = await t.app.inject(path);
      expect(res.statusCode, `${path}: ${res.body.slice(0, 300)}`).toBe(200);
    }
  });

  // Skipped in embedded mode: that store sends no engine requests to capture.
  it.runIf(mode === 'server')('captures the engine requests the store sends: the DSL body of a search, the grid and the points of a sparse viewport', async () => {
    const engine = { url: process.env.SEARCH_URL!.replace(/\/$/, ''), alias: (t.reads.jobs as EngineJobStore).alias };
    const now = t.clock.now;
    const path = '/v1/search?sort=newest&size=5';
    const next = withCursor(path, (await json(path)).nextCursor!);
    const search = await captureEngineRequests(engine, 'search', [path, next, path], { now, mapMaxCells: DEFAULT_MAP_MAX_CELLS });
    expect(search.requests.map((r) => r.path)).toEqual(Array(3).fill(`/${engine.alias}/_search`));
    expect(search.requests.map((r) => JSON.parse(r.body!) as unknown)).toEqual([path, next, path].map((p) => searchBody(searchRequestOf(p), now).body));
    // All 40 jobs fit a points answer: the service asks the grid, then the points.
    const view = '/v1/map?bbox=-180,-85,180,85&zoom=3';
    const map = await captureEngineRequests(engine, 'map', [view], { now, mapMaxCells: DEFAULT_MAP_MAX_CELLS });
    const m = { ...mapRequestOf(view), maxCells: DEFAULT_MAP_MAX_CELLS };
    expect(map.requests.map((r) => JSON.parse(r.body!) as unknown)).toEqual([mapBody(m, geohashPrecisionFor(3), now, DEFAULT_MAP_MAX_CELLS + 1), mapPointsBody(m, now, mapPointsThreshold)]);
    expect(map.perRequest).toBe(2);
    for (const r of [...search.requests, ...map.requests]) {
      const res = await fetch(`${engine.url}${r.path}`, { method: r.method, headers: { 'content-type': 'application/json' }, body: r.body! });
      expect(res.status, await res.text()).toBe(200);
    }
  });
});
