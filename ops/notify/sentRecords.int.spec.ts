import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NotificationStore } from '../../projections/notifications/notificationStore.ts';
import type { StoredMessage } from '../../projections/notifications/notificationMessage.ts';
import { openSqliteNotificationStore } from '../../projections/notifications/sqliteNotificationStore.ts';
import { outboxMessage } from '../../tests/contracts/notificationStoreContract.ts';
import { createDispatcher, createOutboxDispatcher } from './dispatcher.ts';
import { mailboxChannel } from './mailChannel.ts';

const messages = (count: number) => Array.from({ length: count }, (_, i) => outboxMessage(i + 1, { id: `application_received.${i + 1}.business.b${i % 3}`, recipient: { role: 'business', id: `b${i % 3}` } }));

describe('the dispatcher records a pass of deliveries together (real SQLite outbox)', () => {
  let dir: string;
  let store: NotificationStore;
  let recorded: string[][];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sent-records-'));
    const real = openSqliteNotificationStore(join(dir, 'notifications.db'));
    recorded = [];
    // The real store, its sent records counted on the way.
    store = { ...real, recordSent: (ids, at, channel) => (recorded.push([...ids]), real.recordSent(ids, at, channel)) };
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('files every message of a pass and marks them all sent in one record, not one per message', async () => {
    await store.commit({ entries: [], messages: messages(20) }, 'notifications', 20);
    const dispatcher = createDispatcher({ store, channel: mailboxChannel(join(dir, 'mail')), from: 'jobs@service.example', publicUrl: () => 'http://127.0.0.1:3000', unsubscribeUrl: () => '', batchSize: 50 });
    expect(await dispatcher.runOnce()).toBe(20);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]!.sort()).toEqual(messages(20).map((m) => m.id).sort());
    expect((await store.stats(new Date())).byStatus).toMatchObject({ sent: 20, pending: 0 });
    const files = ['b0', 'b1', 'b2'].flatMap((b) => readdirSync(join(dir, 'mail', `business-${b}`)).map((f) => join(dir, 'mail', `business-${b}`, f)));
    expect(files.filter((f) => f.endsWith('.eml'))).toHaveLength(20);
    // Whole messages with Unix line ends, as before the composer was called directly.
    const raw = readFileSync(files[0]!, 'utf8');
    expect(raw).toContain('Message-ID: <application_received.');
    expect(raw).not.toContain('\r\n');
  });

  it('records those sent before a delivery that hangs once they have waited a second, without waiting for the pass to end', async () => {
    await store.commit({ entries: [], messages: messages(6) }, 'notifications', 6);
    let now = Date.parse('2027-03-02T10:00:00Z') + 60_000;
    let release: () => void = () => {};
    const hung = new Promise<void>((resolve) => (release = resolve));
    const slowId = messages(6)[1]!.id;
    const lateId = messages(6)[4]!.id;
    const dispatcher = createOutboxDispatcher({ store, clock: () => new Date(now), concurrency: 2 }, {
      route: 'mail',
      channel: 'test',
      async attempt(m: StoredMessage) {
        if (m.id === slowId) await hung;
        // Time passes before this one completes: those before it have waited over a second.
        if (m.id === lateId) now += 1500;
      },
    });
    const pass = dispatcher.runOnce();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toContain(lateId);
    expect(recorded[0]).not.toContain(slowId);
    expect((await store.get(messages(6)[0]!.id))?.status).toBe('sent');
    expect((await store.get(slowId))?.status).toBe('pending');
    release();
    expect(await pass).toBe(6);
    expect(recorded.flat().sort()).toEqual(messages(6).map((m) => m.id).sort());
    expect((await store.stats(new Date(now))).byStatus).toMatchObject({ sent: 6, pending: 0 });
  });
});
