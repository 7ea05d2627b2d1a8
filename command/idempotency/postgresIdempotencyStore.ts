import pg from 'pg';
import type { IdempotencyRecord, IdempotencyStore } from './idempotencyStore.ts';

interface Row {
  request_hash: string;
  status_code: number;
  body: string;
  created_at: Date;
}

export async function openPostgresIdempotencyStore(connectionString: string, schema = 'public'): Promise<IdempotencyStore> {
  const pool = new pg.Pool({ connectionString, max: 4 });
  const table = `"${schema.replace(/"/g, '')}".idempotency`;
  await pool.query(`CREATE SCHEMA IF NOT EXISTS "${schema.replace(/"/g, '')}"`);
  await pool.query(`CREATE TABLE IF NOT EXISTS ${table} (
    key TEXT PRIMARY KEY, request_hash TEXT NOT NULL, status_code INTEGER NOT NULL, body TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL)`);
  return {
    async get(key) {
      const { rows } = await pool.query<Row>(`SELECT request_hash, status_code, body, created_at FROM ${table} WHERE key = $1`, [key]);
      const row = rows[0];
      return row && { requestHash: row.request_hash, statusCode: row.status_code, body: row.body, createdAt: row.created_at.toISOString() };
    },
    async put(key, r: IdempotencyRecord) {
      await pool.query(`INSERT INTO ${table} (key, request_hash, status_code, body, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (key) DO NOTHING`, [
        key, r.requestHash, r.statusCode, r.body, r.createdAt,
      ]);
    },
    close: () => pool.end(),
  };
}
