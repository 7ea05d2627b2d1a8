import type { ExpectedRevision, NewEvent, ReadAllOptions, RecordedEvent } from './port.ts';
import { currentVersion, decodeEvent, decodeMetadata } from './events/index.ts';

/**
 * An event as the adapters store it: type, the schema version its data was
 * written with, and plain JSON data and metadata. `append` encodes a NewEvent
 * at the catalog's current version; `appendEncoded` writes any version as
 * given (imports of old logs, and the contract test of upcasting).
 */
export interface EncodedEvent {
  eventId: string;
  type: string;
  version: number;
  data: unknown;
  metadata: unknown;
}

/** Adapters that can append already-encoded events (not part of the EventStore port). */
export interface EncodedEventAppender {
  appendEncoded(
    streamId: string,
    events: readonly EncodedEvent[],
    expected: ExpectedRevision,
  ): Promise<{ revision: number; position: number }>;
}

/**
 * Adapters that can read the log without the streams named by a prefix (not
 * part of the EventStore port): a reader that needs a few streams of a kind
 * reads those by stream and the rest of the log here, never decoding the
 * others. Same paging as readAll: events after `after` in log order.
 */
export interface OutsideStreamsReader {
  readAllOutside(streamPrefix: string, options: ReadAllOptions): Promise<RecordedEvent[]>;
}

export function readsOutsideStreams(store: object): store is OutsideStreamsReader {
  return typeof (store as Partial<OutsideStreamsReader>).readAllOutside === 'function';
}

export function encodeNewEvent(event: NewEvent): EncodedEvent {
  return {
    eventId: event.eventId,
    type: event.type,
    version: currentVersion(event.type),
    data: event.data,
    metadata: event.metadata,
  };
}

/** A stored row, whatever the adapter, before decoding. */
export interface StoredEvent extends EncodedEvent {
  streamId: string;
  revision: number;
  position: number;
  recordedAt: string;
}

/** Decodes and upcasts a stored event to the catalog's current version. */
export function toRecordedEvent(stored: StoredEvent): RecordedEvent {
  const event = decodeEvent(stored.type, stored.version, stored.data);
  return {
    ...event,
    eventId: stored.eventId,
    streamId: stored.streamId,
    revision: stored.revision,
    position: stored.position,
    metadata: decodeMetadata(stored.metadata),
    storedVersion: stored.version,
    recordedAt: stored.recordedAt,
  };
}

/** Whether a stream at `actual` (-1 = no stream) satisfies `expected`. */
export function satisfiesExpected(expected: ExpectedRevision, actual: number): boolean {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return actual === -1;
  return actual === expected;
}
