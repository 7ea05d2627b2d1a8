import { openNotifications } from '../notify/openNotifications.ts';
import { composeDigests } from '../notify/composeDigests.ts';
import { remindExpiringJobs } from '../notify/remindExpiringJobs.ts';
import { composeWeeklySummaries } from '../notify/composeWeeklySummaries.ts';
import { lastAlertOf } from '../notify/lastAlertOf.ts';
import type { Command } from 'commander';
import { z } from 'zod';
import type { EventStore } from '../../eventstore/port.ts';
import type { Config } from '../config.ts';
import { loadConfig } from '../config.ts';
import type { ReadSide } from '../readSide.ts';
import { openReadSide } from '../readSide.ts';
import { openRuntime } from '../runtime.ts';
import { openScheduler } from '../scheduler/openScheduler.ts';
import { purgeIdempotencyKeys } from '../scheduler/purgeIdempotencyKeys.ts';
import type { JobRunResult } from '../scheduler/scheduledJob.ts';
import { availableJobNames } from '../scheduler/scheduledJobs.ts';
import { CliError } from './cliSupport.ts';

/** Builds the drift check for a run (ops/drift), when one is wired. */
export type DriftCheckFactory = (deps: { config: Config; store: EventStore; reads: ReadSide }) => (now: Date) => Promise<JobRunResult>;

const isoInstant = z.iso.datetime({ offset: true });

/**
 * `jobsctl run-job NAME [--now ISO]`: one run of a scheduled job, recorded like
 * a scheduled one (slot = --now), without claiming the slot: an operator asked
 * for it. Candidates come from the read models as the projector left them, so
 * run it where they are current (a running server keeps them so).
 */
export function registerRunJob(program: Command, { driftCheck }: { driftCheck?: DriftCheckFactory } = {}): void {
  const names = availableJobNames({ driftCheck: driftCheck !== undefined });
  program
    .command('run-job')
    .description('run one scheduled job once now, record the run and print how many items it handled')
    .argument('<name>', `the job: ${names.join(', ')}`)
    .option('--now <iso>', 'the instant the job acts as of, and the run\'s slot (default: now)')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: { now?: string; json?: boolean }) => {
      if (!(names as string[]).includes(name)) throw new CliError(`unknown job ${JSON.stringify(name)}; the jobs are: ${names.join(', ')}`);
      if (opts.now !== undefined && !isoInstant.safeParse(opts.now).success) throw new CliError('--now must be an ISO-8601 instant with offset, like 2027-03-01T00:00:00Z');
      const now = opts.now !== undefined ? new Date(opts.now) : new Date();
      const config = loadConfig();
      const runtime = await openRuntime(config);
      try {
        // Never a projector here: the embedded read store must have one writer (the server's).
        const reads = await openReadSide(config, runtime.store, { runProjector: false });
        try {
          const outbox = await openNotifications(config, runtime.store, { run: false, publicUrl: () => config.PUBLIC_URL ?? '' });
          const scheduler = await openScheduler(config, {
            store: runtime.store,
            reads,
            digests: (at, slot) => composeDigests(outbox.store, at, slot),
            expiryReminders: (at) => remindExpiringJobs({ store: outbox.store, jobs: reads.jobs }, at),
            purgeIdempotencyKeys: purgeIdempotencyKeys(runtime.idempotency, config.IDEMPOTENCY_TTL_HOURS),
            weeklySummaries: (at) => composeWeeklySummaries({ store: outbox.store, lists: reads.lists }, at),
            lastAlertOf: lastAlertOf(outbox.store),
            ...(driftCheck ? { driftCheck: driftCheck({ config, store: runtime.store, reads }) } : {}),
          });
          try {
            const report = await scheduler.runNow(name, now);
            const seconds = (Date.parse(report.endedAt) - Date.parse(report.startedAt)) / 1000;
            if (opts.json) {
              process.stdout.write(`${JSON.stringify({ ...report, seconds })}\n`);
            } else if (report.error === undefined) {
              process.stdout.write(`${report.job} (slot ${report.slot}): ${report.items ?? 0} items in ${seconds} s\n`);
            }
            if (report.error !== undefined) {
              if (!opts.json) process.stderr.write(`${report.job} (slot ${report.slot}) failed: ${report.error}\n`);
              process.exitCode = 1;
            }
          } finally {
            await scheduler.close();
            await outbox.close();
          }
        } finally {
          await reads.close();
        }
      } finally {
        await runtime.close();
      }
    });
}
