import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

/**
 * A lease held by one process at a time (the active projector of a read model,
 * a scheduled job's single run). Redis `SET NX PX` with a random token,
 * renewed well before it lapses; a holder that fails to renew treats the lease
 * as lost at once. Two holders can overlap only if a holder stalls past its
 * lease, and the position-guarded writes make even that harmless.
 */
export interface Lease {
  readonly name: string;
  /** Resolves when the lease is lost (not renewed in time) or released. */
  readonly lost: Promise<void>;
  release(): Promise<void>;
}

export interface LeaderLock {
  /** Resolves once this process holds the lease; retries every `retryMs` until `signal` aborts. */
  acquire(name: string, signal?: AbortSignal): Promise<Lease>;
  /** One attempt: the lease, or undefined when someone else holds it. */
  tryAcquire(name: string): Promise<Lease | undefined>;
  close(): Promise<void>;
}

const renewScript = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";
const releaseScript = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

export function redisLeaderLock(url: string, { ttlMs = 10_000, retryMs = 1_000, prefix = 'jobs:lock:' } = {}): LeaderLock {
  const redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 2 });
  const tryAcquire = async (name: string): Promise<Lease | undefined> => {
    const key = `${prefix}${name}`;
    const token = randomUUID();
    const ok = await redis.set(key, token, 'PX', ttlMs, 'NX');
    if (ok !== 'OK') return undefined;
    let markLost!: () => void;
    const lost = new Promise<void>((resolve) => (markLost = resolve));
    let held = true;
    const timer = setInterval(() => {
      redis
        .eval(renewScript, 1, key, token, String(ttlMs))
        .then((renewed) => {
          if (renewed !== 1) stop();
        })
        .catch(() => stop());
    }, Math.floor(ttlMs / 3));
    timer.unref();
    const stop = () => {
      if (!held) return;
      held = false;
      clearInterval(timer);
      markLost();
    };
    return {
      name,
      lost,
      async release() {
        if (!held) return;
        stop();
        await redis.eval(releaseScript, 1, key, token).catch(() => undefined);
      },
    };
  };
  return {
    tryAcquire,
    async acquire(name, signal) {
      for (;;) {
        if (signal?.aborted) throw new Error(`gave up waiting for lease ${name}`);
        const lease = await tryAcquire(name).catch(() => undefined);
        if (lease) return lease;
        await new Promise((r) => setTimeout(r, retryMs));
      }
    },
    async close() {
      await redis.quit().catch(() => undefined);
    },
  };
}

/** The embedded mode is one process: every lease is granted at once. */
export function inProcessLeaderLock(): LeaderLock {
  const held = new Set<string>();
  const tryAcquire = (name: string): Promise<Lease | undefined> => {
    if (held.has(name)) return Promise.resolve(undefined);
    held.add(name);
    let markLost!: () => void;
    const lost = new Promise<void>((resolve) => (markLost = resolve));
    return Promise.resolve({
      name,
      lost,
      release: () => {
        held.delete(name);
        markLost();
        return Promise.resolve();
      },
    });
  };
  return {
    tryAcquire,
    async acquire(name, signal) {
      for (;;) {
        const lease = await tryAcquire(name);
        if (lease) return lease;
        if (signal?.aborted) throw new Error(`gave up waiting for lease ${name}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    close: () => Promise.resolve(),
  };
}
