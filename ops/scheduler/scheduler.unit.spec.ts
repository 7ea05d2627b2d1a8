import cron from 'node-cron';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTokenService } from '../http/tokens.ts';
import { openSqliteIdempotencyStore } from '../../command/idempotency/sqliteIdempotencyStore.ts';
import type { EventStore } from '../../eventstore/port.ts';
import { openSqliteEventStore } from '../../eventstore/sqlite/sqliteEventStore.ts';
import { buildApp } from '../http/buildApp.ts';
import { inProcessRunGuard } from './runGuard.ts';
import { openSqliteRunLog } from './runLog.ts';
import type { ScheduledJob } from './scheduledJob.ts';
import { DAY_MS, HOUR_MS, MINUTE_MS, WEEK_MS } from './scheduledJob.ts';
import { availableJobNames, scheduledJobs } from './scheduledJobs.ts';
import { JobRunningError, createScheduler, previousSlot, UnknownJobError } from './scheduler.ts';

// The job definitions' store and read stores are never touched by these tests.
const unusedStore = {} as EventStore;
const definitions = (driftCheck?: (now: Date) => Promise<{ items: number }>) =>
  scheduledJobs({ store: unusedStore, jobs: {}, lists: {}, ...(driftCheck ? { driftCheck } : {}) });
const allJobs = definitions(() => Promise.resolve({ items: 0 }));

function counting(name: string, periodMs = HOUR_MS, run?: ScheduledJob['run']): ScheduledJob & { calls: Date[] } {
  const calls: Date[] = [];
  return {
    name,
    schedule: '0 * * * *',
    periodMs,
    calls,
    run: async (ctx) => {
      calls.push(ctx.now);
      return run ? run(ctx) : { items: 1 };
    },
  };
}

const t0 = new Date('2027-03-01T12:00:00Z');

