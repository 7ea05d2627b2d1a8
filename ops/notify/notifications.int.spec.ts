import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobExample } from '../../command/http/examples.ts';
import type { FullApp, Mode } from '../../tests/support/fullApp.ts';
import { startFullApp } from '../../tests/support/fullApp.ts';
import type { TestSmtpServer } from '../../tests/support/smtpServer.ts';
import { startSmtpServer } from '../../tests/support/smtpServer.ts';
import { expireJobs } from '../scheduler/expireJobs.ts';
import { composeDigests } from './composeDigests.ts';

const business = { role: 'business', sub: 'b-notify' } as const;
const worker = { role: 'worker', sub: 'w-notify' } as const;
const quietWorker = { role: 'worker', sub: 'w-no-mail' } as const;
const businessEmail = 'hiring@orchard.example';
const workerEmail = 'ana@workers.example';
// What a hostile applicant might type: it must reach the HTML escaped and the text as typed.
const hostile = '<script>alert("x")</script> & <b>bold</b>';

/** The URL of the List-Unsubscribe header, however the header is folded. */
const unsubscribeLinkOf = (raw: string): string => {
  const header = /^List-Unsubscribe:([\s\S]*?)\r?\n(?=\S)/m.exec(raw)?.[1] ?? '';
  return /<([^>]+)>/.exec(header.replace(/\r?\n\s+/g, ''))?.[1] ?? '';
};

