// The search engine goes away under a running server-mode service (its own
// process; the engine behind a TCP relay the test cuts, as a crashed or
// partitioned node would look): commands still answer, because the log is in
// PostgreSQL; /readyz says the engine failed; the process lives; and once the
// engine is back, the projector catches up and the job written meanwhile is
// found.
import { createServer, connect } from 'node:net';
import type { Server, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenService } from '../../ops/http/tokens.ts';
import { jobExample } from '../../command/http/examples.ts';
import type { ServerModeEnv } from '../support/serverMode.ts';
import { serverModeEnv } from '../support/serverMode.ts';
import type { ServerProcess } from '../support/serverProcess.ts';
import { spawnServer, waitForExit } from '../support/serverProcess.ts';

const secret = 'outage-secret-outage-secret-outage-secret-0';

/** A TCP relay to the engine that can be cut (every connection dropped, none accepted) and restored on the same port. */
function relay(target: URL) {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = connect(Number(target.port), target.hostname);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => s.destroy());
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', () => {
        const address = server!.address();
        port = typeof address === 'object' && address ? address.port : port;
        resolve();
      });
    });
  return {
    url: () => `http://127.0.0.1:${port}`,
    listen,
    cut: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server?.close(() => resolve());
      }),
  };
}

describe('the search engine lost under a running server-mode service', () => {
  let env: ServerModeEnv;
  let server: ServerProcess;
  let engine: ReturnType<typeof relay>;
  let headers: Record<string, string>;

  beforeAll(async () => {
    engine = relay(new URL(process.env.SEARCH_URL ?? ''));
    await engine.listen();
    env = serverModeEnv(secret, { SEED: 'false', SEARCH_URL: engine.url(), NOTIFICATIONS: 'off', MIN_POSITION_WAIT_MS: '3000' });
    server = await spawnServer(env.env, 120_000);
    headers = { authorization: `Bearer ${await createTokenService(secret).sign({ role: 'business', sub: 'b-outage' })}`, 'content-type': 'application/json' };
  });
  afterAll(async () => {
    if (server && server.child.exitCode === null) {
      server.child.kill('SIGTERM');
      await waitForExit(server.child);
    }
    await engine?.cut();
    await env?.dispose();
  });

  const post = (body: unknown) => fetch(`${server.url}/v1/jobs`, { method: 'POST', headers, body: JSON.stringify(body) });

  it('keeps taking commands, says it is not ready, lives, and catches up once the engine is back', { timeout: 180_000 }, async () => {
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    await engine.cut();

    // Writes go to the log: accepted while the engine is gone.
    const created = await post({ ...jobExample, title: 'Written while the engine was away' });
    expect(created.status).toBe(201);
    const { id, position } = (await created.json()) as { id: string; position: number };
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { checks: Record<string, string> }).checks.searchEngine).toBe('failed');
    // A read needs the engine: it fails as a 5xx in the error shape, never by the process going down.
    const read = await fetch(`${server.url}/v1/search?size=1`);
    expect(read.status).toBeGreaterThanOrEqual(500);
    expect(await read.json()).toMatchObject({ statusCode: read.status });
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(server.child.exitCode).toBeNull();
    expect((await post({ ...jobExample, title: 'Second while away' })).status).toBe(201);

    await engine.listen();
    await expect.poll(async () => (await fetch(`${server.url}/readyz`)).status, { timeout: 60_000, interval: 500 }).toBe(200);
    // The projector retried and applied what was written meanwhile.
    await expect
      .poll(async () => (await fetch(`${server.url}/v1/jobs/${id}?minPosition=${position}`)).status, { timeout: 60_000, interval: 500 })
      .toBe(200);
    // Searchable a moment later (the engine refreshes each second).
    const found = async () => ((await (await fetch(`${server.url}/v1/search?text=${encodeURIComponent('written while the engine was away')}`)).json()) as { hits: Array<{ job: { jobId: string } }> }).hits.map((h) => h.job.jobId);
    await expect.poll(found, { timeout: 30_000, interval: 500 }).toContain(id);
    expect(server.child.exitCode).toBeNull();
  });
});
