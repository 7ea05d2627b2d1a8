/**
 * EventStoreDB adapter (@eventstore/db-client, gRPC).
 *
 * - Positions are the event's commit position in the transaction log, as a
 *   number. Events appended through gRPC are implicitly committed, so each
 *   event has its own commit position (commit == prepare), strictly
 *   increasing in $all order but with gaps (they are byte offsets). A
 *   checkpoint `after` resumes from `{ commit: after, prepare: after }`, and
 *   events at or before the checkpoint are dropped client-side, so the
 *   inclusive read and the exclusive subscription start agree.
 * - System events (type or stream starting with `$`) and unresolved links are
 *   never returned.
 * - The schema version and the original event id travel in the event
 *   metadata (`schemaVersion`, `eventId`); `$correlationId`/`$causationId` are
 *   added for the server's own projections and stripped on read. EventStoreDB
 *   ids are UUIDs: a non-UUID event id is mapped to a stable name-based UUID.
 * - On servers before 22.6, events read from a single stream carry no
 *   position; they get position -1 there (readAll and subscriptions always
 *   have it).
 */
import { createHash } from 'node:crypto';
import {
  ANY,
  BACKWARDS,
  END,
  ErrorType,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  START,
  excludeSystemEvents,
  jsonEvent,
} from '@eventstore/db-client';
import type {
  AllStreamRecordedEvent,
  AllStreamResolvedEvent,
  AppendExpectedRevision,
  JSONType,
  Position,
  ReadPosition,
  ResolvedEvent,
} from '@eventstore/db-client';
import type { EncodedEvent, EncodedEventAppender } from '../encodedEvent.ts';
import { encodeNewEvent, toRecordedEvent } from '../encodedEvent.ts';
import type {
  AppendResult,
  BatchHandler,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
} from '../port.ts';
import { WrongExpectedRevisionError } from '../port.ts';

export interface EventStoreDbEventStoreOptions {
  /** e.g. `esdb://localhost:2113?tls=false` */
  connectionString: string;
}

type AnyRecorded = NonNullable<ResolvedEvent['event']> | AllStreamRecordedEvent;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const maxPosition = 2n ** 63n - 1n;
const noop = (): void => {};

