import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { delimiter } from 'node:path';
import { ensureProgram, freePort, isRoot, pidAlive, pidCommand, portAccepts, portIsFree, run, spawnDetached, stopProcess, tail, which, withDeathSignal } from './proc.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'proc-spec-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A PID that certainly belongs to no process: one of a child that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn('true');
  await new Promise((r) => child.once('exit', r));
  return child.pid!;
}

const listen = (port = 0): Promise<Server> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
const portOf = (server: Server) => (server.address() as { port: number }).port;
const close = (server: Server) => new Promise((r) => server.close(r));

describe('ports', () => {
  it('freePort gives a port nothing listens on, which can then be bound', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    expect(await portIsFree(port)).toBe(true);
    expect(await portAccepts(port, 200)).toBe(false);
    await close(await listen(port));
  });

  it('a port something listens on is neither free nor refusing', async () => {
    const server = await listen();
    try {
      expect(await portIsFree(portOf(server))).toBe(false);
      expect(await portAccepts(portOf(server))).toBe(true);
    } finally {
      await close(server);
    }
  });
});

describe('processes', () => {
  it('pidAlive is false for ids that are no process and for a process that has exited', async () => {
    for (const pid of [undefined, 0, -1, 1.5, Number.NaN]) expect(pidAlive(pid)).toBe(false);
    expect(pidAlive(await deadPid())).toBe(false);
  });

  it('pidAlive is true for this process, and pidCommand gives its command line', () => {
    expect(pidAlive(process.pid)).toBe(true);
    expect(pidCommand(process.pid)).toContain(process.execPath.split('/').pop());
  });

  it('pidCommand is empty for a process that is gone', async () => {
    expect(pidCommand(await deadPid())).toBe('');
  });

  it('withDeathSignal leaves the command as it is without a signal and wraps it in setpriv with one', () => {
    expect(withDeathSignal('redis-server', ['--port', '1'], undefined)).toEqual(['redis-server', ['--port', '1']]);
    const setpriv = which('setpriv');
    const wrapped = withDeathSignal('redis-server', ['--port', '1'], 'SIGTERM');
    if (setpriv) expect(wrapped).toEqual([setpriv, ['--pdeathsig', 'SIGTERM', '--', 'redis-server', '--port', '1']]);
    else expect(wrapped).toEqual(['redis-server', ['--port', '1']]);
  });

  it('spawnDetached starts a process that logs to the file, and stopProcess stops it politely', async () => {
    const log = join(dir, 'polite.log');
    const pid = spawnDetached('sh', ['-c', 'echo started; exec sleep 60'], log);
    expect(pidAlive(pid)).toBe(true);
    await expect.poll(() => tail(log)).toContain('started');
    await stopProcess(pid, 'SIGTERM', 5_000);
    expect(pidAlive(pid)).toBe(false);
  });

  it('stopProcess kills a process that ignores the polite signal once the grace time is over', async () => {
    const log = join(dir, 'stubborn.log');
    const pid = spawnDetached('sh', ['-c', 'trap "" TERM; echo ready; while :; do sleep 1; done'], log);
    await expect.poll(() => tail(log)).toContain('ready');
    await stopProcess(pid, 'SIGTERM', 300);
    expect(pidAlive(pid)).toBe(false);
  });

  it('stopProcess of a process that is gone does nothing', async () => {
    await expect(stopProcess(await deadPid())).resolves.toBeUndefined();
  });

  it('spawnDetached fails for a program that does not exist', () => {
    expect(() => spawnDetached(join(dir, 'no-such-program'), [], join(dir, 'none.log'))).toThrow(/could not start/);
  });
});

describe('run', () => {
  it('captures stdout, stderr and the exit code, and feeds input when given', async () => {
    expect(await run('sh', ['-c', 'echo out; echo err >&2; exit 3'])).toEqual({ code: 3, stdout: 'out\n', stderr: 'err\n' });
    expect(await run('cat', [], { input: 'fed in' })).toEqual({ code: 0, stdout: 'fed in', stderr: '' });
  });

  it('answers 127 for a program that cannot be started, without throwing', async () => {
    const result = await run(join(dir, 'no-such-program'), []);
    expect(result.code).toBe(127);
    expect(result.stderr).toMatch(/ENOENT/);
  });

  it('survives a child that exits without reading its input', async () => {
    expect((await run('true', [], { input: 'x'.repeat(1 << 20) })).code).toBe(0);
  });
});

