// The service manager itself, on real servers of its own under a temporary
// folder (not the ones the test run shares): start, reuse, status, stop, restart
// on the same port, refuse a folder another node holds, and reap what a dead
// test run left behind.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { down, envOf, readState, reapOrphans, SERVICE_NAMES, status, up, type ServicesState, type UpResult } from './index.ts';
import { pidAlive } from './proc.ts';

/** `npm run services -- <args>` in this process (cli.ts parses argv on import and does not wait): runs until `done` holds. */
async function servicesCli(args: string[], done: (out: { stdout: string; stderr: string }) => boolean): Promise<{ stdout: string; stderr: string; exitCode: number | undefined }> {
  vi.resetModules();
  const argv = process.argv;
  process.argv = [process.execPath, 'services', ...args];
  const run = { stdout: '', stderr: '', exitCode: undefined as number | undefined };
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((run.stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((run.stderr += String(chunk)), true));
  process.exitCode = undefined;
  try {
    await import('./cli.ts');
    await vi.waitFor(() => {
      if (!done(run)) throw new Error('still running');
    }, { timeout: 60_000, interval: 50 });
    run.exitCode = typeof process.exitCode === 'number' ? process.exitCode : undefined;
  } finally {
    process.argv = argv;
    process.exitCode = undefined;
    out.mockRestore();
    err.mockRestore();
  }
  return run;
}

async function deadPid(): Promise<number> {
  const child = spawn('true');
  await new Promise((r) => child.once('exit', r));
  return child.pid!;
}

describe('the service manager', () => {
  let root: string;
  let baseDir: string;
  let first: UpResult;
  const log: string[] = [];

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'services-spec-'));
    chmodSync(root, 0o755); // PostgreSQL runs as its own user when we are root
    baseDir = join(root, 'main');
    first = await up({ baseDir, owner: process.pid, tieToProcess: true, log: (l) => log.push(l) });
  }, 300_000);

  afterAll(async () => {
    if (baseDir) await down(baseDir, () => undefined);
    for (const dir of ['redis-again', 'orphans/test-dead', 'cli']) if (root && existsSync(join(root, dir))) await down(join(root, dir), () => undefined);
    if (root) rmSync(root, { recursive: true, force: true });
  }, 120_000);

  it('up starts all three, records them and publishes their URLs', async () => {
    expect([...first.started].sort()).toEqual([...SERVICE_NAMES].sort());
    expect(first.reused).toEqual([]);
    expect(readState(baseDir)).toEqual(first.state);
    expect(first.state.owner).toBe(process.pid);
    for (const name of SERVICE_NAMES) expect(log).toContain(`${name}: starting`);

    const env = envOf(first.state);
    expect(Object.keys(env).sort()).toEqual(['DATABASE_URL', 'REDIS_URL', 'SEARCH_URL']);
    const client = new pg.Client({ connectionString: env.DATABASE_URL });
    await client.connect();
    try {
      expect((await client.query<{ one: number }>('select 1 as one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await client.end();
    }
    const redis = new Redis(env.REDIS_URL!, { lazyConnect: true });
    await redis.connect();
    try {
      expect(await redis.ping()).toBe('PONG');
    } finally {
      redis.disconnect();
    }
    const engine = (await (await fetch(env.SEARCH_URL!)).json()) as { version: { distribution: string } };
    expect(engine.version.distribution).toBe('opensearch');
  });

  it('a second up reuses what runs and starts nothing', async () => {
    const again = await up({ baseDir, log: () => undefined });
    expect(again.started).toEqual([]);
    expect([...again.reused].sort()).toEqual([...SERVICE_NAMES].sort());
    for (const name of SERVICE_NAMES) expect(again.state.services[name]?.pid).toBe(first.state.services[name]?.pid);
  });

  it('status says each one runs, is healthy, and on which pid, URL and version', async () => {
    const rows = await status(baseDir);
    expect(rows.map((r) => r.name)).toEqual([...SERVICE_NAMES]);
    for (const row of rows) {
      const recorded = first.state.services[row.name]!;
      expect(row).toMatchObject({ running: true, healthy: true, pid: recorded.pid, url: recorded.url });
      expect(row.version).toBeTruthy();
    }
  });

  it('up refuses to start a node in a folder another, unrecorded node holds, and names the service', async () => {
    const recorded = readFileSync(join(baseDir, 'state.json'), 'utf8');
    const state = JSON.parse(recorded) as ServicesState;
    delete state.services.opensearch;
    writeFileSync(join(baseDir, 'state.json'), JSON.stringify(state));
    try {
      await expect(up({ baseDir, only: ['opensearch'], log: () => undefined })).rejects.toThrow(
        new RegExp(`services failed to start under ${baseDir}:\\nopensearch: an OpenSearch node not recorded in state.json already uses ${join(baseDir, 'opensearch')} \\(pid ${first.state.services.opensearch!.pid}\\)`),
      );
    } finally {
      writeFileSync(join(baseDir, 'state.json'), recorded);
    }
  });

  it('down stops what up started, keeps the records with pid 0, and status then says not started', async () => {
    const lines: string[] = [];
    const stopped = await down(baseDir, (l) => lines.push(l));
    expect([...stopped].sort()).toEqual([...SERVICE_NAMES].sort());
    for (const name of SERVICE_NAMES) {
      expect(pidAlive(first.state.services[name]!.pid)).toBe(false);
      expect(lines).toContain(`${name}: stopped (pid ${first.state.services[name]!.pid})`);
    }
    const after = readState(baseDir)!;
    for (const name of SERVICE_NAMES) expect(after.services[name]).toEqual({ ...first.state.services[name], pid: 0 });
    expect(envOf(after)).toEqual({});
    expect((await status(baseDir)).every((r) => !r.running && !r.healthy && r.detail === 'not started')).toBe(true);
    expect(await down(baseDir, () => undefined)).toEqual([]);
  }, 120_000);

  it('a service started again after down gets its former port back', async () => {
    const dir = join(root, 'redis-again');
    const one = await up({ baseDir: dir, only: ['redis'], log: () => undefined });
    await down(dir, () => undefined);
    const two = await up({ baseDir: dir, only: ['redis'], log: () => undefined });
    expect(two.started).toEqual(['redis']);
    expect(two.state.services.redis!.port).toBe(one.state.services.redis!.port);
    expect(two.state.services.redis!.pid).not.toBe(one.state.services.redis!.pid);
    await down(dir, () => undefined);
  });

  it('reapOrphans stops and removes the folders of test runs whose owner died, and only those', async () => {
    const parent = join(root, 'orphans');
    const dead = join(parent, 'test-dead');
    const live = join(parent, 'test-live');
    const other = join(parent, 'keep-me');
    const orphan = await up({ baseDir: dead, only: ['redis'], owner: await deadPid(), log: () => undefined });
    mkdirSync(live, { recursive: true });
    writeFileSync(join(live, 'state.json'), JSON.stringify({ baseDir: live, owner: process.pid, services: {} }));
    mkdirSync(other, { recursive: true });

    const lines: string[] = [];
    await reapOrphans(parent, (l) => lines.push(l));
    expect(existsSync(dead)).toBe(false);
    expect(pidAlive(orphan.state.services.redis!.pid)).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(existsSync(other)).toBe(true);
    expect(lines).toContain(`reaping services left by a dead test run in ${dead}`);
  });

  it('reapOrphans, down and status of a folder with nothing in it do nothing', async () => {
    const empty = join(root, 'nothing-here');
    await expect(reapOrphans(empty)).resolves.toBeUndefined();
    expect(await down(empty, () => undefined)).toEqual([]);
    expect(readState(empty)).toBeUndefined();
    expect((await status(empty)).map((r) => [r.name, r.running, r.detail])).toEqual(SERVICE_NAMES.map((n) => [n, false, 'not started']));
  });

  it('the services command starts a service, prints its URL for the shell, and says it reuses it the next time', async () => {
    const dir = join(root, 'cli');
    const first = await servicesCli(['--base-dir', dir, 'up', '--only', 'redis'], (r) => r.stdout.includes('REDIS_URL='));
    const url = readState(dir)!.services.redis!.url;
    expect(first.stdout).toBe(`REDIS_URL=${url}\n`);
    expect(first.stderr).toContain('redis: starting');

    const again = await servicesCli(['--base-dir', dir, 'up', '--only', 'redis'], (r) => r.stdout.includes('REDIS_URL='));
    expect(again.stdout).toBe(`REDIS_URL=${url}\n`);
    expect(again.stderr).toMatch(new RegExp(`^redis: already running, .+ on ${url} \\(pid \\d+\\)\\n$`));

    const json = await servicesCli(['--base-dir', dir, '--json', 'up', '--only', 'redis'], (r) => r.stdout.endsWith('}\n'));
    expect(JSON.parse(json.stdout)).toMatchObject({ env: { REDIS_URL: url }, started: [], reused: ['redis'] });

    const rows = await servicesCli(['--base-dir', dir, 'status'], (r) => r.stdout.split('\n').length > 3);
    expect(rows.stdout.split('\n')[1]).toMatch(new RegExp(`^redis {7}healthy {4}pid \\d+  ${url}  \\S+$`));
    expect(rows.exitCode).toBe(1); // the other two were not started here
    const stopped = await servicesCli(['--base-dir', dir, '--json', 'down'], (r) => r.stdout.length > 0);
    expect(JSON.parse(stopped.stdout)).toEqual({ stopped: ['redis'] });
  }, 120_000);
});