describe('job definitions', () => {
  it('are the jobs of the design and the expiry reminders, each a valid cron expression matching its UTC time, with the matching period', () => {
    expect(allJobs.map((j) => j.name)).toEqual(['expire-jobs', 'archive-saved-searches', 'drift-check', 'saved-search-digest', 'remind-expiring-jobs', 'weekly-summary', 'purge-idempotency-keys']);
    const expected: Record<string, { at: string[]; not: string[]; periodMs: number }> = {
      'expire-jobs': { at: ['2027-03-01T23:59:00Z'], not: ['2027-03-01T23:58:00Z', '2027-03-01T22:59:00Z'], periodMs: DAY_MS },
      'archive-saved-searches': { at: ['2027-02-28T00:00:00Z', '2027-03-07T00:00:00Z'], not: ['2027-03-01T00:00:00Z', '2027-02-28T01:00:00Z'], periodMs: WEEK_MS },
      'drift-check': { at: ['2027-03-01T12:05:00Z', '2027-03-01T12:55:00Z'], not: ['2027-03-01T12:06:00Z'], periodMs: 5 * MINUTE_MS },
      'saved-search-digest': { at: ['2027-03-01T13:00:00Z'], not: ['2027-03-01T13:01:00Z'], periodMs: HOUR_MS },
      'remind-expiring-jobs': { at: ['2027-03-01T13:30:00Z', '2027-03-01T00:30:00Z'], not: ['2027-03-01T13:00:00Z', '2027-03-01T13:31:00Z'], periodMs: HOUR_MS },
      'weekly-summary': { at: ['2027-03-01T08:00:00Z'], not: ['2027-03-02T08:00:00Z', '2027-03-01T09:00:00Z'], periodMs: WEEK_MS },
      'purge-idempotency-keys': { at: ['2027-03-01T13:15:00Z', '2027-03-01T00:15:00Z'], not: ['2027-03-01T13:00:00Z', '2027-03-01T13:16:00Z'], periodMs: HOUR_MS },
    };
    for (const job of allJobs) {
      expect(cron.validate(job.schedule), job.name).toBe(true);
      const e = expected[job.name]!;
      expect(job.periodMs, job.name).toBe(e.periodMs);
      const task = cron.createTask(job.schedule, () => undefined, { timezone: 'UTC' });
      try {
        for (const at of e.at) expect(task.match(new Date(at)), `${job.name} at ${at}`).toBe(true);
        for (const at of e.not) expect(task.match(new Date(at)), `${job.name} not at ${at}`).toBe(false);
        // UTC has no daylight saving: consecutive runs are exactly one period apart.
        const next = task.getNextRuns(3).map((d) => d.getTime());
        expect([next[1]! - next[0]!, next[2]! - next[1]!], job.name).toEqual([job.periodMs, job.periodMs]);
      } finally {
        void task.destroy();
      }
    }
  });

  it('register drift-check only when a drift check is wired, and run it with the run\'s now', async () => {
    expect(definitions().map((j) => j.name)).toEqual(availableJobNames({ driftCheck: false }));
    expect(availableJobNames({ driftCheck: false })).not.toContain('drift-check');
    expect(allJobs.map((j) => j.name)).toEqual(availableJobNames({ driftCheck: true }));

    const seen: Date[] = [];
    const jobs = definitions(async (now) => {
      seen.push(now);
      return { items: 7 };
    });
    const runs = openSqliteRunLog(':memory:');
    const scheduler = createScheduler({ jobs, guard: inProcessRunGuard(), runs, clock: () => t0 });
    expect(await scheduler.runNow('drift-check', t0)).toMatchObject({ job: 'drift-check', items: 7 });
    expect(seen).toEqual([t0]);
    expect(await runs.recent({ job: 'drift-check' })).toEqual([expect.objectContaining({ job: 'drift-check', items: 7, slot: t0.toISOString() })]);
    await expect(createScheduler({ jobs: definitions(), guard: inProcessRunGuard(), runs }).runNow('drift-check', t0)).rejects.toThrow(UnknownJobError);
    await runs.close();
  });

  it('the notification jobs are registered and, without notifications wired, do nothing (0 items)', async () => {
    const scheduler = createScheduler({ jobs: allJobs, guard: inProcessRunGuard(), runs: openSqliteRunLog(':memory:') });
    expect(await scheduler.runNow('saved-search-digest', t0)).toMatchObject({ items: 0 });
    expect(await scheduler.runNow('remind-expiring-jobs', t0)).toMatchObject({ items: 0 });
    expect(await scheduler.runNow('weekly-summary', t0)).toMatchObject({ items: 0 });
  });

  it('remind-expiring-jobs runs the wired reminders with the run\'s now and records their count', async () => {
    const seen: Date[] = [];
    const expiryReminders = (now: Date) => {
      seen.push(now);
      return Promise.resolve({ items: 2 });
    };
    const runs = openSqliteRunLog(':memory:');
    const scheduler = createScheduler({ jobs: scheduledJobs({ store: unusedStore, jobs: {}, lists: {}, expiryReminders }), guard: inProcessRunGuard(), runs });
    expect(await scheduler.runNow('remind-expiring-jobs', t0)).toMatchObject({ job: 'remind-expiring-jobs', items: 2 });
    expect(seen).toEqual([t0]);
    expect(await runs.recent({ job: 'remind-expiring-jobs' })).toEqual([expect.objectContaining({ items: 2, slot: t0.toISOString() })]);
    await runs.close();
  });
});

