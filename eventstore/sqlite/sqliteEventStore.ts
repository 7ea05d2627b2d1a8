import Database from 'better-sqlite3';
import { ChangeSignal } from '../changeSignal.ts';
import type { CommitStats } from '../commitStats.ts';
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
import { RecentEvents } from './recentEvents.ts';
import type { WalSync } from './walSync.ts';
import { walSync } from './walSync.ts';

/**
 * Embedded event store in one SQLite file (better-sqlite3, synchronous API).
 *
 * Durability: WAL journal with `synchronous=FULL` by default, so every
 * acknowledged append has been fsynced to the WAL before `append` resolves and
 * survives SIGKILL and power loss. `NORMAL` still survives a killed process
 * (the WAL is in the OS cache) but may lose the last commits on power loss.
 * In a file, FULL is kept off the event loop: the connection commits without
 * syncing (SQLite's NORMAL) and the WAL file is then fdatasynced on the libuv
 * thread pool, the same sync SQLite's FULL makes at commit; a group's appends
 * resolve (and subscribers wake) only once it is done, and the next group
 * commits after that. While the disk syncs, the process goes on reading,
 * deciding and queueing the next requests instead of blocking in COMMIT.
 *
 * Positions are the rowid (`INTEGER PRIMARY KEY`): SQLite has one writer at a
 * time, rows are never deleted, and a rolled-back append releases its rowids,
 * so positions are gap-free and become visible in order, also when several
 * processes share the file (each append takes the write lock up front with
 * BEGIN IMMEDIATE and waits up to `busyTimeoutMs` for it).
 *
 * Group commit: appends are queued and written by a `setImmediate` callback,
 * so every append issued in one turn of the event loop (all the HTTP requests
 * read in one poll phase, including those that arrived while the previous
 * commit blocked the loop) shares one transaction and one fsync, each append
 * in its own savepoint and checked against its own expected revision.
 * Positions follow queue order. `append` resolves only after that commit. A
 * group holds at most `maxGroupAppends` appends / `maxGroupEvents` events; the
 * rest waits for the next turn, after the first group's callers have run.
 * (A microtask would not do: Node drains microtasks after every I/O callback,
 * so each request would commit alone.)
 */
export interface SqliteEventStoreOptions {
  /** File path, or `:memory:`. */
  path: string;
  synchronous?: 'FULL' | 'NORMAL';
  /** Live subscriptions re-read at least this often (appends by other processes). */
  pollIntervalMs?: number;
  busyTimeoutMs?: number;
  /** Most appends in one group commit (default 256). */
  maxGroupAppends?: number;
  /** Most events in one group commit (default 4096; a larger single append still goes alone). */
  maxGroupEvents?: number;
}

interface EventRow {
  position: number;
  stream_id: string;
  revision: number;
  event_id: string;
  type: string;
  version: number;
  data: string;
  metadata: string;
  recorded_at: string;
}

const schema = `
CREATE TABLE IF NOT EXISTS events (
  position INTEGER PRIMARY KEY,
  stream_id TEXT NOT NULL,
  revision INTEGER NOT NULL,
  event_id TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL,
  version INTEGER NOT NULL,
  data TEXT NOT NULL,
  metadata TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  UNIQUE (stream_id, revision)
);
CREATE TABLE IF NOT EXISTS streams (
  stream_id TEXT PRIMARY KEY,
  revision INTEGER NOT NULL
) WITHOUT ROWID;
`;

interface QueuedAppend {
  streamId: string;
  events: readonly EncodedEvent[];
  expected: ExpectedRevision;
  resolve: (result: AppendResult) => void;
  reject: (error: Error) => void;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

function toStored(row: EventRow): RecordedEvent {
  return toRecordedEvent({
    eventId: row.event_id,
    streamId: row.stream_id,
    revision: row.revision,
    position: row.position,
    type: row.type,
    version: row.version,
    data: JSON.parse(row.data) as unknown,
    metadata: JSON.parse(row.metadata) as unknown,
    recordedAt: row.recorded_at,
  });
}

export class SqliteEventStore implements EventStore, EncodedEventAppender, OutsideStreamsReader {
  readonly kind = 'sqlite' as const;
  readonly signal = new ChangeSignal();
  readonly pollIntervalMs: number;
  readonly #db: Database.Database;
  readonly #subscriptions = new Set<Subscription>();
  readonly #queue: QueuedAppend[] = [];
  readonly #maxGroupAppends: number;
  readonly #maxGroupEvents: number;
  #flushScheduled = false;
  /** The group committed and not yet synced (FULL in a file): the next group waits for it. */
  #syncing: Promise<void> | undefined;
  /** Syncs the WAL (FULL in a file); undefined when the commit alone is what was asked for. */
  readonly #walSync: WalSync | undefined;
  /**
   * The first position of the group committed and not yet synced (none:
   * infinity). This process's readers of the whole log (its projectors,
   * position waits) stop before it, so no read model runs ahead of what a
   * power loss would keep.
   */
  #unsyncedFrom = Number.POSITIVE_INFINITY;
  #commits = 0;
  #appends = 0;
  readonly #appendBatch: (batch: readonly QueuedAppend[]) => (AppendResult | Error)[];
  readonly #statements;
  readonly #recent = new RecentEvents();

