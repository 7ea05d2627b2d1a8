import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../eventstore/events/index.ts';
import type { RecordedEvent } from '../../eventstore/port.ts';
import { applyToJobStats, conversionOf, foldJobStats } from './jobStats.ts';
import { recorded, saved, submitted, unsaved } from '../../tests/support/listFixtures.ts';

const drafted = (jobId: string, businessId: string): DomainEvent => ({ type: 'JobDrafted', data: { jobId, businessId } } as never);
const viewed = (jobId: string): DomainEvent => ({ type: 'JobViewed', data: { jobId, viewedAt: '2027-01-01T00:00:00Z' } });

/** Records events, each occurring at the given instant. */
function on(occurredAt: string, events: readonly DomainEvent[], from: number): RecordedEvent[] {
  return recorded(events, from).map((e) => ({ ...e, metadata: { ...e.metadata, occurredAt } }));
}

const log: RecordedEvent[] = [
  ...on('2027-01-01T23:59:59Z', [drafted('j1', 'b1'), viewed('j1'), viewed('j1'), saved('w1', 'j1', 1)], 1),
  ...on('2027-01-02T00:00:00Z', [viewed('j1'), unsaved('w1', 'j1', 2), saved('w2', 'j1', 3), submitted('a1', 'j1', 'w1', 4), viewed('j2')], 5),
];

describe('job_stats', () => {
  it('counts per UTC day and in total; unsaves do not decrement', () => {
    const doc = foldJobStats(log).get('j1')!;
    expect(doc).toEqual({
      jobId: 'j1',
      businessId: 'b1',
      days: {
        '2027-01-01': { views: 2, saves: 1, applications: 0 },
        '2027-01-02': { views: 1, saves: 1, applications: 1 },
      },
      totals: { views: 3, saves: 2, applications: 1 },
      updatedAt: '2027-01-02T00:00:00Z',
      position: 8,
    });
    expect(conversionOf(doc.totals)).toBeCloseTo(1 / 3);
    expect(conversionOf({ views: 0, saves: 0, applications: 2 })).toBe(0);
  });

  it('ignores events about a job it has not seen drafted', () => {
    expect(foldJobStats(log).has('j2')).toBe(false);
  });

  it('is idempotent under replay (events at or below the position change nothing)', () => {
    const once = foldJobStats(log);
    expect(foldJobStats(log, once)).toEqual(once);
    const partial = foldJobStats(log.slice(0, 6));
    expect(foldJobStats(log, partial)).toEqual(once);
    expect(applyToJobStats(once.get('j1'), log[1]!)).toBeUndefined();
  });
});
