import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCities } from '../../ops/seed/cities.ts';
import { createRng } from '../../ops/seed/prng.ts';
import { encodeCursor } from '../../query/model/cursor.ts';
import { categoryWords } from './logVocabulary.ts';
import { searchRequestOf } from './requests.ts';
import { type SearchLog, searchLog, searchPathOf, withCursor } from './searchLog.ts';

/** Least-squares slope of log(count) over log(rank) for the `top` most frequent items. */
function rankFrequencySlope(counts: Iterable<number>, top: number): number {
  const sorted = [...counts].sort((a, b) => b - a).slice(0, top);
  const xs = sorted.map((_, i) => Math.log(i + 1));
  const ys = sorted.map((c) => Math.log(c));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  xs.forEach((x, i) => {
    num += (x - mx) * (ys[i]! - my);
    den += (x - mx) ** 2;
  });
  return num / den;
}

const firstPageCounts = (log: SearchLog): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const e of log.entries) if (e.page === 1) counts.set(e.path, (counts.get(e.path) ?? 0) + 1);
  return counts;
};

describe('the bench search log', () => {
  let log: SearchLog;
  beforeAll(() => {
    log = searchLog();
  });

  it('holds at least 50,000 distinct searches by default', () => {
    expect(firstPageCounts(log).size).toBeGreaterThanOrEqual(50_000);
    expect(log.distinct).toBe(firstPageCounts(log).size);
  });

  it('asks its searches with Zipf popularity: the rank-frequency slope of the most asked is close to -1', () => {
    const slope = rankFrequencySlope(firstPageCounts(log).values(), 300);
    expect(slope).toBeGreaterThan(-1.2);
    expect(slope).toBeLessThan(-0.8);
  });

  it('follows the configured exponent: a steeper law gives a steeper slope', () => {
    const steep = searchLog({ distinct: 5_000, zipf: 1.4, seed: 7 });
    const slope = rankFrequencySlope(firstPageCounts(steep).values(), 100);
    expect(slope).toBeGreaterThan(-1.65);
    expect(slope).toBeLessThan(-1.15);
  });

  it('refuses an exponent too steep to reach the distinct count rather than run on', () => {
    expect(() => searchLog({ distinct: 1_000, zipf: 3 })).toThrow(/too steep/);
  });

  it('is the same log for the same seed and another for another seed', () => {
    const a = searchLog({ distinct: 2_000, seed: 3 });
    const b = searchLog({ distinct: 2_000, seed: 3 });
    const c = searchLog({ distinct: 2_000, seed: 4 });
    expect(b.entries).toEqual(a.entries);
    expect(c.entries.slice(0, 50)).not.toEqual(a.entries.slice(0, 50));
  });

  it('asks every search in a form the search route accepts (no 400 in the log), with a cursor too', () => {
    const cursor = encodeCursor({ sort: 'newest', value: 1_700_000_000_000, jobId: 'j00000001' });
    for (const path of firstPageCounts(log).keys()) {
      expect(() => searchRequestOf(path), path).not.toThrow();
    }
    const some = [...firstPageCounts(log).keys()].slice(0, 200);
    for (const path of some) expect(searchRequestOf(withCursor(path, cursor)).cursor).toBe(cursor);
  });

  it('combines text, filters, places, sorts, facets and sizes as users do', () => {
    const paths = [...firstPageCounts(log).keys()];
    const share = (re: RegExp): number => paths.filter((p) => re.test(p)).length / paths.length;
    for (const re of [/[?&]text=/, /[?&]category=/, /[?&]employmentType=/, /[?&]payMin=/, /[?&]remote=true/, /[?&]skills=/, /[?&]postedWithinDays=/, /[?&]radiusKm=/, /[?&]city=/, /sort=distance/, /sort=newest/, /sort=pay/, /facets=true/, /highlight=true/, /size=50/]) {
      expect(share(re), String(re)).toBeGreaterThan(0.01);
    }
    // Text of one to three terms (a term may be two words: "front desk"), some from the long tail of the dataset's sentences.
    const texts = paths.map((p) => new URL(p, 'http://x').searchParams.get('text')).filter((t): t is string => t !== null);
    const lengths = new Set(texts.map((t) => t.split(' ').length));
    for (const n of [1, 2, 3]) expect(lengths.has(n)).toBe(true);
    const rare = new Set(categoryWords.flatMap((c) => c.rare));
    expect(texts.filter((t) => t.split(' ').some((w) => rare.has(w))).length / texts.length).toBeGreaterThan(0.02);
  });

  it('asks a next page only after the page before it, of the same search', () => {
    const seen = new Set<string>();
    let next = 0;
    for (const e of log.entries) {
      if (e.page > 1) {
        next++;
        expect(seen.has(`${e.page - 1} ${e.path}`), `page ${e.page} of ${e.path}`).toBe(true);
      }
      seen.add(`${e.page} ${e.path}`);
    }
    expect(next / log.entries.length).toBeGreaterThan(0.05);
    expect(log.entries.some((e) => e.page === 3)).toBe(true);
  });

  it('builds a request the route accepts for any seed and rank', () => {
    const cities = loadCities();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 1, max: 10_000_000 }), (seed, rank) => {
        const path = searchPathOf(createRng(seed), cities, rank);
        const model = searchRequestOf(path);
        if (model.sort === 'distance') expect(model.near).toBeDefined();
      }),
      { numRuns: 500 },
    );
  });
});
