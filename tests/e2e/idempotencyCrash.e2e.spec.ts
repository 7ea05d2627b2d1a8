import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTokenService } from '../../ops/http/tokens.ts';
import { jobExample } from '../../command/http/examples.ts';
import { openPostgresIdempotencyStore } from '../../command/idempotency/postgresIdempotencyStore.ts';
import { openPostgresEventStore } from '../../eventstore/postgres/postgresEventStore.ts';
import { openSqliteEventStore } from '../../eventstore/sqlite/sqliteEventStore.ts';
import { buildApp } from '../../ops/http/buildApp.ts';
import { dropSchemas, testDatabaseUrl, uniqueSchema } from '../support/postgres.ts';
import { spawnServer, waitForExit } from '../support/serverProcess.ts';

const secret = 'idempotency-crash-secret-0123456789-abcdefgh';
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

interface Ack {
  id: string;
  revision: number;
  position: number;
}

const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'jobs-idem-'));
  dirs.push(dir);
  return dir;
};

async function businessHeaders(sub: string) {
  const token = await createTokenService(secret).sign({ role: 'business', sub });
  return { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
}

async function stop(child: Parameters<typeof waitForExit>[0]) {
  child.kill('SIGTERM');
  await waitForExit(child);
}

describe('Idempotency-Key across crashes and nodes', () => {
  it('after SIGKILL during a burst of keyed creates, every retry with its key answers 201 with the first id, and each job exists once', async () => {
    const dir = tempDir();
    const env = { DATA_DIR: dir, SEED: 'false', AUTH_SECRET: secret };
    const server = await spawnServer(env);
    const headers = await businessHeaders('b-burst');
    const bodyOf = (key: string) => JSON.stringify({ ...jobExample, title: `Keyed ${key}` });
    const sent = new Set<string>();
    const acks = new Map<string, Ack>();
    let stopAll = false;
    const clients = Array.from({ length: 16 }, async (_, c) => {
      for (let i = 0; !stopAll && i < 10_000; i++) {
        const key = `burst-${c}-${i}`;
        sent.add(key);
        try {
          const res = await fetch(`${server.url}/v1/jobs`, { method: 'POST', headers: { ...headers, 'idempotency-key': key }, body: bodyOf(key) });
          if (res.status === 201) acks.set(key, (await res.json()) as Ack);
        } catch {
          return; // the server is gone
        }
      }
    });
    while (acks.size < 200) await new Promise((r) => setTimeout(r, 10));
    server.child.kill('SIGKILL');
    await waitForExit(server.child);
    stopAll = true;
    await Promise.all(clients);

    const again = await spawnServer(env);
    try {
      const retried = await Promise.all(
        [...sent].map(async (key) => {
          const res = await fetch(`${again.url}/v1/jobs`, { method: 'POST', headers: { ...headers, 'idempotency-key': key }, body: bodyOf(key) });
          return { key, status: res.status, body: (await res.json()) as Ack };
        }),
      );
      expect(retried.filter((r) => r.status !== 201), 'every retry is a 201').toEqual([]);
      for (const r of retried) {
        const first = acks.get(r.key);
        if (first) expect(r.body, r.key).toEqual(first);
      }
      expect(new Set(retried.map((r) => r.body.id)).size).toBe(sent.size);
    } finally {
      await stop(again.child);
    }
    const store = await openSqliteEventStore({ path: join(dir, 'events.db') });
    try {
      let drafted = 0;
      for (let after = 0; ; ) {
        const page = await store.readAll({ after, maxCount: 1000 });
        if (page.length === 0) break;
        drafted += page.filter((e) => e.type === 'JobDrafted').length;
        after = page.at(-1)!.position;
      }
      expect(drafted, 'one job per key').toBe(sent.size);
    } finally {
      await store.close();
    }
  });

  it('a retry after a crash between the append and the recorded answer gets the first answer, not 409; a key sent to a read is never stored', async () => {
    const dir = tempDir();
    const env = { DATA_DIR: dir, SEED: 'false', AUTH_SECRET: secret };
    const headers = { ...(await businessHeaders('b-lost')), 'idempotency-key': 'create-lost-answer' };
    const first = await spawnServer(env);
    let ack: Ack;
    try {
      const res = await fetch(`${first.url}/v1/jobs`, { method: 'POST', headers, body: JSON.stringify(jobExample) });
      expect(res.status).toBe(201);
      ack = (await res.json()) as Ack;
      const search = { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': 'search-key' }, body: JSON.stringify({ text: 'cook' }) };
      expect((await fetch(`${first.url}/v1/search`, search)).headers.get('idempotent-replayed')).toBeNull();
      expect((await fetch(`${first.url}/v1/search`, search)).headers.get('idempotent-replayed')).toBeNull();
    } finally {
      await stop(first.child);
    }
    // What the process leaves when it dies after the append and before it records the answer: the events and no answer.
    const db = new Database(join(dir, 'commands.db'));
    try {
      expect(db.prepare('SELECT count(*) AS n FROM idempotency_keys').get()).toEqual({ n: 1 });
      db.prepare('DELETE FROM idempotency_keys').run();
    } finally {
      db.close();
    }
    const second = await spawnServer(env);
    try {
      const res = await fetch(`${second.url}/v1/jobs`, { method: 'POST', headers, body: JSON.stringify(jobExample) });
      expect(res.status).toBe(201);
      expect(await res.json()).toEqual(ack);
    } finally {
      await stop(second.child);
    }
    const store = await openSqliteEventStore({ path: join(dir, 'events.db') });
    try {
      expect((await store.readStream(`job-${ack.id}`)).map((e) => e.type)).toEqual(['JobDrafted', 'JobPublished']);
    } finally {
      await store.close();
    }
  });

  it('concurrent requests with one key on two nodes sharing PostgreSQL run once; the others replay its answer', async () => {
    const url = testDatabaseUrl();
    const schemas = [uniqueSchema('idem_es'), uniqueSchema('idem_keys')];
    const store = await openPostgresEventStore({ connectionString: url, schema: schemas[0]! });
    const keys = [await openPostgresIdempotencyStore(url, schemas[1]), await openPostgresIdempotencyStore(url, schemas[1])];
    const tokens = createTokenService(secret);
    const nodes = await Promise.all(keys.map((idempotency) => buildApp({ store, idempotency, tokens })));
    try {
      const headers = { ...(await businessHeaders('b-nodes')), 'idempotency-key': 'two-nodes-one-key' };
      const replies = await Promise.all(
        Array.from({ length: 12 }, (_, i) => nodes[i % 2]!.inject({ method: 'POST', url: '/v1/jobs', headers, payload: jobExample })),
      );
      expect(replies.map((r) => r.statusCode)).toEqual(Array(12).fill(201));
      expect(new Set(replies.map((r) => r.json<Ack>().id)).size).toBe(1);
      expect(replies.filter((r) => r.headers['idempotent-replayed'] !== 'true'), 'exactly one request ran').toHaveLength(1);
      expect((await store.readStream(`job-${replies[0]!.json<Ack>().id}`)).map((e) => e.type)).toEqual(['JobDrafted', 'JobPublished']);
    } finally {
      await Promise.all(nodes.map((n) => n.close()));
      await Promise.all(keys.map((k) => k.close()));
      await store.close();
      await dropSchemas(url, schemas);
    }
  });
});
