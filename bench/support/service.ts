import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { treeRssMb } from './processTree.ts';

export const ROOT = join(import.meta.dirname, '..', '..');
const JOBSCTL = join(ROOT, 'ops', 'cli', 'jobsctl.ts');

export interface Proc {
  name: string;
  child: ChildProcess;
  url: string;
  output(): string;
}

/** Spawns a node script under tsx and waits until `ready` finds its URL in the output. */
export async function spawnNode(name: string, args: readonly string[], env: Record<string, string>, ready: (out: string) => string | undefined, timeoutMs: number): Promise<Proc> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-200_000)));
  child.stderr.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-200_000)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} did not start in ${timeoutMs / 1000} s:\n${out.slice(-4000)}`));
    }, timeoutMs);
    const check = (): void => {
      const url = ready(out);
      if (url !== undefined) {
        clearTimeout(timer);
        resolve(url);
      }
    };
    child.stdout.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${String(code)} before it was ready:\n${out.slice(-4000)}`));
    });
  });
  return { name, child, url, output: () => out };
}

/** The banner's API URL, once `count` banners (one per worker) have printed their last line ("Try:"). */
const banner = (count: number) => (out: string): string | undefined =>
  (out.match(/^Try:/gm) ?? []).length >= count ? /API\s+(http:\/\/[^\s/]+)\/v1/.exec(out)?.[1] : undefined;

/** A line `listening <url>`. */
export const listening = (out: string): string | undefined => /^listening (\S+)/m.exec(out)?.[1];

/** `jobsctl serve --role <role> [--workers N]` with this environment. */
export function serve(role: string, env: Record<string, string>, { workers = 1, timeoutMs = 30 * 60_000 } = {}): Promise<Proc> {
  const args = [JOBSCTL, 'serve', '--role', role, ...(workers > 1 ? ['--workers', String(workers)] : [])];
  return spawnNode(`serve --role ${role}`, args, env, banner(workers), timeoutMs);
}

/** `jobsctl <args>` run to completion; its stdout. */
export async function jobsctl(args: readonly string[], env: Record<string, string>): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', JOBSCTL, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`jobsctl ${args.join(' ')} failed (exit ${String(code)}): ${err.slice(-2000)}${out.slice(-2000)}`);
  return out;
}

export async function stop(proc: Proc | undefined, timeoutMs = 20_000): Promise<void> {
  if (!proc || proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => proc.child.once('exit', () => resolve()));
  proc.child.kill('SIGTERM');
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), timeoutMs);
  await exited;
  clearTimeout(timer);
}

/** RSS in MiB of the service's node processes (workers summed). */
export function rssMb(procs: ReadonlyArray<Proc | undefined>): number {
  return procs.reduce((sum, p) => sum + (p?.child.pid !== undefined && p.child.exitCode === null ? treeRssMb(p.child.pid) : 0), 0);
}
