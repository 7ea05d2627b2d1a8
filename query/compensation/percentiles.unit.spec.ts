import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Comparable } from './comparables.ts';
import { hourlyValueOf } from './comparables.ts';
import { percentileOfSorted, quartiles, toCents } from './percentiles.ts';
import { dominantCurrency, suggestFrom } from './suggest.ts';

/** Brute force: numpy's "linear" percentile written from its rank definition on a freshly sorted copy. */
function bruteForce(values: readonly number[], p: number): number {
  const s = values.slice().sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const rank = p * (s.length - 1);
  const below = s[Math.floor(rank)]!;
  const above = s[Math.ceil(rank)]!;
  return below === above ? below : below + (rank - Math.floor(rank)) * (above - below);
}

const pay = fc.double({ min: 0, max: 10_000, noNaN: true, noDefaultInfinity: true });

describe('percentileOfSorted (linear interpolation between closest ranks)', () => {
  it('matches known values (numpy.percentile defaults)', () => {
    const s = [1, 2, 3, 4];
    expect(percentileOfSorted(s, 0.25)).toBe(1.75);
    expect(percentileOfSorted(s, 0.5)).toBe(2.5);
    expect(percentileOfSorted(s, 0.75)).toBe(3.25);
    expect(percentileOfSorted([7], 0.25)).toBe(7);
    expect(quartiles([15, 20, 35, 40, 50])).toEqual({ p25: 20, p50: 35, p75: 40 });
  });

  it('rejects an empty list and ranks outside [0, 1]', () => {
    expect(() => percentileOfSorted([], 0.5)).toThrow(RangeError);
    expect(() => percentileOfSorted([1], 1.5)).toThrow(RangeError);
    expect(() => quartiles([1, Number.NaN])).toThrow(RangeError);
  });

  it('equals the brute-force sort-based definition on random lists', () => {
    fc.assert(
      fc.property(fc.array(pay, { minLength: 1, maxLength: 200 }), fc.double({ min: 0, max: 1, noNaN: true }), (values, p) => {
        const s = [...values].sort((a, b) => a - b);
        expect(percentileOfSorted(s, p)).toBeCloseTo(bruteForce(values, p), 9);
        const q = quartiles(values);
        expect(q.p25).toBeCloseTo(bruteForce(values, 0.25), 9);
        expect(q.p50).toBeCloseTo(bruteForce(values, 0.5), 9);
        expect(q.p75).toBeCloseTo(bruteForce(values, 0.75), 9);
      }),
      { numRuns: 500 },
    );
  });

  it('is ordered (min <= p25 <= p50 <= p75 <= max), also after rounding to the cent, and ignores input order', () => {
    fc.assert(
      fc.property(fc.array(pay, { minLength: 1, maxLength: 100 }), (values) => {
        const q = quartiles(values);
        expect(Math.min(...values)).toBeLessThanOrEqual(q.p25);
        expect(q.p25).toBeLessThanOrEqual(q.p50);
        expect(q.p50).toBeLessThanOrEqual(q.p75);
        expect(q.p75).toBeLessThanOrEqual(Math.max(...values));
        expect(toCents(q.p25)).toBeLessThanOrEqual(toCents(q.p50));
        expect(toCents(q.p50)).toBeLessThanOrEqual(toCents(q.p75));
        expect(quartiles([...values].reverse())).toEqual(q);
      }),
      { numRuns: 500 },
    );
  });
});

const comparable = (hourly: number, currency = 'USD', i = 0): Comparable => ({ jobId: `j${i}`, hourly, currency });

describe('suggestFrom', () => {
  it('uses the midpoint of the hourly range as a job value', () => {
    expect(hourlyValueOf({ hourlyMin: 16, hourlyMax: 19.5 })).toBe(17.75);
  });

  it('answers insufficient below the minimum sample, with the sample size', () => {
    expect(suggestFrom([], 10)).toEqual({ kind: 'insufficient', sampleSize: 0, minSample: 10 });
    const nine = Array.from({ length: 9 }, (_, i) => comparable(10 + i, 'USD', i));
    expect(suggestFrom(nine, 10)).toMatchObject({ kind: 'insufficient', sampleSize: 9, minSample: 10 });
    expect(suggestFrom(nine, 9)).toMatchObject({ kind: 'ok', sampleSize: 9, hourly: { p25: 12, p50: 14, p75: 16 } });
  });

  it('restricts mixed currencies to the most common one and says so', () => {
    const list = [...Array.from({ length: 10 }, (_, i) => comparable(20 + i, 'EUR', i)), ...Array.from({ length: 3 }, (_, i) => comparable(100, 'USD', 20 + i))];
    const out = suggestFrom(list, 10);
    expect(out).toMatchObject({ kind: 'ok', sampleSize: 10, hourly: { p25: 22.25, p50: 24.5, p75: 26.75 }, currency: { code: 'EUR', excluded: 3 } });
    expect(out.kind === 'ok' && out.currency.note).toContain('mix currencies');
    // A tie goes to the first code alphabetically.
    expect(dominantCurrency([comparable(1, 'USD'), comparable(1, 'CAD')])).toBe('CAD');
  });
});
