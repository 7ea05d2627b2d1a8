// Redis on loopback, no persistence (cache, rate limits and locks only).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { ensureProgram, freePort, pidAlive, pidCommand, portIsFree, sleep, spawnDetached, stopProcess, tail, withDeathSignal } from './proc.ts';
import type { Health, ServiceDriver, ServiceState, StartContext } from './types.ts';

export function redisUrl(port: number): string {
  return `redis://127.0.0.1:${port}`;
}

async function health(state: ServiceState): Promise<Health> {
  const client = new Redis(state.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 2000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const pong = await client.ping();
    const info = await client.info('server');
    const version = /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown';
    return { ok: pong === 'PONG', version };
  } catch (err) {
    return { ok: false, detail: (err as Error).message };
  } finally {
    client.disconnect();
  }
}

async function start(ctx: StartContext): Promise<ServiceState> {
  const bin = await ensureProgram('redis-server', 'redis-server', ctx.log);
  mkdirSync(ctx.dir, { recursive: true });
  const logFile = join(ctx.dir, 'redis.log');
  const previous = ctx.previous?.port;
  const port = previous !== undefined && (await portIsFree(previous)) ? previous : await freePort();
  const began = Date.now();
  const [command, args] = withDeathSignal(
    bin,
    [
      '--port', String(port),
      '--bind', '127.0.0.1',
      '--save', '',
      '--appendonly', 'no',
      '--daemonize', 'no',
      '--dir', ctx.dir,
      '--pidfile', join(ctx.dir, 'redis.pid'),
    ],
    ctx.deathSignal && 'SIGTERM',
  );
  const pid = spawnDetached(command, args, logFile, { cwd: ctx.dir });
  const state: ServiceState = {
    name: 'redis', pid, port, url: redisUrl(port), version: '', dataDir: ctx.dir, logFile,
    startedAt: new Date().toISOString(), startMs: 0,
  };
  ctx.spawned(state);
  const until = Date.now() + 30_000;
  for (;;) {
    const h = await health(state);
    if (h.ok) return { ...state, version: h.version ?? '', startMs: Date.now() - began };
    if (!pidAlive(pid)) throw new Error(`redis-server exited during start. Log tail (${logFile}):\n${tail(logFile)}`);
    if (Date.now() > until) {
      await stopProcess(pid, 'SIGTERM', 5000);
      throw new Error(`Redis not healthy after 30s (${h.detail ?? ''}). Log tail (${logFile}):\n${tail(logFile)}`);
    }
    await sleep(100);
  }
}

export const redis: ServiceDriver = {
  name: 'redis',
  start,
  health,
  stop: (state) => stopProcess(state.pid, 'SIGTERM', 15_000),
  owns: (state) => pidAlive(state.pid) && pidCommand(state.pid).includes('redis'),
};
