import Database from 'better-sqlite3';
import type { ClaimOptions, IdempotencyClaim, IdempotencyRecord, IdempotencyStore } from './idempotencyStore.ts';

interface Row {
  request_hash: string;
  state: 'pending' | 'done';
  status_code: number | null;
  body: string | null;
  claimed_ms: number;
  created_ms: number;
}

/** The embedded store, in the data directory beside the event log. */
export function openSqliteIdempotencyStore(path: string): IdempotencyStore {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.exec(`CREATE TABLE IF NOT EXISTS idempotency_keys (
    key TEXT PRIMARY KEY, request_hash TEXT NOT NULL, state TEXT NOT NULL, status_code INTEGER, body TEXT,
    claimed_ms INTEGER NOT NULL, created_ms INTEGER NOT NULL)`);
  db.exec('CREATE INDEX IF NOT EXISTS idempotency_keys_created ON idempotency_keys (created_ms)');
  // Answers recorded by the earlier layout (finished answers only) carry over.
  const legacy = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'idempotency'").get();
  if (legacy) {
    db.transaction(() => {
      db.exec(`INSERT OR IGNORE INTO idempotency_keys (key, request_hash, state, status_code, body, claimed_ms, created_ms)
        SELECT key, request_hash, 'done', status_code, body, CAST(strftime('%s', created_at) AS INTEGER) * 1000, CAST(strftime('%s', created_at) AS INTEGER) * 1000 FROM idempotency`);
      db.exec('DROP TABLE idempotency');
    })();
  }
  const select = db.prepare<[string], Row>('SELECT request_hash, state, status_code, body, claimed_ms, created_ms FROM idempotency_keys WHERE key = ?');
  const take = db.prepare(`INSERT INTO idempotency_keys (key, request_hash, state, claimed_ms, created_ms) VALUES (?, ?, 'pending', ?, ?)
    ON CONFLICT (key) DO UPDATE SET request_hash = excluded.request_hash, state = 'pending', status_code = NULL, body = NULL, claimed_ms = excluded.claimed_ms, created_ms = excluded.created_ms`);
  const finish = db.prepare("UPDATE idempotency_keys SET state = 'done', request_hash = ?, status_code = ?, body = ?, created_ms = ? WHERE key = ?");
  const drop = db.prepare("DELETE FROM idempotency_keys WHERE key = ? AND state = 'pending'");
  const purge = db.prepare('DELETE FROM idempotency_keys WHERE created_ms < ?');
  const claim = db.transaction((key: string, o: ClaimOptions): IdempotencyClaim => {
    const now = o.now.getTime();
    const row = select.get(key);
    if (row?.state === 'done' && row.created_ms > now - o.ttlMs) {
      return { outcome: 'done', record: { requestHash: row.request_hash, statusCode: row.status_code ?? 200, body: row.body ?? '', createdAt: new Date(row.created_ms).toISOString() } };
    }
    if (row?.state === 'pending' && row.claimed_ms > now - o.leaseMs) return { outcome: 'busy' };
    take.run(key, o.requestHash, now, now);
    return { outcome: 'claimed' };
  });
  return {
    claim: (key, options) => Promise.resolve(claim.immediate(key, options)),
    complete(key, r: IdempotencyRecord) {
      finish.run(r.requestHash, r.statusCode, r.body, Date.parse(r.createdAt), key);
      return Promise.resolve();
    },
    release(key) {
      drop.run(key);
      return Promise.resolve();
    },
    purge: (before) => Promise.resolve(purge.run(before.getTime()).changes),
    close() {
      db.close();
      return Promise.resolve();
    },
  };
}