describe('which and tail', () => {
  it('which finds a program on PATH or in the extra folders, and a path only if it exists', () => {
    expect(which('sh')).toMatch(/\/sh$/);
    expect(which('definitely-not-a-program-here')).toBeUndefined();
    const extra = join(dir, 'bin');
    writeFileSync(join(dir, 'tool'), '');
    expect(which('tool', [dir, extra])).toBe(join(dir, 'tool'));
    expect(which(join(dir, 'tool'))).toBe(join(dir, 'tool'));
    expect(which(join(dir, 'missing-tool'))).toBeUndefined();
  });

  it('tail gives the last lines of a file, and says so when there is no file', () => {
    const file = join(dir, 'lines.log');
    writeFileSync(file, Array.from({ length: 50 }, (_, i) => `line ${i}`).join('\n'));
    expect(tail(file, 3)).toBe('line 47\nline 48\nline 49');
    expect(tail(file).split('\n')).toHaveLength(40);
    expect(tail(join(dir, 'absent.log'))).toBe(`(no log at ${join(dir, 'absent.log')})`);
  });

  it('ensureProgram gives the path of a program that is installed, installing nothing', async () => {
    const lines: string[] = [];
    expect(await ensureProgram('sh', 'dash', (l) => lines.push(l))).toBe(which('sh'));
    expect(lines).toEqual([]);
  });

  it('ensureProgram, not running as root, names the command that installs a missing program instead of running it', async () => {
    const getuid = vi.spyOn(process, 'getuid').mockReturnValue(1000);
    try {
      expect(isRoot()).toBe(false);
      await expect(ensureProgram('definitely-not-a-program-here', 'some-package', () => undefined)).rejects.toThrow(
        'definitely-not-a-program-here is not installed. Install it with: sudo apt-get update && sudo apt-get install -y some-package',
      );
    } finally {
      getuid.mockRestore();
    }
  });

  it('ensureProgram as root installs a missing package, running apt-get update only when the install fails without it', async () => {
    // A stand-in apt-get first on PATH: `install` fails until `update` has run, then puts the program in place.
    const fakeBin = join(dir, 'fake-apt');
    const installed = join(dir, 'installed');
    mkdirSync(fakeBin, { recursive: true });
    mkdirSync(installed, { recursive: true });
    const script = [
      '#!/bin/sh',
      `echo "$@" >> ${join(dir, 'apt-calls.log')}`,
      'for a in "$@"; do last="$a"; done',
      `case " $* " in`,
      `  *" update "*) touch ${join(dir, 'apt-updated')}; exit 0 ;;`,
      `  *" install "*) if [ "$last" = "good-package" ] && [ -e ${join(dir, 'apt-updated')} ]; then printf '' > ${join(installed, 'fresh-program')}; exit 0; fi; echo "E: Unable to locate package $last" >&2; exit 100 ;;`,
      'esac',
    ].join('\n');
    writeFileSync(join(fakeBin, 'apt-get'), script);
    chmodSync(join(fakeBin, 'apt-get'), 0o755);
    vi.stubEnv('PATH', `${fakeBin}${delimiter}${process.env.PATH ?? ''}`);
    const getuid = vi.spyOn(process, 'getuid').mockReturnValue(0);
    try {
      const lines: string[] = [];
      expect(await ensureProgram('fresh-program', 'good-package', (l) => lines.push(l), [installed])).toBe(join(installed, 'fresh-program'));
      expect(lines).toEqual(['  fresh-program is missing; running: apt-get install -y good-package', '  running: apt-get update']);
      expect(tail(join(dir, 'apt-calls.log')).trim().split('\n')).toEqual([
        '-o DPkg::Lock::Timeout=300 install -y good-package',
        '-o DPkg::Lock::Timeout=300 update',
        '-o DPkg::Lock::Timeout=300 install -y good-package',
      ]);
      // Once an update has worked, a failing install is reported with apt-get's error, without another update.
      await expect(ensureProgram('other-program', 'bad-package', () => undefined, [installed])).rejects.toThrow(
        /could not install bad-package \(exit 100\):\nE: Unable to locate package bad-package/,
      );
      expect(tail(join(dir, 'apt-calls.log')).trim().split('\n')).toHaveLength(4);
    } finally {
      getuid.mockRestore();
      vi.unstubAllEnvs();
    }
  });
});
