import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RecordedEvent } from '../port.ts';
import { RecentEvents } from './recentEvents.ts';

const eventAt = (position: number): RecordedEvent =>
  ({ position, eventId: `e${position}`, streamId: 'jobviews-j', revision: position - 1, type: 'JobViewed', data: { jobId: 'j', viewedAt: '2027-03-01T00:00:00.000Z' }, metadata: {}, recordedAt: '2027-03-01T00:00:00.000Z' }) as unknown as RecordedEvent;

/** A log of `head` events read the way the SQLite store reads it; counts the events it had to read. */
function log(head: number) {
  const events = Array.from({ length: head }, (_, i) => eventAt(i + 1));
  const stats = { fetched: 0 };
  const fetch = (after: number, maxCount: number) => {
    const out = events.slice(after, after + maxCount);
    stats.fetched += out.length;
    return out;
  };
  return { events, stats, fetch, grow: (n: number) => events.push(...Array.from({ length: n }, (_, i) => eventAt(events.length + i + 1))) };
}

describe('RecentEvents', () => {
  it('answers every read exactly as the log does, whatever the reads and appends', () => {
    const step = fc.oneof(
      fc.record({ read: fc.tuple(fc.nat(300), fc.integer({ min: 1, max: 120 })) }),
      fc.record({ append: fc.integer({ min: 1, max: 40 }) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 1, max: 50 }), fc.array(step, { maxLength: 60 }), (head, capacity, steps) => {
        const l = log(head);
        const recent = new RecentEvents(capacity);
        for (const s of steps) {
          if ('append' in s) l.grow(s.append);
          else {
            const [after, maxCount] = s.read;
            const got = recent.read(after, maxCount, l.fetch);
            expect(got.map((e) => e.position)).toEqual(l.events.slice(after, after + maxCount).map((e) => e.position));
          }
        }
      }),
    );
  });

  it('decodes the new events of the log once for readers that follow one another', () => {
    const l = log(1000);
    const recent = new RecentEvents();
    // Three projectors caught up at 1000; ten new events; each reads after its checkpoint.
    for (let reader = 0; reader < 3; reader++) expect(recent.read(1000, 500, l.fetch)).toEqual([]);
    l.grow(10);
    const batches = [1, 2, 3].map(() => recent.read(1000, 500, l.fetch));
    expect(batches.map((b) => b.map((e) => e.position))).toEqual([1, 2, 3].map(() => Array.from({ length: 10 }, (_, i) => 1001 + i)));
    expect(l.stats.fetched).toBe(10);
    // The very objects: decoded once.
    expect(batches[1]![0]).toBe(batches[0]![0]);
  });

  it('forgets what it held once cleared', () => {
    const l = log(5);
    const recent = new RecentEvents();
    recent.read(0, 5, l.fetch);
    recent.clear();
    expect(() => recent.read(0, 5, () => { throw new Error('closed'); })).toThrow('closed');
  });
});
