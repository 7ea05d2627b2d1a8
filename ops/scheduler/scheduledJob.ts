// What the scheduler runs: a named job on a UTC cron schedule. The period is
// what the dead man's switch measures against (overdue after two periods
// without a success), so it must match the schedule.

export interface JobRunContext {
  /** The instant the job acts as of: the scheduler's clock, or `run-job --now`. */
  now: Date;
  /** The schedule slot this run is for (the run's identity across instances). */
  slot: Date;
  /** Aborted when the scheduler stops: a long job stops between items. */
  signal: AbortSignal;
}

export interface JobRunResult {
  /** How many things the run changed or handled (jobs expired, searches archived, ...). */
  items: number;
}

export interface ScheduledJob {
  readonly name: string;
  /** A node-cron expression, evaluated in UTC. */
  readonly schedule: string;
  readonly periodMs: number;
  run(ctx: JobRunContext): Promise<JobRunResult>;
}

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
export const WEEK_MS = 7 * DAY_MS;
