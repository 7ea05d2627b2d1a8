import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RecordedEvent } from '../../eventstore/port.ts';
import type { DeadLetterStore } from '../../projections/deadLetters.ts';

const event = (position: number, streamId = 'job-j1'): RecordedEvent =>
  ({
    type: 'JobViewed',
    data: { jobId: 'j1', viewedAt: '2027-03-01T00:00:00Z' },
    eventId: `e${position}`,
    streamId,
    revision: 0,
    position,
    storedVersion: 1,
    recordedAt: '2027-03-01T00:00:00Z',
    metadata: { actor: { role: 'system', sub: 't' }, correlationId: 'c', causationId: 'c', occurredAt: '2027-03-01T00:00:00Z' },
  });

/** Every DeadLetterStore adapter keeps one record per (projection, position), newest reason wins. */
export function deadLetterStoreContract(name: string, makeStore: () => Promise<DeadLetterStore>): void {
  describe(`DeadLetterStore contract: ${name}`, () => {
    let store: DeadLetterStore;
    beforeEach(async () => {
      store = await makeStore();
    });
    afterEach(async () => store.close());

    it('records what could not be applied, per projection, in position order', async () => {
      await store.record('jobs', event(9), 'mapping rejected location');
      await store.record('jobs', event(3, 'jobviews-j1'), 'bad date');
      await store.record('lists', event(5), 'other');
      const jobs = await store.list('jobs');
      expect(jobs.map((l) => [l.position, l.eventType, l.streamId, l.reason])).toEqual([
        [3, 'JobViewed', 'jobviews-j1', 'bad date'],
        [9, 'JobViewed', 'job-j1', 'mapping rejected location'],
      ]);
      expect((await store.list()).map((l) => `${l.projection}@${l.position}`)).toEqual(['jobs@3', 'jobs@9', 'lists@5']);
    });

    it('keeps one record when a replay dead-letters the same event again', async () => {
      await store.record('jobs', event(4), 'first');
      await store.record('jobs', event(4), 'second');
      const letters = await store.list('jobs');
      expect(letters).toHaveLength(1);
      expect(letters[0]!.reason).toBe('second');
      expect(Date.parse(letters[0]!.at)).not.toBeNaN();
    });
  });
}
