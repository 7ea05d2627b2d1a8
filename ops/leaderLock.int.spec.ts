import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { redisLeaderLock } from './leaderLock.ts';

const url = process.env.REDIS_URL!;
const prefix = `test:${Math.random().toString(36).slice(2)}:`;
const locks = [redisLeaderLock(url, { ttlMs: 600, retryMs: 50, prefix }), redisLeaderLock(url, { ttlMs: 600, retryMs: 50, prefix })] as const;
afterAll(async () => Promise.all(locks.map((l) => l.close())));

describe('redisLeaderLock', () => {
  it('grants a lease to one holder at a time and hands it over on release', async () => {
    const [a, b] = locks;
    const lease = await a.tryAcquire('projector:jobs');
    expect(lease).toBeDefined();
    expect(await b.tryAcquire('projector:jobs')).toBeUndefined();
    // Renewal keeps it held well past its ttl.
    await new Promise((r) => setTimeout(r, 1500));
    expect(await b.tryAcquire('projector:jobs')).toBeUndefined();
    const waiting = b.acquire('projector:jobs');
    await lease!.release();
    const next = await waiting;
    expect(next.name).toBe('projector:jobs');
    await next.release();
  });

  it('tells the holder when the lease is lost', async () => {
    const lease = (await locks[0].tryAcquire('scheduler:expire'))!;
    const redis = new Redis(url);
    await redis.set(`${prefix}scheduler:expire`, 'someone-else');
    await redis.quit();
    await expect(Promise.race([lease.lost.then(() => 'lost'), new Promise((r) => setTimeout(() => r('kept'), 2000))])).resolves.toBe('lost');
  });

  it('of many contenders racing for one lease, exactly one wins', async () => {
    const contenders = Array.from({ length: 10 }, () => redisLeaderLock(url, { ttlMs: 2000, prefix }));
    const leases = await Promise.all(contenders.map((c) => c.tryAcquire('race')));
    expect(leases.filter((l) => l !== undefined)).toHaveLength(1);
    await Promise.all(leases.flatMap((l) => (l ? [l.release()] : [])));
    await Promise.all(contenders.map((c) => c.close()));
  });
});
