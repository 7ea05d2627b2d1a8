import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTokenService } from '../../ops/http/tokens.ts';
import { jobExample } from '../../command/http/examples.ts';
import { openSqliteEventStore } from '../../eventstore/sqlite/sqliteEventStore.ts';
import { spawnServer, waitForExit } from '../support/serverProcess.ts';

const secret = 'crash-test-secret-crash-test-secret-0123456789';
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

interface Ack {
  id: string;
  revision: number;
  position: number;
}

describe('crash safety of the embedded mode', () => {
  it('SIGKILL during a burst of writes loses no acknowledged event, and the service restarts on the same data', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jobs-crash-'));
    dirs.push(dir);
    const env = { DATA_DIR: dir, SEED: 'false', AUTH_SECRET: secret };
    const server = await spawnServer(env);
    const token = await createTokenService(secret).sign({ role: 'business', sub: 'b-crash' });
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const acks: Ack[] = [];
    let stop = false;
    // 16 clients write as fast as they can; the kill lands while requests are in flight.
    const clients = Array.from({ length: 16 }, async (_, c) => {
      for (let i = 0; !stop && i < 10_000; i++) {
        try {
          const res = await fetch(`${server.url}/v1/jobs`, { method: 'POST', headers, body: JSON.stringify({ ...jobExample, title: `Crash test ${c}-${i}` }) });
          if (res.status === 201) acks.push((await res.json()) as Ack);
        } catch {
          return; // connection refused or reset: the server is gone
        }
      }
    });
    while (acks.length < 300) await new Promise((r) => setTimeout(r, 10));
    server.child.kill('SIGKILL');
    await waitForExit(server.child);
    stop = true;
    await Promise.all(clients);
    expect(acks.length).toBeGreaterThanOrEqual(300);

    const store = await openSqliteEventStore({ path: join(dir, 'events.db') });
    try {
      for (const ack of acks) {
        const stream = await store.readStream(`job-${ack.id}`);
        expect(stream.map((e) => e.type), ack.id).toEqual(['JobDrafted', 'JobPublished']);
        expect(stream.at(-1)!.position).toBe(ack.position);
      }
      expect(await store.headPosition()).toBeGreaterThanOrEqual(Math.max(...acks.map((a) => a.position)));
    } finally {
      await store.close();
    }

    const again = await spawnServer(env);
    try {
      expect((await fetch(`${again.url}/readyz`)).status).toBe(200);
      const res = await fetch(`${again.url}/v1/jobs`, { method: 'POST', headers, body: JSON.stringify(jobExample) });
      expect(res.status).toBe(201);
      const after = (await res.json()) as Ack;
      expect(after.position).toBeGreaterThan(Math.max(...acks.map((a) => a.position)));
    } finally {
      again.child.kill('SIGTERM');
      await waitForExit(again.child);
    }
  });
});
