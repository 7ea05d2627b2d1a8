import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EncodedEventAppender } from '../../eventstore/encodedEvent.ts';
import { readsOutsideStreams } from '../../eventstore/encodedEvent.ts';
import type { EventMetadata } from '../../eventstore/events/index.ts';
import type { EventStore, NewEvent, RecordedEvent } from '../../eventstore/port.ts';
import { WrongExpectedRevisionError } from '../../eventstore/port.ts';

function canAppendEncoded(store: EventStore): store is EventStore & EncodedEventAppender {
  return typeof (store as Partial<EncodedEventAppender>).appendEncoded === 'function';
}

const metadata = (n = 0): EventMetadata => ({
  actor: { role: 'business', sub: 'biz-1' },
  correlationId: `corr-${n}`,
  causationId: `cause-${n}`,
  occurredAt: '2026-03-01T10:00:00.000Z',
});

export function viewed(jobId: string, n = 0): NewEvent {
  return {
    eventId: randomUUID(),
    type: 'JobViewed',
    data: { jobId, viewedAt: new Date(Date.UTC(2026, 2, 1, 0, 0, n % 60)).toISOString() },
    metadata: metadata(n),
  };
}

export async function waitFor(condition: () => boolean, timeoutMs = 30_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Reads the whole log after `after` in batches of `batchSize`. */
export async function readAllInBatches(store: EventStore, after: number, batchSize: number): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  let checkpoint = after;
  for (;;) {
    const batch = await store.readAll({ after: checkpoint, maxCount: batchSize });
    const last = batch.at(-1);
    if (!last) return all;
    expect(batch.length).toBeLessThanOrEqual(batchSize);
    all.push(...batch);
    checkpoint = last.position;
  }
}

/** Every event once, in strictly increasing position order; gap-free logs also number them base+1..base+N. */
export function expectExactlyOnceInOrder(
  delivered: readonly RecordedEvent[],
  expectedIds: ReadonlySet<string>,
  gapFreeFrom: number | undefined,
): void {
  const ids = delivered.map((e) => e.eventId);
  expect(new Set(ids).size).toBe(ids.length);
  expect(ids.length).toBe(expectedIds.size);
  for (const id of ids) expect(expectedIds.has(id)).toBe(true);
  for (let i = 1; i < delivered.length; i++) {
    expect(delivered[i]!.position).toBeGreaterThan(delivered[i - 1]!.position);
  }
  if (gapFreeFrom !== undefined) {
    expect(delivered.map((e) => e.position)).toEqual(delivered.map((_, i) => gapFreeFrom + i + 1));
  }
}

/** Runs `work` from a timer callback of its own, as each HTTP request runs from an I/O callback of its own. */
function inOwnTurn<T>(work: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    setTimeout(() => {
      work().then(resolve, reject);
    }, 0);
  });
}

/**
 * The behaviour every EventStore adapter must show. `makeStore` returns a store
 * on an empty log for SQLite/PostgreSQL, which also implements
 * EncodedEventAppender (to store an event at an old schema version); EventStoreDB shares one server, so
 * every test uses its own stream prefix and only looks at its own events, and
 * gap-free positions are only asserted for the kinds that promise them.
 */
