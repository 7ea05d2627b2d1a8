/**
 * PostgreSQL event store (pg Pool, LISTEN/NOTIFY through pg-listen).
 *
 * Global positions: a `bigserial` alone is not enough. Sequence values are
 * handed out at insert time, but transactions commit in any order: if txn A
 * takes position 7 and txn B position 8 and B commits first, a reader that has
 * seen 8 and checkpoints there never sees 7. So every append takes its
 * positions from a single-row counter, `log_head`, with
 * `UPDATE log_head SET position = position + n RETURNING position` inside the
 * append transaction. The row lock serialises appenders from that statement
 * to their commit: positions are gap-free (a rolled-back append rolls the
 * counter back too) and a transaction holding positions k..m commits before
 * anyone can take m+1, so a reader that sees position p also sees every
 * position below it. The cost is that appends are serialised on one row for
 * the short tail of their transaction (counter update, insert, notify,
 * commit); the per-stream revision check runs before the counter is taken, so
 * conflicts and stream locks do not extend that window. Because the COMMIT
 * (its WAL flush) happens while the row is held, one process gets at most
 * about one commit per flush; appends that arrive meanwhile are therefore
 * group-committed, many appends in one transaction (appendBatch.ts).
 *
 * The alternative keeps a bigserial and lets readers stop at the oldest
 * in-flight transaction (`pg_snapshot_xmin(pg_current_snapshot())` compared
 * with a per-row `xid8` column, as Marten and others do): appends run in
 * parallel, but positions have gaps and readers must lag behind the slowest
 * open writer. Serialised appends are simpler and fast enough here (see
 * bench/append.ts).
 *
 * Live subscriptions are woken by a NOTIFY sent inside the append transaction
 * (delivered at commit), with polling every `pollIntervalMs` as the fallback
 * for a missed notification or a lost listener connection.
 */
import pg from 'pg';
import pgListen from 'pg-listen';
import type { Subscriber } from 'pg-listen';
import { ChangeSignal } from '../changeSignal.ts';
import type { CommitStats } from '../commitStats.ts';
import type { AppendOutcome, PendingAppend } from './appendBatch.ts';
import { writeAppendBatch } from './appendBatch.ts';
import type { EncodedEvent, EncodedEventAppender, OutsideStreamsReader } from '../encodedEvent.ts';
import { encodeNewEvent, satisfiesExpected, toRecordedEvent } from '../encodedEvent.ts';
import { startPollingSubscription } from '../pollingSubscription.ts';
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
import { poolTimeouts } from './poolOptions.ts';

export interface PostgresEventStoreOptions {
  connectionString: string;
  /** Schema holding the tables; created if missing. Lower-case identifier. */
  schema?: string;
  poolSize?: number;
  pollIntervalMs?: number;
  /** Group-commit transactions in flight at once (default 2: one claims streams while one commits). */
  committers?: number;
}

/** Most appends written in one group-commit transaction. */
const maxBatch = 200;

type QueuedAppend = PendingAppend & {
  resolve: (outcome: AppendOutcome) => void;
  reject: (error: Error) => void;
};

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

interface EventRow {
  position: string;
  stream_id: string;
  revision: number;
  event_id: string;
  type: string;
  version: number;
  data: unknown;
  metadata: unknown;
  recorded_at: Date;
}

const columns = 'position, stream_id, revision, event_id, type, version, data, metadata, recorded_at';

function toRecorded(row: EventRow): RecordedEvent {
  return toRecordedEvent({
    eventId: row.event_id,
    streamId: row.stream_id,
    revision: row.revision,
    position: Number(row.position),
    type: row.type,
    version: row.version,
    data: row.data,
    metadata: row.metadata,
    recordedAt: row.recorded_at.toISOString(),
  });
}

