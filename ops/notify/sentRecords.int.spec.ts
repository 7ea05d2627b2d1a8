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

  it('files every message of a pass and marks them sent a concurrency\'s worth per record, not one per message', async () => {
    await store.commit({ entries: [], messages: messages(20) }, 'notifications', 20);
    const dispatcher = createDispatcher({ store, channel: mailboxChannel(join(dir, 'mail')), from: 'jobs@service.example', publicUrl: () => 'http://127.0.0.1:3000', unsubscribeUrl: () => '', batchSize: 50, concurrency: 4 });
    expect(await dispatcher.runOnce()).toBe(20);
    // At most four unrecorded at a time (a crash repeats no more than that beyond those in flight).
    expect(recorded.map((ids) => ids.length)).toEqual([4, 4, 4, 4, 4]);
    expect(recorded.flat().sort()).toEqual(messages(20).map((m) => m.id).sort());
    expect((await store.stats(new Date())).byStatus).toMatchObject({ sent: 20, pending: 0 });
    const files = ['b0', 'b1', 'b2'].flatMap((b) => readdirSync(join(dir, 'mail', `business-${b}`)).map((f) => join(dir, 'mail', `business-${b}`, f)));
    expect(files.filter((f) => f.endsWith('.eml'))).toHaveLength(20);
    // Whole messages with Unix line ends, as before the composer was called directly.
    const raw = readFileSync(files[0]!, 'utf8');
    expect(raw).toContain('Message-ID: <application_received.');
    expect(raw).not.toContain('\r\n');
  });

  it('records those sent before a delivery that hangs once they have waited a second, without waiting for the pass to end', async () => {
    await store.commit({ entries: [], messages: messages(4) }, 'notifications', 4);
    let now = Date.parse('2027-03-02T10:00:00Z') + 60_000;
    let release: () => void = () => {};
    const hung = new Promise<void>((resolve) => (release = resolve));
    const [first, slow, third, late] = messages(4).map((m) => m.id);
    // Four at once (fewer than the eight a record may hold): only the wait can make a record before the pass ends.
    const dispatcher = createOutboxDispatcher({ store, clock: () => new Date(now), concurrency: 8 }, {
      route: 'mail',
      channel: 'test',
      async attempt(m: StoredMessage) {
        if (m.id === slow) await hung;
        // Time passes before this one completes: those sent before it have waited over a second.
        if (m.id === late) {
          await new Promise((resolve) => setTimeout(resolve, 10));
          now += 1500;
        }
      },
    });
    const pass = dispatcher.runOnce();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(recorded).toEqual([[first, third, late]]);
    expect((await store.get(first!))?.status).toBe('sent');
    expect((await store.get(slow!))?.status).toBe('pending');
    release();
    expect(await pass).toBe(4);
    expect(recorded).toEqual([[first, third, late], [slow]]);
    expect((await store.stats(new Date(now))).byStatus).toMatchObject({ sent: 4, pending: 0 });
  });
});
