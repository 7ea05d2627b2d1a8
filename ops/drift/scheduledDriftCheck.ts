import type { EventStore } from '../../eventstore/port.ts';
import { type DriftDeps, type DriftReport, checkDrift } from './checkDrift.ts';
import type { OpenDriftTarget } from './openDriftTarget.ts';

export interface ScheduledDriftOptions {
  /** A full check at least this often (default a day): an incremental one never sees drift in a job the log left alone. */
  fullEveryMs?: number;
  /** Told about each run's report (logs, tests). */
  onReport?: (report: DriftReport) => void;
}

/** A target opened for each run and closed after it (a process that should not hold an engine client between runs). */
export interface OpeningDriftDeps {
  store: EventStore;
  openTarget: () => Promise<OpenDriftTarget>;
}

/** A check run elsewhere (the serving process's worker thread, checkDriftInWorker.ts), ended by `signal`. */
export interface CheckingDriftDeps {
  check(mode: 'full' | 'incremental', signal?: AbortSignal): Promise<DriftReport>;
}

/**
 * The scheduler's `drift-check` job (ops/scheduler `driftCheck`): check and
 * repair what changed since the last clean check, and everything once per
 * `fullEveryMs` (counted from the first run). Its items are the documents found drifted. A repair the
 * projector overtook is not an error: the next run looks again.
 */
export function scheduledDriftCheck(deps: DriftDeps | OpeningDriftDeps | CheckingDriftDeps, options: ScheduledDriftOptions = {}): (now: Date, signal?: AbortSignal) => Promise<{ items: number }> {
  const fullEveryMs = options.fullEveryMs ?? 86_400_000;
  // The first full check comes a period after start, not at once: a restart does not re-verify everything
  // (at 1M jobs that is minutes of CPU and a fold's memory). Until then runs start at the clean-check marker,
  // and a store never checked has none, so its first run covers everything anyway.
  let lastFull: number | undefined;
  return async (now, signal) => {
    lastFull ??= now.getTime();
    const full = now.getTime() - lastFull >= fullEveryMs;
    const mode = full ? 'full' : 'incremental';
    let report: DriftReport;
    if ('check' in deps) report = await deps.check(mode, signal);
    else {
      const opened = 'openTarget' in deps ? await deps.openTarget() : undefined;
      try {
        report = await checkDrift({ store: deps.store, target: opened?.target ?? (deps as DriftDeps).target }, { repair: true, mode });
      } finally {
        await opened?.close();
      }
    }
    if (full) lastFull = now.getTime();
    options.onReport?.(report);
    return { items: report.missing + report.extra + report.stale };
  };
}