function schemaDdl(s: string): string {
  return `
CREATE SCHEMA IF NOT EXISTS ${s};
CREATE TABLE IF NOT EXISTS ${s}.events (
  position bigint PRIMARY KEY,
  stream_id text NOT NULL,
  revision integer NOT NULL,
  event_id text NOT NULL UNIQUE,
  type text NOT NULL,
  version integer NOT NULL,
  data jsonb NOT NULL,
  metadata jsonb NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (stream_id, revision)
);
CREATE TABLE IF NOT EXISTS ${s}.streams (
  stream_id text PRIMARY KEY,
  revision integer NOT NULL
);
CREATE TABLE IF NOT EXISTS ${s}.log_head (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  position bigint NOT NULL
);
INSERT INTO ${s}.log_head (id, position) VALUES (true, 0) ON CONFLICT (id) DO NOTHING;
`;
}

export class PostgresEventStore implements EventStore, EncodedEventAppender, OutsideStreamsReader {
  readonly kind = 'postgres' as const;
  readonly signal = new ChangeSignal();
  readonly pollIntervalMs: number;
  readonly schema: string;
  readonly #pool: pg.Pool;
  readonly #connectionString: string;
  readonly #channel: string;
  readonly #subscriptions = new Set<Subscription>();
  readonly #queue: QueuedAppend[] = [];
  readonly #maxCommitters: number;
  #committers = 0;
  #commits = 0;
  #appends = 0;
  #listener: Promise<Subscriber | undefined> | undefined;
  #closed = false;

  private constructor(options: PostgresEventStoreOptions) {
    this.schema = options.schema ?? 'event_store';
    if (!/^[a-z_][a-z0-9_]{0,50}$/.test(this.schema)) throw new Error(`invalid schema name: ${this.schema}`);
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
    this.#connectionString = options.connectionString;
    this.#channel = `${this.schema}_appended`;
    this.#maxCommitters = options.committers ?? 2;
    this.#pool = new pg.Pool({ connectionString: options.connectionString, max: options.poolSize ?? 10, ...poolTimeouts });
    // An idle client losing its connection must not crash the process; the next query reconnects.
    this.#pool.on('error', () => {});
  }

  static async open(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
    const store = new PostgresEventStore(options);
    try {
      await store.#createSchema();
    } catch (error) {
      await store.#pool.end();
      throw error;
    }
    return store;
  }

