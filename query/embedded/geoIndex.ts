// Points sorted by geohash key: every geohash cell, at any precision, is one
// contiguous run, so a box is a few binary searches and a map is one pass with
// run-length aggregation. The filterable columns are copied into that order
// (`view`), so a scan reads memory sequentially instead of jumping by slot.
// Writes that move a point go to a small unsorted delta (scanned as well) until
// it is worth re-sorting; a point in the delta is `dead` in the sorted run.
// Writes that keep a point in place update its sorted copy (`sync`).

/** The columns a filter reads, by slot (Columns) or in geohash order (GeoIndex.view). */
export interface ColumnView {
  status: Uint8Array;
  expires: Float64Array;
  published: Float64Array;
  category: Uint8Array;
  etype: Uint8Array;
  hourlyMin: Float64Array;
  hourlyMax: Float64Array;
  remote: Uint8Array;
  startDay: Int32Array;
  endDay: Int32Array;
  business: Int32Array;
  lat: Float64Array;
  lon: Float64Array;
  /** Lucene's integer coordinates (Columns.latE): what map sums add. */
  latE: Int32Array;
  lonE: Int32Array;
  geoKey: Float64Array;
  skills: Int32Array[];
  /** Columns.city: like skills, only filters that are not column-only read it. */
  city: Int32Array;
}

/**
 * Told about every change of the sorted run's live entries (the map pyramid
 * keeps aggregates of them): `leave` before an entry changes or dies, `enter`
 * after it changed in place, `resorted` when positions were reassigned.
 */
export interface GeoObserver {
  leave(at: number): void;
  enter(at: number): void;
  resorted(): void;
}

import { STATUS_OPEN } from './columns.ts';
import { lowerBound } from './lowerBound.ts';

const EMPTY_SKILLS: Int32Array[] = [];

function emptyView(): ColumnView {
  return {
    status: new Uint8Array(0), expires: new Float64Array(0), published: new Float64Array(0), category: new Uint8Array(0),
    etype: new Uint8Array(0), hourlyMin: new Float64Array(0), hourlyMax: new Float64Array(0), remote: new Uint8Array(0),
    startDay: new Int32Array(0), endDay: new Int32Array(0), business: new Int32Array(0), lat: new Float64Array(0),
    lon: new Float64Array(0), latE: new Int32Array(0), lonE: new Int32Array(0), geoKey: new Float64Array(0), skills: EMPTY_SKILLS,
    city: new Int32Array(0),
  };
}

export class GeoIndex {
  /**
   * placeColumns false: the sorted copies leave out the place, skills and
   * city (lat, lon, latE, lonE, skills, city stay empty), for an order that only
   * column filters read (the store's byCategory): 32 bytes a job less.
   */
  constructor(private readonly placeColumns = true) {}

  /** Sorted keys (= view.geoKey) and the slot at each sorted position. */
  keys = new Float64Array(0);
  slots = new Int32Array(0);
  size = 0;
  view: ColumnView = emptyView();
  /** 1 where the sorted entry is stale (its slot is in the delta). */
  dead = new Uint8Array(0);
  /**
   * expiresAt (ms) of open, live entries; -Infinity for any other status or a
   * dead entry: the whole public visibility test is one comparison with now.
   */
  openUntil = new Float64Array(0);
  /** Sorted position of each slot, -1 when not in the sorted run. */
  pos = new Int32Array(0);
  inDelta = new Uint8Array(0);
  delta: number[] = [];
  /** Re-sort once the delta holds more than this plus a sixteenth of the sorted points. */
  deltaLimit = 4096;
  /** Bumped by every rebuild (positions change). */
  generation = 0;
  observer: GeoObserver | undefined;

  private ensureSlot(slot: number): void {
    if (slot < this.inDelta.length) return;
    const cap = Math.max(1024, this.inDelta.length * 2, slot + 1);
    const a = new Uint8Array(cap);
    a.set(this.inDelta);
    this.inDelta = a;
    const p = new Int32Array(cap).fill(-1);
    p.set(this.pos);
    this.pos = p;
  }

  /** Notes that a slot's key changed (or the slot is new). */
  touch(slot: number): void {
    this.ensureSlot(slot);
    if (this.inDelta[slot] === 1) return;
    this.inDelta[slot] = 1;
    this.delta.push(slot);
    const at = this.pos[slot]!;
    if (at >= 0) {
      this.observer?.leave(at);
      this.dead[at] = 1;
      this.openUntil[at] = -Infinity;
    }
  }

  /** Copies a slot's current values into its sorted position (its key unchanged). */
  sync(slot: number, c: ColumnView): void {
    if (slot >= this.pos.length) return;
    const at = this.pos[slot]!;
    if (at < 0 || this.dead[at] === 1) return;
    this.observer?.leave(at);
    const v = this.view;
    v.status[at] = c.status[slot]!;
    v.expires[at] = c.expires[slot]!;
    v.published[at] = c.published[slot]!;
    v.category[at] = c.category[slot]!;
    v.etype[at] = c.etype[slot]!;
    v.hourlyMin[at] = c.hourlyMin[slot]!;
    v.hourlyMax[at] = c.hourlyMax[slot]!;
    v.remote[at] = c.remote[slot]!;
    v.startDay[at] = c.startDay[slot]!;
    v.endDay[at] = c.endDay[slot]!;
    v.business[at] = c.business[slot]!;
    if (this.placeColumns) {
      v.skills[at] = c.skills[slot]!;
      v.city[at] = c.city[slot]!;
      // The same key, yet the point may have moved within its precision-9 cell.
      v.lat[at] = c.lat[slot]!;
      v.lon[at] = c.lon[slot]!;
      v.latE[at] = c.latE[slot]!;
      v.lonE[at] = c.lonE[slot]!;
    }
    this.openUntil[at] = c.status[slot] === STATUS_OPEN ? c.expires[slot]! : -Infinity;
    this.observer?.enter(at);
  }

