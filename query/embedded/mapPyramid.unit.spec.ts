import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { categories } from '../../eventstore/events/index.ts';
import type { JobDocument } from '../../mappings/jobDocument.ts';
import { type FilterInput, type MapInput, openEmbeddedJobStore } from './embeddedJobStore.ts';
import { NOW, bboxArb, docBody, docsArb, filtersArb, toDoc } from '../../tests/support/jobFixtures.ts';
import { geohashBounds, geohashKey, keyToGeohash, quantize } from '../model/geo.ts';
import { PYRAMID_WINDOW_MS, cellBounds, cellVersusBox } from './mapPyramid.ts';

const runs = Number(process.env.FC_RUNS ?? 60);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Map filters: mostly what the pyramid answers (none, categories), sometimes anything (the scan answers). */
const mapFilterArb: fc.Arbitrary<FilterInput> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({}) },
  { weight: 4, arbitrary: fc.uniqueArray(fc.constantFrom(...categories.slice(0, 6)), { minLength: 1, maxLength: 3 }).map((category) => ({ category })) },
  { weight: 1, arbitrary: filtersArb.map(({ bbox: _b, ...f }) => f) },
);

/**
 * Clocks around the fixtures' expiries (whole days from NOW): a window that
 * holds an expiry (a job open at the query, expiring within the pyramid's
 * window), one that crosses it, later and earlier days.
 */
const W = PYRAMID_WINDOW_MS;
const nowsArb = fc.array(fc.constantFrom(0, DAY - W / 2, DAY + W / 4, DAY + W, 2 * DAY, 10 * DAY - 1, 10 * DAY - W / 3, -3 * DAY, 61 * DAY), { minLength: 1, maxLength: 4 });

describe('map pyramid (aggregates per coarse cell)', () => {
  it('gives the bounds geohashBounds gives, at every precision', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), (p, u) => {
        const key = Math.floor(u * 2 ** (5 * p));
        expect(cellBounds(key, p)).toEqual(geohashBounds(keyToGeohash(key, p)));
      }),
      { numRuns: 500 },
    );
  });

  it('calls a cell inside a box only when its every point passes the box test, outside only when none does', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), bboxArb, fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true })), { minLength: 1, maxLength: 20 }), (p, u, box, at) => {
        const c = cellBounds(Math.floor(u * 2 ** (5 * p)), p);
        const side = cellVersusBox(c, box);
        for (const [a, b] of at) {
          const lat = c.minLat + a * (c.maxLat - c.minLat);
          const lon = c.minLon + b * (c.maxLon - c.minLon);
          const pass = lat >= box.minLat && lat <= box.maxLat && (box.minLon <= box.maxLon ? lon >= box.minLon && lon <= box.maxLon : lon >= box.minLon || lon <= box.maxLon);
          if (side === 1) expect(pass).toBe(true);
          if (side === -1) expect(pass).toBe(false);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('follows a job that moves within its precision-9 cell (same sorted key, new coordinates)', async () => {
    const store = await openEmbeddedJobStore({ path: ':memory:', geoDeltaLimit: 0 });
    try {
      const [body] = fc.sample(docBody, { numRuns: 1, seed: 7 });
      const cell = geohashBounds(keyToGeohash(geohashKey(10, 10), 9));
      const h = cell.maxLat - cell.minLat;
      const lon = (cell.minLon + cell.maxLon) / 2;
      const from = { lat: cell.minLat + 0.1 * h, lon };
      const to = { lat: cell.minLat + 0.9 * h, lon };
      expect(geohashKey(to.lat, to.lon)).toBe(geohashKey(from.lat, from.lon));
      const open = { ...body!, status: 'open' as const, expiresInDays: 10, category: 'hospitality' as const };
      const others = Array.from({ length: 40 }, (_, i) => toDoc(`o-${i}`, { ...open, location: { lat: -40 + i, lon: 100 }, position: 1 }));
      await store.putJobs([toDoc('moving', { ...open, location: from, position: 1 }), ...others]);
      const world = { minLat: -90, maxLat: 90, minLon: -180, maxLon: 180 };
      await store.map({ bbox: world, zoom: 3 }, NOW); // sorts the geo index: the job now has a sorted position
      await store.putJobs([toDoc('moving', { ...open, location: to, position: 2 })]);
      const q = quantize(to.lat, to.lon);
      // A box that holds the new place only, at a pyramid zoom and at a scanned one.
      const box = { minLat: cell.minLat + 0.5 * h, maxLat: cell.maxLat, minLon: cell.minLon, maxLon: cell.maxLon };
      for (const zoom of [3, 16]) {
        const m = await store.map({ bbox: box, zoom }, NOW);
        expect(m.total).toBe(1);
        expect(m.clusters[0]!.centroid).toEqual({ lat: q.lat, lon: q.lon });
        expect(m.points).toEqual([{ jobId: 'moving', lat: q.lat, lon: q.lon, title: open.title }]);
      }
    } finally {
      store.close();
    }
  });

  it('answers every viewport, zoom and filter exactly as the plain scan, through adds, in-place changes, moves, closes and expiries', async () => {
    await fc.assert(
      fc.asyncProperty(
        docsArb(1, 120),
        fc.array(fc.tuple(fc.nat(), docBody, fc.nat(9)), { maxLength: 40 }),
        fc.array(fc.tuple(bboxArb, fc.integer({ min: 0, max: 12 }), mapFilterArb), { minLength: 1, maxLength: 4 }),
        nowsArb,
        fc.constantFrom(0, 3, 1000),
        async (docs, changes, views, nows, geoDeltaLimit) => {
          const fast = await openEmbeddedJobStore({ path: ':memory:', geoDeltaLimit });
          const slow = await openEmbeddedJobStore({ path: ':memory:', geoDeltaLimit, mapPyramid: false });
          try {
            // Each round starts at the clock the last one ended with: the pyramid built then must have followed the changes since.
            let last = nows[nows.length - 1]!;
            const compare = async (): Promise<void> => {
              for (const offset of [last, ...nows]) {
                last = offset;
                const now = new Date(NOW.getTime() + offset);
                for (const [bbox, zoom, f] of views) {
                  const request: MapInput = { ...f, bbox, zoom };
                  expect(await fast.map(request, now)).toEqual(await slow.map(request, now));
                }
              }
            };
            await fast.putJobs(docs);
            await slow.putJobs(docs);
            await compare();
            // Changes in place (same place: status, expiry, category...), moves (a new place) and new jobs.
            const latest = new Map<string, JobDocument>(docs.map((d) => [d.jobId, d]));
            // Mostly in place: a move or a new job joins the geo delta, and enough of them re-sort it (the pyramid is then built afresh).
            const updates = changes.map(([i, b, kind], k) => {
              const cur = latest.get(docs[i % docs.length]!.jobId)!;
              const next = kind === 0 ? toDoc(`new-${k}`, b) : toDoc(cur.jobId, { ...b, ...(kind === 1 ? {} : { location: cur.location }), position: cur.position + 1 + b.position });
              latest.set(next.jobId, next);
              return next;
            });
            for (let at = 0; at < updates.length; at += 4) {
              await fast.putJobs(updates.slice(at, at + 4));
              await slow.putJobs(updates.slice(at, at + 4));
              await compare();
            }
          } finally {
            fast.close();
            slow.close();
          }
        },
      ),
      { numRuns: runs },
    );
  });
});