  async #createSchema(): Promise<void> {
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      // Concurrent CREATE ... IF NOT EXISTS can still collide; serialise openers of one schema.
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`event_store:${this.schema}`]);
      await client.query(schemaDdl(this.schema));
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    return this.appendEncoded(streamId, events.map(encodeNewEvent), expected);
  }

  /**
   * Appends go through a group commit: appends that arrive while a batch is
   * being written wait and are written together in the next transaction (one
   * WAL flush for all, see appendBatch.ts). A lone append is a transaction of
   * its own, as without batching.
   */
  async appendEncoded(
    streamId: string,
    events: readonly EncodedEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    if (this.#closed) throw new Error('event store is closed');
    if (events.length === 0) return this.#emptyAppend(streamId, expected);
    const outcome = await new Promise<AppendOutcome>((resolve, reject) => {
      this.#queue.push({ streamId, events, expected, resolve, reject });
      this.#startCommitters();
    });
    if (outcome !== 'conflict') return outcome;
    const actual = await this.#streamRevision(streamId);
    throw new WrongExpectedRevisionError(streamId, expected, actual === -1 ? 'no_stream' : actual);
  }

  get commitStats(): CommitStats {
    return { commits: this.#commits, appends: this.#appends };
  }

  #startCommitters(): void {
    while (this.#committers < this.#maxCommitters && this.#queue.length > 0) {
      this.#committers++;
      void this.#drain();
    }
  }

  async #drain(): Promise<void> {
    try {
      for (let batch = this.#queue.splice(0, maxBatch); batch.length > 0; batch = this.#queue.splice(0, maxBatch)) {
        await this.#commit(batch);
      }
    } finally {
      this.#committers--;
    }
  }

  async #commit(batch: readonly QueuedAppend[]): Promise<void> {
    let outcomes: AppendOutcome[];
    const client = await this.#pool.connect().catch((error: unknown) => {
      for (const append of batch) append.reject(asError(error));
    });
    if (!client) return;
    this.#commits++;
    this.#appends += batch.length;
    try {
      await client.query('BEGIN');
      outcomes = await writeAppendBatch(client, this.schema, this.#channel, batch);
      await client.query('COMMIT');
      client.release();
    } catch (error) {
      const broken = await client.query('ROLLBACK').then(() => false, () => true);
      client.release(broken);
      if (batch.length === 1) batch[0]?.reject(asError(error));
      // One failing append (a duplicate event id, a deadlock) must not fail the others: retry one by one.
      else for (const append of batch) await this.#commit([append]);
      return;
    }
    this.signal.notify();
    batch.forEach((append, i) => append.resolve(outcomes[i] ?? 'conflict'));
  }

  async #emptyAppend(streamId: string, expected: ExpectedRevision): Promise<AppendResult> {
    const actual = await this.#streamRevision(streamId);
    if (!satisfiesExpected(expected, actual)) throw new WrongExpectedRevisionError(streamId, expected, actual === -1 ? 'no_stream' : actual);
    return { revision: actual, position: await this.headPosition() };
  }

  async #streamRevision(streamId: string): Promise<number> {
    const result = await this.#pool.query<{ revision: number }>(
      `SELECT revision FROM ${this.schema}.streams WHERE stream_id = $1`,
      [streamId],
    );
    return result.rows[0]?.revision ?? -1;
  }

  async readStream(streamId: string, options: { fromRevision?: number; maxCount?: number } = {}): Promise<RecordedEvent[]> {
    const result = await this.#pool.query<EventRow>(
      `SELECT ${columns} FROM ${this.schema}.events WHERE stream_id = $1 AND revision >= $2 ORDER BY revision LIMIT $3`,
      [streamId, options.fromRevision ?? 0, options.maxCount ?? null],
    );
    return result.rows.map(toRecorded);
  }

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    const result = await this.#pool.query<EventRow>(
      `SELECT ${columns} FROM ${this.schema}.events WHERE position > $1 ORDER BY position LIMIT $2`,
      [options.after, options.maxCount],
    );
    return result.rows.map(toRecorded);
  }

  async readAllOutside(streamPrefix: string, options: ReadAllOptions): Promise<RecordedEvent[]> {
    // The prefix compared exactly (LIKE would read _ and % as wildcards); rows skipped in SQL are never decoded.
    const result = await this.#pool.query<EventRow>(
      `SELECT ${columns} FROM ${this.schema}.events WHERE position > $1 AND left(stream_id, length($2)) <> $2 ORDER BY position LIMIT $3`,
      [options.after, streamPrefix, options.maxCount],
    );
    return result.rows.map(toRecorded);
  }

  subscribeToAll(options: SubscribeOptions, handler: BatchHandler): Subscription {
    this.#ensureListener();
    const subscription = startPollingSubscription(this, options, handler, () => {
      this.#subscriptions.delete(subscription);
    });
    this.#subscriptions.add(subscription);
    return subscription;
  }

  /** One LISTEN connection per store, opened with the first subscription; failures leave polling in charge. */
  #ensureListener(): void {
    if (this.#listener || this.#closed) return;
    // pg-listen is CommonJS: its function is both module.exports and `.default`.
    const subscriber = pgListen.default(
      { connectionString: this.#connectionString },
      { parse: (payload: string) => payload, retryTimeout: 60_000, paranoidChecking: 10_000 },
    );
    subscriber.events.on('error', () => {
      // Reconnection gave up; subscriptions keep polling.
    });
    subscriber.notifications.on(this.#channel, () => this.signal.notify());
    subscriber.events.on('reconnect', () => this.signal.notify());
    this.#listener = (async () => {
      try {
        await subscriber.connect();
        await subscriber.listenTo(this.#channel);
        return subscriber;
      } catch {
        await subscriber.close().catch(() => {});
        return undefined;
      }
    })();
  }

  async headPosition(): Promise<number> {
    const result = await this.#pool.query<{ position: string }>(`SELECT position FROM ${this.schema}.log_head`);
    return Number(result.rows[0]?.position ?? 0);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all([...this.#subscriptions].map((s) => s.stop()));
    while (this.#committers > 0) await new Promise((resolve) => setTimeout(resolve, 5)); // appends in flight
    const listener = await this.#listener;
    await listener?.close().catch(() => {});
    await this.#pool.end();
  }
}

export function openPostgresEventStore(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
  return PostgresEventStore.open(options);
}
