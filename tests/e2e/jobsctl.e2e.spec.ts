import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runJobsctl } from '../support/jobsctl.ts';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'jobsctl-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));


const jobsctl = (...args: string[]) => runJobsctl(args, { DATA_DIR: dir, JOBS_MODE: 'embedded', AUTH_SECRET: '' });

describe('jobsctl', () => {
  it('seeds a deterministic dataset and reports the projections lagging behind it', async () => {
    const seeded = await jobsctl('seed', '--jobs', '300', '--seed', '7', '--now', '2027-03-01T00:00:00Z', '--json');
    expect(seeded.code).toBe(0);
    const summary = JSON.parse(seeded.stdout) as { events: number; head: number; streams: number };
    expect(summary.events).toBeGreaterThan(600);
    expect(summary.head).toBe(summary.events);

    const again = JSON.parse((await jobsctl('seed', '--jobs', '300', '--seed', '7', '--now', '2027-03-01T00:00:00Z', '--json')).stdout) as { events: number; head: number };
    expect(again).toMatchObject({ events: 0, head: summary.head }); // the same data is already there

    const status = await jobsctl('projections', 'status', '--json');
    expect(status.code).toBe(0);
    const projections = (JSON.parse(status.stdout) as { projections: { name: string; checkpoint: number; head: number; lagEvents: number }[] }).projections;
    expect(projections.map((p) => p.name).sort()).toEqual(['jobs', 'lists']);
    for (const p of projections) expect(p).toMatchObject({ checkpoint: 0, head: summary.head, lagEvents: summary.head });
  });

  it('has --help on every command and refuses bad arguments with exit code 2', async () => {
    for (const args of [['--help'], ['seed', '--help'], ['token', '--help'], ['serve', '--help'], ['projections', 'status', '--help']]) {
      const r = await jobsctl(...args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout).toMatch(/Usage: jobsctl/);
    }
    const bad = await jobsctl('seed', '--jobs', 'many');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--jobs must be a non-negative integer');
  });

  it('token --ttl signs up to TOKEN_MAX_TTL (default 12h) and refuses more with a clear message', async () => {
    const claims = (token: string) => JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { exp: number; iat: number; aud: string };
    const byDefault = await jobsctl('token', '--role', 'worker', '--sub', 'w00001');
    expect(byDefault.code).toBe(0);
    expect(claims(byDefault.stdout.trim())).toMatchObject({ aud: 'jobs-discovery-api' });
    expect(claims(byDefault.stdout.trim()).exp - claims(byDefault.stdout.trim()).iat).toBe(12 * 3600);
    const short = await jobsctl('token', '--role', 'operator', '--sub', 'ops', '--ttl', '15m', '--json');
    expect(short.code).toBe(0);
    const { token } = JSON.parse(short.stdout) as { token: string };
    expect(claims(token).exp - claims(token).iat).toBe(900);
    const tooLong = await jobsctl('token', '--role', 'worker', '--sub', 'w00001', '--ttl', '30d');
    expect(tooLong.code).toBe(2);
    expect(tooLong.stdout).toBe('');
    expect(tooLong.stderr.trim()).toBe('--ttl: token lifetime 30d is past the cap of 12h (TOKEN_MAX_TTL)');
    const malformed = await jobsctl('token', '--role', 'worker', '--sub', 'w00001', '--ttl', 'forever');
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('not a duration');
    const raised = await runJobsctl(['token', '--role', 'worker', '--sub', 'w00001', '--ttl', '30d'], { DATA_DIR: dir, JOBS_MODE: 'embedded', AUTH_SECRET: '', TOKEN_MAX_TTL: '30d' });
    expect(raised.code).toBe(0);
    expect(claims(raised.stdout.trim()).exp - claims(raised.stdout.trim()).iat).toBe(30 * 86_400);
  });
});
