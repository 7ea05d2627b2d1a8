// The jobsctl entry point (ops/cli/jobsctl.ts) run in this process: it parses
// process.argv when imported, so each run sets argv, imports a fresh copy and
// catches process.exit. Embedded DATA_DIR only; `serve` is run only as far as
// its usage checks.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTokenService } from '../http/tokens.ts';
import { authSecrets } from '../authSecret.ts';
import { loadConfig } from '../config.ts';

class ExitCalled extends Error {
  constructor(readonly code: number | undefined) {
    super(`process.exit(${String(code)})`);
  }
}

interface Run {
  stdout: string;
  stderr: string;
  /** The code given to process.exit, or else the exit code left in process.exitCode. */
  code: number | undefined;
}

let dir: string;
let env: Record<string, string>;

async function jobsctl(args: string[], extraEnv: Record<string, string> = {}): Promise<Run> {
  vi.resetModules();
  for (const [k, v] of Object.entries({ ...env, ...extraEnv })) vi.stubEnv(k, v);
  const argv = process.argv;
  process.argv = [process.execPath, 'jobsctl', ...args];
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  const consoleError = vi.spyOn(console, 'error').mockImplementation((...parts: unknown[]) => void (stderr += `${parts.map(String).join(' ')}\n`));
  const exit = vi.spyOn(process, 'exit').mockImplementation((code?: string | number | null) => {
    throw new ExitCalled(typeof code === 'number' ? code : undefined);
  });
  process.exitCode = undefined;
  let code: number | undefined;
  try {
    await import('./jobsctl.ts');
    code = typeof process.exitCode === 'number' ? process.exitCode : undefined;
  } catch (e) {
    if (!(e instanceof ExitCalled)) throw e;
    code = e.code;
  } finally {
    process.argv = argv;
    process.exitCode = undefined;
    for (const spy of [out, err, consoleError, exit]) spy.mockRestore();
    vi.unstubAllEnvs();
  }
  return { stdout, stderr, code };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'jobsctl-entry-'));
  // Embedded and on its own: the URLs of the servers a test run shares are blanked (loadConfig ignores empty values).
  env = {
    DATABASE_URL: '', REDIS_URL: '', SEARCH_URL: '', EVENT_STORE: '', EVENTSTOREDB_URL: '', SMTP_URL: '', AUTH_SECRET: '', TOKEN_TTL: '', TOKEN_MAX_TTL: '',
    DATA_DIR: dir, JOBS_MODE: 'embedded', SEED: 'false', LOG_LEVEL: 'silent',
  };
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('jobsctl token', () => {
  it('prints a token the service of the same DATA_DIR accepts, as text or JSON', async () => {
    const tokens = () => createTokenService(authSecrets(loadConfig({ DATA_DIR: dir })), '12h');
    const text = await jobsctl(['token', '--role', 'worker', '--sub', 'w00001']);
    expect(text.code).toBeUndefined();
    expect(await tokens().verify(text.stdout.trim())).toMatchObject({ role: 'worker', sub: 'w00001' });

    const json = await jobsctl(['token', '--role', 'business', '--sub', 'b00002', '--ttl', '30m', '--json']);
    const printed = JSON.parse(json.stdout) as { role: string; sub: string; token: string };
    expect(printed).toMatchObject({ role: 'business', sub: 'b00002' });
    expect(await tokens().verify(printed.token)).toMatchObject({ role: 'business', sub: 'b00002' });
  });

  it('refuses a lifetime past TOKEN_MAX_TTL with exit code 2 and the reason', async () => {
    const run = await jobsctl(['token', '--role', 'worker', '--sub', 'w00001', '--ttl', '2d']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^--ttl: /);
  });

  it('exits 2 with one line per problem on a bad configuration', async () => {
    const run = await jobsctl(['token', '--role', 'worker', '--sub', 'w00001'], { RATE_LIMIT: 'sometimes', TOKEN_TTL: '1w', TOKEN_MAX_TTL: '1d' });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^invalid configuration:\n {2}- RATE_LIMIT: .*\(got "sometimes"\)\n {2}- TOKEN_TTL: 1w is longer than TOKEN_MAX_TTL \(1d\)\n$/);
  });
});

describe('jobsctl seed and projections status', () => {
  it('seeds the same dataset for the same seed and prints what it appended', async () => {
    const run = await jobsctl(['seed', '--jobs', '6', '--seed', '9', '--now', '2027-03-01T00:00:00Z', '--json']);
    expect(run.code).toBeUndefined();
    const summary = JSON.parse(run.stdout) as { jobs: number; seed: number; streams: number; events: number; seconds: number; head: number };
    expect(summary).toMatchObject({ jobs: 6, seed: 9 });
    expect(summary.events).toBeGreaterThan(6);
    expect(summary.head).toBe(summary.events);

    const other = mkdtempSync(join(tmpdir(), 'jobsctl-entry-seed-'));
    try {
      const again = await jobsctl(['seed', '--jobs', '6', '--seed', '9', '--now', '2027-03-01T00:00:00Z'], { DATA_DIR: other });
      expect(again.stdout).toBe(`seeded ${summary.events} events in ${summary.streams} streams in ${again.stdout.match(/in ([\d.]+) s;/)?.[1]} s; log head ${summary.events}\n`);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  }, 60_000);

  it('refuses a --now that is no instant, and a count that is no integer', async () => {
    const badNow = await jobsctl(['seed', '--jobs', '1', '--now', 'tomorrow']);
    expect(badNow).toMatchObject({ code: 2, stderr: '--now must be an ISO instant\n' });
    const badCount = await jobsctl(['seed', '--jobs', '1.5']);
    expect(badCount).toMatchObject({ code: 2, stderr: '--jobs must be a non-negative integer\n' });
  });

  it('projections status shows each projection behind the head it has not read yet', async () => {
    const json = await jobsctl(['projections', 'status', '--json']);
    expect(json.code).toBeUndefined();
    const { projections } = JSON.parse(json.stdout) as { projections: { name: string; checkpoint: number; head: number; lagEvents: number; deadLetters: number }[] };
    expect(projections.length).toBeGreaterThan(0);
    for (const p of projections) {
      expect(p.checkpoint).toBe(0);
      expect(p.lagEvents).toBe(p.head);
      expect(p.deadLetters).toBe(0);
    }
    const text = await jobsctl(['projections', 'status']);
    expect(text.stdout.trim().split('\n')).toHaveLength(projections.length);
    for (const p of projections) expect(text.stdout).toContain(`${p.name.padEnd(8)} checkpoint 0 / head ${p.head}  lag ${p.head} events  dead letters 0`);
  });
});

describe('jobsctl serve and run-job', () => {
  it.each([
    [['serve', '--workers', '0'], '--workers must be at least 1'],
    [['serve', '--workers', '2'], '--workers is for --role query only (the other roles hold state or a lease per process)'],
    [['serve', '--role', 'projector', '--workers', '3'], '--workers is for --role query only (the other roles hold state or a lease per process)'],
  ])('serve %j refuses with exit code 2: %s', async (args, message) => {
    expect(await jobsctl(args)).toMatchObject({ code: 2, stderr: `${message}\n` });
  });

  it('run-job drift-check in embedded mode fails and says the serving process runs it', async () => {
    const run = await jobsctl(['run-job', 'drift-check', '--now', '2027-03-01T00:00:00Z']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^drift-check \(slot 2027-03-01T00:00:00\.000Z\) failed: drift-check: in embedded mode the serving process runs it \(every 5 minutes\)/);
  });
});
