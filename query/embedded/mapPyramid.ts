// Per-cell aggregates of the geo index's sorted points at the coarse geohash
// precisions (1..5), so a map of a big viewport adds up a few hundred cells
// instead of scanning every point in it. For each precision: the (cell,
// category) pairs present, sorted, each with a count and the sums of the
// points' integer (Lucene) coordinates; integer sums are exact in any order,
// so a cell's aggregate equals the scan's sum bit for bit.
//
// What the aggregates count: live sorted entries that are open and stay
// visible through the whole window [lo, hi] of `now` they were built for
// (expiresAt > hi). Open entries expiring within the window ("soon") are in a
// list scanned per query, like the geo index's delta; entries the aggregates
// have no pair for after an in-place change join that list too. A query whose
// `now` is outside the window rebuilds (lazily), as does a re-sort of the
// geo index. Filters beyond category (text, pay, place, owner...) and fine
// precisions use the plain scan (the caller decides: `covers`, pyramidFilter).

import type { Bounds } from '../model/geo.ts';
import { KEY_BITS } from '../model/geo.ts';
import type { GeoIndex, GeoObserver } from './geoIndex.ts';
import { lowerBound } from './lowerBound.ts';
import type { PyramidQuery } from './pyramidQuery.ts';

/** Precisions with aggregates: zoom 0..10 (precision 6 and up: viewports small enough to scan). */
export const PYRAMID_MAX_PRECISION = 5;
/** How far past `now` a built pyramid stays valid; open jobs expiring within it are scanned per query. */
export const PYRAMID_WINDOW_MS = 6 * 3_600_000;

const STATE_NONE = 0;
const STATE_COUNTED = 1;
const STATE_SCANNED = 2;

class Level {
  /** cell key × 32 + category bucket, ascending. */
  keys = new Float64Array(0);
  count = new Int32Array(0);
  sumLat = new Float64Array(0);
  sumLon = new Float64Array(0);
  n = 0;

  push(key: number, count: number, sumLat: number, sumLon: number): void {
    if (this.n === this.keys.length) {
      const cap = Math.max(256, this.n * 2);
      const k = new Float64Array(cap);
      k.set(this.keys);
      const c = new Int32Array(cap);
      c.set(this.count);
      const a = new Float64Array(cap);
      a.set(this.sumLat);
      const o = new Float64Array(cap);
      o.set(this.sumLon);
      [this.keys, this.count, this.sumLat, this.sumLon] = [k, c, a, o];
    }
    const i = this.n++;
    this.keys[i] = key;
    this.count[i] = count;
    this.sumLat[i] = sumLat;
    this.sumLon[i] = sumLon;
  }

  /** First index whose key >= key. */
  lowerBound(key: number): number {
    return lowerBound(this.keys, this.n, key);
  }

  indexOf(key: number): number {
    const i = this.lowerBound(key);
    return i < this.n && this.keys[i] === key ? i : -1;
  }

  get bytes(): number {
    return this.keys.byteLength + this.count.byteLength + this.sumLat.byteLength + this.sumLon.byteLength;
  }
}

/** Even bits (0, 2, 4, ...) of a 32-bit value, packed. */
function compact16(x: number): number {
  x &= 0x55555555;
  x = (x | (x >>> 1)) & 0x33333333;
  x = (x | (x >>> 2)) & 0x0f0f0f0f;
  x = (x | (x >>> 4)) & 0x00ff00ff;
  x = (x | (x >>> 8)) & 0x0000ffff;
  return x;
}

/** Even bits of a key of up to 50 bits, packed. */
function compactEven(k: number): number {
  const hi = Math.floor(k / 4294967296);
  return compact16(k >>> 0) + compact16(hi) * 65536;
}

