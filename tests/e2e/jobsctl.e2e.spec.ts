import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'jobsctl-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function jobsctl(...args: string[]): { code: number; stdout: string; stderr: string } {
  try {
    const stdout = execFileSync(process.execPath, [join(root, 'ops', 'bin', 'jobsctl.js'), ...args], {
      cwd: root,
      env: { ...process.env, DATA_DIR: dir, JOBS_MODE: 'embedded', AUTH_SECRET: '' },
      encoding: 'utf8',
      stdio: 'pipe',
    });
    return { code: 0, stdout, stderr: '' };
  } catch (err) {
    const e = err as { status: number; stdout: string; stderr: string };
    return { code: e.status, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('jobsctl', () => {
  it('seeds a deterministic dataset and reports the projections lagging behind it', () => {
    const seeded = jobsctl('seed', '--jobs', '300', '--seed', '7', '--now', '2027-03-01T00:00:00Z', '--json');
    expect(seeded.code).toBe(0);
    const summary = JSON.parse(seeded.stdout) as { events: number; head: number; streams: number };
    expect(summary.events).toBeGreaterThan(600);
    expect(summary.head).toBe(summary.events);

    const again = JSON.parse(jobsctl('seed', '--jobs', '300', '--seed', '7', '--now', '2027-03-01T00:00:00Z', '--json').stdout) as { events: number; head: number };
    expect(again).toMatchObject({ events: 0, head: summary.head }); // the same data is already there

    const status = jobsctl('projections', 'status', '--json');
    expect(status.code).toBe(0);
    const projections = (JSON.parse(status.stdout) as { projections: { name: string; checkpoint: number; head: number; lagEvents: number }[] }).projections;
    expect(projections.map((p) => p.name).sort()).toEqual(['jobs', 'lists']);
    for (const p of projections) expect(p).toMatchObject({ checkpoint: 0, head: summary.head, lagEvents: summary.head });
  });

  it('has --help on every command and refuses bad arguments with exit code 2', () => {
    for (const args of [['--help'], ['seed', '--help'], ['token', '--help'], ['serve', '--help'], ['projections', 'status', '--help']]) {
      const r = jobsctl(...args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout).toMatch(/Usage: jobsctl/);
    }
    const bad = jobsctl('seed', '--jobs', 'many');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--jobs must be a non-negative integer');
  });
});
