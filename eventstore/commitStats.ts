/**
 * Group-commit counters of the adapters that batch appends (SQLite,
 * PostgreSQL): `appends / commits` is the mean group size. Not part of the
 * EventStore port; read by the append bench and the tests that prove grouping.
 */
export interface CommitStats {
  /** Group-commit transactions run (committed or rolled back). */
  commits: number;
  /** Appends written through them (an append retried alone after its group failed counts again). */
  appends: number;
}
