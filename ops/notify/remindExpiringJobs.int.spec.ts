import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobExample } from '../../command/http/examples.ts';
import type { FullApp, Mode } from '../../tests/support/fullApp.ts';
import { startFullApp } from '../../tests/support/fullApp.ts';
import type { TestSmtpServer } from '../../tests/support/smtpServer.ts';
import { startSmtpServer } from '../../tests/support/smtpServer.ts';
import { remindExpiringJobs } from './remindExpiringJobs.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const business = { role: 'business', sub: 'b-expiring' } as const;
const mutedBusiness = { role: 'business', sub: 'b-expiring-muted' } as const;
const businessEmail = 'hiring@expiring.example';
const mutedEmail = 'quiet@expiring.example';
// What a business might type as a title: it must reach the HTML escaped, the text and subject as typed.
const hostileTitle = '<script>alert("x")</script> & "Pickers"';

describe.each<Mode>(['embedded', 'server'])('job_expiring reminders over real SMTP (%s mode)', (mode) => {
  let smtp: TestSmtpServer;
  let full: FullApp;
  let t0: Date;
  const at = (ms: number) => new Date(t0.getTime() + ms);
  const call = async (method: 'POST' | 'PUT', url: string, who: { role: 'business'; sub: string }, payload: unknown) => {
    const res = await full.app.inject({ method, url, payload: payload as object, headers: await full.auth(who) });
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res.json<{ id: string; position: number }>();
  };
  const publish = (who: { role: 'business'; sub: string }, title: string, expiresInMs: number) => call('POST', '/v1/jobs', who, { ...jobExample, title, publish: { expiresAt: at(expiresInMs).toISOString() } });
  const settled = async () => expect(await full.settled()).toBe(true);
  const remind = (now: Date) => remindExpiringJobs({ store: full.notifications!.store, jobs: full.reads.jobs }, now);
  const mailsAbout = (jobId: string) => smtp.received.filter((m) => m.text.includes(`/jobs/${jobId}\n`));
  // The running dispatcher may hold some of the messages when this pass looks: wait until none is pending.
  const delivered = async () => {
    const deadline = Date.now() + 15_000;
    for (;;) {
      await full.notifications!.dispatcher!.runOnce();
      const stats = await full.notifications!.store.stats(new Date());
      if (stats.byStatus.pending === 0 || Date.now() > deadline) return expect(stats.byStatus.pending).toBe(0);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  let soon: string;
  let closed: string;
  let extended: string;
  let far: string;
  let muted: string;
  let draft: string;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    full = await startFullApp(mode, { notifications: { SMTP_URL: smtp.url, MAIL_FROM: 'Jobs <jobs@service.example>' } });
    t0 = full.clock.now;
    await call('PUT', '/v1/businesses/me/profile', business, { name: 'Orchard', email: businessEmail });
    await call('PUT', '/v1/businesses/me/profile', mutedBusiness, { name: 'Quiet Farm', email: mutedEmail });
    await call('PUT', '/v1/me/notification-preferences', mutedBusiness, { muted: ['job_expiring'] });
    soon = (await publish(business, hostileTitle, 2 * DAY)).id;
    closed = (await publish(business, 'Filled cherry picker', 2 * DAY)).id;
    await call('POST', `/v1/jobs/${closed}/close`, business, { reason: 'filled' });
    extended = (await publish(business, 'Vineyard hand', 2 * DAY)).id;
    far = (await publish(business, 'Winter lift operator', 30 * DAY)).id;
    muted = (await publish(mutedBusiness, 'Quiet farm hand', 2 * DAY)).id;
    const { publish: _draftOnly, ...unpublished } = jobExample;
    draft = (await call('POST', '/v1/jobs', business, { ...unpublished, title: 'Draft picker' })).id;
    await settled();
  });
  afterAll(async () => {
    await full?.close();
    await smtp?.close();
  });

  it('mails a job expiring in 2 days exactly once, however often the job runs, and none for closed, far-off, draft or muted jobs', async () => {
    expect(await remind(t0)).toEqual({ items: 2 });
    expect(await remind(t0)).toEqual({ items: 0 });
    expect(await remind(at(HOUR))).toEqual({ items: 0 });
    await delivered();
    const mails = await smtp.waitFor(2);
    expect(mailsAbout(soon)).toHaveLength(1);
    expect(mailsAbout(extended)).toHaveLength(1);
    for (const id of [closed, far, muted, draft]) expect(mailsAbout(id), id).toEqual([]);
    expect(smtp.received.filter((m) => m.to.includes(mutedEmail))).toEqual([]);
    expect(mails.every((m) => m.to.includes(businessEmail))).toBe(true);

    const [mail] = mailsAbout(soon);
    expect(mail!.subject.startsWith(`Your job ${hostileTitle} expires on `)).toBe(true);
    expect(mail!.subject.endsWith(' UTC: extend or close it')).toBe(true);
    expect(mail!.messageId).toBe(`<job_expiring.e${at(2 * DAY).getTime()}.${soon}.business.${business.sub}@jobs-discovery>`);
    expect(mail!.html).not.toContain('<script>');
    expect(mail!.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;Pickers&quot;');
    expect(mail!.html).toMatch(new RegExp(`href="http://127\\.0\\.0\\.1:\\d+/jobs/${soon}"`));
    expect(mail!.html).toMatch(/href="http:\/\/127\.0\.0\.1:\d+\/v1\/businesses\/me\/jobs"/);
    expect(mail!.text).toContain(`Your job "${hostileTitle}" expires on`);

    const listed = (await full.app.inject({ method: 'GET', url: '/v1/me/notifications', headers: await full.auth(business) })).json<{ items: Array<{ kind: string; status: string; data: { jobId: string } }> }>().items;
    expect(listed.filter((i) => i.kind === 'job_expiring').map((i) => [i.data.jobId, i.status]).sort()).toEqual([[extended, 'sent'], [soon, 'sent']].sort());
  });

  it('a job extended to a later expiry gets a new reminder when that one comes near, and only then; an expired one gets none', async () => {
    await call('POST', `/v1/jobs/${extended}/close`, business, { reason: 'withdrawn' });
    await call('POST', `/v1/jobs/${extended}/reopen`, business, { expiresAt: at(10 * DAY).toISOString() });
    await settled();
    expect(await remind(at(2 * HOUR))).toEqual({ items: 0 });
    // Eight days on: the first jobs are past their expiry (not yet swept by expire-jobs), the extended one is 2 days from its new one.
    expect(await remind(at(8 * DAY))).toEqual({ items: 1 });
    expect(await remind(at(8 * DAY + HOUR))).toEqual({ items: 0 });
    await delivered();
    await smtp.waitFor(3);
    expect(mailsAbout(extended)).toHaveLength(2);
    expect(new Set(mailsAbout(extended).map((m) => m.messageId)).size).toBe(2);
    expect(mailsAbout(soon)).toHaveLength(1);
    expect(smtp.received).toHaveLength(3);
  });
});
