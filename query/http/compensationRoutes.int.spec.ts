import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobExample } from '../../command/http/examples.ts';
import type { FullApp } from '../../tests/support/fullApp.ts';
import { startFullApp } from '../../tests/support/fullApp.ts';

const business = { role: 'business', sub: 'b-comp' } as const;
const { startDate: _s, endDate: _e, publish: _p, ...base } = jobExample;
const place = { lat: 44.0, lon: -71.0 };
const expiresAt = '2027-12-31T23:59:00Z';

interface Posted {
  name: string;
  category: string;
  employmentType: string;
  /** Per-hour range as the document stores it. */
  hourly: [number, number];
  currency: string;
  near: boolean;
  recent: boolean;
  published: boolean;
}

/** Brute force over the posted jobs: midpoints, sorted, numpy "linear" percentiles, rounded to the cent. */
function expected(values: number[]): { p25: number; p50: number; p75: number } {
  const s = values.slice().sort((a, b) => a - b);
  const at = (p: number) => {
    const h = (s.length - 1) * p;
    const lo = Math.floor(h);
    const hi = Math.ceil(h);
    return Math.round((s[lo]! + (h - lo) * (s[hi]! - s[lo]!)) * 100) / 100;
  };
  return { p25: at(0.25), p50: at(0.5), p75: at(0.75) };
}

