// jobsctl rebuild-index, rollback-index and replay --index in server mode, run
// in this process against the real PostgreSQL, Redis and OpenSearch of the test
// run (names of their own): versions behind the aliases, the Redis lease that
// keeps two operators apart, and a replay into a fresh index.
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectSearch } from '../../query/engine/connect.ts';
import type { FullApp } from '../../tests/support/fullApp.ts';
import { startFullApp } from '../../tests/support/fullApp.ts';
import { redisLeaderLock } from '../leaderLock.ts';
import { seedEventStore } from '../seed/seedEventStore.ts';
import { CliError } from './cliSupport.ts';
import { registerRebuildCommands } from './rebuildCommands.ts';

interface Run {
  stdout: string;
  stderr: string;
  error?: unknown;
}

let env: Record<string, string> = {};

async function jobsctl(args: string[]): Promise<Run> {
  const program = new Command('jobsctl').exitOverride();
  registerRebuildCommands(program);
  for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  let error: unknown;
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (e) {
    error = e;
  } finally {
    out.mockRestore();
    err.mockRestore();
    vi.unstubAllEnvs();
  }
  return { stdout, stderr, error };
}

const ok = (run: Run): Run => {
  expect(run.error).toBeUndefined();
  return run;
};

interface VersionState {
  readModel: string;
  current: number;
  versions: { version: number; indexes: string[]; live: boolean; position?: number }[];
}

describe('rebuild commands in server mode', () => {
  let t: FullApp;
  let prefix = '';
  const NOW = new Date('2027-03-01T12:00:00Z');

  beforeAll(async () => {
    t = await startFullApp('server');
    const c = t.runtime.config;
    prefix = c.SEARCH_PREFIX;
    env = {
      JOBS_MODE: 'server', DATA_DIR: c.DATA_DIR, DATABASE_URL: c.DATABASE_URL!, SEARCH_URL: c.SEARCH_URL!, REDIS_URL: process.env.REDIS_URL ?? '',
      AUTH_SECRET: c.AUTH_SECRET!, SEARCH_PREFIX: prefix, DATABASE_SCHEMA_PREFIX: c.DATABASE_SCHEMA_PREFIX, LOG_LEVEL: 'silent', EVENT_STORE: '',
    };
    await seedEventStore(t.runtime.store, { jobs: 40, seed: 11, now: NOW });
    await t.reads.catchUp();
  });

  afterAll(async () => {
    if (t) {
      // The versions and the replay target made here; the v1 indexes go with the app.
      const client = await connectSearch(t.runtime.config.SEARCH_URL!);
      await client.deleteIndex([`${prefix}jobs_v2`, `${prefix}jobs_v3`, `${prefix}businesses_v2`, `${prefix}businesses_v3`, `${prefix}replayed`], { ignoreMissing: true });
      await client.close();
      await t.close();
    }
  });

  it('lists version 1 of each read model as live before any rebuild', async () => {
    const states = (JSON.parse(ok(await jobsctl(['rebuild-index', '--list', '--json'])).stdout) as { readModels: VersionState[] }).readModels;
    expect(states.map((s) => [s.readModel, s.current])).toEqual([['jobs', 1], ['lists', 1]]);
    expect(states[0]!.versions).toEqual([expect.objectContaining({ version: 1, indexes: [`${prefix}jobs_v1`, `${prefix}businesses_v1`], live: true })]);
  });

  it('rebuilds the jobs read model into version 2 behind the alias and lists both versions', async () => {
    const run = ok(await jobsctl(['rebuild-index', '--read-model', 'jobs']));
    const head = await t.runtime.store.headPosition();
    // 60 documents: the 40 jobs and the 20 business profiles of the read model.
    expect(run.stdout).toMatch(new RegExp(`^jobs: built ${prefix}jobs_v2, ${prefix}businesses_v2 \\(v2\\) from position 0 to ${head}: \\d+ events, 60 documents, [\\d.]+ s; previous ${prefix}jobs_v1, ${prefix}businesses_v1 kept\\n$`));

    const listed = ok(await jobsctl(['rebuild-index', '--list', '--read-model', 'jobs']));
    expect(listed.stdout).toMatch(new RegExp(`^jobs {3}v1 {8}${prefix}jobs_v1, ${prefix}businesses_v1  position \\d+$`, 'm'));
    expect(listed.stdout).toMatch(new RegExp(`^jobs {3}v2 \\(live\\) ${prefix}jobs_v2, ${prefix}businesses_v2 {2}position ${head}$`, 'm'));
    const client = await connectSearch(t.runtime.config.SEARCH_URL!);
    try {
      expect(await client.count(`${prefix}jobs`)).toBe(40);
    } finally {
      await client.close();
    }
  }, 120_000);

  it('refuses to start while another operator holds the rebuild lease of these read models', async () => {
    const lock = redisLeaderLock(process.env.REDIS_URL!);
    const lease = await lock.tryAcquire(`rebuild:${prefix}`);
    expect(lease).toBeDefined();
    try {
      const run = await jobsctl(['rebuild-index', '--read-model', 'jobs', '--json']);
      expect(run.error).toBeInstanceOf(CliError);
      expect((run.error as Error).message).toBe('another rebuild or rollback of these read models is running');
    } finally {
      await lease?.release();
      await lock.close();
    }
  });

  it('rolls back to version 1, and below it refuses: there is nothing older', async () => {
    const back = JSON.parse(ok(await jobsctl(['rollback-index', '--read-model', 'jobs', '--json'])).stdout) as { results: { version: number; action: string; index: string[] }[] };
    expect(back.results).toEqual([expect.objectContaining({ action: 'rollback', version: 1, index: [`${prefix}jobs_v1`, `${prefix}businesses_v1`] })]);
    const none = await jobsctl(['rollback-index', '--read-model', 'jobs']);
    expect(none.error).toBeInstanceOf(CliError);
    expect((none.error as Error).message).toBe('no complete previous version of jobs below v1 to roll back to');
  }, 120_000);

  it('replays the jobs projection into a fresh index outside every alias, and refuses a name already taken', async () => {
    const summary = JSON.parse(ok(await jobsctl(['replay', '--projection', 'jobs', '--index', `${prefix}replayed`, '--json'])).stdout) as { index: string[]; documents: number };
    expect(summary).toMatchObject({ index: [`${prefix}replayed`], documents: 40 });
    const client = await connectSearch(t.runtime.config.SEARCH_URL!);
    try {
      await client.refresh(`${prefix}replayed`);
      expect(await client.count(`${prefix}replayed`)).toBe(40);
    } finally {
      await client.close();
    }
    const again = await jobsctl(['replay', '--projection', 'jobs', '--index', `${prefix}replayed`]);
    expect(again.error).toBeInstanceOf(CliError);
    expect((again.error as Error).message).toBe(`${prefix}replayed already exists (an index or an alias); pick a fresh name`);
  }, 120_000);
});
