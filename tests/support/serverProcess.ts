import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
}

const root = join(import.meta.dirname, '..', '..');

/** Starts `ops/main.ts` as its own process (as `npm start` does) and waits for its URL. */
export async function spawnServer(env: Record<string, string>, timeoutMs = 60_000, args: readonly string[] = [join(root, 'ops', 'main.ts')], options: { waitFor?: 'banner' | 'spawn' } = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: root,
    // Rate limits off unless a test turns them on: the suites drive bursts from one address and one token.
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent', SCHEDULER: 'off', RATE_LIMIT: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  if (options.waitFor === 'spawn') return { child, url: '', output: () => out };
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in ${timeoutMs} ms:\n${out}`)), timeoutMs);
    const check = () => {
      const m = /API\s+(http:\/\/[^\s/]+)\/v1/.exec(out);
      // The banner ends with the "Try:" line (demo tokens, when printed at all, come before it).
      if (m?.[1] && /^Try:/m.test(out)) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${String(code)} before it was ready:\n${out}`));
    });
  });
  return { child, url, output: () => out };
}

/** `jobsctl serve --role <role>` as a child process. */
export function jobsctlServe(role: string): string[] {
  return [join(root, 'ops', 'cli', 'jobsctl.ts'), 'serve', '--role', role];
}

export function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}
