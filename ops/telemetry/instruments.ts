// Domain metrics other ops modules record (scheduler, drift check). The meter
// is looked up at each call, not at import: the OpenTelemetry API has no proxy
// for meters, so an instrument made before the SDK starts would stay a no-op.
import { metrics } from '@opentelemetry/api';
import type { Counter, Histogram, Meter } from '@opentelemetry/api';

const METER = 'jobs-discovery';

let cached: { meter: Meter; cronRuns: Counter; cronDuration: Histogram; driftFound: Counter; driftRepaired: Counter; notifications: Record<NotificationOutcome, Counter> } | undefined;

export type NotificationOutcome = 'sent' | 'failed' | 'retries' | 'dead';

function instruments() {
  const meter = metrics.getMeter(METER);
  if (cached?.meter === meter) return cached;
  cached = {
    meter,
    cronRuns: meter.createCounter('jobs_cron_runs_total', { description: 'Scheduled job runs by job and outcome' }),
    cronDuration: meter.createHistogram('jobs_cron_run_duration_seconds', { description: 'Scheduled job run time', unit: 's', advice: { explicitBucketBoundaries: [0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600] } }),
    driftFound: meter.createCounter('jobs_drift_found_total', { description: 'Read-model documents found drifted from the log, by kind (missing, extra, stale)' }),
    driftRepaired: meter.createCounter('jobs_drift_repaired_total', { description: 'Drifted read-model documents repaired, by kind' }),
    notifications: {
      sent: meter.createCounter('notifications_sent_total', { description: 'Messages delivered, by kind and channel' }),
      failed: meter.createCounter('notifications_failed_total', { description: 'Delivery attempts that failed (retried or dead-lettered), by kind and channel' }),
      retries: meter.createCounter('notifications_retries_total', { description: 'Failed attempts scheduled for another try, by kind and channel' }),
      dead: meter.createCounter('notifications_dead_total', { description: 'Messages given up on (permanent failure or retries exhausted), by kind and channel' }),
    },
  };
  return cached;
}

/** One finished run of a scheduled job. */
export function recordCronRun(job: string, outcome: 'success' | 'failure', seconds: number): void {
  const i = instruments();
  i.cronRuns.add(1, { job, outcome });
  i.cronDuration.record(seconds, { job, outcome });
}

/** Drift found (and repaired) in one read model by one check, per kind. */
export function recordDrift(readModel: string, kind: 'missing' | 'extra' | 'stale', found: number, repaired: number): void {
  const i = instruments();
  if (found > 0) i.driftFound.add(found, { readModel, kind });
  if (repaired > 0) i.driftRepaired.add(repaired, { readModel, kind });
}

/** One delivery outcome of one message. */
export function recordNotification(outcome: NotificationOutcome, kind: string, channel: string): void {
  instruments().notifications[outcome].add(1, { kind, channel });
}
