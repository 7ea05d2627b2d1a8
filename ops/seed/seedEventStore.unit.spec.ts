import { describe, expect, it } from 'vitest';
import { EventMetadata, eventCatalog } from '../../eventstore/events/index.ts';
import type {
  AppendResult,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  RecordedEvent,
  Subscription,
} from '../../eventstore/port.ts';
import { WrongExpectedRevisionError } from '../../eventstore/port.ts';
import { generateDataset } from './generateDataset.ts';
import type { SeedProgress } from './seedEventStore.ts';
import { isStoreSeeded, seedEventId, seedEventStore, toNewEvents } from './seedEventStore.ts';

/**
 * A tiny in-memory EventStore, only for these unit tests: the real adapters
 * (SQLite, PostgreSQL, EventStoreDB) are not written yet. The seed must also be
 * run against them (the lead will run it against the SQLite store).
 * Appends resolve after a few microtask/macrotask turns so that concurrency is
 * real, and the fake records which appends overlapped.
 */
class FakeEventStore implements EventStore {
  readonly kind = 'sqlite' as const;
  readonly log: RecordedEvent[] = [];
  readonly streams = new Map<string, RecordedEvent[]>();
  readonly appendOrder: string[] = [];
  inFlight = 0;
  maxInFlight = 0;
  /** Stream kinds (business, job, worker) in flight at each append's start. */
  readonly overlaps: string[][] = [];
  private readonly active = new Set<string>();
  failOn: string | undefined;

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    this.active.add(streamId);
    this.overlaps.push([...this.active].map((id) => id.split('-')[0] ?? ''));
    try {
      await new Promise((resolve) => setTimeout(resolve, streamId.length % 3));
      if (streamId === this.failOn) throw new Error('disk full');
      const existing = this.streams.get(streamId);
      const actual = existing ? existing.length - 1 : 'no_stream';
      if (expected !== 'any' && expected !== actual) throw new WrongExpectedRevisionError(streamId, expected, actual);
      const stream = existing ?? [];
      for (const e of events) {
        const recorded = {
          ...e,
          streamId,
          revision: stream.length,
          position: this.log.length + 1,
          storedVersion: eventCatalog[e.type].version,
          recordedAt: new Date(0).toISOString(),
        } as RecordedEvent;
        stream.push(recorded);
        this.log.push(recorded);
      }
      this.streams.set(streamId, stream);
      this.appendOrder.push(streamId);
      return { revision: stream.length - 1, position: this.log.length };
    } finally {
      this.inFlight--;
      this.active.delete(streamId);
    }
  }

  readStream(streamId: string, options: { fromRevision?: number; maxCount?: number } = {}): Promise<RecordedEvent[]> {
    const from = options.fromRevision ?? 0;
    return Promise.resolve((this.streams.get(streamId) ?? []).slice(from, from + (options.maxCount ?? Infinity)));
  }

  readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    return Promise.resolve(this.log.slice(options.after, options.after + options.maxCount));
  }

  subscribeToAll(): Subscription {
    throw new Error('not needed by the seed');
  }

  headPosition(): Promise<number> {
    return Promise.resolve(this.log.length);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

const now = new Date('2026-11-28T12:00:00.000Z');
const options = { jobs: 400, now };

describe('seedEventStore', () => {
  it('appends every generated stream once, with deterministic ids and seed metadata', async () => {
    const store = new FakeEventStore();
    expect(await isStoreSeeded(store)).toBe(false);
    const result = await seedEventStore(store, options);
    expect(await isStoreSeeded(store)).toBe(true);

    const expected = [...generateDataset(options)];
    expect(result.streams).toBe(expected.length);
    expect(result.streams).toBe(result.plan.streams);
    expect(result.events).toBe(expected.reduce((n, s) => n + s.events.length, 0));
    expect(result.skippedStreams).toBe(0);
    expect(store.log).toHaveLength(result.events);
    expect(result.byType.JobDrafted).toBe(400);
    expect(result.elapsedMs).toBeGreaterThan(0);

    for (const stream of expected) {
      const stored = store.streams.get(stream.streamId) ?? [];
      expect(stored.map(({ type, data }) => ({ type, data }))).toEqual(stream.events);
      stored.forEach((e, i) => {
        expect(e.eventId).toBe(seedEventId(42, stream.streamId, i));
        expect(EventMetadata.parse(e.metadata)).toEqual({
          actor: { role: 'system', sub: 'seed' },
          correlationId: 'seed-42',
          causationId: 'seed-42',
          occurredAt: stream.occurredAt[i],
        });
      });
    }
    const ids = store.log.map((e) => e.eventId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('keeps at most `concurrency` appends in flight and finishes each kind before the next', async () => {
    const store = new FakeEventStore();
    await seedEventStore(store, options, { concurrency: 8 });
    expect(store.maxInFlight).toBe(8);
    for (const kinds of store.overlaps) expect(new Set(kinds).size).toBe(1);
    const kinds = store.appendOrder.map((id) => id.split('-')[0]);
    expect(kinds.lastIndexOf('business')).toBeLessThan(kinds.indexOf('job'));
    expect(kinds.lastIndexOf('job')).toBeLessThan(kinds.indexOf('worker'));
  });

  it('reports progress and ends with the totals', async () => {
    const store = new FakeEventStore();
    const seen: SeedProgress[] = [];
    const result = await seedEventStore(store, options, { onProgress: (p) => seen.push(p), progressEvery: 100 });
    expect(seen.length).toBeGreaterThanOrEqual(4);
    expect(seen.at(-1)).toMatchObject({ streams: result.plan.streams, totalStreams: result.plan.streams, events: result.events });
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.streams).toBeGreaterThanOrEqual(seen[i - 1]!.streams);
  });

  it('skips streams an interrupted earlier run already wrote', async () => {
    const store = new FakeEventStore();
    const first = await seedEventStore(store, options);
    const again = await seedEventStore(store, options);
    expect(again.streams).toBe(0);
    expect(again.events).toBe(0);
    expect(again.skippedStreams).toBe(first.streams);
    expect(store.log).toHaveLength(first.events);
  });

  it('refuses to overwrite a stream that holds other events', async () => {
    const store = new FakeEventStore();
    const [business] = generateDataset(options);
    if (!business) throw new Error('no stream');
    await store.append(business.streamId, toNewEvents(7, business), 'no_stream');
    await expect(seedEventStore(store, options)).rejects.toThrow(/already exists with other events/);
  });

  it('stops at the first failed append and rejects with its error', async () => {
    const store = new FakeEventStore();
    store.failOn = 'job-j000010';
    await expect(seedEventStore(store, options, { concurrency: 4 })).rejects.toThrow('disk full');
    expect(store.streams.has('worker-w00001')).toBe(false);
    expect(store.inFlight).toBe(0);
  });

  it('stops when aborted', async () => {
    const store = new FakeEventStore();
    const controller = new AbortController();
    const run = seedEventStore(store, options, {
      progressEvery: 50,
      onProgress: (p) => {
        if (p.streams >= 100) controller.abort(new Error('stop'));
      },
      signal: controller.signal,
    });
    await expect(run).rejects.toThrow('stop');
    expect(store.appendOrder.length).toBeLessThan(500);
    expect(store.inFlight).toBe(0);
  });
});