/** A stable UUID for a non-UUID event id (name-based, SHA-1, RFC 4122 layout). */
export function toEventStoreDbId(eventId: string): string {
  if (uuidPattern.test(eventId)) return eventId.toLowerCase();
  const hex = createHash('sha1').update(`jobs-discovery:${eventId}`).digest('hex');
  const variant = ((parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}

function toAppendRevision(expected: ExpectedRevision): AppendExpectedRevision {
  if (expected === 'any') return ANY;
  if (expected === 'no_stream') return NO_STREAM;
  return BigInt(expected);
}

function checkpointPosition(after: number): ReadPosition {
  return after <= 0 ? START : { commit: BigInt(after), prepare: BigInt(after) };
}

function isUserEvent(event: AnyRecorded | undefined): event is AnyRecorded {
  return event !== undefined && !event.type.startsWith('$') && !event.streamId.startsWith('$');
}

function positionOf(event: AnyRecorded): number {
  const commit = event.position?.commit;
  return commit === undefined || commit >= maxPosition ? -1 : Number(commit);
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !(value instanceof Uint8Array)
    ? (value as Record<string, unknown>)
    : {};
}

function toRecorded(event: AnyRecorded): RecordedEvent {
  const { schemaVersion, eventId, ...rest } = asRecord(event.metadata);
  const metadata = Object.fromEntries(Object.entries(rest).filter(([key]) => !key.startsWith('$')));
  const data: unknown = event.data instanceof Uint8Array ? JSON.parse(Buffer.from(event.data).toString('utf8')) : event.data;
  return toRecordedEvent({
    eventId: typeof eventId === 'string' ? eventId : event.id,
    streamId: event.streamId,
    revision: Number(event.revision),
    position: positionOf(event),
    type: event.type,
    version: typeof schemaVersion === 'number' ? schemaVersion : 1,
    data,
    metadata,
    recordedAt: event.created.toISOString(),
  });
}

function errorType(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'type' in error ? error.type : undefined;
}

export class EventStoreDbEventStore implements EventStore, EncodedEventAppender {
  readonly kind = 'eventstoredb' as const;
  readonly #client: EventStoreDBClient;
  readonly #subscriptions = new Set<Subscription>();

  constructor(options: EventStoreDbEventStoreOptions) {
    this.#client = EventStoreDBClient.connectionString(options.connectionString);
  }

  append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    return this.appendEncoded(streamId, events.map(encodeNewEvent), expected);
  }

  async appendEncoded(streamId: string, events: readonly EncodedEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    const data = events.map((e) => {
      const meta = asRecord(e.metadata);
      return jsonEvent({
        id: toEventStoreDbId(e.eventId),
        type: e.type,
        data: e.data as JSONType,
        metadata: {
          ...meta,
          schemaVersion: e.version,
          eventId: e.eventId,
          $correlationId: meta.correlationId,
          $causationId: meta.causationId,
        },
      });
    });
    try {
      const result = await this.#client.appendToStream(streamId, data, { expectedRevision: toAppendRevision(expected) });
      const commit = result.position?.commit;
      return {
        revision: Number(result.nextExpectedRevision),
        position: commit === undefined ? await this.headPosition() : Number(commit),
      };
    } catch (error) {
      if (errorType(error) === ErrorType.WRONG_EXPECTED_VERSION) {
        const actual = (error as { actualVersion?: bigint | string }).actualVersion;
        throw new WrongExpectedRevisionError(
          streamId,
          expected,
          typeof actual === 'bigint' && actual >= 0n ? Number(actual) : 'no_stream',
        );
      }
      throw error;
    }
  }

  async readStream(streamId: string, options: { fromRevision?: number; maxCount?: number } = {}): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    try {
      const read = this.#client.readStream(streamId, {
        direction: FORWARDS,
        fromRevision: options.fromRevision === undefined ? START : BigInt(options.fromRevision),
        ...(options.maxCount === undefined ? {} : { maxCount: options.maxCount }),
      });
      for await (const resolved of read) {
        if (isUserEvent(resolved.event)) events.push(toRecorded(resolved.event));
      }
    } catch (error) {
      if (errorType(error) === ErrorType.STREAM_NOT_FOUND) return [];
      throw error;
    }
    return events;
  }

  /** Reads pages until `maxCount` user events are collected or the log ends (system events are skipped). */
  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    let from: ReadPosition = checkpointPosition(options.after);
    let last: Position | undefined;
    const page = Math.max(options.maxCount, 100);
    for (;;) {
      let seen = 0;
      const read = this.#client.readAll({ direction: FORWARDS, fromPosition: from, maxCount: page + 1 });
      for await (const resolved of read) {
        const event = resolved.event;
        if (!event) continue;
        seen++;
        const pos = event.position;
        if (last && pos.commit <= last.commit && pos.prepare <= last.prepare) continue; // the inclusive start
        last = pos;
        if (Number(pos.commit) <= options.after || !isUserEvent(event)) continue;
        events.push(toRecorded(event));
        if (events.length >= options.maxCount) {
          await read.cancel();
          return events;
        }
      }
      if (seen < page + 1 || !last) return events;
      from = last;
    }
  }

  subscribeToAll(options: SubscribeOptions, handler: BatchHandler): Subscription {
    const batchSize = options.batchSize ?? 500;
    const stream = this.#client.subscribeToAll({
      fromPosition: checkpointPosition(options.after),
      filter: excludeSystemEvents(),
    });
    let stopped = false;
    let checkpoint = options.after;

    const run = async (): Promise<void> => {
      let batch: RecordedEvent[] = [];
      try {
        for await (const resolved of stream as AsyncIterable<AllStreamResolvedEvent>) {
          if (stopped) break;
          const event = resolved.event;
          if (isUserEvent(event)) {
            const recorded = toRecorded(event);
            if (recorded.position > checkpoint) {
              batch.push(recorded);
              checkpoint = recorded.position;
            }
          }
          // Deliver when the batch is full or nothing more is buffered right now.
          if (batch.length > 0 && (batch.length >= batchSize || stream.readableLength === 0)) {
            const delivering = batch;
            batch = [];
            await handler(delivering);
          }
        }
      } catch (error) {
        if (!stopped) throw error;
      } finally {
        this.#subscriptions.delete(subscription);
        await stream.unsubscribe().catch(noop);
      }
    };

    const done = run();
    done.catch(noop);
    const subscription: Subscription = {
      done,
      async stop() {
        stopped = true;
        await stream.unsubscribe().catch(noop);
        stream.destroy();
        await done.catch(noop);
      },
    };
    this.#subscriptions.add(subscription);
    return subscription;
  }

  async headPosition(): Promise<number> {
    const read = this.#client.readAll({ direction: BACKWARDS, fromPosition: END });
    try {
      for await (const resolved of read) {
        if (isUserEvent(resolved.event)) return Number(resolved.event.position.commit);
      }
    } finally {
      await read.cancel().catch(noop);
    }
    return 0;
  }

  async close(): Promise<void> {
    await Promise.all([...this.#subscriptions].map((s) => s.stop()));
    await this.#client.dispose();
  }
}

export function openEventStoreDbEventStore(options: EventStoreDbEventStoreOptions): Promise<EventStoreDbEventStore> {
  return Promise.resolve(new EventStoreDbEventStore(options));
}
