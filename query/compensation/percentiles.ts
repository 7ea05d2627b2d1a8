/**
 * Exact percentiles of a list of numbers, one definition for every read store:
 * linear interpolation between closest ranks, as numpy's default ("linear",
 * Hyndman & Fan type 7). For the ascending values x[0..n-1] and p in [0, 1]:
 *
 *   h = (n - 1) * p,  lo = floor(h),  hi = ceil(h)
 *   P(p) = x[lo] + (h - lo) * (x[hi] - x[lo])
 *
 * so P(0) is the minimum, P(1) the maximum and P(0.5) the median (the mean of
 * the two middle values when n is even). Computed in TypeScript from the exact
 * list, never from an engine's approximate `percentiles` aggregation.
 */
export function percentileOfSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new RangeError('percentile of an empty list');
  if (!(p >= 0 && p <= 1)) throw new RangeError(`percentile rank ${p} is not in [0, 1]`);
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  // a + f * (b - a) is not monotone in f under rounding when a === b is false but
  // close; clamp to [a, b] so the percentiles never leave their bracket.
  const v = a + (h - lo) * (b - a);
  return Math.min(Math.max(v, a), b);
}

/** Ascending copy; rejects values that are not finite numbers. */
export function sortedValues(values: readonly number[]): number[] {
  for (const v of values) if (!Number.isFinite(v)) throw new RangeError(`not a finite number: ${v}`);
  return [...values].sort((x, y) => x - y);
}

export interface Quartiles {
  p25: number;
  p50: number;
  p75: number;
}

/** p25, p50, p75 of a non-empty list by `percentileOfSorted`. */
export function quartiles(values: readonly number[]): Quartiles {
  const s = sortedValues(values);
  return { p25: percentileOfSorted(s, 0.25), p50: percentileOfSorted(s, 0.5), p75: percentileOfSorted(s, 0.75) };
}

/** Rounded to the cent, as the hourly pay of the documents is (`hourlyPay.ts`). */
export const toCents = (n: number): number => Math.round(n * 100) / 100;
