import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { haversineKm, jitterPoint, loadCities } from './cities.ts';
import { createRng, deriveSeed } from './prng.ts';

describe('createRng', () => {
  it('repeats its sequence for a seed and differs across seeds', () => {
    const a = createRng(1);
    const b = createRng(1);
    const c = createRng(2);
    const sa = Array.from({ length: 20 }, () => a.next());
    expect(Array.from({ length: 20 }, () => b.next())).toEqual(sa);
    expect(Array.from({ length: 20 }, () => c.next())).not.toEqual(sa);
  });

  it('keeps draws in range', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 0, max: 1000 }), (seed, min, span) => {
        const rng = createRng(seed);
        for (let i = 0; i < 20; i++) {
          const x = rng.next();
          expect(x >= 0 && x < 1).toBe(true);
          const n = rng.int(min, min + span);
          expect(Number.isInteger(n) && n >= min && n <= min + span).toBe(true);
        }
      }),
    );
  });

  it('samples distinct items and honours zero weights', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 0, max: 30 }), (seed, count) => {
        const rng = createRng(seed);
        const pool = Array.from({ length: 20 }, (_, i) => i);
        const picked = rng.sample(pool, count);
        expect(picked).toHaveLength(Math.min(count, 20));
        expect(new Set(picked).size).toBe(picked.length);
        expect(pool).toEqual(Array.from({ length: 20 }, (_, i) => i));
        expect(rng.weighted(['a', 'b', 'c'], [0, 1, 0])).toBe('b');
      }),
    );
  });

  it('derives distinct seeds per domain and index', () => {
    const seeds = new Set<number>();
    for (let domain = 1; domain <= 4; domain++) for (let i = 0; i < 1000; i++) seeds.add(deriveSeed(42, domain, i));
    expect(seeds.size).toBe(4000);
    expect(deriveSeed(42, 1, 7)).toBe(deriveSeed(42, 1, 7));
    expect(deriveSeed(42, 1, 7)).not.toBe(deriveSeed(43, 1, 7));
  });
});

describe('jitterPoint', () => {
  it('stays within the radius and inside valid coordinates, across the antimeridian too', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.double({ min: -80, max: 80, noNaN: true }),
        fc.double({ min: -180, max: 180, noNaN: true }),
        (seed, lat, lon) => {
          const p = jitterPoint(createRng(seed), { lat, lon }, 8);
          expect(p.lat >= -90 && p.lat <= 90 && p.lon >= -180 && p.lon <= 180).toBe(true);
          expect(haversineKm({ lat, lon }, p)).toBeLessThanOrEqual(8.01);
        },
      ),
    );
  });
});

describe('loadCities', () => {
  it('loads real cities once, with population weights', () => {
    const table = loadCities();
    expect(loadCities()).toBe(table);
    expect(table.cities.length).toBeGreaterThan(20_000);
    expect(table.cities.every((c) => c.population >= 15_000 && /^[A-Z]{2}$/.test(c.country))).toBe(true);
    expect(table.cumulative.at(-1)).toBe(table.totalPopulation);
    const rng = createRng(9);
    const picks = Array.from({ length: 20_000 }, () => table.pick(rng));
    const big = picks.filter((c) => c.population > 5_000_000).length;
    const share = table.cities.filter((c) => c.population > 5_000_000).reduce((n, c) => n + c.population, 0) / table.totalPopulation;
    expect(big / picks.length).toBeGreaterThan(share * 0.85);
    expect(big / picks.length).toBeLessThan(share * 1.15);
    expect(table.cities.find((c) => c.name === 'Albuquerque' && c.country === 'US')?.region).toBe('NM');
  });
});
