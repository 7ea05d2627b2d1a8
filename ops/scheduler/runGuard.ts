import { Redis } from 'ioredis';

/**
 * Decides which instance runs a (job, slot): the first to claim it. A claim is
 * never released, so an instance whose timer fires late for the same slot
 * does not run it again; it lapses after `ttlMs` to bound what is kept.
 */
export interface RunGuard {
  claim(job: string, slot: Date, ttlMs: number): Promise<boolean>;
  close(): Promise<void>;
}

/** Server mode: `SET sched:<prefix>:<job>:<slotISO> <owner> NX PX ttl` on the shared Redis. */
export function redisRunGuard(url: string, { prefix, owner = `${process.pid}` }: { prefix: string; owner?: string }): RunGuard {
  const redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 2 });
  return {
    async claim(job, slot, ttlMs) {
      const ok = await redis.set(runKey(prefix, job, slot), owner, 'PX', Math.max(1000, Math.round(ttlMs)), 'NX');
      return ok === 'OK';
    },
    async close() {
      await redis.quit().catch(() => undefined);
    },
  };
}

export const runKey = (prefix: string, job: string, slot: Date): string => `sched:${prefix}:${job}:${slot.toISOString()}`;

/** Embedded mode is one process: a claim is a set entry, forgotten after its ttl. */
export function inProcessRunGuard(now: () => number = Date.now): RunGuard {
  const claimed = new Map<string, number>();
  return {
    claim(job, slot, ttlMs) {
      const t = now();
      for (const [key, until] of claimed) if (until <= t) claimed.delete(key);
      const key = runKey('', job, slot);
      if (claimed.has(key)) return Promise.resolve(false);
      claimed.set(key, t + ttlMs);
      return Promise.resolve(true);
    },
    close: () => Promise.resolve(),
  };
}
