// Candidates handed out best first, lazily: the best `headSize` of them (with
// their ties) in a small binary heap, the others heaped only when it runs dry.
// A walk that stops after a few dozen costs a pass to find the head's bar and
// a heap of the head, not a heap (or a sort) of everything.

/** The `k`-th best (largest) of the values (−Infinity when fewer), by a min-heap of the best k seen. */
export function kthBest(values: Float64Array, k: number): number {
  if (values.length < k) return -Infinity;
  // A sorted array is a valid min-heap: heap[0] is the least of the best k.
  const heap = values.slice(0, k).sort();
  for (let i = k; i < values.length; i++) {
    const v = values[i]!;
    if (!(v > heap[0]!)) continue;
    let j = 0;
    for (;;) {
      const l = 2 * j + 1;
      if (l >= k) break;
      const c = l + 1 < k && heap[l + 1]! < heap[l]! ? l + 1 : l;
      if (!(heap[c]! < v)) break;
      heap[j] = heap[c]!;
      j = c;
    }
    heap[j] = v;
  }
  return heap[0]!;
}

/**
 * Candidates (indices into `scores`) popped best first by `better`. Owns
 * `indices`, which it reorders: [0, heapEnd) the heap, [heapEnd, length) the
 * rest. `values` is scratch of at least indices.length.
 */
export class RankPool {
  private size: number;
  private heapEnd: number;

  constructor(
    scores: Float64Array,
    private readonly better: (a: number, b: number) => boolean,
    headSize: number,
    private indices: Int32Array,
    values: Float64Array,
  ) {
    const n = indices.length;
    const own = values.subarray(0, n);
    for (let i = 0; i < n; i++) own[i] = scores[indices[i]!]!;
    const bar = kthBest(own, Math.max(1, headSize));
    // Partition in place: the head (at or above the bar; NaN never) first.
    let h = 0;
    for (let i = 0; i < n; i++) {
      if (!(own[i]! >= bar)) continue;
      const t = indices[h]!;
      indices[h++] = indices[i]!;
      indices[i] = t;
    }
    this.heapEnd = h;
    this.size = h;
    this.heapify();
  }

  /** The best candidate left, undefined when none. */
  peek(): number | undefined {
    if (this.size === 0 && this.heapEnd < this.indices.length) {
      this.indices = this.indices.subarray(this.heapEnd);
      this.heapEnd = this.size = this.indices.length;
      this.heapify();
    }
    return this.size > 0 ? this.indices[0] : undefined;
  }

  /** Removes the best candidate (peek first). */
  pop(): void {
    this.indices[0] = this.indices[--this.size]!;
    this.siftDown(0);
  }

  /** Every candidate not popped yet, in no order, as views of `indices`. */
  remaining(): Int32Array[] {
    return [this.indices.subarray(0, this.size), this.indices.subarray(this.heapEnd)];
  }

  private heapify(): void {
    for (let i = (this.size >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  private siftDown(start: number): void {
    const { indices: heap, size, better } = this;
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let b = i;
      if (l < size && better(heap[l]!, heap[b]!)) b = l;
      if (r < size && better(heap[r]!, heap[b]!)) b = r;
      if (b === i) return;
      const t = heap[i]!;
      heap[i] = heap[b]!;
      heap[b] = t;
      i = b;
    }
  }
}
