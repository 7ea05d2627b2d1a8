import Database from 'better-sqlite3';
import type { IdempotencyRecord, IdempotencyStore } from './idempotencyStore.ts';

interface Row {
  request_hash: string;
  status_code: number;
  body: string;
  created_at: string;
}

export function openSqliteIdempotencyStore(path: string): IdempotencyStore {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.exec(`CREATE TABLE IF NOT EXISTS idempotency (
    key TEXT PRIMARY KEY, request_hash TEXT NOT NULL, status_code INTEGER NOT NULL, body TEXT NOT NULL, created_at TEXT NOT NULL)`);
  const select = db.prepare<[string], Row>('SELECT request_hash, status_code, body, created_at FROM idempotency WHERE key = ?');
  const insert = db.prepare('INSERT OR IGNORE INTO idempotency (key, request_hash, status_code, body, created_at) VALUES (?, ?, ?, ?, ?)');
  return {
    get(key) {
      const row = select.get(key);
      return Promise.resolve(row && { requestHash: row.request_hash, statusCode: row.status_code, body: row.body, createdAt: row.created_at });
    },
    put(key, r: IdempotencyRecord) {
      insert.run(key, r.requestHash, r.statusCode, r.body, r.createdAt);
      return Promise.resolve();
    },
    close() {
      db.close();
      return Promise.resolve();
    },
  };
}