describe('scheduler', () => {
  it('start arms one UTC node-cron task per job; stop disarms and unregisters them all', async () => {
    const before = cron.getTasks().size;
    const scheduler = createScheduler({ jobs: allJobs, guard: inProcessRunGuard(), runs: openSqliteRunLog(':memory:') });
    scheduler.start();
    scheduler.start(); // idempotent
    expect(scheduler.armedTasks()).toBe(allJobs.length);
    expect(cron.getTasks().size).toBe(before + allJobs.length);
    await scheduler.stop();
    expect(scheduler.armedTasks()).toBe(0);
    expect(cron.getTasks().size).toBe(before);
    scheduler.start(); // a stopped scheduler stays stopped
    expect(scheduler.armedTasks()).toBe(0);
  });

  it('at start, runs once the latest slot a job missed while no instance ran, with that slot, and leaves alone a job that never ran or missed nothing', async () => {
    const runs = openSqliteRunLog(':memory:');
    const guard = inProcessRunGuard();
    const now = new Date('2027-03-01T12:20:30Z');
    const missed = counting('digest');
    const current = { ...counting('purge'), schedule: '15 * * * *' };
    const fresh = counting('weekly', WEEK_MS);
    const early = { ...counting('reminders'), schedule: '30 * * * *' };
    // Two instances starting together: the slot is claimed once.
    const instances = [0, 1].map(() => createScheduler({ jobs: [missed, current, fresh, early], guard, runs, clock: () => now }));
    const before = createScheduler({ jobs: [missed, current, early], guard, runs, clock: () => now });
    await before.fire('digest', new Date('2027-03-01T09:00:00Z'));
    await before.fire('purge', new Date('2027-03-01T12:15:00Z'));
    await before.fire('reminders', new Date('2027-03-01T11:30:00Z'));
    for (const j of [missed, current, early]) j.calls.length = 0;
    try {
      for (const i of instances) i.start();
      await Promise.all(instances.map((i) => i.caughtUp()));
      expect(missed.calls).toEqual([now]);
      expect(current.calls).toEqual([]);
      expect(fresh.calls).toEqual([]);
      // 12:30 has not come yet: 11:30 was its latest slot, and it ran.
      expect(early.calls).toEqual([]);
      expect((await runs.recent({ job: 'digest', limit: 1 }))[0]).toMatchObject({ slot: '2027-03-01T12:00:00.000Z', items: 1 });
      expect((await instances[0]!.status()).find((s) => s.job === 'digest')).toMatchObject({ overdue: false });
    } finally {
      for (const i of instances) await i.stop();
    }
  });

  it('previousSlot finds the latest matching minute within one period, and none beyond it', () => {
    const hourly = (at: Date) => at.getUTCMinutes() === 0;
    expect(previousSlot(hourly, new Date('2027-03-01T12:59:59Z'), HOUR_MS)).toEqual(new Date('2027-03-01T12:00:00Z'));
    expect(previousSlot(hourly, new Date('2027-03-01T12:00:00Z'), HOUR_MS)).toEqual(new Date('2027-03-01T12:00:00Z'));
    expect(previousSlot(() => false, new Date('2027-03-01T12:00:00Z'), HOUR_MS)).toBeUndefined();
  });

  it('runs a (job, slot) once however often it fires, records it, and runs the next slot again', async () => {
    const job = counting('digest');
    const runs = openSqliteRunLog(':memory:');
    const clock = { now: t0 };
    const scheduler = createScheduler({ jobs: [job], guard: inProcessRunGuard(), runs, clock: () => clock.now });
    const slot = new Date('2027-03-01T12:00:00Z');
    const fired = await Promise.all([scheduler.fire('digest', slot), scheduler.fire('digest', slot), scheduler.fire('digest', slot)]);
    expect(fired.filter((r) => r !== undefined)).toHaveLength(1);
    expect(job.calls).toHaveLength(1);
    expect(await scheduler.fire('digest', new Date('2027-03-01T13:00:00Z'))).toMatchObject({ items: 1, slot: '2027-03-01T13:00:00.000Z' });
    expect((await runs.recent()).map((r) => r.slot)).toEqual(['2027-03-01T13:00:00.000Z', '2027-03-01T12:00:00.000Z']);
    expect((await runs.recent()).map((r) => [r.startedAt, r.endedAt])).toEqual([[t0.toISOString(), t0.toISOString()], [t0.toISOString(), t0.toISOString()]]);
  });

  it('records a failed run with its error, reports it in status, and a later success clears it', async () => {
    let fail = true;
    const job = counting('flaky', HOUR_MS, async () => {
      if (fail) throw new Error('engine unreachable');
      return { items: 2 };
    });
    const runs = openSqliteRunLog(':memory:');
    const scheduler = createScheduler({ jobs: [job], guard: inProcessRunGuard(), runs, clock: () => t0 });
    expect(await scheduler.runNow('flaky', t0)).toMatchObject({ error: 'engine unreachable' });
    expect((await runs.recent())[0]).toMatchObject({ error: 'engine unreachable', endedAt: t0.toISOString() });
    expect((await scheduler.status())[0]).toMatchObject({ job: 'flaky', lastRunAt: t0.toISOString(), lastError: 'engine unreachable' });
    expect((await scheduler.status())[0]!.lastSuccessAt).toBeUndefined();
    fail = false;
    expect(await scheduler.runNow('flaky', t0)).toMatchObject({ items: 2 });
    const status = (await scheduler.status())[0]!;
    expect(status).toMatchObject({ lastSuccessAt: t0.toISOString(), overdue: false });
    expect(status.lastError).toBeUndefined();
  });

  it('refuses an unknown job, naming the known ones', async () => {
    const scheduler = createScheduler({ jobs: allJobs, guard: inProcessRunGuard(), runs: openSqliteRunLog(':memory:') });
    const err: unknown = await scheduler.runNow('expire-job', t0).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnknownJobError);
    expect((err as Error).message).toContain('expire-jobs, archive-saved-searches');
  });

  it('refuses to run a job again while it runs in this process (runNow throws, a fire skips without claiming the slot), and runs it once it has finished', async () => {
    let release = (): void => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const job = counting('slow', HOUR_MS, async () => {
      await gate;
      return { items: 1 };
    });
    const scheduler = createScheduler({ jobs: [job], guard: inProcessRunGuard(), runs: openSqliteRunLog(':memory:') });
    const first = scheduler.runNow('slow', t0);
    const err: unknown = await scheduler.runNow('slow', t0).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JobRunningError);
    expect((err as Error).message).toContain('slow is already running');
    const slot = new Date('2027-03-01T13:00:00Z');
    expect(await scheduler.fire('slow', slot)).toBeUndefined();
    release();
    expect(await first).toMatchObject({ items: 1 });
    // The skipped slot was left unclaimed: it runs now.
    expect(await scheduler.fire('slow', slot)).toMatchObject({ items: 1, slot: slot.toISOString() });
    expect(await scheduler.runNow('slow', t0)).toMatchObject({ items: 1 });
    expect(job.calls).toHaveLength(3);
  });

  it('stop aborts a running job between items and waits for it', async () => {
    let handled = 0;
    const job: ScheduledJob = {
      name: 'long',
      schedule: '0 * * * *',
      periodMs: HOUR_MS,
      run: async ({ signal }) => {
        while (!signal.aborted && handled < 1000) {
          handled++;
          await new Promise((r) => setTimeout(r, 5));
        }
        return { items: handled };
      },
    };
    const runs = openSqliteRunLog(':memory:');
    const scheduler = createScheduler({ jobs: [job], guard: inProcessRunGuard(), runs });
    const running = scheduler.fire('long', t0);
    await new Promise((r) => setTimeout(r, 30));
    await scheduler.stop();
    expect(handled).toBeLessThan(1000);
    expect((await runs.recent())[0]).toMatchObject({ items: handled });
    expect(await running).toMatchObject({ items: handled });
  });
});

