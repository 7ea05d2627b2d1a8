import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe('Redis (REDIS_URL from the global setup)', () => {
  let redis: Redis;

  beforeAll(async () => {
    const url = process.env.REDIS_URL;
    expect(url, 'REDIS_URL must be set by tests/support/globalSetup.ts').toBeTruthy();
    redis = new Redis(url!, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
  });

  afterAll(() => {
    redis?.disconnect();
  });

  it('answers PING', async () => {
    expect(await redis.ping()).toBe('PONG');
  });

  it('SET/GET with an expiry: the key is there, then gone', async () => {
    const key = `smoke:${process.pid}:${Date.now()}`;
    expect(await redis.set(key, 'value', 'PX', 300)).toBe('OK');
    expect(await redis.get(key)).toBe('value');
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(300);
    await new Promise((r) => setTimeout(r, 450));
    expect(await redis.get(key)).toBeNull();
  });

  it('SET NX is a lock: the second claimant loses', async () => {
    const key = `smoke-lock:${process.pid}:${Date.now()}`;
    expect(await redis.set(key, 'a', 'PX', 5000, 'NX')).toBe('OK');
    expect(await redis.set(key, 'b', 'PX', 5000, 'NX')).toBeNull();
    expect(await redis.get(key)).toBe('a');
    await redis.del(key);
  });
});
