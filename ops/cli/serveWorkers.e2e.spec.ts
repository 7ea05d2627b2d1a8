import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { jobsctlServe, spawnServer, waitForExit } from '../../tests/support/serverProcess.ts';
import type { ServerProcess } from '../../tests/support/serverProcess.ts';

const root = join(import.meta.dirname, '..', '..');

/** Direct children of a process running jobsctl (tsx also starts an esbuild child), from /proc (Linux). */
function workerPids(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Field 4 (after the parenthesised command name) is the parent pid.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid && readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('jobsctl.ts')) out.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

describe('jobsctl serve --workers', () => {
  let server: ServerProcess | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    if (server && server.child.exitCode === null) {
      server.child.kill('SIGKILL');
      await waitForExit(server.child);
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
    server = undefined;
    dir = undefined;
  });

  it('runs the query role as two processes on one port and stops them all on SIGTERM', async () => {
    dir = mkdtempSync(join(tmpdir(), 'jobs-workers-'));
    // Embedded query role on an empty data dir: no servers needed to see the process model.
    server = await spawnServer({ DATA_DIR: dir, SEED: 'false', AUTH_SECRET: 'workers-test-secret-workers-test-0123456789' }, 90_000, [...jobsctlServe('query'), '--workers', '2']);
    // Both workers print a banner; wait for the second and check they name the same port.
    const deadline = Date.now() + 60_000;
    while ((server.output().match(/^Try:/gm) ?? []).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const urls = [...server.output().matchAll(/API\s+(http:\/\/[^\s/]+)\/v1/g)].map((m) => m[1]);
    expect(urls).toHaveLength(2);
    expect(new Set(urls).size).toBe(1);
    const pid = server.child.pid ?? 0;
    expect(workerPids(pid)).toHaveLength(2);
    for (let i = 0; i < 4; i++) expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    server.child.kill('SIGTERM');
    await waitForExit(server.child);
    expect(server.child.exitCode).toBe(0);
  }, 120_000);

  it.each([['all'], ['projector']])('refuses --workers 2 with --role %s (exit 2, one line)', (role) => {
    const res = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'ops', 'cli', 'jobsctl.ts'), 'serve', '--role', role, '--workers', '2'], {
      cwd: root,
      env: { ...process.env, LOG_LEVEL: 'silent' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('--workers is for --role query only');
  }, 70_000);
});
