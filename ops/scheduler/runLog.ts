// Every run of a scheduled job is recorded: start, end, items, error. The
// dead man's switch and `run-job` read it back. Embedded: a SQLite file
// (DATA_DIR/scheduler.db). Server: a PostgreSQL table beside the dead letters,
// shared by every instance, so each one judges "overdue" from the runs any of
// them made.
import Database from 'better-sqlite3';
import pg from 'pg';
import { poolTimeouts } from '../../eventstore/postgres/poolOptions.ts';

export interface RecordedRun {
  id: number;
  job: string;
  slot: string;
  startedAt: string;
  /** Absent while the run is in progress (or when its process died mid-run). */
  endedAt?: string;
  items?: number;
  error?: string;
}

export interface JobRunSummary {
  job: string;
  lastRunAt?: string;
  lastSuccessAt?: string;
  /** The error of the latest finished run, when that run failed. */
  lastError?: string;
}

export type RunOutcome = { items: number } | { error: string };

export interface RunLog {
  /** Records a run's start; returns its id. */
  started(job: string, slot: Date, at: Date): Promise<number>;
  finished(id: number, at: Date, outcome: RunOutcome): Promise<void>;
  /** Per job that has run at least once. */
  summaries(): Promise<JobRunSummary[]>;
  /** The latest runs, newest first. */
  recent(options?: { job?: string; limit?: number }): Promise<RecordedRun[]>;
  close(): Promise<void>;
}

interface Row {
  id: number | string;
  job: string;
  slot: string | Date;
  started_at: string | Date;
  ended_at: string | Date | null;
  items: number | null;
  error: string | null;
}
interface SummaryRow {
  job: string;
  last_run_at: string | Date | null;
  last_success_at: string | Date | null;
  last_error: string | null;
}

const iso = (v: string | Date): string => (v instanceof Date ? v.toISOString() : new Date(v).toISOString());

const toRun = (r: Row): RecordedRun => ({
  id: Number(r.id),
  job: r.job,
  slot: iso(r.slot),
  startedAt: iso(r.started_at),
  ...(r.ended_at !== null ? { endedAt: iso(r.ended_at) } : {}),
  ...(r.items !== null ? { items: Number(r.items) } : {}),
  ...(r.error !== null ? { error: r.error } : {}),
});

const toSummary = (r: SummaryRow): JobRunSummary => ({
  job: r.job,
  ...(r.last_run_at !== null ? { lastRunAt: iso(r.last_run_at) } : {}),
  ...(r.last_success_at !== null ? { lastSuccessAt: iso(r.last_success_at) } : {}),
  ...(r.last_error !== null ? { lastError: r.last_error } : {}),
});

/** The same SQL in both dialects: the latest start, the latest successful end, and the latest finished run's error. */
const summarySql = (table: string) => `
  SELECT r.job,
         MAX(r.started_at) AS last_run_at,
         MAX(CASE WHEN r.ended_at IS NOT NULL AND r.error IS NULL THEN r.ended_at END) AS last_success_at,
         (SELECT x.error FROM ${table} x WHERE x.job = r.job AND x.ended_at IS NOT NULL ORDER BY x.started_at DESC, x.id DESC LIMIT 1) AS last_error
    FROM ${table} r
   GROUP BY r.job
   ORDER BY r.job`;

const errorText = (outcome: RunOutcome): string | null => ('error' in outcome ? outcome.error.slice(0, 2000) : null);
const itemsOf = (outcome: RunOutcome): number | null => ('items' in outcome ? outcome.items : null);

export function openSqliteRunLog(path: string): RunLog {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.exec(`CREATE TABLE IF NOT EXISTS scheduler_runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT, job TEXT NOT NULL, slot TEXT NOT NULL,
    started_at TEXT NOT NULL, ended_at TEXT, items INTEGER, error TEXT)`);
  db.exec('CREATE INDEX IF NOT EXISTS scheduler_runs_by_job ON scheduler_runs (job, started_at)');
  const insert = db.prepare<[string, string, string]>('INSERT INTO scheduler_runs (job, slot, started_at) VALUES (?, ?, ?)');
  const finish = db.prepare<[string, number | null, string | null, number]>('UPDATE scheduler_runs SET ended_at = ?, items = ?, error = ? WHERE id = ?');
  const summaries = db.prepare<[], SummaryRow>(summarySql('scheduler_runs'));
  return {
    started: (job, slot, at) => Promise.resolve(Number(insert.run(job, slot.toISOString(), at.toISOString()).lastInsertRowid)),
    finished(id, at, outcome) {
      finish.run(at.toISOString(), itemsOf(outcome), errorText(outcome), id);
      return Promise.resolve();
    },
    summaries: () => Promise.resolve(summaries.all().map(toSummary)),
    recent({ job, limit = 50 } = {}) {
      const rows = job === undefined
        ? db.prepare<[number], Row>('SELECT * FROM scheduler_runs ORDER BY started_at DESC, id DESC LIMIT ?').all(limit)
        : db.prepare<[string, number], Row>('SELECT * FROM scheduler_runs WHERE job = ? ORDER BY started_at DESC, id DESC LIMIT ?').all(job, limit);
      return Promise.resolve(rows.map(toRun));
    },
    close() {
      db.close();
      return Promise.resolve();
    },
  };
}

export async function openPostgresRunLog(connectionString: string, schema: string): Promise<RunLog> {
  const pool = new pg.Pool({ connectionString, max: 2, ...poolTimeouts });
  const s = `"${schema.replace(/"/g, '')}"`;
  const table = `${s}.scheduler_runs`;
  try {
    await pool.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await pool.query(`CREATE TABLE IF NOT EXISTS ${table} (
      id BIGSERIAL PRIMARY KEY, job TEXT NOT NULL, slot TIMESTAMPTZ NOT NULL,
      started_at TIMESTAMPTZ NOT NULL, ended_at TIMESTAMPTZ, items INTEGER, error TEXT)`);
    await pool.query(`CREATE INDEX IF NOT EXISTS scheduler_runs_by_job ON ${table} (job, started_at)`);
  } catch (err) {
    // Instances starting together race on IF NOT EXISTS: the loser sees a duplicate, which is fine.
    const code = (err as { code?: string }).code;
    if (code !== '23505' && code !== '42P07' && code !== '42P06') {
      await pool.end();
      throw err;
    }
  }
  return {
    async started(job, slot, at) {
      const { rows } = await pool.query<{ id: string }>(`INSERT INTO ${table} (job, slot, started_at) VALUES ($1, $2, $3) RETURNING id`, [job, slot.toISOString(), at.toISOString()]);
      return Number(rows[0]!.id);
    },
    async finished(id, at, outcome) {
      await pool.query(`UPDATE ${table} SET ended_at = $1, items = $2, error = $3 WHERE id = $4`, [at.toISOString(), itemsOf(outcome), errorText(outcome), id]);
    },
    async summaries() {
      const { rows } = await pool.query<SummaryRow>(summarySql(table));
      return rows.map(toSummary);
    },
    async recent({ job, limit = 50 } = {}) {
      const { rows } = job === undefined
        ? await pool.query<Row>(`SELECT * FROM ${table} ORDER BY started_at DESC, id DESC LIMIT $1`, [limit])
        : await pool.query<Row>(`SELECT * FROM ${table} WHERE job = $1 ORDER BY started_at DESC, id DESC LIMIT $2`, [job, limit]);
      return rows.map(toRun);
    },
    close: () => pool.end(),
  };
}
