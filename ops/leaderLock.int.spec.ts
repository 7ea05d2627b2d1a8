import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import type { LeaderLock } from './leaderLock.ts';
import { inProcessLeaderLock, redisLeaderLock } from './leaderLock.ts';

const url = process.env.REDIS_URL!;
const prefix = `test:${Math.random().toString(36).slice(2)}:`;
const closers: LeaderLock[] = [];
afterAll(async () => Promise.all(closers.map((l) => l.close())));

/** Contenders for the same leases: separate Redis clients, or one process's lock shared by its callers. */
const adapters: Array<{ name: string; make: () => LeaderLock }> = [
  { name: 'redis', make: () => redisLeaderLock(url, { ttlMs: 1500, retryMs: 50, prefix }) },
  { name: 'in-process', make: (() => { const shared = inProcessLeaderLock(); return () => shared; })() },
];

describe.each(adapters)('LeaderLock contract: $name', ({ make }) => {
  const a = make();
  const b = make();
  closers.push(a, b);

  it('grants a lease to one holder at a time, keeps it, and hands it over on release', async () => {
    const lease = await a.tryAcquire('projector:jobs');
    expect(lease).toBeDefined();
    expect(await b.tryAcquire('projector:jobs')).toBeUndefined();
    await new Promise((r) => setTimeout(r, 2000)); // past the Redis ttl: renewal keeps it
    expect(await b.tryAcquire('projector:jobs')).toBeUndefined();
    const waiting = b.acquire('projector:jobs');
    await lease!.release();
    const next = await waiting;
    expect(next.name).toBe('projector:jobs');
    await next.release();
  });

  it('of many contenders racing for one lease, exactly one wins', async () => {
    const contenders = Array.from({ length: 10 }, () => make());
    closers.push(...contenders);
    const leases = await Promise.all(contenders.map((c) => c.tryAcquire('race')));
    expect(leases.filter((l) => l !== undefined)).toHaveLength(1);
    await Promise.all(leases.flatMap((l) => (l ? [l.release()] : [])));
  });
});

describe('redisLeaderLock', () => {
  it('tells the holder when the lease is lost', async () => {
    const lock = redisLeaderLock(url, { ttlMs: 600, retryMs: 50, prefix });
    closers.push(lock);
    const lease = (await lock.tryAcquire('scheduler:expire'))!;
    const redis = new Redis(url);
    await redis.set(`${prefix}scheduler:expire`, 'someone-else');
    await redis.quit();
    await expect(Promise.race([lease.lost.then(() => 'lost'), new Promise((r) => setTimeout(() => r('kept'), 2000))])).resolves.toBe('lost');
  });
});