export function eventStoreContract(name: string, makeStore: () => Promise<EventStore>): void {
  describe(`EventStore contract: ${name}`, () => {
    let store: EventStore;
    let prefix: string;
    let gapFree: boolean;
    let base: number;
    const mine = (events: readonly RecordedEvent[]): RecordedEvent[] =>
      events.filter((e) => e.streamId.startsWith(`job-${prefix}-`));

    beforeEach(async () => {
      store = await makeStore();
      prefix = `t${randomUUID().slice(0, 8)}`;
      gapFree = store.kind !== 'eventstoredb';
      base = await store.headPosition();
    });
    afterEach(async () => {
      await store.close();
    });

    it('round-trips events with metadata, revisions and positions', async () => {
      const stream = `job-${prefix}-1`;
      const first = viewed(`${prefix}-1`, 1);
      const second = viewed(`${prefix}-1`, 2);
      const result = await store.append(stream, [first, second], 'no_stream');
      expect(result.revision).toBe(1);

      const read = await store.readStream(stream);
      expect(read.map((e) => e.eventId)).toEqual([first.eventId, second.eventId]);
      expect(read.map((e) => e.revision)).toEqual([0, 1]);
      expect(read[0]).toMatchObject({ type: 'JobViewed', data: first.data, metadata: first.metadata, streamId: stream });
      expect(read[1]).toMatchObject({ data: second.data, metadata: second.metadata, storedVersion: 1 });
      expect(new Date(read[0]!.recordedAt).toISOString()).toBe(read[0]!.recordedAt);

      const all = mine(await store.readAll({ after: base, maxCount: 100 }));
      expect(all.map((e) => e.eventId)).toEqual([first.eventId, second.eventId]);
      expect(all[1]!.position).toBeGreaterThan(all[0]!.position);
      expect(result.position).toBe(all[1]!.position);
      if (gapFree) expect(all.map((e) => e.position)).toEqual([base + 1, base + 2]);
    });

    it('upcasts events stored at an old schema version on read', async () => {
      const stream = `job-${prefix}-old`;
      const v1 = {
        jobId: `${prefix}-old`,
        businessId: 'biz-1',
        title: 'Harvest helper',
        description: 'Pick apples',
        category: 'agriculture',
        employmentType: 'seasonal',
        pay: { amount: 18.5, unit: 'hour' },
        remote: false,
        skills: ['picking'],
        experienceYears: 0,
      };
      // Written as an old release would have: the raw v1 shape, stored version 1.
      if (!canAppendEncoded(store)) throw new Error(`${store.kind} adapter must implement EncodedEventAppender`);
      await store.appendEncoded(
        stream,
        [{ eventId: randomUUID(), type: 'JobDrafted', version: 1, data: v1, metadata: metadata(7) }],
        'no_stream',
      );
      const [event] = await store.readStream(stream);
      expect(event?.type).toBe('JobDrafted');
      expect(event?.storedVersion).toBe(1);
      expect(event?.metadata).toEqual(metadata(7));
      if (event?.type !== 'JobDrafted') throw new Error('expected JobDrafted');
      expect(event.data.pay).toEqual({ min: 18.5, max: 18.5, currency: 'USD', unit: 'hour' });
      expect(event.data.title).toBe('Harvest helper');
    });

    it('enforces the expected revision and writes nothing on conflict', async () => {
      const stream = `job-${prefix}-rev`;
      const conflict = async (promise: Promise<unknown>, actual: number | 'no_stream') => {
        const error: unknown = await promise.then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
        expect((error as WrongExpectedRevisionError).actual).toEqual(actual);
        expect((error as WrongExpectedRevisionError).streamId).toBe(stream);
      };
      await conflict(store.append(stream, [viewed('j')], 0), 'no_stream');
      expect(await store.readStream(stream)).toEqual([]);

      expect((await store.append(stream, [viewed('j')], 'no_stream')).revision).toBe(0);
      await conflict(store.append(stream, [viewed('j')], 'no_stream'), 0);
      expect((await store.append(stream, [viewed('j'), viewed('j')], 0)).revision).toBe(2);
      await conflict(store.append(stream, [viewed('j')], 1), 2);
      await conflict(store.append(stream, [viewed('j')], 5), 2);
      expect((await store.append(stream, [viewed('j')], 'any')).revision).toBe(3);
      expect((await store.append(`${stream}-new`, [viewed('j')], 'any')).revision).toBe(0);

      const events = await store.readStream(stream);
      expect(events.map((e) => e.revision)).toEqual([0, 1, 2, 3]);
      if (gapFree) expect(await store.headPosition()).toBe(base + 5);
    });

    it('writes appends to different streams issued together, each whole with its own revision, positions gap-free', async () => {
      const appends = Array.from({ length: 40 }, (_, i) => ({
        stream: `job-${prefix}-together-${i}`,
        events: Array.from({ length: 1 + (i % 3) }, (_, k) => viewed(`${prefix}-together-${i}`, k)),
      }));
      // Half issued in one tick, half each from a turn of its own (how requests arrive).
      const results = await Promise.all(
        appends.map((a, i) => {
          const append = () => store.append(a.stream, a.events, 'no_stream');
          return i % 2 === 0 ? append() : inOwnTurn(append);
        }),
      );
      const all = mine(await readAllInBatches(store, base, 100));
      const total = appends.reduce((n, a) => n + a.events.length, 0);
      expectExactlyOnceInOrder(all, new Set(appends.flatMap((a) => a.events.map((e) => e.eventId))), gapFree ? base : undefined);
      const positionOf = new Map(all.map((e) => [e.eventId, e.position]));
      appends.forEach((a, i) => {
        expect(results[i]!.revision).toBe(a.events.length - 1);
        const positions = a.events.map((e) => positionOf.get(e.eventId)!);
        expect(results[i]!.position).toBe(positions.at(-1));
        // An append is one transaction: with gap-free positions its events are consecutive.
        if (gapFree) expect(positions).toEqual(positions.map((_, k) => positions[0]! + k));
      });
      if (gapFree) expect(await store.headPosition()).toBe(base + total);
    });

    it('of conflicting appends to one stream issued together, only the one matching the stream succeeds; nothing of the others is written', async () => {
      const stream = `job-${prefix}-contest`;
      await store.append(stream, [viewed('c')], 'no_stream');
      const contenders = Array.from({ length: 30 }, (_, i) => ({
        // Ten at the current revision (one can win), ten at no stream and ten at a revision never reached.
        expected: i % 3 === 0 ? 0 : i % 3 === 1 ? ('no_stream' as const) : 9,
        events: Array.from({ length: 2 }, (_, k) => viewed('c', i * 2 + k)),
      }));
      const bystanders = Array.from({ length: 10 }, (_, i) => ({ stream: `job-${prefix}-by-${i}`, event: viewed('b', i) }));
      const settled = await Promise.allSettled([
        ...contenders.map((c, i) => {
          const append = () => store.append(stream, c.events, c.expected);
          return i % 2 === 0 ? append() : inOwnTurn(append);
        }),
        ...bystanders.map((b) => inOwnTurn(() => store.append(b.stream, [b.event], 'no_stream'))),
      ]);
      const outcomes = settled.slice(0, contenders.length);
      const winners = contenders.filter((_, i) => outcomes[i]!.status === 'fulfilled');
      expect(winners).toHaveLength(1);
      expect(winners[0]!.expected).toBe(0);
      for (const outcome of outcomes) {
        if (outcome.status === 'fulfilled') expect(outcome.value.revision).toBe(2);
        else expect(outcome.reason).toBeInstanceOf(WrongExpectedRevisionError);
      }
      expect(settled.slice(contenders.length).every((r) => r.status === 'fulfilled')).toBe(true);

      const written = await store.readStream(stream);
      expect(written.map((e) => e.revision)).toEqual([0, 1, 2]);
      expect(written.slice(1).map((e) => e.eventId)).toEqual(winners[0]!.events.map((e) => e.eventId));
      const expectedIds = new Set([written[0]!.eventId, ...winners[0]!.events.map((e) => e.eventId), ...bystanders.map((b) => b.event.eventId)]);
      const all = mine(await readAllInBatches(store, base, 100));
      expectExactlyOnceInOrder(all, expectedIds, gapFree ? base : undefined);
    });

    it('lets exactly one of 50 concurrent appends at the same revision win', async () => {
      const stream = `job-${prefix}-race`;
      await store.append(stream, [viewed('r')], 'no_stream');
      const attempts = Array.from({ length: 50 }, (_, i) => viewed('r', i));
      const results = await Promise.allSettled(attempts.map((e) => store.append(stream, [e], 0)));
      const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [attempts[i]!] : []));
      const lost = results.filter((r) => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(49);
      for (const r of lost) expect(r.reason).toBeInstanceOf(WrongExpectedRevisionError);
      const events = await store.readStream(stream);
      expect(events.map((e) => e.eventId)).toEqual([events[0]!.eventId, won[0]!.eventId]);
      if (gapFree) expect(await store.headPosition()).toBe(base + 2);
    });

    it('delivers 10,000 concurrently appended events exactly once in order, by readAll and by subscription', async () => {
      const streams = 500;
      const perStream = 20;
      const total = streams * perStream;
      const expectedIds = new Set<string>();
      const delivered: RecordedEvent[] = [];
      const subscription = store.subscribeToAll({ after: base, batchSize: 256 }, (batch) => {
        delivered.push(...mine(batch));
        return Promise.resolve();
      });

      await Promise.all(
        Array.from({ length: streams }, async (_, s) => {
          const stream = `job-${prefix}-${s}`;
          let revision: number | 'no_stream' = 'no_stream';
          for (let written = 0; written < perStream; ) {
            const size = Math.min(1 + ((s + written) % 4), perStream - written);
            const events = Array.from({ length: size }, (_, i) => viewed(`${prefix}-${s}`, written + i));
            for (const e of events) expectedIds.add(e.eventId);
            revision = (await store.append(stream, events, revision)).revision;
            written += size;
          }
          expect(revision).toBe(perStream - 1);
        }),
      );

      if (gapFree) expect(await store.headPosition()).toBe(base + total);
      const read = mine(await readAllInBatches(store, base, 777));
      expectExactlyOnceInOrder(read, expectedIds, gapFree ? base : undefined);

      await waitFor(() => delivered.length >= total, 60_000, 'subscription to deliver every event');
      await subscription.stop();
      await expect(subscription.done).resolves.toBeUndefined();
      expectExactlyOnceInOrder(delivered, expectedIds, gapFree ? base : undefined);
      expect(delivered.map((e) => e.position)).toEqual(read.map((e) => e.position));

      const oneStream = await store.readStream(`job-${prefix}-7`);
      expect(oneStream.map((e) => e.revision)).toEqual(Array.from({ length: perStream }, (_, i) => i));
    }, 180_000);

    it('resumes a stopped subscription from its checkpoint without gap or repeat while appends continue', async () => {
      const total = 600;
      const expectedIds = new Set<string>();
      let appending = true;
      const writer = (async () => {
        for (let i = 0; i < total; i++) {
          const event = viewed(`${prefix}-w`, i);
          expectedIds.add(event.eventId);
          await store.append(`job-${prefix}-w${i % 7}`, [event], 'any');
          if (i % 50 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
        }
        appending = false;
      })();

      const first: RecordedEvent[] = [];
      let checkpoint = base;
      const sub1 = store.subscribeToAll({ after: base, batchSize: 16 }, (batch) => {
        first.push(...mine(batch));
        checkpoint = batch.at(-1)!.position;
        return Promise.resolve();
      });
      await waitFor(() => first.length >= 100, 30_000, 'first subscription');
      await sub1.stop();
      await sub1.done;
      const stoppedAt = first.length;
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(first.length).toBe(stoppedAt); // nothing delivered after stop

      const second: RecordedEvent[] = [];
      const sub2 = store.subscribeToAll({ after: checkpoint, batchSize: 16 }, (batch) => {
        second.push(...mine(batch));
        return Promise.resolve();
      });
      await writer;
      expect(appending).toBe(false);
      await waitFor(() => first.length + second.length >= total, 30_000, 'second subscription');
      await new Promise((resolve) => setTimeout(resolve, 100));
      await sub2.stop();
      expectExactlyOnceInOrder([...first, ...second], expectedIds, gapFree ? base : undefined);
    }, 120_000);

    it('reports the head position', async () => {
      if (gapFree) expect(base).toBe(0);
      const a = await store.append(`job-${prefix}-h`, [viewed('h'), viewed('h')], 'no_stream');
      expect(await store.headPosition()).toBe(a.position);
      const b = await store.append(`job-${prefix}-h2`, [viewed('h')], 'no_stream');
      expect(b.position).toBeGreaterThan(a.position);
      expect(await store.headPosition()).toBe(b.position);
      if (gapFree) expect(b.position).toBe(base + 3);
    });

    it('reads a stream from a revision with a maximum count', async () => {
      const stream = `job-${prefix}-page`;
      const events = Array.from({ length: 10 }, (_, i) => viewed('p', i));
      await store.append(stream, events, 'no_stream');
      const page = await store.readStream(stream, { fromRevision: 3, maxCount: 4 });
      expect(page.map((e) => e.revision)).toEqual([3, 4, 5, 6]);
      expect(page.map((e) => e.eventId)).toEqual(events.slice(3, 7).map((e) => e.eventId));
      expect((await store.readStream(stream, { fromRevision: 8 })).map((e) => e.revision)).toEqual([8, 9]);
      expect(await store.readStream(stream, { fromRevision: 10 })).toEqual([]);
      expect(await store.readStream(`job-${prefix}-missing`)).toEqual([]);
      const all = mine(await store.readAll({ after: base, maxCount: 4 }));
      expect(all.map((e) => e.revision)).toEqual([0, 1, 2, 3]);
    });

    it('reads the log outside the streams of a prefix, in log order and paged like readAll (adapters that offer it)', async (ctx) => {
      // An optional capability (OutsideStreamsReader): a reader without it reads the whole log instead.
      if (!readsOutsideStreams(store)) return ctx.skip();
      const inside = `skip_${prefix}-`;
      await store.append(`${inside}a`, [viewed('a'), viewed('a')], 'no_stream');
      const keptA = await store.append(`keep-${prefix}-a`, [viewed('k'), viewed('k')], 'no_stream');
      await store.append(`${inside}b`, [viewed('b')], 'no_stream');
      // The prefix is compared exactly: another case, or _ as a character, is outside it.
      await store.append(`SKIP_${prefix}-c`, [viewed('c')], 'no_stream');
      await store.append(`skipX${prefix}-d`, [viewed('d')], 'no_stream');
      const ours = (events: readonly RecordedEvent[]) => events.filter((e) => e.streamId.includes(prefix));
      const outside = ours(await store.readAllOutside(inside, { after: base, maxCount: 100 }));
      expect(outside.map((e) => e.streamId)).toEqual([`keep-${prefix}-a`, `keep-${prefix}-a`, `SKIP_${prefix}-c`, `skipX${prefix}-d`]);
      expect(outside.map((e) => e.position)).toEqual([...outside.map((e) => e.position)].sort((x, y) => x - y));
      const whole = ours(await store.readAll({ after: base, maxCount: 100 }));
      expect(outside).toEqual(whole.filter((e) => !e.streamId.startsWith(inside)));
      const firstPage = await store.readAllOutside(inside, { after: base, maxCount: 1 });
      expect(firstPage.map((e) => e.position)).toEqual([keptA.position - 1]);
    });

    it('ends a subscription whose handler throws, with done rejecting', async () => {
      await store.append(`job-${prefix}-err`, [viewed('e'), viewed('e')], 'no_stream');
      let calls = 0;
      const subscription = store.subscribeToAll({ after: base }, (batch) => {
        if (mine(batch).length === 0) return Promise.resolve();
        calls++;
        return Promise.reject(new Error('projection failed'));
      });
      await expect(subscription.done).rejects.toThrow('projection failed');
      await store.append(`job-${prefix}-err`, [viewed('e')], 1);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(calls).toBe(1);
      await subscription.stop(); // stopping an ended subscription is harmless
    });
  });
}
