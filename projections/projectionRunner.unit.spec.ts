import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteEventStore } from '../eventstore/sqlite/sqliteEventStore.ts';
import type { EventStore, NewEvent, RecordedEvent } from '../eventstore/port.ts';
import type { Projection } from './projection.ts';
import { PoisonEventError } from './projection.ts';
import { ProjectionRunner } from './projectionRunner.ts';

const meta = { actor: { role: 'system' as const, sub: 'test' }, correlationId: 'c', causationId: 'c', occurredAt: '2027-03-01T00:00:00.000Z' };
const view = (jobId: string, i: number): NewEvent => ({ type: 'JobViewed', data: { jobId, viewedAt: meta.occurredAt }, eventId: `e-${jobId}-${i}`, metadata: meta });

/** A projection into memory whose failures the test scripts. */
function memoryProjection(behaviour: { failTimes?: number; poisonAt?: number } = {}) {
  let checkpoint = 0;
  let failures = behaviour.failTimes ?? 0;
  const applied: number[] = [];
  const dead: number[] = [];
  const projection: Projection = {
    name: 'memory',
    checkpoint: () => Promise.resolve(checkpoint),
    apply(events: readonly RecordedEvent[]) {
      if (failures > 0) {
        failures--;
        return Promise.reject(new Error('engine unreachable'));
      }
      const poison = events.find((e) => e.position === behaviour.poisonAt);
      if (poison) return Promise.reject(new PoisonEventError(poison, new Error('mapping rejected the document')));
      applied.push(...events.map((e) => e.position));
      checkpoint = events.at(-1)!.position;
      return Promise.resolve();
    },
    deadLetter(event) {
      dead.push(event.position);
      return Promise.resolve();
    },
  };
  return { projection, applied, dead, checkpoint: () => checkpoint };
}

describe('ProjectionRunner', () => {
  let store: EventStore;
  beforeEach(async () => {
    store = await openSqliteEventStore({ path: ':memory:' });
    for (let i = 0; i < 30; i++) await store.append(`jobviews-j${i % 3}`, [view(`j${i % 3}`, i)], 'any');
  });
  afterEach(async () => store.close());

  it('applies the whole log in order, then live events, and reports lag', async () => {
    const m = memoryProjection();
    const runner = new ProjectionRunner(store, m.projection, { batchSize: 7 });
    await runner.start();
    expect(await runner.waitFor(30, 5000)).toBe(true);
    await store.append('jobviews-j9', [view('j9', 99)], 'any');
    expect(await runner.waitFor(31, 5000)).toBe(true);
    expect(m.applied).toEqual(Array.from({ length: 31 }, (_, i) => i + 1));
    expect(await runner.status()).toMatchObject({ checkpoint: 31, head: 31, lagEvents: 0, state: 'running', deadLetters: 0 });
    await runner.stop();
  });

  it('retries a failing batch with backoff until it passes, skipping nothing', async () => {
    const m = memoryProjection({ failTimes: 4 });
    const errors: number[] = [];
    const runner = new ProjectionRunner(store, m.projection, { batchSize: 100, initialRetryMs: 5, onError: (_e, attempt) => errors.push(attempt) });
    await runner.start();
    expect(await runner.waitFor(30, 5000)).toBe(true);
    expect(errors).toEqual([1, 2, 3, 4]);
    expect(m.applied).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    await runner.stop();
  });

  it('dead-letters a poison event and goes on with the rest', async () => {
    const m = memoryProjection({ poisonAt: 12 });
    const runner = new ProjectionRunner(store, m.projection, { batchSize: 100 });
    await runner.start();
    expect(await runner.waitFor(30, 5000)).toBe(true);
    expect(m.dead).toEqual([12]);
    expect(m.applied).toEqual(Array.from({ length: 30 }, (_, i) => i + 1).filter((p) => p !== 12));
    expect((await runner.status()).deadLetters).toBe(1);
    await runner.stop();
  });

  it('resumes from the stored checkpoint after a restart', async () => {
    const m = memoryProjection();
    const first = new ProjectionRunner(store, m.projection, { batchSize: 10 });
    await first.start();
    await first.waitFor(30, 5000);
    await first.stop();
    for (let i = 30; i < 35; i++) await store.append('jobviews-j1', [view('j1', i)], 'any');
    const second = new ProjectionRunner(store, m.projection, { batchSize: 10 });
    await second.start();
    expect(await second.waitFor(35, 5000)).toBe(true);
    expect(m.applied).toEqual(Array.from({ length: 35 }, (_, i) => i + 1));
    await second.stop();
  });

  it('with minBatchIntervalMs, applies the events that arrive during the pause after a batch as one batch, and stops without waiting out the pause', async () => {
    const m = memoryProjection();
    const batches: number[][] = [];
    const recording: Projection = { ...m.projection, apply: (events) => (batches.push(events.map((e) => e.position)), m.projection.apply(events)) };
    const runner = new ProjectionRunner(store, recording, { batchSize: 100, minBatchIntervalMs: 1000 });
    await runner.start();
    expect(await runner.waitFor(30, 5000)).toBe(true);
    for (let i = 30; i < 35; i++) await store.append('jobviews-j1', [view('j1', i)], 'any');
    expect(await runner.waitFor(35, 5000)).toBe(true);
    expect(batches).toEqual([Array.from({ length: 30 }, (_, i) => i + 1), [31, 32, 33, 34, 35]]);
    const stopping = performance.now();
    await runner.stop();
    expect(performance.now() - stopping).toBeLessThan(500);
  });

  it('waitFor answers false after its timeout when the position never comes', async () => {
    const runner = new ProjectionRunner(store, memoryProjection().projection);
    await runner.start();
    expect(await runner.waitFor(1000, 50)).toBe(false);
    await runner.stop();
  });
});
