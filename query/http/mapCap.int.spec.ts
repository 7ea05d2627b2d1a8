// A map answer holds at most MAP_MAX_CELLS cells (here 3),
// the most populated ones, and says `truncated`; both stores.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobExample } from '../../command/http/examples.ts';
import type { FullApp } from '../../tests/support/fullApp.ts';
import { startFullApp } from '../../tests/support/fullApp.ts';

const business = { role: 'business', sub: 'b-mapcap' } as const;
const { startDate: _s, endDate: _e, publish: _p, ...base } = jobExample;
// Four places far apart, in four cells at any precision, with 4, 3, 2 and 1 jobs.
const places = [
  { lat: 40.0, lon: -100.0, n: 4 },
  { lat: 48.85, lon: 2.35, n: 3 },
  { lat: -33.87, lon: 151.21, n: 2 },
  { lat: 35.68, lon: 139.69, n: 1 },
];

describe.each(['embedded', 'server'] as const)('map cell cap (%s mode)', (mode) => {
  let t: FullApp;
  let position = 0;

  beforeAll(async () => {
    t = await startFullApp(mode, { mapMaxCells: 3 });
    const headers = await t.auth(business);
    for (const p of places) {
      for (let i = 0; i < p.n; i++) {
        const res = await t.app.inject({
          method: 'POST',
          url: '/v1/jobs',
          headers,
          payload: { ...base, title: `Mapcap ${p.lat} ${i}`, location: { point: { lat: p.lat, lon: p.lon }, city: 'Somewhere', country: 'US' }, publish: { expiresAt: new Date(t.clock.now.getTime() + 30 * 86_400_000).toISOString() } },
        });
        expect(res.statusCode, res.body).toBe(201);
        position = Math.max(position, res.json<{ position: number }>().position);
      }
    }
  });
  afterAll(async () => t?.close());

  interface MapBody {
    total: number;
    truncated?: boolean;
    clusters: Array<{ count: number }>;
  }
  const map = async (query: string) => {
    const res = await t.app.inject({ url: `/v1/map?${query}&minPosition=${position}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<MapBody>();
  };

  it('past the cap: the most populated cells, truncated: true, and the total of every job', async () => {
    for (const zoom of [3, 8, 14]) {
      const body = await map(`bbox=-179,-80,179,80&zoom=${zoom}`);
      expect(body.truncated, `zoom ${zoom}`).toBe(true);
      expect(body.clusters.map((c) => c.count)).toEqual([4, 3, 2]);
      expect(body.total).toBe(10);
    }
  });

  it('within the cap: every cell, no flag', async () => {
    const within = await map('bbox=-10,20,179,80&zoom=3');
    expect(within.truncated).toBeUndefined();
    expect(within.clusters.map((c) => c.count)).toEqual([3, 1]);
    expect(within.total).toBe(4);
  });

  it('documents the cap and the flag in the OpenAPI contract', async () => {
    const doc = (await t.app.inject({ url: '/openapi.json' })).json<{ paths: Record<string, { get: { summary: string; responses: Record<string, { content: Record<string, { schema: { properties: Record<string, unknown> } }> }> } }> }>();
    const op = doc.paths['/v1/map']!.get;
    expect(op.summary).toMatch(/10000 cells/);
    expect(Object.keys(op.responses['200']!.content['application/json']!.schema.properties)).toContain('truncated');
  });
});