  get stale(): boolean {
    return this.delta.length > this.deltaLimit + (this.size >>> 4);
  }

  /**
   * Re-sorts every located slot (LSD radix sort, three 15-bit digits of the
   * 45-bit key) and gathers the columns. `sortKeys` (by slot; -1 leaves a slot
   * out) orders by another key of the same range instead of the geohash.
   */
  rebuild(c: ColumnView, count: number, sortKeys: ArrayLike<number> = c.geoKey): void {
    const geoKey = sortKeys;
    this.ensureSlot(Math.max(0, count - 1));
    let n = 0;
    for (let s = 0; s < count; s++) if ((geoKey[s] ?? -1) >= 0) n++;
    let slots = new Int32Array(n);
    let lo = new Int32Array(n);
    let hi = new Int32Array(n);
    let j = 0;
    for (let s = 0; s < count; s++) {
      const k = geoKey[s] ?? -1;
      if (k < 0) continue;
      const h = Math.floor(k / 1073741824);
      slots[j] = s;
      hi[j] = h;
      lo[j] = k - h * 1073741824;
      j++;
    }
    let slots2 = new Int32Array(n);
    let lo2 = new Int32Array(n);
    let hi2 = new Int32Array(n);
    const counts = new Int32Array(32769);
    for (let pass = 0; pass < 3; pass++) {
      counts.fill(0);
      const digits = pass === 2 ? hi : lo;
      const shift = pass === 1 ? 15 : 0;
      const mask = pass === 2 ? 0xffffffff : 0x7fff;
      for (let i = 0; i < n; i++) counts[((digits[i]! >>> shift) & mask) + 1]!++;
      for (let d = 1; d <= 32768; d++) counts[d]! += counts[d - 1]!;
      for (let i = 0; i < n; i++) {
        const at = counts[(digits[i]! >>> shift) & mask]!++;
        slots2[at] = slots[i]!;
        lo2[at] = lo[i]!;
        hi2[at] = hi[i]!;
      }
      [slots, slots2] = [slots2, slots];
      [lo, lo2] = [lo2, lo];
      [hi, hi2] = [hi2, hi];
    }
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) keys[i] = hi[i]! * 1073741824 + lo[i]!;
    const place = this.placeColumns;
    const gather = <T extends Float64Array | Uint8Array | Int32Array>(src: T, make: (len: number) => T, always = true): T => {
      const out = make(always || place ? n : 0);
      if (!always && !place) return out;
      for (let i = 0; i < n; i++) out[i] = src[slots[i]!]!;
      return out;
    };
    this.view = {
      status: gather(c.status, (len) => new Uint8Array(len)),
      expires: gather(c.expires, (len) => new Float64Array(len)),
      published: gather(c.published, (len) => new Float64Array(len)),
      category: gather(c.category, (len) => new Uint8Array(len)),
      etype: gather(c.etype, (len) => new Uint8Array(len)),
      hourlyMin: gather(c.hourlyMin, (len) => new Float64Array(len)),
      hourlyMax: gather(c.hourlyMax, (len) => new Float64Array(len)),
      remote: gather(c.remote, (len) => new Uint8Array(len)),
      startDay: gather(c.startDay, (len) => new Int32Array(len)),
      endDay: gather(c.endDay, (len) => new Int32Array(len)),
      business: gather(c.business, (len) => new Int32Array(len)),
      lat: gather(c.lat, (len) => new Float64Array(len), false),
      lon: gather(c.lon, (len) => new Float64Array(len), false),
      latE: gather(c.latE, (len) => new Int32Array(len), false),
      lonE: gather(c.lonE, (len) => new Int32Array(len), false),
      geoKey: keys,
      skills: place ? Array.from(slots, (s) => c.skills[s]!) : EMPTY_SKILLS,
      city: gather(c.city, (len) => new Int32Array(len), false),
    };
    this.keys = keys;
    this.slots = slots;
    this.size = n;
    this.dead = new Uint8Array(n);
    this.openUntil = new Float64Array(n);
    for (let i = 0; i < n; i++) this.openUntil[i] = this.view.status[i] === STATUS_OPEN ? this.view.expires[i]! : -Infinity;
    this.pos.fill(-1);
    for (let i = 0; i < n; i++) this.pos[slots[i]!] = i;
    for (const s of this.delta) this.inDelta[s] = 0;
    this.delta = [];
    this.generation++;
    this.observer?.resorted();
  }

  /** First index whose key >= key. */
  lowerBound(key: number): number {
    return lowerBound(this.keys, this.size, key);
  }
}
