import type { RecordedEvent } from '../port.ts';

/**
 * The newest events read from the log, decoded once for all its readers: the
 * in-process projectors read the same new events one after another, and each
 * would otherwise parse and decode them again. Holds one run of consecutive
 * positions (the log's positions are gap-free), at most `2 × capacity`
 * events; events are immutable, so a cached one is as good as a fresh read.
 */
export class RecentEvents {
  #events: RecordedEvent[] = [];

  constructor(private readonly capacity = 2048) {}

  /** Up to `maxCount` events after `after`: those held, then what `fetch` reads past them. */
  read(after: number, maxCount: number, fetch: (after: number, maxCount: number) => RecordedEvent[]): RecordedEvent[] {
    const first = this.#events[0]?.position;
    const at = first === undefined ? -1 : after + 1 - first;
    const held = at >= 0 && at < this.#events.length ? this.#events.slice(at, at + maxCount) : [];
    if (held.length === maxCount) return held;
    const more = fetch(held.at(-1)?.position ?? after, maxCount - held.length);
    this.#remember(more);
    return held.length === 0 ? more : [...held, ...more];
  }

  clear(): void {
    this.#events = [];
  }

  #remember(events: readonly RecordedEvent[]): void {
    const next = events[0]?.position;
    if (next === undefined) return;
    const last = this.#events.at(-1)?.position;
    if (last === undefined || next === last + 1) this.#events.push(...events);
    else if (next > last + 1) this.#events = [...events];
    else return; // a read behind the tail (a catch-up): the tail stays
    if (this.#events.length > 2 * this.capacity) this.#events = this.#events.slice(-this.capacity);
  }
}
