import type { Rng } from '../../ops/seed/prng.ts';

/**
 * Ranks 1..n drawn with probability proportional to 1 / rank^s (Zipf's law:
 * the most popular search is asked twice as often as the second at s = 1).
 * Inverse transform over the cumulative weights, a binary search per draw.
 */
export interface Zipf {
  readonly n: number;
  readonly s: number;
  /** A rank in 1..n. */
  draw(rng: Rng): number;
}

export function zipf(n: number, s: number): Zipf {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`zipf: n must be a positive integer (got ${n})`);
  if (!(s >= 0) || !Number.isFinite(s)) throw new RangeError(`zipf: s must be a finite number >= 0 (got ${s})`);
  const cumulative = new Float64Array(n);
  let total = 0;
  for (let k = 1; k <= n; k++) {
    total += 1 / k ** s;
    cumulative[k - 1] = total;
  }
  return {
    n,
    s,
    draw(rng) {
      const target = rng.next() * total;
      let lo = 0;
      let hi = n - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((cumulative[mid] ?? 0) > target) hi = mid;
        else lo = mid + 1;
      }
      return lo + 1;
    },
  };
}
