import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../eventstore/events/index.ts';
import { openSqliteEventStore } from '../../eventstore/sqlite/sqliteEventStore.ts';
import { startSmtpServer } from '../support/smtpServer.ts';
import { spawnServer, waitForExit } from '../support/serverProcess.ts';

const BURST = 1000;
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('notifications survive kill -9 (embedded mode)', () => {
  it(`SIGKILL during a burst of ${BURST} notifications: after restart each mail and webhook arrives, and receivers deduplicating by Message-ID and webhook-id see each once`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jobs-notify-crash-'));
    dirs.push(dir);
    const smtp = await startSmtpServer();
    // A webhook receiver on loopback: it records each delivery's webhook-id and answers 200.
    const hooks: string[] = [];
    const receiver = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        hooks.push(String(req.headers['webhook-id'] ?? ''));
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    try {
      const now = new Date().toISOString();
      const store = await openSqliteEventStore({ path: join(dir, 'events.db') });
      const append = async (streamId: string, events: DomainEvent[]) =>
        store.append(streamId, events.map((e) => ({ ...e, eventId: randomUUID(), metadata: { actor: { role: 'system', sub: 'test' }, correlationId: 'c', causationId: 'c', occurredAt: now } })), 'no_stream');
      await append('business-b1', [
        { type: 'BusinessProfileUpdated', data: { businessId: 'b1', profile: { name: 'Orchard', email: 'b1@example.com' }, updatedAt: now } },
        { type: 'WebhookRegistered', data: { businessId: 'b1', webhookId: 'wh1', url: hookUrl, eventTypes: ['application.submitted'], registeredAt: now } },
      ]);
      await append('job-j1', [
        { type: 'JobDrafted', data: { jobId: 'j1', businessId: 'b1', title: 'Picker', description: 'Pick apples', category: 'agriculture', employmentType: 'seasonal', pay: { min: 15, max: 18, currency: 'USD', unit: 'hour' }, remote: false, skills: [], experienceYears: 0 } },
        { type: 'JobPublished', data: { jobId: 'j1', publishedAt: now, expiresAt: '2099-01-01T00:00:00Z' } },
      ]);
      for (let i = 0; i < BURST; i++) {
        await append(`application-a${i}`, [{ type: 'ApplicationSubmitted', data: { applicationId: `a${i}`, jobId: 'j1', workerId: `w${i}`, businessId: 'b1', submittedAt: now } }]);
      }
      await store.close();

      const env = { DATA_DIR: dir, SEED: 'false', AUTH_SECRET: 'notify-crash-secret-notify-crash-secret-0123', SMTP_URL: smtp.url, NOTIFY_RETRY_INITIAL_MS: '50', WEBHOOK_ALLOW_PRIVATE: 'true' };
      const first = await spawnServer(env, 120_000);
      // Kill while the burst is being handed over.
      const deadline = Date.now() + 60_000;
      // Webhooks go out faster than mail: kill once they are under way, with both channels mid-burst.
      while (hooks.length < 100 || smtp.received.length < 1) {
        if (Date.now() > deadline) throw new Error(`no mail arrived:\n${first.output()}`);
        await new Promise((r) => setTimeout(r, 5));
      }
      first.child.kill('SIGKILL');
      await waitForExit(first.child);
      const atKill = smtp.received.length;
      const hooksAtKill = hooks.length;
      expect(atKill).toBeLessThan(BURST);
      expect(hooksAtKill).toBeLessThan(BURST);

      const second = await spawnServer(env, 120_000);
      try {
        const distinct = () => Math.min(new Set(smtp.received.map((m) => m.messageId)).size, new Set(hooks).size);
        const until = Date.now() + 90_000;
        while (distinct() < BURST) {
          if (Date.now() > until) throw new Error(`${distinct()} of ${BURST} distinct messages after restart:\n${second.output()}`);
          await new Promise((r) => setTimeout(r, 20));
        }
        // Give a straggler (a second copy) the chance to show up before counting.
        await new Promise((r) => setTimeout(r, 500));
        const ids = smtp.received.map((m) => m.messageId);
        const unique = new Set(ids);
        expect(unique.size).toBe(BURST);
        // At least once over SMTP: a repeat is only a message whose reply the kill cut off, with the same id.
        expect(ids.length - unique.size).toBeLessThanOrEqual(8);
        // Exactly the causes: the applications at log positions 5 .. BURST + 4 (after the profile, the webhook and the job).
        const expected = Array.from({ length: BURST }, (_, i) => `<application_received.${i + 5}.business.b1@jobs-discovery>`);
        expect([...unique].sort()).toEqual(expected.sort());
        const uniqueHooks = new Set(hooks);
        expect([...uniqueHooks].sort()).toEqual(Array.from({ length: BURST }, (_, i) => `webhook.application.submitted.${i + 5}.wh1`).sort());
        expect(hooks.length - uniqueHooks.size).toBeLessThanOrEqual(8);
        console.info(`notification crash: ${atKill} mails before the kill, ${ids.length} received in all, ${unique.size} distinct, ${ids.length - unique.size} repeats; webhooks ${hooksAtKill} before the kill, ${hooks.length} received, ${uniqueHooks.size} distinct`);
      } finally {
        second.child.kill('SIGTERM');
        await waitForExit(second.child);
      }
    } finally {
      await smtp.close();
      await new Promise((resolve) => receiver.close(resolve));
    }
  }, 300_000);
});
