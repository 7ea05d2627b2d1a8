import type { FastifyInstance } from 'fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Principal } from '../../eventstore/events/index.ts';
import type { TokenService } from '../../ops/http/tokens.ts';
import { createTokenService } from '../../ops/http/tokens.ts';
import type { IdempotencyStore } from '../../command/idempotency/idempotencyStore.ts';
import { openSqliteIdempotencyStore } from '../../command/idempotency/sqliteIdempotencyStore.ts';
import { openSqliteEventStore } from '../../eventstore/sqlite/sqliteEventStore.ts';
import { openPostgresEventStore } from '../../eventstore/postgres/postgresEventStore.ts';
import { dropSchemas } from './postgres.ts';
import type { EventStore } from '../../eventstore/port.ts';
import { buildApp } from '../../ops/http/buildApp.ts';

export interface TestApp {
  app: FastifyInstance;
  store: EventStore;
  idempotency: IdempotencyStore;
  tokens: TokenService;
  clock: { now: Date };
  auth(p: Principal): Promise<{ authorization: string }>;
  close(): Promise<void>;
}

/** The command API over a real SQLite event store in a temp dir, with a movable clock. */
export async function startTestApp(options: { bodyLimit?: number; eventStore?: 'sqlite' | 'postgres' } = {}): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'jobs-app-'));
  const schema = `es_api_${Math.random().toString(36).slice(2, 10)}`;
  const databaseUrl = process.env.DATABASE_URL;
  if (options.eventStore === 'postgres' && !databaseUrl) throw new Error('DATABASE_URL is not set: run through vitest, whose global setup starts PostgreSQL');
  const store =
    options.eventStore === 'postgres'
      ? await openPostgresEventStore({ connectionString: databaseUrl!, schema })
      : await openSqliteEventStore({ path: join(dir, 'events.db') });
  const idempotency = openSqliteIdempotencyStore(join(dir, 'commands.db'));
  const tokens = createTokenService('test-secret-test-secret-test-secret-0123456789');
  const clock = { now: new Date('2027-03-01T12:00:00Z') };
  const app = await buildApp({ store, idempotency, tokens, clock: () => clock.now, ...(options.bodyLimit ? { bodyLimit: options.bodyLimit } : {}) });
  await app.ready();
  return {
    app,
    store,
    idempotency,
    tokens,
    clock,
    auth: async (p) => ({ authorization: `Bearer ${await tokens.sign(p)}` }),
    async close() {
      await app.close();
      await idempotency.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
      if (options.eventStore === 'postgres') await dropSchemas(databaseUrl!, [schema]);
    },
  };
}

/** Every event in the log, in order. */
export async function allEvents(store: EventStore) {
  const out = [];
  for (let after = 0; ; ) {
    const batch = await store.readAll({ after, maxCount: 1000 });
    if (batch.length === 0) return out;
    out.push(...batch);
    after = batch.at(-1)!.position;
  }
}
