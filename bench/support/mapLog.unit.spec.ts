import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../ops/seed/prng.ts';
import { mapLog, mapPathOf, viewportSpan } from './mapLog.ts';
import { mapRequestOf } from './requests.ts';
import { zipf } from './zipf.ts';

describe('the bench map log', () => {
  const log = mapLog({ requests: 20_000 });

  it('is the same log for the same seed and another for another seed', () => {
    expect(mapLog({ requests: 500 })).toEqual(log.slice(0, 500));
    expect(mapLog({ requests: 500, seed: 9 })).not.toEqual(log.slice(0, 500));
  });

  it('asks every viewport in a form the map route accepts (no 400 in the log)', () => {
    for (const path of new Set(log)) {
      const m = mapRequestOf(path);
      expect(m.zoom).toBeGreaterThanOrEqual(3);
      expect(m.zoom).toBeLessThanOrEqual(18);
    }
  });

  it('starts each session at zoom 9 to 11 and moves on by pans and zooms of one level', () => {
    // One user at a time: the log is one session after another.
    const zooms = mapLog({ requests: 3_000, users: 1, seed: 5 }).map((p) => mapRequestOf(p).zoom);
    expect([9, 10, 11]).toContain(zooms[0]);
    zooms.slice(1).forEach((z, i) => {
      if (Math.abs(z - zooms[i]!) > 1) expect([9, 10, 11], `a jump from zoom ${zooms[i]} to ${z} that is no new session`).toContain(z);
    });
    expect(new Set(zooms).size).toBeGreaterThan(5);
    // Sessions repeat the first viewports of popular cities: the log is not all distinct.
    expect(new Set(log).size).toBeLessThan(log.length);
  });

  it('asks a 1280×800 viewport around the centre at any place and zoom', () => {
    fc.assert(
      fc.property(fc.double({ min: -80, max: 80, noNaN: true }), fc.double({ min: -180, max: 180, noNaN: true }), fc.integer({ min: 0, max: 20 }), (lat, lon, zoom) => {
        const m = mapRequestOf(mapPathOf({ lat, lon, zoom, filter: '' }));
        const span = viewportSpan(lat, zoom);
        expect(m.bbox.maxLon - m.bbox.minLon).toBeLessThanOrEqual(span.lon + 1e-3);
        expect(m.bbox.maxLat - m.bbox.minLat).toBeLessThanOrEqual(span.lat + 1e-3);
        expect(m.bbox.minLat <= lat && lat <= m.bbox.maxLat).toBe(true);
        expect(m.bbox.minLon - 1e-4 <= lon && lon <= m.bbox.maxLon + 1e-4).toBe(true);
      }),
    );
  });
});

describe('the Zipf sampler', () => {
  it('draws ranks in 1..n, rank r about 1/r as often as rank 1', () => {
    const z = zipf(1_000, 1);
    const rng = createRng(5);
    const counts = new Array<number>(1_001).fill(0);
    for (let i = 0; i < 200_000; i++) counts[z.draw(rng)]!++;
    expect(counts[0]).toBe(0);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(200_000);
    const h = Array.from({ length: 1_000 }, (_, k) => 1 / (k + 1)).reduce((a, b) => a + b, 0);
    expect(counts[1]! / 200_000).toBeCloseTo(1 / h, 2);
    expect(counts[1]! / counts[4]!).toBeGreaterThan(3.4);
    expect(counts[1]! / counts[4]!).toBeLessThan(4.6);
  });

  it('refuses a size or exponent it cannot draw from', () => {
    expect(() => zipf(0, 1)).toThrow(RangeError);
    expect(() => zipf(10, Number.NaN)).toThrow(RangeError);
  });
});
