// Webhooks end to end on loopback (WEBHOOK_ALLOW_PRIVATE=true lets the
// delivery reach it): a real receiver that checks every Standard Webhooks
// signature, the full app projecting and delivering, and the dispatcher alone
// against a flaky receiver and a dead one.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobExample } from '../../command/http/examples.ts';
import type { Principal } from '../../eventstore/events/index.ts';
import { webhookSecretOf } from '../../command/http/webhookSecret.ts';
import type { OutboxMessage } from '../../projections/notifications/notificationMessage.ts';
import type { NotificationStore } from '../../projections/notifications/notificationStore.ts';
import { openSqliteNotificationStore } from '../../projections/notifications/sqliteNotificationStore.ts';
import type { FullApp, Mode } from '../../tests/support/fullApp.ts';
import { startFullApp } from '../../tests/support/fullApp.ts';
import { webhookChannel } from './webhookChannel.ts';
import { createWebhookDispatcher } from './webhookDispatcher.ts';

const SIGNING_KEY = 'webhook-int-spec-signing-key-0123456789';

interface Received {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  status: number;
}

/** A receiver that verifies like a Standard Webhooks library would, and answers what `answer` says. */
async function startReceiver(answer: (id: string, seen: number) => number) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const h: IncomingHttpHeaders = req.headers;
      const id = String(h['webhook-id'] ?? '');
      const status = answer(id, received.filter((r) => r.id === id).length);
      received.push({ id, timestamp: String(h['webhook-timestamp'] ?? ''), signature: String(h['webhook-signature'] ?? ''), body: Buffer.concat(chunks).toString('utf8'), status });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Standard Webhooks verification, written from the specification (not with the code under test). */
function verifies(secret: string, r: Received): boolean {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = createHmac('sha256', key).update(`${r.id}.${r.timestamp}.${r.body}`).digest();
  return r.signature.split(' ').some((entry) => {
    const [version, sig] = entry.split(',');
    const given = Buffer.from(sig ?? '', 'base64');
    return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
  });
}

