import type Database from 'better-sqlite3';

/** Open jobs whose expiresAt is at or before `now`, by jobId after `afterJobId`: the expiry job's candidates. */
export function expiredOpenJobIds(db: Database.Database, now: Date, size: number, afterJobId: string): string[] {
  // julianday compares instants whatever offset each was written with.
  return db
    .prepare<[string, string, number], string>(
      `SELECT job_id FROM job_documents
          WHERE status = 'open' AND expires_at IS NOT NULL AND julianday(expires_at) <= julianday(?) AND job_id > ?
          ORDER BY job_id LIMIT ?`,
    )
    .pluck()
    .all(now.toISOString(), afterJobId, Math.max(1, Math.trunc(size)));
}
