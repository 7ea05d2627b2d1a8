import pg from 'pg';
import { poolTimeouts } from '../../eventstore/postgres/poolOptions.ts';
import type { IdempotencyClaim, IdempotencyRecord, IdempotencyStore } from './idempotencyStore.ts';

interface Row {
  request_hash: string;
  state: 'pending' | 'done';
  status_code: number | null;
  body: string | null;
  created_at: Date;
}

/**
 * The server mode's store, shared by every command node: one row per key,
 * taken by a single statement so that two nodes never both run a key. A
 * claim whose holder died lapses after the lease.
 */
export async function openPostgresIdempotencyStore(connectionString: string, schema = 'public'): Promise<IdempotencyStore> {
  const pool = new pg.Pool({ connectionString, max: 4, ...poolTimeouts });
  const quoted = `"${schema.replace(/"/g, '')}"`;
  const table = `${quoted}.idempotency_keys`;
  await pool.query(`CREATE SCHEMA IF NOT EXISTS ${quoted}`);
  await pool.query(`CREATE TABLE IF NOT EXISTS ${table} (
    key TEXT PRIMARY KEY, request_hash TEXT NOT NULL, state TEXT NOT NULL, status_code INTEGER, body TEXT,
    claimed_at TIMESTAMPTZ NOT NULL, created_at TIMESTAMPTZ NOT NULL)`);
  await pool.query(`CREATE INDEX IF NOT EXISTS idempotency_keys_created ON ${table} (created_at)`);
  // Answers recorded by the earlier layout (finished answers only) carry over.
  await pool.query(`DO $$ BEGIN
    IF to_regclass('${quoted}.idempotency') IS NOT NULL THEN
      INSERT INTO ${table} (key, request_hash, state, status_code, body, claimed_at, created_at)
        SELECT key, request_hash, 'done', status_code, body, created_at, created_at FROM ${quoted}.idempotency ON CONFLICT (key) DO NOTHING;
      DROP TABLE ${quoted}.idempotency;
    END IF; END $$`);
  return {
    async claim(key, o): Promise<IdempotencyClaim> {
      const now = o.now;
      const leaseCutoff = new Date(now.getTime() - o.leaseMs);
      const ttlCutoff = new Date(now.getTime() - o.ttlMs);
      // Taken when new, when its holder's lease lapsed, or when its answer is past the time kept.
      const taken = await pool.query(
        `INSERT INTO ${table} AS t (key, request_hash, state, claimed_at, created_at) VALUES ($1, $2, 'pending', $3, $3)
         ON CONFLICT (key) DO UPDATE SET request_hash = EXCLUDED.request_hash, state = 'pending', status_code = NULL, body = NULL, claimed_at = EXCLUDED.claimed_at, created_at = EXCLUDED.created_at
         WHERE (t.state = 'pending' AND t.claimed_at <= $4) OR (t.state = 'done' AND t.created_at <= $5)
         RETURNING 1`,
        [key, o.requestHash, now, leaseCutoff, ttlCutoff],
      );
      if (taken.rowCount) return { outcome: 'claimed' };
      const { rows } = await pool.query<Row>(`SELECT request_hash, state, status_code, body, created_at FROM ${table} WHERE key = $1`, [key]);
      const row = rows[0];
      // Gone between the two statements (purged or released): the caller asks again.
      if (!row || row.state === 'pending') return { outcome: 'busy' };
      return { outcome: 'done', record: { requestHash: row.request_hash, statusCode: row.status_code ?? 200, body: row.body ?? '', createdAt: row.created_at.toISOString() } };
    },
    async complete(key, r: IdempotencyRecord) {
      await pool.query(`UPDATE ${table} SET state = 'done', request_hash = $2, status_code = $3, body = $4, created_at = $5 WHERE key = $1`, [key, r.requestHash, r.statusCode, r.body, r.createdAt]);
    },
    async release(key) {
      await pool.query(`DELETE FROM ${table} WHERE key = $1 AND state = 'pending'`, [key]);
    },
    async purge(before) {
      const { rowCount } = await pool.query(`DELETE FROM ${table} WHERE created_at < $1`, [before]);
      return rowCount ?? 0;
    },
    close: () => pool.end(),
  };
}
