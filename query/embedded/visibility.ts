// Which slots the public sees at an instant (open and not expired), a byte
// per slot: one read of a small array per candidate instead of the status and
// expiry columns. Built at an instant, it holds until the first expiry after
// it (no open job expires in between, so the set is the same); writes keep it.

import type { Columns } from './columns.ts';

export type VisibilityColumns = Pick<Columns, 'size' | 'cap' | 'openUntil'>;

export class Visibility {
  private bytes = new Uint8Array(0);
  /** The instant it was built at, and the first expiry of a visible slot after it. */
  private from = Infinity;
  private until = -Infinity;
  /** How many slots are visible. */
  count = 0;

  /** 1 for the slots visible at `now` (rebuilt when `now` is outside the span it holds for). */
  at(cols: VisibilityColumns, now: number): Uint8Array {
    if (!(this.from <= now && now < this.until)) this.rebuild(cols, now);
    return this.bytes;
  }

  private rebuild(cols: VisibilityColumns, now: number): void {
    const n = cols.size;
    if (this.bytes.length < n) this.bytes = new Uint8Array(Math.max(1024, cols.cap));
    const bytes = this.bytes;
    const openUntil = cols.openUntil;
    let until = Infinity;
    let count = 0;
    for (let s = 0; s < n; s++) {
      const e = openUntil[s]!;
      const v = e > now ? 1 : 0;
      bytes[s] = v;
      count += v;
      if (v === 1 && e < until) until = e;
    }
    this.from = now;
    this.until = until;
    this.count = count;
  }

  /** A slot's columns were written (a new slot included). */
  touch(cols: VisibilityColumns, slot: number): void {
    if (this.from === Infinity) return;
    if (slot >= this.bytes.length) {
      const grown = new Uint8Array(Math.max(slot + 1, cols.cap));
      grown.set(this.bytes);
      this.bytes = grown;
    }
    const e = cols.openUntil[slot]!;
    const v = e > this.from ? 1 : 0;
    this.count += v - this.bytes[slot]!;
    this.bytes[slot] = v;
    if (v === 1 && e < this.until) this.until = e;
  }
}
