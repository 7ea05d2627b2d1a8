// `npm run services:*` (ops/services/cli.ts) run in this process on folders
// with no services in them: it parses process.argv when imported and does not
// wait for the command, so each run sets argv, imports a fresh copy and waits
// for the output the command ends with.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

interface Run {
  stdout: string;
  stderr: string;
  exitCode: number | undefined;
}

async function services(args: string[], done: (r: Run) => boolean): Promise<Run> {
  vi.resetModules();
  const argv = process.argv;
  process.argv = [process.execPath, 'services', ...args];
  const run: Run = { stdout: '', stderr: '', exitCode: undefined };
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((run.stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((run.stderr += String(chunk)), true));
  process.exitCode = undefined;
  try {
    await import('./cli.ts');
    await vi.waitFor(() => {
      if (!done(run)) throw new Error(`still running: ${JSON.stringify(run)}`);
    });
    run.exitCode = typeof process.exitCode === 'number' ? process.exitCode : undefined;
  } finally {
    process.argv = argv;
    process.exitCode = undefined;
    out.mockRestore();
    err.mockRestore();
  }
  return run;
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'services-cli-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('the services command', () => {
  it('status of a folder where nothing was started says so for each service and exits 1', async () => {
    const run = await services(['--base-dir', dir, 'status'], (r) => r.stdout.split('\n').length > 3);
    expect(run.stdout).toBe(['postgres    stopped    not started', 'redis       stopped    not started', 'opensearch  stopped    not started', ''].join('\n'));
    expect(run.exitCode).toBe(1);
  });

  it('status --json gives the rows as JSON', async () => {
    const run = await services(['--base-dir', dir, '--json', 'status'], (r) => r.stdout.endsWith(']\n'));
    expect(JSON.parse(run.stdout)).toEqual(['postgres', 'redis', 'opensearch'].map((name) => ({ name, running: false, healthy: false, detail: 'not started' })));
    expect(run.exitCode).toBe(1);
  });

  it('down with nothing running says so, or gives an empty list with --json', async () => {
    expect((await services(['--base-dir', dir, 'down'], (r) => r.stderr.length > 0)).stderr).toBe('nothing was running\n');
    const json = await services(['--base-dir', dir, '--json', 'down'], (r) => r.stdout.length > 0);
    expect(JSON.parse(json.stdout)).toEqual({ stopped: [] });
    expect(json.stderr).toBe('');
  });

  it('up --only refuses a service it does not know, naming the known ones, and starts nothing', async () => {
    const run = await services(['--base-dir', dir, 'up', '--only', 'redis, mysql'], (r) => r.stderr.length > 0);
    expect(run.stderr).toBe('unknown service mysql (one of postgres, redis, opensearch)\n');
    expect(run.stdout).toBe('');
    expect(run.exitCode).toBe(1);
  });
});