const until = async <T>(what: string, f: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

describe.each<Mode>(['embedded', 'server'])('webhooks through the full app (%s mode)', (mode) => {
  let full: FullApp;
  let signedIn: Principal | undefined;
  /** A call to the full app's webhook routes as whoever is signed in. */
  const hookCall = async (options: { method?: 'POST' | 'GET'; url: string; payload?: object }) => full.app.inject({ ...options, headers: await full.auth(signedIn!) });
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let jobId: string;
  const business = { role: 'business', sub: 'b-hooks' } as const;
  const worker = (sub: string) => ({ role: 'worker', sub }) as const;

  beforeAll(async () => {
    receiver = await startReceiver(() => 200);
    full = await startFullApp(mode, { notifications: { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_SIGNING_KEY: SIGNING_KEY, NOTIFY_RETRY_INITIAL_MS: '50', NOTIFY_RETRY_MAX_MS: '200', NOTIFY_GIVE_UP_AFTER_MS: '2000' } });
    const auth = await full.auth(business);
    expect((await full.app.inject({ method: 'PUT', url: '/v1/businesses/me/profile', headers: auth, payload: { name: 'Hooked Orchard' } })).statusCode).toBe(200);
    const created = await full.app.inject({ method: 'POST', url: '/v1/jobs', headers: auth, payload: jobExample });
    expect(created.statusCode).toBe(201);
    jobId = created.json<{ id: string }>().id;
  });
  afterAll(async () => {
    await full?.close();
    await receiver?.close();
  });

  const apply = async (sub: string, message: string) => {
    const res = await full.app.inject({ method: 'POST', url: `/v1/jobs/${jobId}/applications`, headers: await full.auth(worker(sub)), payload: { message } });
    expect(res.statusCode).toBe(201);
    return res.json<{ id: string }>().id;
  };

  it('a registration retried with its Idempotency-Key answers the same webhook and secret, and the secret is kept nowhere', async () => {
    const headers = { ...(await full.auth({ role: 'business', sub: 'b-hooks-retry' })), 'idempotency-key': 'register-once' };
    const payload = { url: receiver.url, eventTypes: ['job.expired'] };
    const first = await full.app.inject({ method: 'POST', url: '/v1/businesses/me/webhooks', headers, payload });
    const retry = await full.app.inject({ method: 'POST', url: '/v1/businesses/me/webhooks', headers, payload });
    expect(first.statusCode).toBe(201);
    expect(retry.statusCode).toBe(201);
    expect(retry.json()).toEqual(first.json());
    const secret = first.json<{ secret: string }>().secret;
    const listed = await full.app.inject({ url: '/v1/businesses/me/webhooks', headers });
    expect(listed.json<{ webhooks: unknown[] }>().webhooks).toHaveLength(1);
    const claim = await full.runtime.idempotency.claim(`business:b-hooks-retry|POST|/v1/businesses/me/webhooks|register-once`, { requestHash: 'x', now: full.clock.now, leaseMs: 10_000, ttlMs: 86_400_000 });
    expect(claim.outcome).toBe('done');
    expect(claim.outcome === 'done' && claim.record.body).not.toContain(secret);
  });

  it('a worker applies: the receiver gets application.submitted once, signed with the secret the registration answered', async () => {
    signedIn = business;
    const registered = await hookCall({ method: 'POST', url: '/v1/businesses/me/webhooks', payload: { url: receiver.url, eventTypes: ['application.submitted'] } });
    expect(registered.statusCode).toBe(201);
    const { id: webhookId, secret } = registered.json<{ id: string; secret: string }>();
    const applicationId = await apply('w-hook-1', 'hello');
    const delivery = await until('the delivery', () => receiver.received.find((r) => r.body.includes(applicationId)));
    expect(verifies(secret, delivery)).toBe(true);
    expect(verifies(webhookSecretOf('some-other-key-some-other-key-00', webhookId), delivery)).toBe(false);
    expect(delivery.id).toMatch(new RegExp(`^webhook\\.application\\.submitted\\.\\d+\\.${webhookId}$`));
    expect(Math.abs(Number(delivery.timestamp) - Date.now() / 1000)).toBeLessThan(300);
    expect(JSON.parse(delivery.body)).toMatchObject({ type: 'application.submitted', timestamp: expect.any(String), data: { businessId: 'b-hooks', applicationId, jobId, message: 'hello' } });
    const stored = await until('the sent record', async () => {
      const m = await full.notifications!.store.get(delivery.id);
      return m?.status === 'sent' ? m : undefined;
    });
    expect(stored).toMatchObject({ channel: 'webhook', attempts: 1 });
    expect(receiver.received.filter((r) => r.id === delivery.id)).toHaveLength(1);
    // The mail dispatcher never took it: the business has no address, and its list shows no webhook deliveries.
    const list = await full.app.inject({ url: '/v1/me/notifications', headers: await full.auth(business) });
    expect(list.json<{ items: Array<{ id: string }> }>().items.map((i) => i.id)).not.toContain(delivery.id);
  });

  it('a delivery the receiver refused with 503 comes again with the same webhook-id, body and a valid signature', async () => {
    const flaky = await startReceiver((_id, seen) => (seen === 0 ? 503 : 204));
    try {
      signedIn = business;
      const registered = await hookCall({ method: 'POST', url: '/v1/businesses/me/webhooks', payload: { url: flaky.url, eventTypes: ['application.submitted'] } });
      const { secret } = registered.json<{ secret: string }>();
      const applicationId = await apply('w-hook-2', 'again');
      const attempts = await until('the redelivery', () => {
        const mine = flaky.received.filter((r) => r.body.includes(applicationId));
        return mine.length >= 2 ? mine : undefined;
      });
      expect(attempts.map((a) => a.status).slice(0, 2)).toEqual([503, 204]);
      expect(attempts[1]!.id).toBe(attempts[0]!.id);
      expect(attempts[1]!.body).toBe(attempts[0]!.body);
      expect(attempts.every((a) => verifies(secret, a))).toBe(true);
      await until('the sent record', async () => ((await full.notifications!.store.get(attempts[0]!.id))?.status === 'sent' ? true : undefined));
      expect(flaky.received.filter((r) => r.id === attempts[0]!.id)).toHaveLength(2);
    } finally {
      await flaky.close();
    }
  });

  it('a webhook that fails for the whole retry window is disabled, listed as such, and its business is mailed', async () => {
    const down = await startReceiver(() => 503);
    try {
      const owner = { role: 'business', sub: 'b-down' } as const;
      const auth = await full.auth(owner);
      expect((await full.app.inject({ method: 'PUT', url: '/v1/businesses/me/profile', headers: auth, payload: { name: 'Down Farm', email: 'ops@down.example' } })).statusCode).toBe(200);
      const job = await full.app.inject({ method: 'POST', url: '/v1/jobs', headers: auth, payload: jobExample });
      signedIn = owner;
      const { id: webhookId } = (await hookCall({ method: 'POST', url: '/v1/businesses/me/webhooks', payload: { url: down.url, eventTypes: ['application.submitted'] } })).json<{ id: string }>();
      const res = await full.app.inject({ method: 'POST', url: `/v1/jobs/${job.json<{ id: string }>().id}/applications`, headers: await full.auth(worker('w-hook-3')), payload: {} });
      expect(res.statusCode).toBe(201);
      const listed = await until('the webhook disabled', async () => {
        const hooks = (await hookCall({ url: '/v1/businesses/me/webhooks' })).json<{ webhooks: Array<{ id: string; status: string; disabledReason?: string }> }>().webhooks;
        return hooks.find((w) => w.id === webhookId && w.status === 'disabled');
      });
      expect(listed.disabledReason).toContain('HTTP 503');
      expect(down.received.length).toBeGreaterThan(1);
      const disabledEvent = (await full.runtime.store.readStream('business-b-down')).find((e) => e.type === 'WebhookDisabled')!;
      const mail = await until('the webhook_disabled mail', async () => {
        const m = await full.notifications!.store.get(`webhook_disabled.${disabledEvent.position}.business.b-down`);
        return m?.status === 'sent' ? m : undefined;
      });
      expect(mail).toMatchObject({ to: 'ops@down.example', data: { kind: 'webhook_disabled', webhookId, url: down.url } });
    } finally {
      await down.close();
    }
  });
});

describe('the webhook dispatcher against flaky and dead receivers', () => {
  let dir: string;
  let store: NotificationStore;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'webhooks-'));
    store = openSqliteNotificationStore(join(dir, 'notifications.db'), { synchronous: 'NORMAL' });
  });
  afterAll(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const hookMessage = (i: number, webhookId: string, url: string): OutboxMessage => ({
    id: `webhook.application.submitted.${i}.${webhookId}`,
    kind: 'application_received',
    recipient: { role: 'business', id: 'b-flaky' },
    data: { kind: 'application_received', applicationId: `a${i}`, jobId: 'j1', jobTitle: 'Picker', workerId: 'w1' },
    causePosition: i,
    createdAt: new Date().toISOString(),
    status: 'pending',
    webhook: { webhookId, eventType: 'application.submitted', url },
  });
  const register = (webhooks: Array<{ webhookId: string; url: string }>, position: number) =>
    store.commit({ entries: [{ key: 'w|b-flaky', position, value: { type: 'webhooks', businessId: 'b-flaky', webhooks: webhooks.map((w) => ({ ...w, eventTypes: ['application.submitted'], status: 'active' })) } }], messages: [] }, 'notifications', position);
  const drained = () => until('an empty queue', async () => ((await store.stats(new Date())).byStatus.pending === 0 ? true : undefined), 60_000);

  it('a receiver answering 503 to a third of attempts still gets every one of 2,000 messages, each id accepted once', async () => {
    let n = 0;
    // Deterministic faults: every third attempt is refused, so every message meets some.
    const receiver = await startReceiver(() => (n++ % 3 === 0 ? 503 : 200));
    const COUNT = 2000;
    await register([{ webhookId: 'wh-flaky', url: receiver.url }], 1);
    const messages = Array.from({ length: COUNT }, (_, i) => hookMessage(i + 1, 'wh-flaky', receiver.url));
    await store.commit({ entries: [], messages }, 'notifications', 2);
    const disabled: string[] = [];
    const dispatcher = createWebhookDispatcher({
      store, channel: webhookChannel({ policy: { allowPrivate: true } }), signingKey: SIGNING_KEY,
      retry: { initialMs: 10, maxMs: 50, giveUpAfterMs: 120_000 }, concurrency: 8, pollMs: 10,
      disable: async (_b, webhookId) => void disabled.push(webhookId),
    });
    dispatcher.start();
    try {
      await drained();
    } finally {
      await dispatcher.stop();
      await receiver.close();
    }
    const accepted = receiver.received.filter((r) => r.status === 200);
    expect(new Set(accepted.map((r) => r.id)).size).toBe(COUNT);
    expect(accepted).toHaveLength(COUNT);
    expect(receiver.received.some((r) => r.status === 503)).toBe(true);
    const secret = webhookSecretOf(SIGNING_KEY, 'wh-flaky');
    expect(receiver.received.every((r) => verifies(secret, r))).toBe(true);
    expect((await store.stats(new Date())).byStatus).toMatchObject({ sent: COUNT, dead: 0 });
    expect(disabled).toEqual([]);
  }, 90_000);

  it('a webhook failing for the whole retry window is disabled; one permanent 4xx or a success since does not disable it', async () => {
    const down = await startReceiver(() => 503);
    const gone = await startReceiver(() => 410);
    // Fails one message for good, takes the other: it is not down.
    const choosy = await startReceiver((id) => (id.includes('.1003.') ? 503 : 200));
    await register([{ webhookId: 'wh-down', url: down.url }, { webhookId: 'wh-gone', url: gone.url }, { webhookId: 'wh-choosy', url: choosy.url }], 3);
    await store.commit({ entries: [], messages: [hookMessage(1001, 'wh-down', down.url), hookMessage(1002, 'wh-gone', gone.url), hookMessage(1003, 'wh-choosy', choosy.url), hookMessage(1004, 'wh-choosy', choosy.url)] }, 'notifications', 4);
    const disabled: Array<[string, string, string]> = [];
    const dispatcher = createWebhookDispatcher({
      store, channel: webhookChannel({ policy: { allowPrivate: true } }), signingKey: SIGNING_KEY,
      retry: { initialMs: 10, maxMs: 40, giveUpAfterMs: 300 }, pollMs: 10,
      disable: async (businessId, webhookId, reason) => void disabled.push([businessId, webhookId, reason]),
    });
    dispatcher.start();
    try {
      await drained();
    } finally {
      await dispatcher.stop();
      await down.close();
      await gone.close();
      await choosy.close();
    }
    expect(await store.get('webhook.application.submitted.1001.wh-down')).toMatchObject({ status: 'dead', lastError: 'webhook answered HTTP 503' });
    expect(down.received.length).toBeGreaterThan(1);
    expect(await store.get('webhook.application.submitted.1002.wh-gone')).toMatchObject({ status: 'dead', attempts: 1, lastError: 'webhook answered HTTP 410' });
    expect(await store.get('webhook.application.submitted.1003.wh-choosy')).toMatchObject({ status: 'dead' });
    expect(await store.get('webhook.application.submitted.1004.wh-choosy')).toMatchObject({ status: 'sent' });
    expect(disabled).toEqual([['b-flaky', 'wh-down', expect.stringContaining('HTTP 503')]]);
  }, 30_000);
});
