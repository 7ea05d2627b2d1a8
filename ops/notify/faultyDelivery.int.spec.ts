import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotificationStore } from '../../projections/notifications/notificationStore.ts';
import { openSqliteNotificationStore } from '../../projections/notifications/sqliteNotificationStore.ts';
import { outboxMessage } from '../../tests/contracts/notificationStoreContract.ts';
import type { TestSmtpServer } from '../../tests/support/smtpServer.ts';
import { startSmtpServer } from '../../tests/support/smtpServer.ts';
import { createDispatcher } from './dispatcher.ts';
import { smtpChannel } from './mailChannel.ts';

const COUNT = 2000;

describe('delivery through a faulty SMTP peer', () => {
  let dir: string;
  let store: NotificationStore;
  let smtp: TestSmtpServer;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'faulty-'));
    store = openSqliteNotificationStore(join(dir, 'notifications.db'), { synchronous: 'NORMAL' });
    // A fifth of sessions refused (421) or deferred (451), one in twenty dropped outright, one address refused for good.
    smtp = await startSmtpServer({ refuseSession: 0.1, deferRecipient: 0.1, dropConnection: 0.05, rejectAddresses: ['gone@example.com'] });
  });
  afterAll(async () => {
    await store?.close();
    await smtp?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`delivers at least 99.9% of ${COUNT} messages after retries, each id with one content, and dead-letters the rest visibly`, async () => {
    const messages = Array.from({ length: COUNT }, (_, i) =>
      outboxMessage(i + 1, { id: `application_received.${i + 1}.business.b${i % 50}`, recipient: { role: 'business', id: `b${i % 50}` }, to: i === 7 ? 'gone@example.com' : `b${i % 50}@example.com` }),
    );
    await store.commit({ entries: [], messages }, 'notifications', COUNT);
    const channel = smtpChannel(smtp.url, { timeoutMs: 5000 });
    const dispatcher = createDispatcher({
      store,
      channel,
      from: 'jobs@service.example',
      publicUrl: () => 'http://127.0.0.1:9',
      unsubscribeUrl: (m) => `http://127.0.0.1:9/u?${m.id}`,
      retry: { initialMs: 20, maxMs: 200, giveUpAfterMs: 120_000 },
      concurrency: 8,
      pollMs: 20,
    });
    dispatcher.start();
    const deadline = Date.now() + 150_000;
    for (;;) {
      const s = await store.stats(new Date());
      if (s.byStatus.pending === 0) break;
      if (Date.now() > deadline) throw new Error(`still pending: ${JSON.stringify(s)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    await dispatcher.stop();
    await channel.close();

    const stats = await store.stats(new Date());
    expect(stats.byStatus.sent + stats.byStatus.dead).toBe(COUNT);
    expect(stats.byStatus.sent / COUNT).toBeGreaterThanOrEqual(0.999);
    // The refused address is dead at its first 550, with the server's reason; random
    // faults (421, 451, drops) may come before it and are retried as usual.
    expect(await store.get(messages[7]!.id)).toMatchObject({ status: 'dead', lastError: expect.stringContaining('550') });
    expect(smtp.rejections('gone@example.com')).toBe(1);
    expect((await store.listDead(10)).map((m) => m.id)).toContain(messages[7]!.id);

    // What arrived: every sent message at least once; a repeat (a reply lost with its connection) has the same id and content.
    const byId = new Map<string, Set<string>>();
    for (const m of smtp.received) byId.set(m.messageId, (byId.get(m.messageId) ?? new Set()).add(`${m.to.join()}|${m.subject}|${m.text}`));
    expect([...byId.values()].every((contents) => contents.size === 1)).toBe(true);
    expect(byId.size).toBe(stats.byStatus.sent);
    const retried = (await Promise.all(messages.slice(0, 200).map((m) => store.get(m.id)))).filter((m) => (m?.attempts ?? 0) > 1);
    // The faults were real: some messages needed more than one attempt.
    expect(retried.length).toBeGreaterThan(0);
    expect(smtp.sessions()).toBeGreaterThan(COUNT);
    console.info(`faulty SMTP: ${stats.byStatus.sent} of ${COUNT} delivered, ${stats.byStatus.dead} dead-lettered, ${smtp.sessions()} sessions, ${smtp.received.length} mails received (${smtp.received.length - byId.size} repeats)`);
  }, 180_000);
});
