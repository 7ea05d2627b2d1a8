import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoadResult, LoadSpec } from './loadSpec.ts';

type Reply = { ready: true } | { result: LoadResult } | { error: string };

let child: ChildProcess | undefined;
let replies: ((reply: Reply) => void) | undefined;
let exited: ((err: Error) => void) | undefined;

/** The load generator's process, started on first use and kept for the run. */
async function generator(): Promise<ChildProcess> {
  if (child && child.exitCode === null) return child;
  const c = fork(join(import.meta.dirname, 'loadProcess.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  c.on('message', (m: Reply) => replies?.(m));
  c.once('exit', (code) => exited?.(new Error(`load generator exited with ${String(code)}`)));
  await new Promise<void>((resolve, reject) => {
    replies = () => resolve();
    exited = reject;
  });
  child = c;
  return c;
}

/** Runs a load spec in the load generator's process (paced open loop at a rate, autocannon closed loop) and returns its result. */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const c = await generator();
  const dir = mkdtempSync(join(tmpdir(), 'bench-load-'));
  const file = join(dir, 'spec.json');
  writeFileSync(file, JSON.stringify(spec));
  try {
    const reply = await new Promise<Reply>((resolve, reject) => {
      replies = resolve;
      exited = reject;
      c.send({ file });
    });
    if ('error' in reply) throw new Error(`load generator: ${reply.error}`);
    if (!('result' in reply)) throw new Error('load generator answered out of turn');
    return reply.result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Stops the load generator (end of the run). */
export async function stopLoad(): Promise<void> {
  const c = child;
  child = undefined;
  if (!c || c.exitCode !== null) return;
  exited = () => undefined;
  const done = new Promise<void>((resolve) => c.once('exit', () => resolve()));
  c.kill('SIGTERM');
  await done;
}
