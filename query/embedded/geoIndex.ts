// Points sorted by geohash key: every geohash cell, at any precision, is one
// contiguous run, so a box is a few binary searches and a map is one pass with
// run-length aggregation. Writes go to a small unsorted delta (scanned as well)
// until it is worth re-sorting; a slot in the delta is skipped in the main run.

export class GeoIndex {
  keys = new Float64Array(0);
  slots = new Int32Array(0);
  size = 0;
  inDelta = new Uint8Array(0);
  delta: number[] = [];
  /** Re-sort once the delta holds more than this plus a sixteenth of the sorted points. */
  deltaLimit = 4096;

  /** Notes that a slot's key changed (or the slot is new). */
  touch(slot: number): void {
    if (slot >= this.inDelta.length) {
      const a = new Uint8Array(Math.max(1024, this.inDelta.length * 2, slot + 1));
      a.set(this.inDelta);
      this.inDelta = a;
    }
    if (this.inDelta[slot] === 1) return;
    this.inDelta[slot] = 1;
    this.delta.push(slot);
  }

  get stale(): boolean {
    return this.delta.length > this.deltaLimit + (this.size >>> 4);
  }

  /** Re-sorts every located slot (LSD radix sort, three 15-bit digits of the 45-bit key). */
  rebuild(geoKey: Float64Array, count: number): void {
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
      const digit = (i: number): number => (pass === 0 ? (lo[i] ?? 0) & 0x7fff : pass === 1 ? (lo[i] ?? 0) >>> 15 : (hi[i] ?? 0));
      for (let i = 0; i < n; i++) counts[digit(i) + 1]!++;
      for (let d = 1; d <= 32768; d++) counts[d]! += counts[d - 1]!;
      for (let i = 0; i < n; i++) {
        const at = counts[digit(i)]!++;
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
    this.keys = keys;
    this.slots = slots;
    this.size = n;
    for (const s of this.delta) this.inDelta[s] = 0;
    this.delta = [];
  }

  /** First index whose key >= key. */
  lowerBound(key: number): number {
    let lo = 0;
    let hi = this.size;
    const keys = this.keys;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keys[mid]! < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