const until = async <T>(what: string, f: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

describe.each<Mode>(['embedded', 'server'])('notifications over real SMTP (%s mode)', (mode) => {
  let smtp: TestSmtpServer;
  let full: FullApp;
  let jobId: string;
  const inject = async (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, who?: { role: 'business' | 'worker'; sub: string }, payload?: unknown) =>
    full.app.inject({ method, url, ...(payload !== undefined ? { payload: payload as object } : {}), ...(who ? { headers: await full.auth(who) } : {}) });
  const mailsTo = (address: string) => smtp.received.filter((m) => m.to.includes(address));

  beforeAll(async () => {
    smtp = await startSmtpServer();
    full = await startFullApp(mode, { notifications: { SMTP_URL: smtp.url, MAIL_FROM: 'Jobs <jobs@service.example>', NOTIFY_RETRY_INITIAL_MS: '50' } });
    expect((await inject('PUT', '/v1/businesses/me/profile', business, { name: 'Green & <Orchard>', email: businessEmail })).statusCode).toBe(200);
    expect((await inject('PUT', '/v1/me/profile', worker, { name: 'Ana <Ruiz>', skills: [], maxTravelKm: 30, availability: [], experienceYears: 1, email: workerEmail })).statusCode).toBe(200);
    expect((await inject('PUT', '/v1/me/profile', quietWorker, { name: 'Bo', skills: [], maxTravelKm: 30, availability: [], experienceYears: 0 })).statusCode).toBe(200);
    const created = await inject('POST', '/v1/jobs', business, { ...jobExample, title: 'Apple <Picker> & Packer' });
    expect(created.statusCode).toBe(201);
    jobId = created.json<{ id: string }>().id;
  });
  afterAll(async () => {
    await full?.close();
    await smtp?.close();
  });

  it('mails the business when a worker applies: escaped HTML, the text as typed, one-click unsubscribe headers', async () => {
    const applied = await inject('POST', `/v1/jobs/${jobId}/applications`, worker, { message: hostile });
    expect(applied.statusCode).toBe(201);
    const [mail] = await until('the applicant mail', async () => (mailsTo(businessEmail).length > 0 ? mailsTo(businessEmail) : undefined));
    expect(mail!.from).toContain('jobs@service.example');
    expect(mail!.subject).toBe('New applicant for Apple <Picker> & Packer: Ana <Ruiz>');
    expect(mail!.text).toContain(hostile);
    expect(mail!.html).not.toContain('<script>');
    expect(mail!.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;');
    expect(mail!.html).toContain('Ana &lt;Ruiz&gt;');
    expect(mail!.messageId).toMatch(/^<application_received\.\d+\.business\.b-notify@jobs-discovery>$/);
    expect(mail!.raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);
    expect(unsubscribeLinkOf(mail!.raw)).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\/notifications\/unsubscribe\?token=[\w-]+\.[\w-]+$/);

    const list = await until('the business notification list', async () => {
      const res = await inject('GET', '/v1/me/notifications', business);
      const items = res.json<{ items: Array<{ kind: string; status: string }> }>().items;
      return items[0]?.status === 'sent' ? items : undefined;
    });
    expect(list).toEqual([expect.objectContaining({ kind: 'application_received', status: 'sent', to: businessEmail, data: expect.objectContaining({ jobId, workerName: 'Ana <Ruiz>', message: hostile }) })]);
    // Nobody else sees it.
    expect((await inject('GET', '/v1/me/notifications', worker)).json<{ items: unknown[] }>().items).toEqual([]);
  });

  it('mails the worker when the business changes the application status', async () => {
    const apps = await until('the application in the list', async () => {
      const res = await inject('GET', `/v1/jobs/${jobId}/applications`, business);
      if (res.statusCode !== 200) return undefined;
      const items = res.json<{ items: Array<{ applicationId: string; workerId: string }> }>().items;
      return items.length > 0 ? items : undefined;
    });
    const applicationId = apps.find((a) => a.workerId === worker.sub)!.applicationId;
    expect((await inject('POST', `/v1/applications/${applicationId}/status`, business, { status: 'shortlisted' })).statusCode).toBe(200);
    const [mail] = await until('the status mail', async () => (mailsTo(workerEmail).length > 0 ? mailsTo(workerEmail) : undefined));
    expect(mail!.subject).toBe('Your application to Apple <Picker> & Packer is shortlisted');
    expect(mail!.html).toContain('Green &amp; &lt;Orchard&gt;');
  });

  it('keeps a message for a recipient without an address in their list, and sends nothing', async () => {
    const before = smtp.received.length;
    const applied = await inject('POST', `/v1/jobs/${jobId}/applications`, quietWorker, {});
    expect(applied.statusCode).toBe(201);
    await until('the second applicant mail', async () => (mailsTo(businessEmail).length >= 2 ? true : undefined));
    expect(smtp.received.length).toBe(before + 1);
    const apps = (await inject('GET', `/v1/jobs/${jobId}/applications?minPosition=${applied.json<{ position: number }>().position}`, business)).json<{ items: Array<{ applicationId: string; workerId: string }> }>().items;
    const applicationId = apps.find((a) => a.workerId === quietWorker.sub)!.applicationId;
    expect((await inject('POST', `/v1/applications/${applicationId}/status`, business, { status: 'rejected' })).statusCode).toBe(200);
    const items = await until('the unaddressed notification', async () => {
      const res = await inject('GET', '/v1/me/notifications', quietWorker);
      const list = res.json<{ items: Array<{ kind: string; status: string }> }>().items;
      return list.length > 0 ? list : undefined;
    });
    expect(items).toEqual([expect.objectContaining({ kind: 'application_status', status: 'unaddressed' })]);
    expect(items[0]).not.toHaveProperty('to');
  });

  it('one-click unsubscribe (RFC 8058) switches that kind off without signing in; a forged token is a 400', async () => {
    const [first] = mailsTo(businessEmail);
    const link = unsubscribeLinkOf(first!.raw);
    const path = link.slice(link.indexOf('/v1/'));
    const page = await full.app.inject({ method: 'GET', url: path, headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<form method="post"');
    const oneClick = await full.app.inject({ method: 'POST', url: path, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' });
    expect(oneClick.statusCode).toBe(200);
    const { position } = oneClick.json<{ position: number }>();
    const forged = await full.app.inject({ method: 'POST', url: `${path.replace(/token=[^.]+/, 'token=eyJ2IjoxLCJyb2xlIjoiYnVzaW5lc3MiLCJzdWIiOiJiLW90aGVyIiwia2luZCI6ImFwcGxpY2F0aW9uX3JlY2VpdmVkIn0')}` });
    expect(forged.statusCode).toBe(400);
    expect(forged.json()).toMatchObject({ code: 'invalid_token', details: [{ field: 'querystring.token' }] });

    // The next application is not mailed (and not listed): the business switched that kind off.
    await until('the preference to reach the outbox projector', async () => ((full.notifications!.runner!.position >= position) ? true : undefined));
    const third = { role: 'worker', sub: 'w-third' } as const;
    expect((await inject('POST', `/v1/jobs/${jobId}/applications`, third, {})).statusCode).toBe(201);
    await until('the projector to pass the application', async () => ((await full.runtime.store.headPosition()) <= full.notifications!.runner!.position ? true : undefined));
    await full.notifications!.dispatcher!.runOnce();
    expect(mailsTo(businessEmail)).toHaveLength(2);
    const kinds = (await inject('GET', '/v1/me/notifications', business)).json<{ items: Array<{ kind: string }> }>().items.map((i) => i.kind);
    expect(kinds.filter((k) => k === 'application_received')).toHaveLength(2);
  });

  it('instant saved-search alert: a matching job published is mailed to the worker once; other jobs and later edits are not', async () => {
    const alerted = { role: 'worker', sub: 'w-alerts' } as const;
    const address = 'alerts@workers.example';
    expect((await inject('PUT', '/v1/me/profile', alerted, { name: 'Cy', skills: [], maxTravelKm: 30, availability: [], experienceYears: 0, email: address })).statusCode).toBe(200);
    const saved = await inject('POST', '/v1/me/saved-searches', alerted, { name: 'Cider <jobs>', query: { text: 'cider', category: ['agriculture'] }, alertFrequency: 'instant' });
    expect(saved.statusCode, saved.body).toBe(201);
    await inject('POST', '/v1/me/saved-searches', alerted, { name: 'Daily cider', query: { text: 'cider' }, alertFrequency: 'daily' });
    const other = await inject('POST', '/v1/jobs', business, { ...jobExample, title: 'Barista at the cider bar', category: 'hospitality' });
    const matching = await inject('POST', '/v1/jobs', business, { ...jobExample, title: 'Cider press hand', category: 'agriculture' });
    expect(matching.statusCode).toBe(201);
    const matchingId = matching.json<{ id: string }>().id;
    const [mail] = await until('the instant alert', async () => (mailsTo(address).length > 0 ? mailsTo(address) : undefined));
    expect(mail!.subject).toBe('New job for "Cider <jobs>": Cider press hand');
    expect(mail!.html).toContain('Cider &lt;jobs&gt;');
    expect(mail!.text).toMatch(new RegExp(`: http://127\\.0\\.0\\.1:\\d+/jobs/${matchingId}$`, 'm'));
    // An edit of the alerted job, and the job that does not match, mail nothing more.
    const patched = await inject('PATCH', `/v1/jobs/${matchingId}`, business, { title: 'Cider press hand (weekends)' });
    expect(patched.statusCode).toBe(200);
    const head = patched.json<{ position: number }>().position;
    await until('the outbox projector to pass the edit', async () => (full.notifications!.runner!.position >= head ? true : undefined));
    await full.notifications!.dispatcher!.runOnce();
    expect(mailsTo(address)).toHaveLength(1);
    expect(other.statusCode).toBe(201);
    const listed = (await inject('GET', '/v1/me/notifications', alerted)).json<{ items: Array<{ kind: string; data: { jobId: string; searches: unknown[] } }> }>().items;
    expect(listed).toEqual([expect.objectContaining({ kind: 'saved_search_alert', data: expect.objectContaining({ jobId: matchingId, searches: [{ searchId: saved.json<{ id: string }>().id, name: 'Cider <jobs>' }] }) })]);

    // The daily search (08:00 UTC by default) gets both cider jobs in its digest at its hour, once.
    const slot = new Date(Math.ceil(full.clock.now.getTime() / 86_400_000) * 86_400_000 + 8 * 3_600_000);
    expect(await composeDigests(full.notifications!.store, full.clock.now, new Date(slot.getTime() + 3_600_000))).toMatchObject({ messages: 0 });
    expect(await composeDigests(full.notifications!.store, full.clock.now, slot)).toMatchObject({ messages: 1 });
    expect(await composeDigests(full.notifications!.store, full.clock.now, slot)).toMatchObject({ messages: 0 });
    full.notifications!.dispatcher!.wake();
    const digest = await until('the digest mail', async () => mailsTo(address).find((m) => m.subject.includes('Daily cider')));
    expect(digest.subject).toBe('2 new jobs for "Daily cider"');
    expect(digest.text).toContain('Cider press hand (weekends)'.slice(0, 15));

    // The alert's one-click link switches that saved search off (not the whole kind): the next cider job alerts no one.
    const off = await full.app.inject({ method: 'POST', url: unsubscribeLinkOf(mail!.raw).slice(unsubscribeLinkOf(mail!.raw).indexOf('/v1/')), headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' });
    expect(off.statusCode, off.body).toBe(200);
    const searches = (await inject('GET', `/v1/me/saved-searches?minPosition=${off.json<{ position: number }>().position}`, alerted)).json<{ items: Array<{ name: string; alertFrequency: string }> }>().items;
    expect(searches.find((x) => x.name === 'Cider <jobs>')?.alertFrequency).toBe('off');
    expect(searches.find((x) => x.name === 'Daily cider')?.alertFrequency).toBe('daily');
    const another = await inject('POST', '/v1/jobs', business, { ...jobExample, title: 'Cider cellar hand', category: 'agriculture' });
    await until('the outbox projector to pass the new job', async () => (full.notifications!.runner!.position >= another.json<{ position: number }>().position ? true : undefined));
    await full.notifications!.dispatcher!.runOnce();
    expect(mailsTo(address).filter((m) => m.subject.startsWith('New job for'))).toHaveLength(1);
  });

  it('mails the business when its job expires', async () => {
    full.clock.now = new Date('2027-06-02T00:00:00Z');
    const run = expireJobs({ store: full.runtime.store, jobs: full.reads.jobs });
    await until('the job to be expirable', async () => {
      const { items } = await run({ now: full.clock.now, slot: full.clock.now, signal: new AbortController().signal });
      return items > 0 ? true : undefined;
    });
    const mail = await until('the expiry mail', async () => smtp.received.find((m) => m.subject === 'Your job has expired: Apple <Picker> & Packer'));
    expect(mail.to).toEqual([businessEmail]);
    expect(mail.text).toMatch(new RegExp(`: http://127\\.0\\.0\\.1:\\d+/jobs/${jobId}$`, 'm'));
  });

  it('preferences: a worker or business mutes kinds; an unknown kind is a 400 naming the field, and nothing is stored', async () => {
    const bad = await inject('PUT', '/v1/me/notification-preferences', worker, { muted: ['weekly_summary', 'spam'] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'validation_failed', details: [expect.objectContaining({ field: 'body.muted[1]' })] });
    const anonymous = await full.app.inject({ method: 'PUT', url: '/v1/me/notification-preferences', payload: { muted: [] } });
    expect(anonymous.statusCode).toBe(401);
    const ok = await inject('PUT', '/v1/me/notification-preferences', worker, { muted: ['weekly_summary', 'application_status'] });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ id: worker.sub, revision: 0 });
    const again = await inject('PUT', '/v1/me/notification-preferences', worker, { muted: ['application_status', 'weekly_summary'] });
    expect(again.json()).toMatchObject({ revision: 0 });
  });

  it('pages a long notification list with a cursor, and refuses a forged cursor', async () => {
    const page1 = (await inject('GET', '/v1/me/notifications?size=1', business)).json<{ items: Array<{ id: string }>; nextCursor?: string }>();
    expect(page1.items).toHaveLength(1);
    expect(page1.nextCursor).toBeDefined();
    const page2 = (await inject('GET', `/v1/me/notifications?size=100&cursor=${page1.nextCursor}`, business)).json<{ items: Array<{ id: string }>; nextCursor?: string }>();
    expect(page2.items.length).toBeGreaterThan(0);
    expect(page2.items.map((i) => i.id)).not.toContain(page1.items[0]!.id);
    expect(page2.nextCursor).toBeUndefined();
    const forged = await inject('GET', '/v1/me/notifications?cursor=bm9wZQ', business);
    expect(forged.statusCode).toBe(400);
    expect(forged.json()).toMatchObject({ code: 'invalid_cursor' });
  });

  it('operators see the outbox: counts by status, queue age, dead letters; others may not', async () => {
    const ops = await full.app.inject({ method: 'GET', url: '/v1/ops/notifications', headers: await full.auth({ role: 'operator', sub: 'ops' }) });
    expect(ops.statusCode).toBe(200);
    const body = ops.json<{ byStatus: Record<string, number>; dead: unknown[] }>();
    expect(body.byStatus.sent).toBeGreaterThanOrEqual(3);
    expect(body.byStatus.unaddressed).toBeGreaterThanOrEqual(1);
    expect(body.dead).toEqual([]);
    expect((await inject('GET', '/v1/ops/notifications', business)).statusCode).toBe(403);
    const doc = (await full.app.inject('/openapi.json')).json<{ paths: Record<string, Record<string, unknown>> }>();
    for (const path of ['/v1/me/notifications', '/v1/me/notification-preferences', '/v1/notifications/unsubscribe', '/v1/ops/notifications']) expect(doc.paths, path).toHaveProperty([path]);
  });

  it('lists the outbox projector beside the read models in the projections status, caught up to the head', async () => {
    const operator = await full.auth({ role: 'operator', sub: 'ops' });
    expect(await full.settled()).toBe(true);
    const res = await full.app.inject({ method: 'GET', url: '/v1/ops/projections', headers: operator });
    expect(res.statusCode).toBe(200);
    const byName = new Map(res.json<{ projections: Array<{ name: string; state: string; checkpoint: number; head: number; lagEvents: number }> }>().projections.map((p) => [p.name, p]));
    expect([...byName.keys()]).toEqual(['jobs', 'lists', 'notifications']);
    expect(byName.get('notifications')).toMatchObject({ state: 'running', lagEvents: 0 });
    expect(byName.get('notifications')!.checkpoint).toBe(byName.get('notifications')!.head);
  });

  it('a replay of the log makes no second message: the same causes have the same ids', async () => {
    const before = await full.notifications!.store.stats(new Date());
    const total = Object.values(before.byStatus).reduce((a, b) => a + b, 0);
    const events = await full.runtime.store.readAll({ after: 0, maxCount: 10_000 });
    const { notificationsProjection } = await import('../../projections/notifications/notificationsProjection.ts');
    const { openSqliteDeadLetters } = await import('../../projections/deadLetters.ts');
    const letters = openSqliteDeadLetters(':memory:');
    await notificationsProjection(full.notifications!.store, letters, { clock: () => full.clock.now }).apply(events);
    await letters.close();
    const after = await full.notifications!.store.stats(new Date());
    expect(Object.values(after.byStatus).reduce((a, b) => a + b, 0)).toBe(total);
  });
});

describe('the local mailbox without SMTP_URL (embedded mode)', () => {
  it('files each message as an .eml file under DATA_DIR/mail/<recipient>/', async () => {
    const full = await startFullApp('embedded', { notifications: {} });
    try {
      const inject = async (method: 'POST' | 'PUT', url: string, who: { role: 'business' | 'worker'; sub: string }, payload: unknown) =>
        full.app.inject({ method, url, payload: payload as object, headers: await full.auth(who) });
      await inject('PUT', '/v1/businesses/me/profile', business, { name: 'Orchard', email: businessEmail });
      const jobId = (await inject('POST', '/v1/jobs', business, jobExample)).json<{ id: string }>().id;
      expect((await inject('POST', `/v1/jobs/${jobId}/applications`, worker, { message: 'hello' })).statusCode).toBe(201);
      const dir = join(full.runtime.config.DATA_DIR, 'mail', 'business-b-notify');
      const files = await until('the mailbox file', async () => (existsSync(dir) && readdirSync(dir).length > 0 ? readdirSync(dir) : undefined));
      expect(files).toHaveLength(1);
      const raw = readFileSync(join(dir, files[0]!), 'utf8');
      expect(raw).toContain(`To: ${businessEmail}`);
      expect(raw).toContain('Message-ID: <application_received.');
      expect(raw).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    } finally {
      await full.close();
    }
  });
});
