// The cached fold of workers' streams must answer what a fresh fold of the
// whole stream answers, whatever was appended between calls and whichever
// workers the bounded cache let go of. A real SQLite event store in a file.
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { workerDecider, workerStream } from '../../command/deciders/workerDecider.ts';
import { foldStream } from '../../command/execute.ts';
import type { WorkerEvent, WorkerProfile } from '../../eventstore/events/index.ts';
import type { EventStore } from '../../eventstore/port.ts';
import { openSqliteEventStore } from '../../eventstore/sqlite/sqliteEventStore.ts';
import { workerProfileOf } from './workerProfileOf.ts';

const at = '2027-03-01T00:00:00.000Z';
const metadata = { actor: { role: 'system' as const, sub: 'spec' }, correlationId: 'c', causationId: 'c', occurredAt: at };
const profile = (km: number): WorkerProfile => ({ name: `W ${km}`, skills: ['picking'], maxTravelKm: km, currency: 'USD', availability: [], experienceYears: 1 });

let n = 0;
async function append(store: EventStore, workerId: string, event: WorkerEvent): Promise<void> {
  await store.append(workerStream(workerId), [{ ...event, eventId: `e${++n}`, metadata }], 'any');
}

describe('workerProfileOf', () => {
  const dir = mkdtempSync(join(tmpdir(), 'profile-of-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('answers a profile changed after it was first read, and none for a worker without one', async () => {
    const store = await openSqliteEventStore({ path: join(dir, 'a.db') });
    try {
      const profileOf = workerProfileOf(store);
      expect(await profileOf('w1')).toBeUndefined();
      await append(store, 'w1', { type: 'WorkerProfileUpdated', data: { workerId: 'w1', profile: profile(10), updatedAt: at } });
      expect((await profileOf('w1'))?.maxTravelKm).toBe(10);
      expect((await profileOf('w1'))?.maxTravelKm).toBe(10);
      await append(store, 'w1', { type: 'JobSaved', data: { workerId: 'w1', jobId: 'j1', savedAt: at } });
      await append(store, 'w1', { type: 'WorkerProfileUpdated', data: { workerId: 'w1', profile: profile(25), updatedAt: at } });
      expect((await profileOf('w1'))?.maxTravelKm).toBe(25);
    } finally {
      await store.close();
    }
  });

  it('equals a fresh fold of the stream after any appends, side-by-side calls and evictions', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3 }),
        fc.array(fc.oneof(
          fc.record({ op: fc.constant('update' as const), worker: fc.integer({ min: 0, max: 3 }), km: fc.integer({ min: 1, max: 500 }) }),
          fc.record({ op: fc.constant('save' as const), worker: fc.integer({ min: 0, max: 3 }), km: fc.constant(0) }),
          fc.record({ op: fc.constant('read' as const), worker: fc.integer({ min: 0, max: 3 }), km: fc.constant(0) }),
        ), { maxLength: 30 }),
        async (cachedWorkers, steps) => {
          const store = await openSqliteEventStore({ path: join(dir, `p${++run}.db`) });
          try {
            const profileOf = workerProfileOf(store, { cachedWorkers });
            const fresh = async (id: string) => foldStream(workerDecider, await store.readStream(workerStream(id))).profile ?? undefined;
            for (const [i, s] of steps.entries()) {
              const id = `w${s.worker}`;
              if (s.op === 'update') await append(store, id, { type: 'WorkerProfileUpdated', data: { workerId: id, profile: profile(s.km), updatedAt: at } });
              else if (s.op === 'save') await append(store, id, { type: 'JobSaved', data: { workerId: id, jobId: `j${i}`, savedAt: at } });
              else {
                // Two calls at once for the same worker, then one alone: all three as a fresh fold.
                const [a, b] = await Promise.all([profileOf(id), profileOf(id)]);
                const want = await fresh(id);
                expect(a).toEqual(want);
                expect(b).toEqual(want);
                expect(await profileOf(id)).toEqual(want);
              }
            }
            for (let w = 0; w <= 3; w++) expect(await profileOf(`w${w}`)).toEqual(await fresh(`w${w}`));
          } finally {
            await store.close();
          }
        },
      ),
      { numRuns: Number(process.env.FC_RUNS ?? 40) },
    );
  });
});
