// Process plumbing shared by the service launchers: free ports, detached
// children with their own process group, PID liveness, stopping a group and
// waiting for it to be gone, running a command to completion, log tails.
import { spawn, type SpawnOptions } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, statSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { delimiter, join } from 'node:path';

export const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

/** Ask the OS for a free TCP port on loopback (listen on port 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no port from the OS'))));
    });
  });
}

/** True when nothing listens on 127.0.0.1:port and we can bind it. */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function portAccepts(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export function pidAlive(pid: number | undefined): boolean {
  if (pid === undefined || !Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A zombie still answers signal 0; treat it as gone.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return true;
  }
}

/** The command line of a live process, to check a PID from a state file is still ours. */
export function pidCommand(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Wrap a command so the kernel sends `sig` to it when the process that spawned
 * it dies (prctl PR_SET_PDEATHSIG via util-linux setpriv): servers owned by a
 * test run cannot outlive a killed run. Unchanged where setpriv is missing.
 */
export function withDeathSignal(command: string, args: string[], sig: NodeJS.Signals | undefined): [string, string[]] {
  const setpriv = sig ? which('setpriv') : undefined;
  if (!sig || !setpriv) return [command, args];
  return [setpriv, ['--pdeathsig', sig, '--', command, ...args]];
}

/**
 * Start a long-running server detached in its own process group, stdout and
 * stderr appended to logFile. The parent may exit; the child keeps running.
 */
export function spawnDetached(command: string, args: string[], logFile: string, options: SpawnOptions = {}): number {
  const fd = openSync(logFile, 'a');
  try {
    const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', fd, fd] });
    child.on('error', () => undefined);
    child.unref();
    if (child.pid === undefined) throw new Error(`could not start ${command}`);
    return child.pid;
  } finally {
    closeSync(fd);
  }
}

async function waitGone(pid: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (!pidAlive(pid)) return true;
    await sleep(100);
  }
  return !pidAlive(pid);
}

function signal(target: number, sig: NodeJS.Signals): void {
  try {
    process.kill(target, sig);
  } catch {
    // already gone
  }
}

/**
 * Stop a process started by spawnDetached: the polite signal to the leader,
 * then SIGKILL to the whole group if it has not exited within graceMs.
 */
export async function stopProcess(pid: number, sig: NodeJS.Signals = 'SIGTERM', graceMs = 20_000): Promise<void> {
  if (!pidAlive(pid)) return;
  signal(pid, sig);
  if (await waitGone(pid, graceMs)) {
    signal(-pid, 'SIGKILL'); // stray children of the group, if any
    return;
  }
  signal(-pid, 'SIGKILL');
  signal(pid, 'SIGKILL');
  await waitGone(pid, 5_000);
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run a command to completion, capturing its output (never throws on a non-zero exit). */
export function run(command: string, args: string[], options: SpawnOptions & { input?: string } = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { ...options, stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (err) => resolve({ code: 127, stdout, stderr: stderr + String(err) }));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    if (child.stdin) {
      child.stdin.on('error', () => undefined); // EPIPE when the child exits without reading
      child.stdin.end(options.input);
    }
  });
}

/** Look a program up on PATH (plus extra directories). */
export function which(program: string, extraDirs: string[] = []): string | undefined {
  if (program.includes('/')) return existsSync(program) ? program : undefined;
  const dirs = [...(process.env.PATH ?? '').split(delimiter), ...extraDirs, '/usr/sbin', '/sbin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = join(dir, program);
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The last lines of a log file, for error messages. */
export function tail(file: string, lines = 40): string {
  try {
    const text = readFileSync(file, 'utf8');
    return text.split('\n').slice(-lines).join('\n');
  } catch {
    return `(no log at ${file})`;
  }
}

let aptUpdated = false;

/**
 * Make sure a program is installed: when missing and we are root, install the
 * Debian package (apt-get update only when the install fails without it);
 * otherwise fail with the exact command to run. Waits for a dpkg lock held by
 * another apt-get.
 */
export async function ensureProgram(program: string, aptPackage: string, log: (line: string) => void, extraDirs: string[] = []): Promise<string> {
  const found = which(program, extraDirs);
  if (found) return found;
  const command = `apt-get install -y ${aptPackage}`;
  if (!isRoot() || !which('apt-get')) {
    throw new Error(`${program} is not installed. Install it with: sudo apt-get update && sudo ${command}`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const aptGet = async (args: string[]): Promise<RunResult> => {
    for (let attempt = 0; ; attempt++) {
      const result = await run('apt-get', ['-o', 'DPkg::Lock::Timeout=300', ...args], { env });
      const locked = /Could not get lock|dpkg was interrupted|Unable to acquire/.test(result.stderr);
      if (!locked || attempt >= 20) return result;
      log(`  dpkg is locked by another process, retrying in 15s`);
      await sleep(15_000);
    }
  };
  log(`  ${program} is missing; running: ${command}`);
  let result = await aptGet(['install', '-y', aptPackage]);
  if (result.code !== 0 && !aptUpdated) {
    log('  running: apt-get update');
    const update = await aptGet(['update']);
    aptUpdated = update.code === 0;
    result = await aptGet(['install', '-y', aptPackage]);
  }
  const installed = which(program, extraDirs);
  if (result.code !== 0 || !installed) {
    throw new Error(`could not install ${aptPackage} (exit ${result.code}):\n${result.stderr.slice(-2000)}`);
  }
  return installed;
}
