import type Database from 'better-sqlite3';

/** Rows one statement looks at: a few milliseconds of the serving thread, then queries get their turn. */
const WINDOW = 2000;

/**
 * Open jobs whose expiresAt is at or before `now`, by jobId after `afterJobId`: the expiry job's candidates.
 * No index can answer it (instants compare through julianday), so the table is
 * walked in job id windows with a pass of the event loop between them: on a
 * large store where little has expired, one statement over every row would
 * hold queries up for as long as the whole walk.
 */
export async function expiredOpenJobIds(db: Database.Database, now: Date, size: number, afterJobId: string): Promise<string[]> {
  // julianday compares instants whatever offset each was written with.
  const window = db.prepare<[string, string, number], [string, number]>(
    `SELECT job_id, status = 'open' AND expires_at IS NOT NULL AND julianday(expires_at) <= julianday(?)
        FROM job_documents WHERE job_id > ? ORDER BY job_id LIMIT ?`,
  ).raw();
  const want = Math.max(1, Math.trunc(size));
  const out: string[] = [];
  let after = afterJobId;
  for (;;) {
    const rows = window.all(now.toISOString(), after, WINDOW);
    for (const [jobId, due] of rows) {
      if (due === 1 && out.push(jobId) === want) return out;
    }
    if (rows.length < WINDOW) return out;
    after = rows[rows.length - 1]![0];
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