  constructor(options: SqliteEventStoreOptions) {
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.#maxGroupAppends = Math.max(1, options.maxGroupAppends ?? 256);
    this.#maxGroupEvents = Math.max(1, options.maxGroupEvents ?? 4096);
    const db = new Database(options.path, { timeout: options.busyTimeoutMs ?? 5000 });
    this.#db = db;
    db.pragma('journal_mode = WAL');
    const inFile = db.pragma('journal_mode', { simple: true }) === 'wal';
    const full = (options.synchronous ?? 'FULL') === 'FULL';
    // FULL in a file: SQLite commits without the sync, which #flush then makes on the thread pool.
    db.pragma(`synchronous = ${full && !inFile ? 'FULL' : 'NORMAL'}`);
    this.#walSync = full && inFile ? walSync(`${db.name}-wal`) : undefined;
    db.exec(schema);
    this.#statements = {
      streamRevision: db.prepare<[string], { revision: number }>('SELECT revision FROM streams WHERE stream_id = ?'),
      insertEvent: db.prepare<[string, number, string, string, number, string, string, string]>(
        `INSERT INTO events (stream_id, revision, event_id, type, version, data, metadata, recorded_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      upsertStream: db.prepare<[string, number]>(
        `INSERT INTO streams (stream_id, revision) VALUES (?, ?)
         ON CONFLICT (stream_id) DO UPDATE SET revision = excluded.revision`,
      ),
      readStream: db.prepare<[string, number, number], EventRow>(
        'SELECT * FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?',
      ),
      readAll: db.prepare<[number, number], EventRow>('SELECT * FROM events WHERE position > ? ORDER BY position LIMIT ?'),
      // The prefix compared exactly (LIKE would fold case and read _ and % as wildcards); rows skipped in SQL are never decoded.
      readAllOutside: db.prepare<[number, string, string, number], EventRow>('SELECT * FROM events WHERE position > ? AND substr(stream_id, 1, length(?)) <> ? ORDER BY position LIMIT ?'),
      head: db.prepare<[], { head: number }>('SELECT COALESCE(MAX(position), 0) AS head FROM events'),
    };
    const appendOne = db.transaction((streamId: string, events: readonly EncodedEvent[], expected: ExpectedRevision) => {
      const actual = this.#statements.streamRevision.get(streamId)?.revision ?? -1;
      if (!satisfiesExpected(expected, actual)) {
        throw new WrongExpectedRevisionError(streamId, expected, actual === -1 ? 'no_stream' : actual);
      }
      const recordedAt = new Date().toISOString();
      let revision = actual;
      let position = 0;
      for (const event of events) {
        revision++;
        const result = this.#statements.insertEvent.run(
          streamId,
          revision,
          event.eventId,
          event.type,
          event.version,
          JSON.stringify(event.data),
          JSON.stringify(event.metadata),
          recordedAt,
        );
        position = Number(result.lastInsertRowid);
      }
      if (events.length > 0) this.#statements.upsertStream.run(streamId, revision);
      else position = this.#statements.head.get()?.head ?? 0;
      return { revision, position };
    });
    // Group commit: the appends queued in one turn share one transaction (one fsync); each
    // runs in its own savepoint (a nested better-sqlite3 transaction), so a conflict or a
    // failure undoes only that append.
    const appendBatch = db.transaction((batch: readonly QueuedAppend[]) =>
      batch.map((a): AppendResult | Error => {
        try {
          return appendOne(a.streamId, a.events, a.expected);
        } catch (error) {
          return asError(error);
        }
      }),
    );
    this.#appendBatch = (batch) => appendBatch.immediate(batch);
  }

  append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    return this.appendEncoded(streamId, events.map(encodeNewEvent), expected);
  }

  appendEncoded(streamId: string, events: readonly EncodedEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ streamId, events, expected, resolve, reject });
      this.#scheduleFlush();
    });
  }

  get commitStats(): CommitStats {
    return { commits: this.#commits, appends: this.#appends };
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled || this.#syncing || this.#queue.length === 0) return;
    this.#flushScheduled = true;
    setImmediate(() => {
      this.#flushScheduled = false;
      this.#flush(); // on a closed database this rejects the group
      this.#scheduleFlush();
    });
  }

  /** The next group: queue order, within both bounds (at least one append). */
  #nextGroup(): QueuedAppend[] {
    let size = 0;
    let events = 0;
    for (const append of this.#queue) {
      if (size === this.#maxGroupAppends || (size > 0 && events + append.events.length > this.#maxGroupEvents)) break;
      size++;
      events += append.events.length;
    }
    return this.#queue.splice(0, size);
  }

  /** Commits the next group; with `sync`, a WAL sync it needs is made at once (closing) rather than on the thread pool. */
  #flush(sync = false): void {
    const batch = this.#nextGroup();
    if (batch.length === 0) return;
    this.#commits++;
    this.#appends += batch.length;
    let outcomes: (AppendResult | Error)[];
    try {
      outcomes = this.#appendBatch(batch);
    } catch (error) {
      for (const append of batch) append.reject(asError(error));
      return;
    }
    const settle = (syncError: Error | null): void => {
      if (!syncError && outcomes.some((o) => !(o instanceof Error))) this.signal.notify();
      batch.forEach((append, i) => {
        const outcome = syncError ?? outcomes[i] ?? new Error('append lost its outcome');
        if (outcome instanceof Error) append.reject(outcome);
        else append.resolve(outcome);
      });
    };
    const wal = this.#walSync;
    if (!wal || outcomes.every((o) => o instanceof Error)) {
      settle(null);
      return;
    }
    // Nothing is acknowledged before its commit is on disk; the next group waits (and grows) meanwhile.
    let synced!: () => void;
    this.#syncing = new Promise((resolve) => (synced = resolve));
    this.#unsyncedFrom = Math.min(...outcomes.map((o, i) => (o instanceof Error ? Number.POSITIVE_INFINITY : o.position - (batch[i]?.events.length ?? 0) + 1)));
    wal.sync(sync, (error) => {
      this.#syncing = undefined;
      // Even after a failed sync: the group is committed (its appends are refused, not undone) and the next sync covers it.
      this.#unsyncedFrom = Number.POSITIVE_INFINITY;
      synced();
      settle(error);
      this.#scheduleFlush();
    });
  }

  readStream(streamId: string, options: { fromRevision?: number; maxCount?: number } = {}): Promise<RecordedEvent[]> {
    return attempt(() =>
      this.#statements.readStream
        .all(streamId, options.fromRevision ?? 0, options.maxCount ?? -1)
        .map(toStored),
    );
  }

  readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    return attempt(() => this.#recent.read(options.after, options.maxCount, (after, maxCount) => this.#statements.readAll.all(after, maxCount).filter((row) => row.position < this.#unsyncedFrom).map(toStored)));
  }

  readAllOutside(streamPrefix: string, options: ReadAllOptions): Promise<RecordedEvent[]> {
    return attempt(() => this.#statements.readAllOutside.all(options.after, streamPrefix, streamPrefix, options.maxCount).filter((row) => row.position < this.#unsyncedFrom).map(toStored));
  }

  subscribeToAll(options: SubscribeOptions, handler: BatchHandler): Subscription {
    const subscription = startPollingSubscription(this, options, handler, () => {
      this.#subscriptions.delete(subscription);
    });
    this.#subscriptions.add(subscription);
    return subscription;
  }

  headPosition(): Promise<number> {
    return attempt(() => Math.min(this.#statements.head.get()?.head ?? 0, this.#unsyncedFrom - 1));
  }

  async close(): Promise<void> {
    await Promise.all([...this.#subscriptions].map((s) => s.stop()));
    if (!this.#db.open) return;
    await this.#syncing;
    while (this.#queue.length > 0) this.#flush(true);
    this.#db.close();
    this.#walSync?.close();
    this.#recent.clear();
  }
}

function attempt<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(asError(error));
  }
}

export function openSqliteEventStore(options: SqliteEventStoreOptions): Promise<SqliteEventStore> {
  return attempt(() => new SqliteEventStore(options));
}
