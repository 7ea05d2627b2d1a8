// Slots by the values of one column (a job's skills, its city): for each value
// the slots holding it, ascending, in one flat array (counting sort). A skill or
// city filter then reads the few slots of its values instead of testing every
// job. Writes that change a slot's values send it to a small delta (scanned
// as well) until re-sorting pays, as the geo index does; its entries in the
// sorted lists are skipped meanwhile.

/** Calls `each` with every value a slot holds. */
export type ValuesOf = (slot: number, each: (value: number) => void) => void;

export class SlotsByValue {
  /** Value v's slots are slots[offsets[v]] .. slots[offsets[v + 1] - 1]. */
  private offsets = new Int32Array(1);
  private slots = new Int32Array(0);
  private built = false;
  /** 1 where a slot changed since the sort: its sorted entries are stale and it is read from `delta`. */
  private inDelta = new Uint8Array(0);
  private delta: number[] = [];
  /** Re-sort once the delta holds more than this plus a sixteenth of the sorted entries. */
  deltaLimit = 4096;
  /** Marks of the slots one union has passed (a slot holding two asked values is passed once). */
  private seen = new Int32Array(0);
  private epoch = 0;

  constructor(private readonly valuesOf: ValuesOf) {}

  /** Notes that a slot's values changed (or the slot is new). */
  touch(slot: number): void {
    if (!this.built) return;
    if (slot >= this.inDelta.length) {
      const grown = new Uint8Array(Math.max(1024, this.inDelta.length * 2, slot + 1));
      grown.set(this.inDelta);
      this.inDelta = grown;
    }
    if (this.inDelta[slot] === 1) return;
    this.inDelta[slot] = 1;
    this.delta.push(slot);
  }

  get stale(): boolean {
    return !this.built || this.delta.length > this.deltaLimit + (this.slots.length >>> 4);
  }

  /** Sorts the first `size` slots' values; `values` is the number of distinct values (ids 0 .. values - 1). */
  rebuild(size: number, values: number): void {
    const counts = new Int32Array(values + 1);
    let total = 0;
    for (let s = 0; s < size; s++)
      this.valuesOf(s, (v) => {
        counts[v + 1]!++;
        total++;
      });
    for (let v = 0; v < values; v++) counts[v + 1]! += counts[v]!;
    const slots = new Int32Array(total);
    const next = counts.slice(0, values);
    for (let s = 0; s < size; s++) this.valuesOf(s, (v) => (slots[next[v]!++] = s));
    this.offsets = counts;
    this.slots = slots;
    this.inDelta = new Uint8Array(Math.max(1024, size));
    this.delta = [];
    this.built = true;
  }

  private length(v: number): number {
    return v + 1 < this.offsets.length ? this.offsets[v + 1]! - this.offsets[v]! : 0;
  }

  /** The candidates `forEach` passes for these values (an upper bound of the slots holding them). */
  cost(values: readonly number[], all: boolean): number {
    if (values.length === 0) return this.delta.length;
    const lengths = values.map((v) => this.length(v));
    return (all ? Math.min(...lengths) : lengths.reduce((a, b) => a + b, 0)) + this.delta.length;
  }

  /**
   * Passes every slot that may hold the values (any of them; with `all`, the
   * rarest one's slots, since a slot holding all holds it), each once, and
   * every changed slot: the caller's predicate decides.
   */
  forEach(values: readonly number[], all: boolean, each: (slot: number) => void): void {
    const { offsets, slots, inDelta } = this;
    const lists = all && values.length > 1 ? [values.reduce((a, b) => (this.length(b) < this.length(a) ? b : a))] : values;
    const union = lists.length > 1;
    if (union) this.nextEpoch();
    const seen = this.seen;
    const ep = this.epoch;
    for (const v of lists) {
      if (v + 1 >= offsets.length) continue;
      for (let i = offsets[v]!, end = offsets[v + 1]!; i < end; i++) {
        const s = slots[i]!;
        if (inDelta[s] === 1) continue;
        if (union) {
          if (seen[s] === ep) continue;
          seen[s] = ep;
        }
        each(s);
      }
    }
    for (const s of this.delta) each(s);
  }

  private nextEpoch(): void {
    if (this.seen.length < this.inDelta.length) {
      this.seen = new Int32Array(this.inDelta.length);
      this.epoch = 0;
    }
    this.epoch = (this.epoch + 1) | 0;
    if (this.epoch === 0) {
      this.seen.fill(0);
      this.epoch = 1;
    }
  }
}
