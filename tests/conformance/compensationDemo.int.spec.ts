// Acceptance: compensation percentiles on the demo dataset (the seed
// `npm start` loads, smaller) are ordered and equal a brute-force computation
// over the same comparables, found here without the read stores: by folding
// the log with the projection's pure document fold and filtering by hand.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobDocument } from '../../mappings/jobDocument.ts';
import { applyToJobDocument, jobIdOf } from '../../projections/jobs/applyToJobDocument.ts';
import { haversineMeters, quantize } from '../../query/model/geo.ts';
import { seedEventStore } from '../../ops/seed/seedEventStore.ts';
import type { FullApp } from '../support/fullApp.ts';
import { startFullApp } from '../support/fullApp.ts';

const DAY_MS = 86_400_000;
const NOW = new Date('2027-04-15T10:00:00Z');

interface Query {
  category: string;
  employmentType?: string;
  near?: { lat: number; lon: number; radiusKm: number };
}

/** Every job document as the log says, folded event by event. */
async function foldLog(t: FullApp): Promise<JobDocument[]> {
  const docs = new Map<string, JobDocument>();
  for (let after = 0; ; ) {
    const batch = await t.runtime.store.readAll({ after, maxCount: 5000 });
    if (batch.length === 0) break;
    for (const event of batch) {
      const id = jobIdOf(event);
      if (id === undefined) continue;
      const next = applyToJobDocument(docs.get(id), event);
      if (next) docs.set(id, next);
      else docs.delete(id);
    }
    after = batch[batch.length - 1]!.position;
  }
  return [...docs.values()];
}

/** Comparables by hand: open, unexpired, published in the last 180 days, same category/type, within the radius of the stored (quantised) point. */
function comparables(docs: readonly JobDocument[], q: Query): JobDocument[] {
  const since = NOW.getTime() - 180 * DAY_MS;
  return docs.filter((d) => {
    if (d.status !== 'open' || d.expiresAt === undefined || !(Date.parse(d.expiresAt) > NOW.getTime())) return false;
    if (d.publishedAt === undefined || Date.parse(d.publishedAt) < since) return false;
    if (d.category !== q.category) return false;
    if (q.employmentType !== undefined && d.employmentType !== q.employmentType) return false;
    if (q.near) {
      if (!d.location) return false;
      const p = quantize(d.location.lat, d.location.lon);
      if (haversineMeters(q.near.lat, q.near.lon, p.lat, p.lon) > q.near.radiusKm * 1000) return false;
    }
    return true;
  });
}

/** numpy's default ("linear") percentile of sorted values, to the cent. */
function percentile(sorted: readonly number[], p: number): number {
  const rank = p * (sorted.length - 1);
  const below = sorted[Math.floor(rank)]!;
  const above = sorted[Math.min(sorted.length - 1, Math.floor(rank) + 1)]!;
  return Math.round((below + (rank - Math.floor(rank)) * (above - below)) * 100) / 100;
}

function bruteForce(docs: readonly JobDocument[], q: Query) {
  const found = comparables(docs, q);
  const byCurrency = new Map<string, number[]>();
  for (const d of found) byCurrency.set(d.pay.currency, [...(byCurrency.get(d.pay.currency) ?? []), (d.hourlyMin + d.hourlyMax) / 2]);
  const [currency, values] = [...byCurrency].sort(([a, x], [b, y]) => y.length - x.length || (a < b ? -1 : 1))[0] ?? ['', []];
  const sorted = values.slice().sort((a, b) => a - b);
  return { currency, sampleSize: sorted.length, excluded: found.length - sorted.length, hourly: sorted.length > 0 ? { p25: percentile(sorted, 0.25), p50: percentile(sorted, 0.5), p75: percentile(sorted, 0.75) } : undefined };
}

const qs = (q: Query): string => {
  const p = new URLSearchParams({ category: q.category });
  if (q.employmentType) p.set('employmentType', q.employmentType);
  if (q.near) for (const [k, v] of Object.entries(q.near)) p.set(k, String(v));
  return p.toString();
};

describe.each(['embedded', 'server'] as const)('compensation suggestions on the demo dataset (%s mode)', (mode) => {
  let t: FullApp;
  let docs: JobDocument[] = [];
  const queries: Query[] = [];
  let sparse: Query | undefined;

  beforeAll(async () => {
    t = await startFullApp(mode);
    t.clock.now = NOW;
    await seedEventStore(t.runtime.store, { jobs: 3000, seed: 7, now: NOW });
    await t.reads.catchUp();
    docs = await foldLog(t);
    // Places and categories from the data itself: around the first jobs' points,
    // each category alone, with its type, and over a narrower and a wider radius.
    for (const d of docs.slice(0, 400)) {
      if (!d.location || d.remote) continue;
      for (const radiusKm of [25, 80]) {
        const near = { lat: d.location.lat, lon: d.location.lon, radiusKm };
        for (const q of [{ category: d.category, near }, { category: d.category, employmentType: d.employmentType, near }]) {
          const n = bruteForce(docs, q).sampleSize;
          if (n >= 10 && queries.length < 12 && !queries.some((x) => x.category === q.category && x.employmentType === q.employmentType && x.near?.radiusKm === radiusKm)) queries.push(q);
          if (n > 0 && n < 10) sparse ??= q;
        }
      }
    }
    // Whole categories: the world's jobs mix currencies, so some have too few in the commonest one.
    for (const category of new Set(docs.map((d) => d.category))) {
      if (bruteForce(docs, { category }).sampleSize >= 10) queries.push({ category });
      else sparse ??= { category };
    }
  }, 300_000);
  afterAll(async () => t?.close());

  it('answers each query with the brute-force sample size, currency and percentiles, in order p25 ≤ p50 ≤ p75', async () => {
    expect(queries.length).toBeGreaterThanOrEqual(12);
    for (const q of queries) {
      const want = bruteForce(docs, q);
      const res = await t.app.inject(`/v1/compensation/suggest?${qs(q)}`);
      expect(res.statusCode, `${qs(q)}: ${res.body}`).toBe(200);
      const body = res.json<{ hourly: { p25: number; p50: number; p75: number }; sampleSize: number; currency: { code: string; excluded: number } }>();
      expect({ q, sampleSize: body.sampleSize, currency: body.currency.code, excluded: body.currency.excluded, hourly: body.hourly }).toEqual({ q, sampleSize: want.sampleSize, currency: want.currency, excluded: want.excluded, hourly: want.hourly });
      expect(body.hourly.p25).toBeLessThanOrEqual(body.hourly.p50);
      expect(body.hourly.p50).toBeLessThanOrEqual(body.hourly.p75);
    }
  });

  it('refuses a place with fewer than 10 comparables with 422 insufficient_data and the brute-force count', async () => {
    expect(sparse).toBeDefined();
    const res = await t.app.inject(`/v1/compensation/suggest?${qs(sparse!)}`);
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'insufficient_data' });
    expect(res.body).toContain(`"sampleSize":${bruteForce(docs, sparse!).sampleSize}`);
  });
});
