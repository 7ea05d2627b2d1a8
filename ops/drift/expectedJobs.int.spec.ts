import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationStream } from '../../command/deciders/applicationDecider.ts';
import { readsOutsideStreams } from '../../eventstore/encodedEvent.ts';
import type { EventStore } from '../../eventstore/port.ts';
import { openSqliteEventStore } from '../../eventstore/sqlite/sqliteEventStore.ts';
import { seedEventStore } from '../seed/seedEventStore.ts';
import { foldExpectedJobs } from './expectedJobs.ts';

/** The same store, without the reader of the log outside some streams: folds read the whole log. */
const wholeLogOnly = (store: EventStore): EventStore =>
  new Proxy(store, {
    get(target, key) {
      if (key === 'readAllOutside') return undefined;
      const value: unknown = Reflect.get(target, key, target);
      // Bound: the adapter's methods use its private fields.
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });

describe('the fold of some jobs (an incremental drift check)', () => {
  let dir: string;
  let store: EventStore;
  let jobIds: string[];
  let head: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'expected-jobs-'));
    store = await openSqliteEventStore({ path: join(dir, 'events.db') });
    await seedEventStore(store, { jobs: 120, seed: 7, now: new Date('2026-12-01T12:00:00Z') });
    const all = await store.readAll({ after: 0, maxCount: 100_000 });
    jobIds = [...new Set(all.filter((e) => e.type === 'JobDrafted').map((e) => e.streamId.slice('job-'.length)))];
    // Applications: a job document counts them from other streams, late in the log after its own events.
    for (const jobId of jobIds.slice(0, 15)) {
      const applicationId = randomUUID();
      await store.append(applicationStream(applicationId), [{
        eventId: randomUUID(),
        type: 'ApplicationSubmitted',
        data: { applicationId, jobId, workerId: 'w00001', businessId: 'b00001', message: 'hello', submittedAt: '2026-12-02T08:00:00.000Z' },
        metadata: { correlationId: applicationId, causationId: applicationId, occurredAt: '2026-12-02T08:00:00.000Z', actor: { role: 'worker', sub: 'w00001' } },
      }], 'no_stream');
    }
    head = await store.headPosition();
  });

  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads the jobs\' own streams and the log outside job streams, and folds exactly what the whole log folds', async () => {
    expect(readsOutsideStreams(store)).toBe(true);
    expect(readsOutsideStreams(wholeLogOnly(store))).toBe(false);
    let crossStream = 0;
    await fc.assert(
      fc.asyncProperty(fc.subarray(jobIds, { minLength: 1, maxLength: 25 }), fc.integer({ min: 1, max: head }), fc.option(fc.integer({ min: 2, max: 3 })), fc.integer({ min: 5, max: 30 }), async (picked, to, passes, chunkJobs) => {
        const only = new Set(picked);
        // One pass of a check in passes keeps some of the jobs.
        const keep = passes === null ? undefined : (id: string) => id.charCodeAt(id.length - 1) % passes === 0;
        // Folded in chunks of chunkJobs jobs (up to five of them here).
        const selective = await foldExpectedJobs(store, { to, only, chunkJobs, ...(keep ? { keep } : {}) });
        const whole = await foldExpectedJobs(wholeLogOnly(store), { to, only, ...(keep ? { keep } : {}) });
        expect(selective.poisonEvents).toBe(whole.poisonEvents);
        expect(selective.docs).toEqual(whole.docs);
        for (const d of whole.docs.values()) crossStream += d.saves + d.applications;
      }),
      { numRuns: 60 },
    );
    // Counters taken from other streams (saves, applications) were among the folded documents.
    expect(crossStream).toBeGreaterThan(0);
  });

  it('folds the jobs of a renamed business from the whole log, since their streams are not known beforehand', async () => {
    const all = await store.readAll({ after: 0, maxCount: 100_000 });
    const draft = all.find((e) => e.type === 'JobDrafted');
    if (draft?.type !== 'JobDrafted') throw new Error('the seed has no draft');
    const businesses = new Set([draft.data.businessId]);
    const only = new Set([jobIds[jobIds.length - 1]!]);
    const selective = await foldExpectedJobs(store, { to: head, only, businesses });
    const whole = await foldExpectedJobs(wholeLogOnly(store), { to: head, only, businesses });
    expect(selective.docs).toEqual(whole.docs);
    expect(selective.docs.has(draft.streamId.slice('job-'.length))).toBe(true);
  });
});
