import cron from 'node-cron';
import type { Logger, ScheduledTask } from 'node-cron';
import type { ReadinessCheck } from '../http/buildApp.ts';
import { recordCronRun } from '../telemetry/instruments.ts';
import type { RunGuard } from './runGuard.ts';
import type { RecordedRun, RunLog } from './runLog.ts';
import type { ScheduledJob } from './scheduledJob.ts';

/** One job's health, for `/readyz`, operators and the telemetry gauge. */
export interface JobStatus {
  job: string;
  schedule: string;
  periodMs: number;
  lastRunAt?: string;
  lastSuccessAt?: string;
  lastError?: string;
  /** No success for more than two periods (counted from the scheduler's start when it never succeeded). */
  overdue: boolean;
}

export interface RunReport {
  job: string;
  slot: string;
  startedAt: string;
  endedAt: string;
  items?: number;
  error?: string;
}

export interface SchedulerOptions {
  jobs: readonly ScheduledJob[];
  guard: RunGuard;
  runs: RunLog;
  /** What "now" is for recording runs and judging overdue jobs (tests inject one). */
  clock?: () => Date;
  log?: (line: string) => void;
}

export interface Scheduler {
  readonly jobs: readonly ScheduledJob[];
  readonly startedAt: Date;
  /**
   * Arms one node-cron task per job (UTC), and runs at once the latest slot of each job whose
   * slots passed while no instance ran (a job that has never run waits for its first slot).
   */
  start(): void;
  /** Settles once the missed slots start() found have run (at once when none). */
  caughtUp(): Promise<void>;
  /** Disarms the tasks, stops running jobs between items and waits for them. */
  stop(): Promise<void>;
  /** A scheduled run: only the caller that claims (job, slot) runs it; the others get undefined. */
  fire(name: string, slot: Date): Promise<RunReport | undefined>;
  /** Runs a job once, as of `now`, without claiming the slot (an operator's explicit `run-job`); JobRunningError while it runs here already. */
  runNow(name: string, now: Date): Promise<RunReport>;
  /** Per job, from the recorded runs (a plain function: the telemetry gauge holds it). */
  readonly status: () => Promise<JobStatus[]>;
  /** The latest recorded runs of every job (of every instance sharing the run log), newest first. */
  recentRuns(limit: number): Promise<RecordedRun[]>;
  /** Fails, naming them, while any job is overdue. */
  readonly readiness: ReadinessCheck;
  /** node-cron tasks armed by this scheduler (0 once stopped). */
  armedTasks(): number;
}

export class UnknownJobError extends Error {
  constructor(
    readonly job: string,
    readonly known: readonly string[],
  ) {
    super(`unknown job ${JSON.stringify(job)}; known jobs: ${known.join(', ')}`);
    this.name = 'UnknownJobError';
  }
}

/** The job is already running in this process: a second run would only do the same work twice at once. */
export class JobRunningError extends Error {
  constructor(readonly job: string) {
    super(`${job} is already running in this process; try again when it has finished`);
    this.name = 'JobRunningError';
  }
}

/** A claim outlives the slot by this much at least, so a late timer for the same slot finds it. */
const MIN_CLAIM_MS = 60 * 60_000;

/** The latest whole minute at or before `now` that `matches`, looking back one period at most. */
export function previousSlot(matches: (at: Date) => boolean, now: Date, periodMs: number): Date | undefined {
  const minute = Math.floor(now.getTime() / 60_000) * 60_000;
  for (let t = minute; t >= minute - periodMs; t -= 60_000) {
    const at = new Date(t);
    if (matches(at)) return at;
  }
  return undefined;
}