/** The bounds of a geohash cell from its numeric key (the same dyadic values geohashBounds computes). */
export function cellBounds(key: number, precision: number): Bounds {
  const bits = 5 * precision;
  const lonBits = Math.ceil(bits / 2);
  const latBits = bits - lonBits;
  const odd = Math.floor(key / 2);
  const [x, y] = bits % 2 === 1 ? [compactEven(key), compactEven(odd)] : [compactEven(odd), compactEven(key)];
  const w = 360 / 2 ** lonBits;
  const h = 180 / 2 ** latBits;
  const minLon = -180 + x * w;
  const minLat = -90 + y * h;
  return { minLat, minLon, maxLat: minLat + h, maxLon: minLon + w };
}

/**
 * Where a cell lies against the box test of the read model (inclusive,
 * wrapping when minLon > maxLon): 1 every point passes, -1 none does, 0 some
 * may. A point of a cell has minLat <= lat < maxLat (likewise lon).
 */
export function cellVersusBox(c: Bounds, b: Bounds): -1 | 0 | 1 {
  if (c.maxLat <= b.minLat || c.minLat > b.maxLat) return -1;
  const latIn = c.minLat >= b.minLat && c.maxLat <= b.maxLat;
  if (b.minLon <= b.maxLon) {
    if (c.maxLon <= b.minLon || c.minLon > b.maxLon) return -1;
    return latIn && c.minLon >= b.minLon && c.maxLon <= b.maxLon ? 1 : 0;
  }
  if (c.minLon > b.maxLon && c.maxLon <= b.minLon) return -1;
  return latIn && (c.minLon >= b.minLon || c.maxLon <= b.maxLon) ? 1 : 0;
}

export class MapPyramid implements GeoObserver {
  private levels: Level[] = [];
  private state = new Uint8Array(0);
  /** Positions that were scanned entries at some point since the build (check `state`). */
  private scanned: number[] = [];
  private inScanned = new Uint8Array(0);
  private lo = 0;
  private hi = -Infinity;
  private generation = -1;
  private built = false;
  /** Counts of what the last build did, for stats. */
  builds = 0;

  constructor(private readonly g: GeoIndex) {
    g.observer = this;
  }

  /** Whether the pyramid can answer this precision (after `prepare`). */
  covers(precision: number): boolean {
    return precision >= 1 && precision <= this.levels.length;
  }

  /** Brings the aggregates to the geo index's current order and a window holding `now`. */
  prepare(now: number): void {
    if (this.built && this.generation === this.g.generation && now >= this.lo && now <= this.hi) return;
    this.build(now, now + PYRAMID_WINDOW_MS);
  }

  private classify(at: number): number {
    const g = this.g;
    if (g.dead[at] === 1) return STATE_NONE;
    const until = g.openUntil[at]!;
    if (until > this.hi) return STATE_COUNTED;
    return until > this.lo ? STATE_SCANNED : STATE_NONE;
  }

  private build(lo: number, hi: number): void {
    const g = this.g;
    const n = g.size;
    const { keys, openUntil, dead } = g;
    const { category, latE, lonE } = g.view;
    this.lo = lo;
    this.hi = hi;
    const state = new Uint8Array(n);
    this.inScanned = new Uint8Array(n);
    this.scanned = [];
    for (let i = 0; i < n; i++) {
      if (dead[i] === 1) continue;
      const until = openUntil[i]!;
      if (until > hi) state[i] = STATE_COUNTED;
      else if (until > lo) {
        state[i] = STATE_SCANNED;
        this.inScanned[i] = 1;
        this.scanned.push(i);
      }
    }
    this.state = state;
    // One tight pass per level: the category sums of the current cell, flushed (nonzero buckets, ascending) when the cell changes.
    this.levels = [];
    const cnt = new Int32Array(32);
    const sLat = new Float64Array(32);
    const sLon = new Float64Array(32);
    for (let p = 1; p <= PYRAMID_MAX_PRECISION; p++) {
      const level = new Level();
      const div = 2 ** (KEY_BITS - 5 * p);
      let cur = -1;
      let used = 0;
      for (let i = 0; i <= n; i++) {
        const cell = i < n ? Math.floor(keys[i]! / div) : -2;
        if (cell !== cur) {
          if (used !== 0) {
            for (let b = 0; b < 32; b++) {
              if (((used >>> b) & 1) === 0) continue;
              level.push(cur * 32 + b, cnt[b]!, sLat[b]!, sLon[b]!);
              cnt[b] = 0;
              sLat[b] = 0;
              sLon[b] = 0;
            }
            used = 0;
          }
          cur = cell;
        }
        if (i === n || state[i] !== STATE_COUNTED) continue;
        const b = category[i]! & 31;
        used |= 1 << b;
        cnt[b]!++;
        sLat[b]! += latE[i]!;
        sLon[b]! += lonE[i]!;
      }
      // A level with about as many pairs as points saves little over the scan (and finer ones would hold more).
      if (level.n > Math.max(4096, n / 2)) break;
      this.levels.push(level);
    }
    this.generation = g.generation;
    this.built = true;
    this.builds++;
  }

