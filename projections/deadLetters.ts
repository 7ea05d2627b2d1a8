import Database from 'better-sqlite3';
import pg from 'pg';
import type { RecordedEvent } from '../eventstore/port.ts';
import { poolTimeouts } from '../eventstore/postgres/poolOptions.ts';

export interface DeadLetter {
  projection: string;
  position: number;
  eventType: string;
  streamId: string;
  reason: string;
  at: string;
}

/** Events a projection could not apply, kept for an operator to inspect and replay. */
export interface DeadLetterStore {
  record(projection: string, event: RecordedEvent, reason: string): Promise<void>;
  list(projection?: string): Promise<DeadLetter[]>;
  close(): Promise<void>;
}

interface Row {
  projection: string;
  position: number | string;
  event_type: string;
  stream_id: string;
  reason: string;
  at: string | Date;
}
const toLetter = (r: Row): DeadLetter => ({
  projection: r.projection,
  position: Number(r.position),
  eventType: r.event_type,
  streamId: r.stream_id,
  reason: r.reason,
  at: r.at instanceof Date ? r.at.toISOString() : r.at,
});

const columns = 'projection TEXT NOT NULL, position BIGINT NOT NULL, event_type TEXT NOT NULL, stream_id TEXT NOT NULL, reason TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (projection, position)';

export function openSqliteDeadLetters(path: string): DeadLetterStore {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.exec(`CREATE TABLE IF NOT EXISTS dead_letters (${columns})`);
  const insert = db.prepare('INSERT OR REPLACE INTO dead_letters VALUES (?, ?, ?, ?, ?, ?)');
  return {
    record: (projection, e, reason) => {
      insert.run(projection, e.position, e.type, e.streamId, reason, new Date().toISOString());
      return Promise.resolve();
    },
    list: (projection) =>
      Promise.resolve(
        (projection
          ? db.prepare<[string], Row>('SELECT * FROM dead_letters WHERE projection = ? ORDER BY position').all(projection)
          : db.prepare<[], Row>('SELECT * FROM dead_letters ORDER BY projection, position').all()
        ).map(toLetter),
      ),
    close: () => {
      db.close();
      return Promise.resolve();
    },
  };
}

export async function openPostgresDeadLetters(connectionString: string, schema = 'projections'): Promise<DeadLetterStore> {
  const pool = new pg.Pool({ connectionString, max: 2, ...poolTimeouts });
  const s = `"${schema.replace(/"/g, '')}"`;
  await pool.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
  await pool.query(`CREATE TABLE IF NOT EXISTS ${s}.dead_letters (${columns})`);
  return {
    async record(projection, e, reason) {
      await pool.query(
        `INSERT INTO ${s}.dead_letters VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (projection, position) DO UPDATE SET reason = EXCLUDED.reason, at = EXCLUDED.at`,
        [projection, e.position, e.type, e.streamId, reason, new Date().toISOString()],
      );
    },
    async list(projection) {
      const { rows } = projection
        ? await pool.query<Row>(`SELECT * FROM ${s}.dead_letters WHERE projection = $1 ORDER BY position`, [projection])
        : await pool.query<Row>(`SELECT * FROM ${s}.dead_letters ORDER BY projection, position`);
      return rows.map(toLetter);
    },
    close: () => pool.end(),
  };
}
