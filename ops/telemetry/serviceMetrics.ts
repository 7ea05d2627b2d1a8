// Gauges read at scrape time from the components that know the answer, so a
// scrape always shows the current lag and cron health and nothing is polled
// between scrapes.
import { metrics } from '@opentelemetry/api';
import type { BatchObservableCallback, Observable } from '@opentelemetry/api';

/** One projection's distance from the log head (ReadSide.status() gives these). */
export interface ProjectionLag {
  name: string;
  checkpoint: number;
  lagEvents: number;
  lagSeconds: number;
  deadLetters: number;
}

/** One scheduled job's health as the scheduler reports it. */
export interface CronJobHealth {
  job: string;
  /** ISO instant of the last successful run; absent when it never succeeded. */
  lastSuccessAt?: string;
  /** Last success older than twice the job's period (the dead man's switch). */
  overdue: boolean;
}

export type CronStatusSource = () => Promise<CronJobHealth[]>;

export interface MetricSources {
  projections?: () => Promise<ProjectionLag[]>;
  cron?: CronStatusSource;
  /** The notification outbox: queue depth and the age of its oldest pending message. */
  outbox?: () => Promise<{ byStatus: Record<string, number>; due: number; oldestPendingSeconds: number }>;
  /** Process memory, CPU and uptime (default true). */
  process?: boolean;
}

const METER = 'jobs-discovery';

/** Registers the gauges for the given sources on the global meter; returns their removal. */
export function observeServiceMetrics(sources: MetricSources): () => void {
  const meter = metrics.getMeter(METER);
  const removals: Array<() => void> = [];
  const batch = (observables: Observable[], callback: BatchObservableCallback) => {
    meter.addBatchObservableCallback(callback, observables);
    removals.push(() => meter.removeBatchObservableCallback(callback, observables));
  };

  const { projections, cron, outbox } = sources;
  if (outbox) {
    const depth = meter.createObservableGauge('notifications_queue_depth', { description: 'Messages in the outbox by status (pending: waiting for delivery or a retry)' });
    const due = meter.createObservableGauge('notifications_due', { description: 'Pending messages whose attempt is due now' });
    const oldest = meter.createObservableGauge('notifications_oldest_pending_seconds', { description: 'Age of the oldest pending message (0 when none)' });
    batch([depth, due, oldest], async (result) => {
      const s = await outbox().catch(() => undefined);
      if (!s) return;
      for (const [status, n] of Object.entries(s.byStatus)) result.observe(depth, n, { status });
      result.observe(due, s.due);
      result.observe(oldest, s.oldestPendingSeconds);
    });
  }
  if (projections) {
    const lagEvents = meter.createObservableGauge('jobs_projection_lag_events', { description: 'Events in the log not yet applied by the projection' });
    const lagSeconds = meter.createObservableGauge('jobs_projection_lag_seconds', { description: 'Age of the oldest event not yet applied by the projection (0 when caught up)' });
    const checkpoint = meter.createObservableGauge('jobs_projection_checkpoint', { description: 'Log position the projection has applied up to' });
    const deadLetters = meter.createObservableGauge('jobs_projection_dead_letters', { description: 'Events the projection parked as poison' });
    batch([lagEvents, lagSeconds, checkpoint, deadLetters], async (result) => {
      for (const p of await projections()) {
        const attributes = { projection: p.name };
        result.observe(lagEvents, p.lagEvents, attributes);
        result.observe(lagSeconds, p.lagSeconds, attributes);
        result.observe(checkpoint, p.checkpoint, attributes);
        result.observe(deadLetters, p.deadLetters, attributes);
      }
    });
  }
  if (cron) {
    const lastSuccess = meter.createObservableGauge('jobs_cron_last_success_timestamp_seconds', { description: 'Unix time of the last successful run of a scheduled job (absent before the first success)' });
    const overdue = meter.createObservableGauge('jobs_cron_overdue', { description: '1 when the last success of a scheduled job is older than twice its period' });
    batch([lastSuccess, overdue], async (result) => {
      for (const j of await cron()) {
        const attributes = { job: j.job };
        const at = j.lastSuccessAt === undefined ? NaN : Date.parse(j.lastSuccessAt);
        if (Number.isFinite(at)) result.observe(lastSuccess, at / 1000, attributes);
        result.observe(overdue, j.overdue ? 1 : 0, attributes);
      }
    });
  }
  if (sources.process ?? true) {
    const rss = meter.createObservableGauge('process_resident_memory_bytes', { description: 'Resident set size' });
    const heap = meter.createObservableGauge('nodejs_heap_used_bytes', { description: 'V8 heap in use' });
    const cpu = meter.createObservableCounter('process_cpu_seconds_total', { description: 'User and system CPU time' });
    const uptime = meter.createObservableGauge('process_uptime_seconds', { description: 'Seconds since the process started' });
    batch([rss, heap, cpu, uptime], (result) => {
      const mem = process.memoryUsage();
      const usage = process.cpuUsage();
      result.observe(rss, mem.rss);
      result.observe(heap, mem.heapUsed);
      result.observe(cpu, (usage.user + usage.system) / 1e6);
      result.observe(uptime, process.uptime());
    });
  }
  return () => {
    for (const remove of removals.splice(0)) remove();
  };
}
