import type { DomainEvent, EventMetadata } from './events/index.ts';

/**
 * What the caller expects of the stream before the append:
 * - `'no_stream'`: the stream must not exist yet;
 * - `'any'`: no check;
 * - a number: the revision of the stream's last event (revisions start at 0).
 */
export type ExpectedRevision = 'no_stream' | 'any' | number;

/** An event about to be appended: the domain event, its metadata and its id. */
export type NewEvent = DomainEvent & { eventId: string; metadata: EventMetadata };

/**
 * An event read back from the log, upcast to the catalog's current version.
 * `position` is the global, strictly increasing log position (1-based; 0 means
 * "before the first event"). `revision` is its index in its own stream (0-based).
 */
export type RecordedEvent = DomainEvent & {
  eventId: string;
  streamId: string;
  revision: number;
  position: number;
  metadata: EventMetadata;
  /** Schema version as stored, before upcasting. */
  storedVersion: number;
  recordedAt: string;
};

export interface AppendResult {
  /** Revision of the last appended event. */
  revision: number;
  /** Global position of the last appended event. */
  position: number;
}

export interface ReadAllOptions {
  /** Read events strictly after this position (0 = from the start). */
  after: number;
  maxCount: number;
}

export interface SubscribeOptions {
  /** Deliver events strictly after this checkpoint position. */
  after: number;
  /** Most events handed to the handler at once. */
  batchSize?: number;
}

/**
 * Handler of a subscription: awaited before the next batch is delivered, so a
 * slow consumer applies back-pressure and a failed batch stops the
 * subscription (the consumer restarts it from its last stored checkpoint).
 */
export type BatchHandler = (events: readonly RecordedEvent[]) => Promise<void>;

export interface Subscription {
  /** Stops delivery; resolves once no handler call is in progress. */
  stop(): Promise<void>;
  /** Settles when the subscription ends: resolves on stop, rejects on error. */
  readonly done: Promise<void>;
}

export interface EventStore {
  readonly kind: 'sqlite' | 'postgres' | 'eventstoredb';
  append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult>;
  /** Events of one stream in revision order; empty when the stream does not exist. */
  readStream(streamId: string, options?: { fromRevision?: number; maxCount?: number }): Promise<RecordedEvent[]>;
  /** One batch of the whole log in position order. */
  readAll(options: ReadAllOptions): Promise<RecordedEvent[]>;
  /** Catch-up from the checkpoint, then live; each event exactly once, in position order. */
  subscribeToAll(options: SubscribeOptions, handler: BatchHandler): Subscription;
  /** Position of the last event in the log (0 when empty). */
  headPosition(): Promise<number>;
  close(): Promise<void>;
}

/** The stream's actual revision did not match the expected one. */
export class WrongExpectedRevisionError extends Error {
  readonly code = 'wrong_expected_revision';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    readonly actual: number | 'no_stream',
  ) {
    super(`stream ${streamId}: expected revision ${String(expected)}, actual ${String(actual)}`);
  }
}
