// SIGTERM as an orchestrator sends it, to the service running as its own
// process: /readyz turns 503 at once while requests are still served (the
// delay a load balancer needs to stop sending), a request in flight gets its
// answer, and the process exits on its own, 0, within the deadline; one that
// outlives the deadline has its connection cut, and the process still exits.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ServerProcess } from '../support/serverProcess.ts';
import { spawnServer, waitForExit } from '../support/serverProcess.ts';

const dirs: string[] = [];
const servers: ServerProcess[] = [];
afterAll(() => {
  for (const s of servers) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function start(env: Record<string, string>): Promise<ServerProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'jobs-shutdown-'));
  dirs.push(dir);
  const server = await spawnServer({ DATA_DIR: dir, SEED: 'false', NOTIFICATIONS: 'off', AUTH_SECRET: 'shutdown-secret-shutdown-secret-0123456789', ...env });
  servers.push(server);
  return server;
}

const exitOf = (server: ServerProcess) => new Promise<{ code: number | null; at: number }>((resolve) => server.child.once('exit', (code) => resolve({ code, at: Date.now() })));

describe('graceful shutdown on SIGTERM', () => {
  it('answers 503 on /readyz while still serving, lets the request in flight finish, and exits 0', async () => {
    const server = await start({ SHUTDOWN_DELAY_MS: '1500', SHUTDOWN_TIMEOUT_MS: '10000', MIN_POSITION_WAIT_MS: '3000' });
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    // A read that waits for a log position not reached yet stays in flight for 3 s, then answers 503 stale_read.
    const inFlight = fetch(`${server.url}/v1/search?size=1&minPosition=999999999`).then(async (res) => ({ status: res.status, body: (await res.json()) as { code?: string } }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const exited = exitOf(server);
    const signalled = Date.now();
    server.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));

    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'not_ready', checks: { shutdown: 'failed' } });
    // Still serving during the delay.
    expect((await fetch(`${server.url}/v1/search?size=1`)).status).toBe(200);

    expect(await inFlight).toEqual({ status: 503, body: expect.objectContaining({ code: 'stale_read' }) as unknown });
    const { code, at } = await exited;
    expect(code).toBe(0);
    expect(at - signalled).toBeLessThan(10_000);
  });

  it('cuts a request that outlives the deadline, and exits anyway', async () => {
    const server = await start({ SHUTDOWN_TIMEOUT_MS: '500', MIN_POSITION_WAIT_MS: '20000' });
    const inFlight = fetch(`${server.url}/v1/search?size=1&minPosition=999999999`).then((res) => res.status, (err: unknown) => err);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const exited = exitOf(server);
    const signalled = Date.now();
    server.child.kill('SIGTERM');
    const { code, at } = await exited;
    expect(code).toBe(0);
    expect(at - signalled).toBeLessThan(10_000);
    // The client saw its connection go, not an answer.
    expect(await inFlight).toBeInstanceOf(Error);
    await waitForExit(server.child);
  });
});