describe.each(['embedded', 'server'] as const)('GET /v1/compensation/suggest (%s mode)', (mode) => {
  let t: FullApp;
  let position = 0;
  const posted: Posted[] = [];

  const post = async (p: Omit<Posted, 'hourly'> & { pay: { min: number; max: number; unit: 'hour' | 'day' }; lat: number; lon: number }) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/jobs',
      payload: {
        ...base,
        title: `Comp ${p.name}`,
        category: p.category,
        employmentType: p.employmentType,
        pay: { ...p.pay, currency: p.currency },
        location: { point: { lat: p.lat, lon: p.lon }, city: 'Somewhere', country: 'US' },
        ...(p.published ? { publish: { expiresAt } } : {}),
      },
      headers: await t.auth(business),
    });
    expect(res.statusCode).toBe(201);
    position = Math.max(position, res.json<{ position: number }>().position);
    const per = p.pay.unit === 'day' ? 8 : 1;
    posted.push({ ...p, hourly: [p.pay.min / per, p.pay.max / per] });
  };

  const values = (pred: (p: Posted) => boolean) => posted.filter((p) => p.published && p.recent && pred(p)).map((p) => (p.hourly[0] + p.hourly[1]) / 2);
  const suggest = (qs: string) => t.app.inject(`/v1/compensation/suggest?${qs}&minPosition=${position}`);

  beforeAll(async () => {
    t = await startFullApp(mode);
    // One job published long ago (more than 180 days before the reads).
    t.clock.now = new Date('2027-01-05T12:00:00Z');
    const common = { category: 'agriculture', employmentType: 'seasonal', currency: 'USD', near: true, published: true };
    await post({ ...common, name: 'old', recent: false, pay: { min: 90, max: 99, unit: 'hour' }, lat: place.lat, lon: place.lon });
    t.clock.now = new Date('2027-08-01T12:00:00Z');
    // 15 comparables near the place (one paid per day: normalised to per hour).
    for (let i = 0; i < 14; i++) {
      const min = 15 + ((i * 7) % 11) + 0.25 * i;
      await post({ ...common, name: `c${i}`, recent: true, pay: { min, max: min + (i % 4), unit: 'hour' }, lat: place.lat + (i % 5) * 0.02, lon: place.lon - (i % 3) * 0.03 });
    }
    await post({ ...common, name: 'daily', recent: true, pay: { min: 160, max: 200, unit: 'day' }, lat: place.lat, lon: place.lon + 0.05 });
    // Not comparable for the main query: other type, other currency, far away, a draft, other category.
    await post({ ...common, name: 'hourly1', employmentType: 'hourly', recent: true, pay: { min: 30, max: 32, unit: 'hour' }, lat: place.lat, lon: place.lon });
    await post({ ...common, name: 'hourly2', employmentType: 'hourly', recent: true, pay: { min: 12, max: 12, unit: 'hour' }, lat: place.lat, lon: place.lon });
    await post({ ...common, name: 'cad1', currency: 'CAD', recent: true, pay: { min: 50, max: 60, unit: 'hour' }, lat: place.lat, lon: place.lon });
    await post({ ...common, name: 'cad2', currency: 'CAD', recent: true, pay: { min: 55, max: 60, unit: 'hour' }, lat: place.lat, lon: place.lon });
    await post({ ...common, name: 'far', near: false, recent: true, pay: { min: 70, max: 80, unit: 'hour' }, lat: place.lat + 1, lon: place.lon });
    await post({ ...common, name: 'draft', published: false, recent: true, pay: { min: 1, max: 2, unit: 'hour' }, lat: place.lat, lon: place.lon });
    for (let i = 0; i < 3; i++) await post({ ...common, name: `retail${i}`, category: 'retail', recent: true, pay: { min: 20 + i, max: 22 + i, unit: 'hour' }, lat: place.lat, lon: place.lon });
  });
  afterAll(async () => t?.close());

  interface Answer {
    hourly: { p25: number; p50: number; p75: number };
    sampleSize: number;
    filters: Record<string, unknown>;
    currency: { code: string; excluded: number; note: string };
  }

  it('answers the exact percentiles of the comparables: category, type, radius (default 50 km), last 180 days, one currency', async () => {
    const res = await suggest(`category=agriculture&employmentType=seasonal&lat=${place.lat}&lon=${place.lon}`);
    expect(res.statusCode).toBe(200);
    const body = res.json<Answer>();
    const want = values((p) => p.category === 'agriculture' && p.employmentType === 'seasonal' && p.near && p.currency === 'USD');
    expect(want).toHaveLength(15);
    expect(body.sampleSize).toBe(15);
    expect(body.hourly).toEqual(expected(want));
    expect(body.hourly.p25).toBeLessThanOrEqual(body.hourly.p50);
    expect(body.hourly.p50).toBeLessThanOrEqual(body.hourly.p75);
    expect(body.filters).toMatchObject({ category: 'agriculture', employmentType: 'seasonal', near: { ...place, radiusKm: 50 }, publishedWithinDays: 180 });
    expect(body.currency).toMatchObject({ code: 'USD', excluded: 2 });
    expect(body.currency.note).toContain('mix currencies');
  });

  it('without a type or a place, widens to every type and every place; a token is not needed but allowed', async () => {
    const res = await t.app.inject({ url: `/v1/compensation/suggest?category=agriculture&minPosition=${position}`, headers: await t.auth({ role: 'worker', sub: 'w1' }) });
    expect(res.statusCode).toBe(200);
    const body = res.json<Answer>();
    const want = values((p) => p.category === 'agriculture' && p.currency === 'USD');
    expect(body.sampleSize).toBe(want.length);
    expect(body.sampleSize).toBe(18);
    expect(body.hourly).toEqual(expected(want));
    expect(body.filters).not.toHaveProperty('near');

    const wide = (await suggest(`category=agriculture&employmentType=seasonal&lat=${place.lat}&lon=${place.lon}&radiusKm=500`)).json<Answer>();
    expect(wide.sampleSize).toBe(16);
    expect(wide.hourly).toEqual(expected(values((p) => p.category === 'agriculture' && p.employmentType === 'seasonal' && p.currency === 'USD')));
  });

  it('answers 422 insufficient_data with the sample size below the minimum', async () => {
    const res = await suggest(`category=retail&lat=${place.lat}&lon=${place.lon}`);
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'insufficient_data', details: { sampleSize: 3, minSample: 10 } });
    const none = await suggest('category=childcare');
    expect(none.statusCode).toBe(422);
    expect(none.json()).toMatchObject({ code: 'insufficient_data', details: { sampleSize: 0 } });
  });

  it('rejects bad parameters with 400', async () => {
    for (const qs of ['category=agriculture&radiusKm=20', 'category=plumbing', 'employmentType=seasonal', 'category=agriculture&lat=44', 'category=agriculture&lat=44&lon=-71&radiusKm=501', 'category=agriculture&lat=abc&lon=1', 'category=agriculture&colour=blue']) {
      const res = await t.app.inject(`/v1/compensation/suggest?${qs}`);
      expect(res.statusCode, qs).toBe(400);
    }
    const doc = (await t.app.inject('/openapi.json')).json<{ paths: Record<string, { get?: { parameters?: { name: string }[] } }> }>();
    expect(doc.paths['/v1/compensation/suggest']?.get?.parameters?.map((p) => p.name)).toEqual(expect.arrayContaining(['category', 'employmentType', 'lat', 'lon', 'radiusKm']));
  });
});
