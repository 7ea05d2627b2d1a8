// /v1/search facets through the routes, both stores: each facet counts the
// jobs matching every filter but its own; the city filter takes the city
// facet's keys (repeated in a query string, so a name may hold a comma).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobExample } from '../../command/http/examples.ts';
import type { FullApp } from '../../tests/support/fullApp.ts';
import { startFullApp } from '../../tests/support/fullApp.ts';

const business = { role: 'business', sub: 'b-facets' } as const;
const { startDate: _s, endDate: _e, publish: _p, ...base } = jobExample;
const jobs = [
  { title: 'Facet barista', category: 'hospitality', city: 'Tahoe City', remote: false, skills: ['espresso', 'customer service'] },
  { title: 'Facet cashier', category: 'retail', city: 'Reno, NV', remote: false, skills: ['cash handling'] },
  { title: 'Facet host', category: 'hospitality', city: 'Reno, NV', remote: true, skills: ['customer service'] },
  { title: 'Facet picker', category: 'warehouse', city: 'Truckee', remote: false, skills: [] },
] as const;

interface Bucket {
  key: string;
  count: number;
}
interface SearchBody {
  total: number;
  hits: Array<{ job: { title: string } }>;
  facets?: Record<'category' | 'employmentType' | 'payBands' | 'skills' | 'city' | 'remote', Bucket[]> & { postedWithin: Array<Bucket & { days: number }> };
}

describe.each(['embedded', 'server'] as const)('search facets (%s mode)', (mode) => {
  let t: FullApp;
  let position = 0;

  beforeAll(async () => {
    t = await startFullApp(mode);
    const headers = await t.auth(business);
    for (const j of jobs) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/jobs',
        headers,
        payload: { ...base, title: j.title, category: j.category, remote: j.remote, skills: j.skills, location: { ...base.location, city: j.city }, publish: { expiresAt: new Date(t.clock.now.getTime() + 30 * 86_400_000).toISOString() } },
      });
      expect(res.statusCode, res.body).toBe(201);
      position = Math.max(position, res.json<{ position: number }>().position);
    }
  });
  afterAll(async () => t?.close());

  const get = async (query: string) => {
    const res = await t.app.inject({ url: `/v1/search?${query}&minPosition=${position}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<SearchBody>();
  };
  const titles = (b: SearchBody) => b.hits.map((h) => h.job.title).sort();

  it('counts each facet without its own filter: other categories and cities stay selectable, the hits are those of every filter', async () => {
    const body = await get(`city=${encodeURIComponent('Reno, NV')}&city=Tahoe%20City&category=hospitality&facets=true`);
    expect(titles(body)).toEqual(['Facet barista', 'Facet host']);
    expect(body.total).toBe(2);
    const f = body.facets!;
    expect(f.category).toEqual([{ key: 'hospitality', count: 2 }, { key: 'retail', count: 1 }]); // in Reno or Tahoe City
    expect(f.city).toEqual([{ key: 'Reno, NV', count: 1 }, { key: 'Tahoe City', count: 1 }]); // hospitality anywhere
    expect(f.remote).toEqual([{ key: 'true', count: 1 }, { key: 'false', count: 1 }]);
    expect(f.skills).toEqual([{ key: 'customer service', count: 2 }, { key: 'espresso', count: 1 }]);
    expect(f.postedWithin).toEqual([{ key: '1d', days: 1, count: 2 }, { key: '7d', days: 7, count: 2 }, { key: '30d', days: 30, count: 2 }]);
  });

  it('answers the JSON body the same as the query string', async () => {
    const res = await t.app.inject({ method: 'POST', url: `/v1/search?minPosition=${position}`, payload: { city: ['Reno, NV', 'Tahoe City'], category: ['hospitality'], facets: true } });
    expect(res.statusCode, res.body).toBe(200);
    const { position: _a, ...post } = res.json<SearchBody & { position: number }>();
    const { position: _b, ...viaGet } = (await get(`city=${encodeURIComponent('Reno, NV')}&city=Tahoe%20City&category=hospitality&facets=true`)) as SearchBody & { position: number };
    expect(post).toEqual(viaGet);
  });

  it('takes one city with a comma whole; a city is matched exactly as recorded', async () => {
    expect(titles(await get(`city=${encodeURIComponent('Reno, NV')}`))).toEqual(['Facet cashier', 'Facet host']);
    expect((await get('city=reno')).total).toBe(0);
  });

  it('refuses a city over 200 characters or more than 20 cities, naming the field', async () => {
    for (const query of [`city=${'x'.repeat(201)}`, Array.from({ length: 21 }, (_, i) => `city=c${i}`).join('&')]) {
      const res = await t.app.inject({ url: `/v1/search?${query}` });
      expect(res.statusCode, res.body).toBe(400);
      expect(JSON.stringify(res.json<{ details?: unknown }>().details)).toContain('city');
    }
  });

  it('documents the facets and the city parameter in the OpenAPI contract', async () => {
    const doc = (await t.app.inject({ url: '/openapi.json' })).json<{ paths: Record<string, { get: { parameters: Array<{ name: string }>; responses: Record<string, { content: Record<string, { schema: { properties: { facets: { properties: Record<string, unknown> } } } }> }> } }> }>();
    const op = doc.paths['/v1/search']!.get;
    expect(op.parameters.map((p) => p.name)).toContain('city');
    expect(Object.keys(op.responses['200']!.content['application/json']!.schema.properties.facets.properties)).toEqual(['category', 'employmentType', 'payBands', 'skills', 'city', 'remote', 'postedWithin']);
  });
});
