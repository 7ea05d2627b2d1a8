import { spawn } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

export interface JobsctlRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the package's `jobsctl` bin in a child process with `env` over this one's; `running()` is true until it exits. */
export function startJobsctl(args: readonly string[], env: Record<string, string> = {}): { done: Promise<JobsctlRun>; running: () => boolean } {
  const child = spawn(process.execPath, [join(root, 'ops', 'bin', 'jobsctl.js'), ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let running = true;
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<JobsctlRun>((resolve) =>
    child.once('exit', (code) => {
      running = false;
      resolve({ code, stdout, stderr });
    }),
  );
  return { done, running: () => running };
}

/** Runs `jobsctl` to its end. */
export const runJobsctl = (args: readonly string[], env: Record<string, string> = {}): Promise<JobsctlRun> => startJobsctl(args, env).done;