  // ---- GeoObserver ------------------------------------------------------------

  leave(at: number): void {
    if (!this.built || at >= this.state.length) return;
    if (this.state[at] === STATE_COUNTED) this.apply(at, -1);
    this.state[at] = STATE_NONE;
  }

  enter(at: number): void {
    if (!this.built || at >= this.state.length) return;
    let s = this.classify(at);
    if (s === STATE_COUNTED && !this.apply(at, 1)) s = STATE_SCANNED;
    this.state[at] = s;
    if (s === STATE_SCANNED && this.inScanned[at] === 0) {
      this.inScanned[at] = 1;
      this.scanned.push(at);
    }
  }

  resorted(): void {
    this.built = false;
  }

  /** Adds (sign 1) or removes (-1) an entry's contribution at every level; false (nothing done) when a level lacks its pair. */
  private apply(at: number, sign: 1 | -1): boolean {
    const g = this.g;
    const k = g.keys[at]!;
    const b = g.view.category[at]! & 31;
    const found: number[] = [];
    for (let l = 0; l < this.levels.length; l++) {
      const i = this.levels[l]!.indexOf(Math.floor(k / 2 ** (KEY_BITS - 5 * (l + 1))) * 32 + b);
      if (i < 0) return false;
      found.push(i);
    }
    const la = g.view.latE[at]! * sign;
    const lo = g.view.lonE[at]! * sign;
    for (let l = 0; l < this.levels.length; l++) {
      const level = this.levels[l]!;
      const i = found[l]!;
      level.count[i]! += sign;
      level.sumLat[i]! += la;
      level.sumLon[i]! += lo;
    }
    return true;
  }

  // ---- queries ------------------------------------------------------------------

