import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { RecordedEvent } from '../port.ts';
import { eventStoreContract, viewed, waitFor } from '../../tests/contracts/eventStoreContract.ts';
import type { PostgresEventStore } from './postgresEventStore.ts';
import { openPostgresEventStore } from './postgresEventStore.ts';

const connectionString = process.env.DATABASE_URL;
if (!connectionString) throw new Error('DATABASE_URL must be set (the test global setup provides it)');

/** Each store gets a fresh schema, dropped after the file. */
const schemas: string[] = [];
async function freshStore(poolSize?: number, committers?: number): Promise<PostgresEventStore> {
  const schema = `es_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  schemas.push(schema);
  return openPostgresEventStore({ connectionString: connectionString!, schema, poolSize, committers });
}
afterAll(async () => {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
});

eventStoreContract('postgres', () => freshStore());

describe('PostgresEventStore', () => {
  it('never lets a reader skip an event while 20 transactions on separate connections commit concurrently', async () => {
    // 20 committers: up to 20 append transactions in flight at once, on separate connections.
    const store = await freshStore(24, 20);
    try {
      const delivered: RecordedEvent[] = [];
      const subscription = store.subscribeToAll({ after: 0, batchSize: 7 }, (batch) => {
        delivered.push(...batch);
        return Promise.resolve();
      });
      // A second, polling-only reader on its own connection, reading as fast as it can.
      const polled: RecordedEvent[] = [];
      let polling = true;
      const poller = (async () => {
        while (polling) {
          const batch = await store.readAll({ after: polled.at(-1)?.position ?? 0, maxCount: 50 });
          polled.push(...batch);
        }
      })();

      const appenders = 20;
      const perAppender = 100;
      await Promise.all(
        Array.from({ length: appenders }, async (_, a) => {
          for (let i = 0; i < perAppender; i++) {
            const size = 1 + ((a + i) % 3);
            await store.append(`job-pg-${a}`, Array.from({ length: size }, () => viewed(`pg-${a}`, i)), 'any');
          }
        }),
      );
      const total = await store.headPosition();
      await waitFor(() => delivered.length >= total && polled.length >= total, 30_000, 'readers to catch up');
      polling = false;
      await poller;
      await subscription.stop();

      const expected = Array.from({ length: total }, (_, i) => i + 1);
      expect(delivered.map((e) => e.position)).toEqual(expected);
      expect(polled.map((e) => e.position)).toEqual(expected);
      expect(new Set(delivered.map((e) => e.eventId)).size).toBe(total);
    } finally {
      await store.close();
    }
  }, 120_000);

  it('group-commits concurrent appends and isolates one failing append from the others', async () => {
    const store = await freshStore();
    try {
      const duplicate = viewed('dup');
      await store.append('job-dup-a', [duplicate], 'no_stream');
      const good = Array.from({ length: 30 }, (_, i) => viewed('ok', i));
      const results = await Promise.allSettled([
        store.append('job-dup-b', [duplicate], 'any'),
        ...good.map((e, i) => store.append(`job-ok-${i}`, [e], 'no_stream')),
      ]);
      expect(results[0]?.status).toBe('rejected');
      expect(results.slice(1).every((r) => r.status === 'fulfilled')).toBe(true);
      expect(await store.readStream('job-dup-b')).toEqual([]);
      expect(await store.headPosition()).toBe(31);
      const positions = results.slice(1).map((r) => (r.status === 'fulfilled' ? r.value.position : 0));
      expect(new Set(positions).size).toBe(30);
      const all = await store.readAll({ after: 0, maxCount: 100 });
      expect(all.map((e) => e.position)).toEqual(Array.from({ length: 31 }, (_, i) => i + 1));
      for (const [i, e] of good.entries()) {
        expect(all.find((r) => r.eventId === e.eventId)?.position).toBe(positions[i]);
      }
    } finally {
      await store.close();
    }
  });

  it('group-commits appends that each arrive in a callback of their own while earlier commits are in flight', async () => {
    const store = await freshStore();
    try {
      // Each append from a callback of its own (with the microtasks drained after it), as each request comes
      // from an I/O callback of its own; setImmediate rather than a timer, so that all 40 fall in one turn.
      const results = await Promise.all(
        Array.from(
          { length: 40 },
          (_, i) =>
            new Promise<{ position: number }>((resolve, reject) => {
              setImmediate(() => {
                store.append(`job-turn-${i}`, [viewed('turn', i)], 'no_stream').then(resolve, reject);
              });
            }),
        ),
      );
      // The first two go alone (one per committer); the other 38 wait for a committer and go together.
      expect(store.commitStats.appends).toBe(40);
      expect(store.commitStats.commits).toBeLessThanOrEqual(3);
      expect(new Set(results.map((r) => r.position))).toEqual(new Set(Array.from({ length: 40 }, (_, i) => i + 1)));
    } finally {
      await store.close();
    }
  });

  it('wakes a live subscriber by NOTIFY from another store instance on the same schema', async () => {
    const reader = await freshStore();
    const writer = await openPostgresEventStore({ connectionString: connectionString, schema: reader.schema });
    try {
      const slowPollingReader = await openPostgresEventStore({
        connectionString: connectionString,
        schema: reader.schema,
        pollIntervalMs: 60_000,
      });
      const seen: RecordedEvent[] = [];
      const subscription = slowPollingReader.subscribeToAll({ after: 0 }, (batch) => {
        seen.push(...batch);
        return Promise.resolve();
      });
      await new Promise((resolve) => setTimeout(resolve, 300)); // LISTEN established, first empty read done
      await writer.append('job-notify', [viewed('n')], 'no_stream');
      await waitFor(() => seen.length === 1, 5_000, 'notification'); // far below the 60 s poll interval
      await subscription.stop();
      await slowPollingReader.close();
    } finally {
      await writer.close();
      await reader.close();
    }
  });

  it('creates its schema idempotently when opened concurrently', async () => {
    const first = await freshStore();
    const again = await Promise.all(
      Array.from({ length: 5 }, () => openPostgresEventStore({ connectionString: connectionString, schema: first.schema })),
    );
    await first.append('job-x', [viewed('x')], 'no_stream');
    for (const store of again) expect(await store.headPosition()).toBe(1);
    await Promise.all([first, ...again].map((s) => s.close()));
  });
});