describe('dead man\'s switch', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sched-ready-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a job without a success for more than two periods is overdue: the readiness check and /readyz name it until it succeeds', async () => {
    const hourly = counting('saved-search-digest', HOUR_MS);
    const weekly = counting('weekly-summary', WEEK_MS);
    const clock = { now: t0 };
    const scheduler = createScheduler({ jobs: [hourly, weekly], guard: inProcessRunGuard(), runs: openSqliteRunLog(join(dir, 'scheduler.db')), clock: () => clock.now });
    const store = await openSqliteEventStore({ path: join(dir, 'events.db') });
    const idempotency = openSqliteIdempotencyStore(join(dir, 'commands.db'));
    const tokens = createTokenService('scheduler-test-secret-scheduler-test-secret');
    const app = await buildApp({ store, idempotency, tokens, readiness: [scheduler.readiness] });
    try {
      // The names of overdue jobs are detail for operators; anonymous callers see ok or failed.
      const operator = { authorization: `Bearer ${await tokens.sign({ role: 'operator', sub: 'ops' })}` };
      const readyz = async (headers: Record<string, string> = operator) => {
        const res = await app.inject({ url: '/readyz', headers });
        return { code: res.statusCode, scheduler: res.json<{ checks: Record<string, string> }>().checks.scheduler };
      };
      // Counted from the scheduler's start: exactly two periods is not yet overdue.
      clock.now = new Date(t0.getTime() + 2 * HOUR_MS);
      expect(await readyz()).toEqual({ code: 200, scheduler: 'ok' });

      clock.now = new Date(t0.getTime() + 2 * HOUR_MS + 1);
      expect((await scheduler.status()).map((s) => [s.job, s.overdue])).toEqual([['saved-search-digest', true], ['weekly-summary', false]]);
      await expect(scheduler.readiness.check()).rejects.toThrow(/saved-search-digest \(last success never\)/);
      const down = await readyz();
      expect(down.code).toBe(503);
      expect(down.scheduler).toContain('saved-search-digest');
      expect(down.scheduler).not.toContain('weekly-summary');
      expect(await readyz({})).toEqual({ code: 503, scheduler: 'failed' });

      expect(await scheduler.fire('saved-search-digest', clock.now)).toMatchObject({ items: 1 });
      expect(await readyz()).toEqual({ code: 200, scheduler: 'ok' });
      const lastSuccess = clock.now.toISOString();

      clock.now = new Date(t0.getTime() + 3 * WEEK_MS);
      const late = await readyz();
      expect(late.code).toBe(503);
      expect(late.scheduler).toContain(`saved-search-digest (last success ${lastSuccess})`);
      expect(late.scheduler).toContain('weekly-summary (last success never)');
    } finally {
      await app.close();
      await scheduler.stop();
      await idempotency.close();
      await store.close();
    }
  });
});
