import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { dropSchemas, testDatabaseUrl, uniqueSchema } from '../../tests/support/postgres.ts';
import { redisRunGuard, runKey } from './runGuard.ts';
import type { RunLog } from './runLog.ts';
import { openPostgresRunLog } from './runLog.ts';
import type { ScheduledJob } from './scheduledJob.ts';
import { DAY_MS, HOUR_MS, WEEK_MS } from './scheduledJob.ts';
import type { Scheduler } from './scheduler.ts';
import { createScheduler } from './scheduler.ts';

const redisUrl = process.env.REDIS_URL!;
const prefix = `t${Math.random().toString(36).slice(2, 10)}`;
const schema = uniqueSchema(`${prefix}_projections`);
const closers: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
  const redis = new Redis(redisUrl);
  const keys = await redis.keys(`sched:${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
  await dropSchemas(testDatabaseUrl(), [schema]);
});

/** The due jobs, each counting its calls across both instances (shared counters, like a shared database would see). */
function countedJobs(calls: Map<string, number>): ScheduledJob[] {
  return [
    { name: 'expire-jobs', schedule: '59 23 * * *', periodMs: DAY_MS },
    { name: 'saved-search-digest', schedule: '0 * * * *', periodMs: HOUR_MS },
    { name: 'weekly-summary', schedule: '0 8 * * 1', periodMs: WEEK_MS },
  ].map((j) => ({
    ...j,
    run: async () => {
      calls.set(j.name, (calls.get(j.name) ?? 0) + 1);
      await new Promise((r) => setTimeout(r, 20)); // long enough for the other instance's fire to overlap
      return { items: 1 };
    },
  }));
}

/** One scheduler process: its own Redis connection and its own pool to the shared run log. */
async function instance(calls: Map<string, number>): Promise<{ scheduler: Scheduler; runs: RunLog }> {
  const guard = redisRunGuard(redisUrl, { prefix });
  const runs = await openPostgresRunLog(testDatabaseUrl(), schema);
  const scheduler = createScheduler({ jobs: countedJobs(calls), guard, runs });
  closers.push(() => guard.close(), () => runs.close(), () => scheduler.stop());
  return { scheduler, runs };
}

describe('two scheduler instances on one Redis', () => {
  it('each due job runs once per slot: one instance claims it, the run is recorded once, the next slot runs again', async () => {
    const calls = new Map<string, number>();
    const [a, b] = await Promise.all([instance(calls), instance(calls)]);
    const slot = new Date('2027-03-01T08:00:00Z');
    const names = ['expire-jobs', 'saved-search-digest', 'weekly-summary'];

    // Both instances' timers fire for every job in the same slot, at the same time.
    const fired = await Promise.all(names.flatMap((n) => [a.scheduler.fire(n, slot), b.scheduler.fire(n, slot)]));
    expect(Object.fromEntries(calls)).toEqual({ 'expire-jobs': 1, 'saved-search-digest': 1, 'weekly-summary': 1 });
    expect(fired.filter((r) => r !== undefined)).toHaveLength(names.length);
    const recorded = await a.runs.recent({ limit: 100 });
    expect(recorded.map((r) => r.job).sort()).toEqual([...names].sort());
    expect(recorded.every((r) => r.slot === slot.toISOString() && r.items === 1 && r.endedAt !== undefined)).toBe(true);
    const redis = new Redis(redisUrl);
    try {
      expect(await redis.exists(runKey(prefix, 'expire-jobs', slot))).toBe(1);
      // The claim outlives the slot (at least an hour; twice the period for longer jobs), so a late timer finds it.
      expect(await redis.pttl(runKey(prefix, 'weekly-summary', slot))).toBeGreaterThan(WEEK_MS);
    } finally {
      await redis.quit();
    }

    // A late timer for the same slot does not run it again; the next slot runs once more.
    expect(await b.scheduler.fire('saved-search-digest', slot)).toBeUndefined();
    const next = new Date('2027-03-01T09:00:00Z');
    await Promise.all([a.scheduler.fire('saved-search-digest', next), b.scheduler.fire('saved-search-digest', next)]);
    expect(calls.get('saved-search-digest')).toBe(2);
    expect(await b.runs.recent({ job: 'saved-search-digest' })).toHaveLength(2);

    // Both instances judge health from the shared log: neither reports a job that the other ran as overdue.
    for (const i of [a, b]) {
      expect((await i.scheduler.status()).filter((s) => s.lastSuccessAt !== undefined).map((s) => s.job).sort()).toEqual([...names].sort());
    }
  });
});
