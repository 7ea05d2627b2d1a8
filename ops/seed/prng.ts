/**
 * Small seeded pseudo-random generators for the demo dataset. Never
 * Math.random or the clock: the same seed must give byte-identical output.
 */

/** murmur3's 32-bit finaliser: a cheap, well-mixing hash of one integer. */
export function mix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Seed of one entity's private generator, derived from the dataset seed, a
 * domain (jobs, workers, ...) and the entity's index. Entities therefore do not
 * depend on each other's draws: job 17 is the same whatever the worker count.
 */
export function deriveSeed(seed: number, domain: number, index: number): number {
  return mix32(mix32((seed >>> 0) ^ Math.imul(domain, 0x27d4eb2d)) + Math.imul(index + 1, 0x9e3779b9));
}

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [min, max). */
  range(min: number, max: number): number;
  /** Integer uniform in [min, max] (both inclusive). */
  int(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Picks by non-negative weights (at least one positive). */
  weighted<T>(items: readonly T[], weights: readonly number[]): T;
  /** `count` distinct items in random order (fewer when the pool is smaller). */
  sample<T>(items: readonly T[], count: number): T[];
}

/**
 * mulberry32: 32-bit state, fast, good enough for synthetic data. A class, not
 * closures: one is created per generated entity, so construction must be cheap.
 */
class Mulberry32 implements Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  range(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return at(items, Math.floor(this.next() * items.length));
  }

  weighted<T>(items: readonly T[], weights: readonly number[]): T {
    let total = 0;
    for (const w of weights) total += w;
    let r = this.next() * total;
    for (let i = 0; i < items.length; i++) {
      r -= weights[i] ?? 0;
      if (r < 0) return at(items, i);
    }
    return at(items, items.length - 1);
  }

  sample<T>(items: readonly T[], count: number): T[] {
    const pool = items.slice();
    const n = Math.min(count, pool.length);
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(this.next() * (pool.length - i));
      const tmp = at(pool, i);
      pool[i] = at(pool, j);
      pool[j] = tmp;
    }
    pool.length = n;
    return pool;
  }
}

function at<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new RangeError(`index ${index} out of ${items.length}`);
  return item;
}

export function createRng(seed: number): Rng {
  return new Mulberry32(seed);
}