  /**
   * Adds the matching sorted entries of a viewport to the clusters (q.add) and
   * returns their number, or undefined when this pyramid cannot answer (then
   * nothing was added). The caller adds the geo index's delta itself.
   * `contributions` receives the [from, to) key ranges (45-bit) whose counted
   * entries were added, and `extra` the scanned positions added, for listing
   * points when there are few.
   */
  map(q: PyramidQuery, contributions: Array<[number, number]>, extra: number[]): number | undefined {
    this.prepare(q.now);
    const P = q.precision;
    if (!this.covers(P)) return undefined;
    const g = this.g;
    const L = this.levels.length;
    const { box, catMask } = q;
    const state = this.state;
    const { keys } = g;
    const { category, lat, lon, latE, lonE } = g.view;
    const divP = 2 ** (KEY_BITS - 5 * P);
    let total = 0;

    /** Sums of the wanted pairs of `cell` at level l (pairs from index i), into the cluster of `target`. */
    const addCell = (l: number, cell: number, target: number, keyFrom: number, keyTo: number): void => {
      const level = this.levels[l]!;
      let c = 0;
      let a = 0;
      let o = 0;
      for (let i = level.lowerBound(cell * 32); i < level.n && level.keys[i]! < cell * 32 + 32; i++) {
        const b = level.keys[i]! - cell * 32;
        if (catMask !== undefined && ((catMask >>> b) & 1) === 0) continue;
        c += level.count[i]!;
        a += level.sumLat[i]!;
        o += level.sumLon[i]!;
      }
      if (c > 0) {
        q.add(target, c, a, o);
        total += c;
        contributions.push([keyFrom, keyTo]);
      }
    };
    const inBox = (i: number): boolean => {
      const la = lat[i]!;
      if (la < box.minLat || la > box.maxLat) return false;
      const lo = lon[i]!;
      return box.minLon <= box.maxLon ? lo >= box.minLon && lo <= box.maxLon : lo >= box.minLon || lo <= box.maxLon;
    };
    /** Scans the counted entries of keys [from, to) against the box and categories. */
    const scan = (from: number, to: number, target: number): void => {
      let c = 0;
      let a = 0;
      let o = 0;
      for (let i = g.lowerBound(from), end = g.lowerBound(to); i < end; i++) {
        if (state[i] !== STATE_COUNTED) continue;
        if (catMask !== undefined && ((catMask >>> category[i]!) & 1) === 0) continue;
        if (!inBox(i)) continue;
        c++;
        a += latE[i]!;
        o += lonE[i]!;
      }
      if (c > 0) {
        q.add(target, c, a, o);
        total += c;
        contributions.push([from, to]);
      }
    };
    /** A cell at level l (precision l + 1) that the box may cut: its children, or its points at the finest level. */
    const visit = (l: number, cell: number, target: number): void => {
      const div = 2 ** (KEY_BITS - 5 * (l + 1));
      const side = cellVersusBox(cellBounds(cell, l + 1), box);
      if (side < 0) return;
      if (side > 0) return addCell(l, cell, target, cell * div, (cell + 1) * div);
      if (l + 1 >= L) return scan(cell * div, (cell + 1) * div, target);
      const next = this.levels[l + 1]!;
      let prev = -1;
      for (let i = next.lowerBound(cell * 1024); i < next.n && next.keys[i]! < cell * 1024 + 1024; i++) {
        const child = Math.floor(next.keys[i]! / 32);
        if (child === prev) continue;
        prev = child;
        visit(l + 1, child, target);
      }
    };

    const level = this.levels[P - 1]!;
    let last = -1;
    for (const [from, to] of q.ranges) {
      const first = Math.floor(from / divP);
      const end = Math.ceil(to / divP);
      for (let i = level.lowerBound(first * 32); i < level.n && level.keys[i]! < end * 32; i++) {
        const cell = Math.floor(level.keys[i]! / 32);
        if (cell === last) continue;
        last = cell;
        visit(P - 1, cell, cell);
      }
    }
    for (const i of this.scanned) {
      if (state[i] !== STATE_SCANNED || !q.at(i)) continue;
      q.add(Math.floor(keys[i]! / divP), 1, latE[i]!, lonE[i]!);
      total++;
      extra.push(i);
    }
    return total;
  }

  /** Positions of counted entries in the contributed ranges that pass `at` (for listing few points). */
  pointsOf(contributions: ReadonlyArray<readonly [number, number]>, at: (i: number) => boolean, out: number[]): void {
    const g = this.g;
    for (const [from, to] of contributions) {
      for (let i = g.lowerBound(from), end = g.lowerBound(to); i < end; i++) if (this.state[i] === STATE_COUNTED && at(i)) out.push(i);
    }
  }

  stats(): { levels: number; pairs: number[]; bytes: number; scanned: number; builds: number } {
    return {
      levels: this.levels.length,
      pairs: this.levels.map((l) => l.n),
      bytes: this.levels.reduce((s, l) => s + l.bytes, 0) + this.state.byteLength * 2,
      scanned: this.scanned.length,
      builds: this.builds,
    };
  }
}