export function createScheduler({ jobs, guard, runs, clock = () => new Date(), log = () => undefined }: SchedulerOptions): Scheduler {
  const byName = new Map(jobs.map((j) => [j.name, j]));
  const startedAt = clock();
  const stopping = new AbortController();
  const inFlight = new Set<Promise<unknown>>();
  let tasks: ScheduledTask[] = [];
  let catchingUp: Promise<void> = Promise.resolve();

  const jobNamed = (name: string): ScheduledJob => {
    const job = byName.get(name);
    if (!job) throw new UnknownJobError(name, [...byName.keys()]);
    return job;
  };

  /** Jobs with a run in progress in this process. */
  const running = new Set<string>();

  const track = <T>(p: Promise<T>): Promise<T> => {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p)).catch(() => undefined);
    return p;
  };

  /** Runs the job, marked running from the first step to the last (callers check and mark without awaiting in between). */
  async function execute(job: ScheduledJob, slot: Date, now: Date): Promise<RunReport> {
    running.add(job.name);
    try {
      return await executeMarked(job, slot, now);
    } finally {
      running.delete(job.name);
    }
  }

  async function executeMarked(job: ScheduledJob, slot: Date, now: Date): Promise<RunReport> {
    const started = clock();
    const t0 = performance.now();
    const id = await runs.started(job.name, slot, started);
    let outcome: { items: number } | { error: string };
    try {
      const result = await job.run({ now, slot, signal: stopping.signal });
      outcome = { items: result.items };
    } catch (err) {
      outcome = { error: err instanceof Error ? err.message || err.name : String(err) };
    }
    const ended = clock();
    await runs.finished(id, ended, outcome);
    recordCronRun(job.name, 'error' in outcome ? 'failure' : 'success', (performance.now() - t0) / 1000);
    const report: RunReport = { job: job.name, slot: slot.toISOString(), startedAt: started.toISOString(), endedAt: ended.toISOString(), ...outcome };
    log(`scheduler: ${job.name} @ ${report.slot}: ${'error' in outcome ? `failed: ${outcome.error}` : `${outcome.items} items`}`);
    return report;
  }

  async function fire(name: string, slot: Date): Promise<RunReport | undefined> {
    const job = jobNamed(name);
    if (running.has(job.name)) {
      // Before claiming: the slot stays free for another instance.
      log(`scheduler: ${job.name} @ ${slot.toISOString()}: skipped, the previous run is still going`);
      return undefined;
    }
    if (!(await guard.claim(job.name, slot, Math.max(MIN_CLAIM_MS, 2 * job.periodMs)))) return undefined;
    if (running.has(job.name)) return undefined;
    return track(execute(job, slot, clock()));
  }

  async function status(): Promise<JobStatus[]> {
    const summaries = new Map((await runs.summaries()).map((s) => [s.job, s]));
    const now = clock().getTime();
    return jobs.map((job) => {
      const s = summaries.get(job.name);
      const since = s?.lastSuccessAt !== undefined ? Date.parse(s.lastSuccessAt) : startedAt.getTime();
      return {
        job: job.name,
        schedule: job.schedule,
        periodMs: job.periodMs,
        ...(s?.lastRunAt !== undefined ? { lastRunAt: s.lastRunAt } : {}),
        ...(s?.lastSuccessAt !== undefined ? { lastSuccessAt: s.lastSuccessAt } : {}),
        ...(s?.lastError !== undefined ? { lastError: s.lastError } : {}),
        overdue: now - since > 2 * job.periodMs,
      };
    });
  }

  // node-cron fires future slots only: after a stop longer than a period (a deploy, an outage), a job would wait
  // for its next slot, overdue (and the node not ready) meanwhile, and an hourly digest would skip the hour missed.
  async function catchUp(armed: ReadonlyMap<string, ScheduledTask>): Promise<void> {
    for (const job of jobs) {
      if (stopping.signal.aborted) return;
      const task = armed.get(job.name);
      const slot = task ? previousSlot((at) => task.match(at), clock(), job.periodMs) : undefined;
      if (!slot) continue;
      const [latest] = await runs.recent({ job: job.name, limit: 1 });
      if (!latest || Date.parse(latest.slot) >= slot.getTime()) continue;
      log(`scheduler: ${job.name}: the run of ${slot.toISOString()} was missed (last run for ${latest.slot}); running it now`);
      await fire(job.name, slot).catch((err: unknown) => log(`scheduler: ${job.name} could not run: ${err instanceof Error ? err.message : String(err)}`));
    }
  }

  const cronLogger: Logger = {
    info: () => undefined,
    debug: () => undefined,
    warn: (message) => log(`scheduler: ${message}`),
    error: (message) => log(`scheduler: ${message instanceof Error ? message.message : message}`),
  };

  return {
    jobs,
    startedAt,
    start() {
      if (tasks.length > 0 || stopping.signal.aborted) return;
      tasks = jobs.map((job) =>
        cron.schedule(
          job.schedule,
          async (ctx) => {
            // ctx.date is the matched slot (whole seconds), the same instant on every instance.
            await fire(job.name, ctx.date).catch((err: unknown) => log(`scheduler: ${job.name} could not run: ${err instanceof Error ? err.message : String(err)}`));
          },
          { name: `scheduler:${job.name}`, timezone: 'UTC', noOverlap: true, unref: true, logger: cronLogger },
        ),
      );
      const armed = new Map(jobs.map((job, i) => [job.name, tasks[i]!] as const));
      catchingUp = track(catchUp(armed).catch((err: unknown) => log(`scheduler: catching up missed runs failed: ${err instanceof Error ? err.message : String(err)}`)));
    },
    caughtUp: () => catchingUp,
    async stop() {
      stopping.abort();
      for (const task of tasks) await task.destroy();
      tasks = [];
      await Promise.allSettled([...inFlight]);
    },
    fire,
    runNow: async (name, now) => {
      const job = jobNamed(name);
      if (running.has(job.name)) throw new JobRunningError(job.name);
      return track(execute(job, now, now));
    },
    status,
    recentRuns: (limit) => runs.recent({ limit }),
    readiness: {
      name: 'scheduler',
      async check() {
        const overdue = (await status()).filter((s) => s.overdue);
        if (overdue.length > 0) {
          throw new Error(`overdue: ${overdue.map((s) => `${s.job} (last success ${s.lastSuccessAt ?? 'never'}${s.lastError ? `, last error: ${s.lastError}` : ''})`).join('; ')}`);
        }
      },
    },
    armedTasks: () => tasks.filter((t) => t.getStatus() !== 'destroyed' && t.getStatus() !== 'stopped').length,
  };
}
