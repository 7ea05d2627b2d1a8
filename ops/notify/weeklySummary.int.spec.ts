import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobExample, workerProfileExample } from '../../command/http/examples.ts';
import type { FullApp, Mode } from '../../tests/support/fullApp.ts';
import { startFullApp } from '../../tests/support/fullApp.ts';
import type { TestSmtpServer } from '../../tests/support/smtpServer.ts';
import { startSmtpServer } from '../../tests/support/smtpServer.ts';
import { composeWeeklySummaries, summaryWeek } from './composeWeeklySummaries.ts';

type Who = { role: 'business' | 'worker'; sub: string };
const business: Who = { role: 'business', sub: 'b-weekly' };
const quietBusiness: Who = { role: 'business', sub: 'b-weekly-muted' };
const worker: Who = { role: 'worker', sub: 'w-weekly' };
const idleWorker: Who = { role: 'worker', sub: 'w-weekly-idle' };
const hostileTitle = '<img src=x onerror=alert(1)> Orchard & "Co"';
// A Tuesday: the run on the next Monday reports Mon 1 .. Sun 7 March.
const tuesday = new Date('2027-03-02T10:00:00Z');
const nextMonday = new Date('2027-03-08T08:00:00Z');

describe.each<Mode>(['embedded', 'server'])('weekly summaries over real SMTP (%s mode)', (mode) => {
  let smtp: TestSmtpServer;
  let full: FullApp;
  let jobId: string;
  const call = async (method: 'POST' | 'PUT', url: string, who: Who | undefined, payload: unknown) => {
    const res = await full.app.inject({ method, url, payload: payload as object, headers: who ? await full.auth(who) : {} });
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res.json<{ id: string }>();
  };
  const settled = async () => expect(await full.settled()).toBe(true);
  const summaries = (now: Date) => composeWeeklySummaries({ store: full.notifications!.store, lists: full.reads.lists }, now);

  beforeAll(async () => {
    smtp = await startSmtpServer();
    full = await startFullApp(mode, { notifications: { SMTP_URL: smtp.url, MAIL_FROM: 'Jobs <jobs@service.example>' } });
    full.clock.now = tuesday;
    await call('PUT', '/v1/businesses/me/profile', business, { name: 'Weekly Orchard', email: 'hiring@weekly.example' });
    await call('PUT', '/v1/businesses/me/profile', quietBusiness, { name: 'Quiet Farm', email: 'quiet@weekly.example' });
    await call('PUT', '/v1/me/notification-preferences', quietBusiness, { muted: ['weekly_summary'] });
    await call('PUT', '/v1/me/profile', worker, { ...workerProfileExample, name: 'Alex', email: 'alex@weekly.example' });
    await call('PUT', '/v1/me/profile', idleWorker, { ...workerProfileExample, name: 'Idle', email: 'idle@weekly.example' });
    const expiresAt = new Date(tuesday.getTime() + 30 * 86_400_000).toISOString();
    jobId = (await call('POST', '/v1/jobs', business, { ...jobExample, title: hostileTitle, publish: { expiresAt } })).id;
    const quietJob = (await call('POST', '/v1/jobs', quietBusiness, { ...jobExample, title: 'Quiet picker', publish: { expiresAt } })).id;
    await call('POST', `/v1/jobs/${jobId}/views`, undefined, {});
    await call('POST', `/v1/jobs/${quietJob}/views`, undefined, {});
    await call('POST', `/v1/jobs/${jobId}/applications`, worker, { message: 'I pick fast' });
    await settled();
  });
  afterAll(async () => {
    await full?.close();
    await smtp?.close();
  });

  it('reports the seven UTC days before the run day', () => {
    expect(summaryWeek(nextMonday)).toMatchObject({ from: '2027-03-01', to: '2027-03-07' });
  });

  it('mails the business its jobs\' week and the worker its applications, nobody with nothing to say or who muted it, and a rerun adds nothing', async () => {
    expect(await summaries(nextMonday)).toMatchObject({ messages: 2 });
    // A rerun of the slot composes the same ids: the outbox keeps the first, and nobody gets a second mail.
    expect(await summaries(nextMonday)).toMatchObject({ messages: 2 });
    const mails = await smtp.waitFor(2);
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && smtp.received.filter((m) => m.subject.startsWith('Your week')).length < 2) {
      await full.notifications!.dispatcher!.runOnce();
      await new Promise((r) => setTimeout(r, 100));
    }
    const weekly = smtp.received.filter((m) => m.subject.startsWith('Your week'));
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.received.filter((m) => m.subject.startsWith('Your week')).map((m) => m.to).sort()).toEqual([['alex@weekly.example'], ['hiring@weekly.example']]);
    expect(mails.length).toBeGreaterThanOrEqual(2);
    const toBusiness = weekly.find((m) => m.to.includes('hiring@weekly.example'))!;
    expect(toBusiness.subject).toBe('Your week, Mon 1 Mar 2027 to Sun 7 Mar 2027');
    expect(toBusiness.messageId).toBe(`<weekly_summary.2027-03-01.business.${business.sub}@jobs-discovery>`);
    expect(toBusiness.text).toContain(`- ${hostileTitle}: 1 views, 0 saves, 1 applications:`);
    expect(toBusiness.html).not.toContain('<img');
    expect(toBusiness.html).toContain('&lt;img src=x onerror=alert(1)&gt; Orchard &amp; &quot;Co&quot;');
    const toWorker = weekly.find((m) => m.to.includes('alex@weekly.example'))!;
    expect(toWorker.text).toContain(`- ${hostileTitle}: sent`);
    expect(toWorker.html).toMatch(new RegExp(`href="http://127\\.0\\.0\\.1:\\d+/jobs/${jobId}"`));
  });

  it('the week after, with nothing new for the business, mails only the application still in play', async () => {
    const week2 = new Date(nextMonday.getTime() + 7 * 86_400_000);
    expect(await summaries(week2)).toMatchObject({ messages: 1 });
    const listed = (await full.app.inject({ url: '/v1/me/notifications', headers: await full.auth(worker) })).json<{ items: Array<{ id: string; kind: string }> }>().items;
    expect(listed.filter((i) => i.kind === 'weekly_summary').map((i) => i.id).sort()).toEqual([`weekly_summary.2027-03-01.worker.${worker.sub}`, `weekly_summary.2027-03-08.worker.${worker.sub}`]);
  });
});
