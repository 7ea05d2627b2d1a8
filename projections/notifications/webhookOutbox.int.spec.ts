// Webhook deliveries share the outbox with mail: each dispatcher claims only
// its own route, the recipient's list never shows a delivery, and an outbox
// created before webhooks gains their columns on open. Both adapters.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { outboxMessage } from '../../tests/contracts/notificationStoreContract.ts';
import { dropSchemas, testDatabaseUrl, uniqueSchema } from '../../tests/support/postgres.ts';
import type { OutboxMessage } from './notificationMessage.ts';
import type { NotificationStore } from './notificationStore.ts';
import { openPostgresNotificationStore } from './postgresNotificationStore.ts';
import { openSqliteNotificationStore } from './sqliteNotificationStore.ts';

const delivery = (position: number, webhookId = 'wh-1'): OutboxMessage => {
  const { to: _mailOnly, ...m } = outboxMessage(position, { id: `webhook.application.submitted.${position}.${webhookId}` });
  return { ...m, webhook: { webhookId, eventType: 'application.submitted', url: 'https://hooks.example/x' } };
};

/** The outbox table as it was before webhooks. */
const oldOutbox = (table: string) => `CREATE TABLE ${table} (
  id TEXT PRIMARY KEY, kind TEXT NOT NULL, recipient_role TEXT NOT NULL, recipient_id TEXT NOT NULL,
  to_address TEXT, data TEXT NOT NULL, cause_position BIGINT NOT NULL, created_at TEXT NOT NULL,
  status TEXT NOT NULL, attempts INTEGER NOT NULL, enqueued_at BIGINT NOT NULL, next_attempt_at BIGINT,
  last_error TEXT, sent_at BIGINT, channel TEXT, claimed_until BIGINT)`;

function webhookOutboxSuite(name: string, open: () => Promise<{ store: NotificationStore; dispose: () => Promise<void> }>, openOld: () => Promise<{ store: NotificationStore; dispose: () => Promise<void> }>) {
  describe(`webhook deliveries in the outbox: ${name}`, () => {
    it('each route claims only its own messages; the recipient list shows mail only; the last success of a webhook is known', async () => {
      const { store, dispose } = await open();
      try {
        await store.commit({ entries: [], messages: [outboxMessage(1), delivery(2), delivery(3, 'wh-2')] }, 'notifications', 3);
        const now = new Date(Date.now() + 1000);
        expect((await store.claimDue(now, 10, 60_000)).map((m) => m.id)).toEqual(['application_received.1.business.b1']);
        const hooks = await store.claimDue(now, 10, 60_000, 'webhook');
        expect(hooks.map((m) => m.id).sort()).toEqual(['webhook.application.submitted.2.wh-1', 'webhook.application.submitted.3.wh-2']);
        expect(hooks.find((m) => m.id.endsWith('wh-1'))).toMatchObject({ webhook: { webhookId: 'wh-1', eventType: 'application.submitted', url: 'https://hooks.example/x' } });
        expect(hooks[0]).not.toHaveProperty('to');
        expect((await store.listFor({ role: 'business', id: 'b1' }, 10)).map((m) => m.id)).toEqual(['application_received.1.business.b1']);
        expect(await store.webhookLastSentAt('wh-1')).toBeUndefined();
        const at = new Date('2027-03-01T10:00:00Z');
        await store.recordSent(['webhook.application.submitted.2.wh-1'], at, 'webhook');
        expect(await store.webhookLastSentAt('wh-1')).toEqual(at);
        expect(await store.webhookLastSentAt('wh-2')).toBeUndefined();
      } finally {
        await dispose();
      }
    });

    it('an outbox from before webhooks gains their columns and keeps its messages', async () => {
      const { store, dispose } = await openOld();
      try {
        expect(await store.get('old-1')).toMatchObject({ id: 'old-1', status: 'pending' });
        expect(await store.get('old-1')).not.toHaveProperty('webhook');
        await store.commit({ entries: [], messages: [delivery(9)] }, 'notifications', 9);
        expect((await store.claimDue(new Date(Date.now() + 1000), 10, 1000, 'webhook')).map((m) => m.id)).toEqual(['webhook.application.submitted.9.wh-1']);
      } finally {
        await dispose();
      }
    });
  });
}

const oldRow = `INSERT INTO outbox (id, kind, recipient_role, recipient_id, to_address, data, cause_position, created_at, status, attempts, enqueued_at, next_attempt_at)
  VALUES ('old-1', 'job_expired', 'business', 'b1', 'b1@example.com', '{"kind":"job_expired","jobId":"j1","jobTitle":"t","expiredAt":"2027-01-01T00:00:00Z"}', 1, '2027-01-01T00:00:00Z', 'pending', 0, 1, 1)`;

webhookOutboxSuite(
  'sqlite',
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'outbox-hooks-'));
    const store = openSqliteNotificationStore(join(dir, 'notifications.db'));
    return Promise.resolve({ store, dispose: async () => (await store.close(), rmSync(dir, { recursive: true, force: true })) });
  },
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'outbox-old-'));
    const db = new Database(join(dir, 'notifications.db'));
    db.exec(oldOutbox('outbox'));
    db.exec(oldRow);
    db.close();
    const store = openSqliteNotificationStore(join(dir, 'notifications.db'));
    return Promise.resolve({ store, dispose: async () => (await store.close(), rmSync(dir, { recursive: true, force: true })) });
  },
);

webhookOutboxSuite(
  'postgres',
  async () => {
    const url = testDatabaseUrl();
    const schema = uniqueSchema('outbox_hooks');
    const store = await openPostgresNotificationStore(url, schema);
    return { store, dispose: async () => (await store.close(), await dropSchemas(url, [schema])) };
  },
  async () => {
    const url = testDatabaseUrl();
    const schema = uniqueSchema('outbox_old');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`CREATE SCHEMA "${schema}"`);
      await client.query(oldOutbox(`"${schema}".outbox`).replace('data TEXT', 'data JSONB'));
      await client.query(oldRow.replace('INTO outbox', `INTO "${schema}".outbox`));
    } finally {
      await client.end();
    }
    const store = await openPostgresNotificationStore(url, schema);
    return { store, dispose: async () => (await store.close(), await dropSchemas(url, [schema])) };
  },
);
