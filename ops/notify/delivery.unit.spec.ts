import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StoredMessage } from '../../projections/notifications/notificationMessage.ts';
import { defaultRetryPolicy, retryDelay } from './dispatcher.ts';
import { classifySmtpError } from './mailChannel.ts';
import { renderMessage } from './renderMessage.ts';

const message = (data: StoredMessage['data']): StoredMessage => ({
  id: 'm1', kind: data.kind, recipient: { role: 'business', id: 'b1' }, to: 'b@example.com', data, causePosition: 1,
  createdAt: '2027-01-01T00:00:00Z', enqueuedAt: '2027-01-01T00:00:00Z', status: 'pending', attempts: 0,
});
const ctx = { publicUrl: 'https://jobs.example/', unsubscribeUrl: 'https://jobs.example/v1/notifications/unsubscribe?token=a.b' };

describe('renderMessage', () => {
  it('escapes every user value in HTML, keeps it as typed in text, and never breaks the subject line', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), fc.string({ maxLength: 80 }), fc.string({ maxLength: 200 }), (title, name, text) => {
        const r = renderMessage(message({ kind: 'application_received', applicationId: 'a1', jobId: 'j1', jobTitle: title, workerId: 'w1', workerName: name, message: text }), ctx);
        const escaped = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
        expect(r.html).toContain(escaped(text));
        expect(r.html).toContain(escaped(title));
        expect(r.text).toContain(text);
        expect(r.subject).not.toMatch(/[\r\n]/);
        // Nothing a user typed opens a tag in the HTML: the markup has as many '<' as with plain values.
        const same = (s: string) => (s.trim() === '' ? s : 'x');
        const plain = renderMessage(message({ kind: 'application_received', applicationId: 'a1', jobId: 'j1', jobTitle: same(title), workerId: 'w1', workerName: same(name), message: same(text) }), ctx);
        const tags = (html: string) => html.split('<').length;
        expect(tags(r.html)).toBe(tags(plain.html));
      }),
      { numRuns: 200 },
    );
  });

  it('words each kind, with links to the job and the unsubscribe page', () => {
    const status = renderMessage(message({ kind: 'application_status', applicationId: 'a1', jobId: 'j 1', jobTitle: 'Picker', status: 'hired', businessName: 'Orchard' }), ctx);
    expect(status.subject).toBe('Your application to Picker is accepted: you are hired');
    expect(status.html).toContain('href="https://jobs.example/jobs/j%201"');
    expect(status.text).toContain('https://jobs.example/v1/me/applications');
    expect(status.text).toContain(ctx.unsubscribeUrl);
    expect(status.html).toContain('href="https://jobs.example/v1/notifications/unsubscribe?token=a.b"');
    expect(renderMessage(message({ kind: 'job_expired', jobId: 'j1', jobTitle: 'Picker', expiredAt: '2027-01-01T00:00:00Z' }), ctx).subject).toBe('Your job has expired: Picker');
    const digest = renderMessage(message({ kind: 'saved_search_digest', searchId: 's1', searchName: 'Cider <jobs>', frequency: 'daily', jobs: [{ jobId: 'j1', title: 'Press <hand>', city: 'Hood River' }, { jobId: 'j2', title: 'Picker' }] }), ctx);
    expect(digest.subject).toBe('2 new jobs for "Cider <jobs>"');
    expect(digest.html).toContain('<a href="https://jobs.example/jobs/j1">Press &lt;hand&gt;</a> in Hood River');
    expect(digest.text).toContain('- Picker: https://jobs.example/jobs/j2');
    const alert = renderMessage(message({ kind: 'saved_search_alert', jobId: 'j1', jobTitle: 'Press hand', searches: [{ searchId: 's1', name: 'Cider' }, { searchId: 's2', name: 'Farm' }] }), ctx);
    expect(alert.subject).toBe('New job for "Cider" and 1 more: Press hand');
    expect(alert.text).toContain('"Cider", "Farm"');
    expect(renderMessage(message({ kind: 'application_withdrawn', applicationId: 'a1', jobId: 'j1', jobTitle: 'Picker', workerId: 'w1' }), ctx).text).toContain('A worker withdrew');
  });

  it('job_expiring: names the job and its expiry (UTC), links the job page and the business job list', () => {
    const r = renderMessage(message({ kind: 'job_expiring', jobId: 'j 1', jobTitle: 'Picker', expiresAt: '2027-05-31T23:59:00Z' }), ctx);
    expect(r.subject).toBe('Your job Picker expires on Mon 31 May 2027, 23:59 UTC: extend or close it');
    expect(r.html).toContain('<a href="https://jobs.example/jobs/j%201">Picker</a> expires on <strong>Mon 31 May 2027, 23:59 UTC</strong>');
    expect(r.html).toContain('href="https://jobs.example/v1/businesses/me/jobs"');
    expect(r.html).not.toContain('/v1/jobs/');
    expect(r.text).toContain('The job: https://jobs.example/jobs/j%201\n');
    expect(r.text).toContain('All your jobs: https://jobs.example/v1/businesses/me/jobs');
    expect(r.text).toContain('Stop these e-mails (jobs about to expire)');
    // An offset is shown as the same instant in UTC.
    expect(renderMessage(message({ kind: 'job_expiring', jobId: 'j1', jobTitle: 'Picker', expiresAt: '2027-06-01T01:05:00+02:00' }), ctx).subject).toContain('expires on Mon 31 May 2027, 23:05 UTC');
  });

  it('job_expiring: a job title never reaches the HTML unescaped (tags, quotes, ampersands), and stays as typed in the text', () => {
    const hostile = fc.constantFrom('<script>alert("x")</script>', '"><img src=x onerror=alert(1)>', "' onmouseover='alert(1)", '</a><a href="https://evil.example">', '&lt;already&gt; & <b>');
    const markupy = fc.string({ unit: fc.constantFrom('<', '>', '"', "'", '&', '/', '=', 'a', ' ', 's'), maxLength: 40 });
    fc.assert(
      fc.property(fc.oneof(hostile, markupy, fc.string({ maxLength: 80 })), (title) => {
        const r = renderMessage(message({ kind: 'job_expiring', jobId: 'j1', jobTitle: title, expiresAt: '2027-05-31T23:59:00Z' }), ctx);
        const escaped = title.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
        expect(r.html).toContain(`>${escaped}</a> expires on`);
        expect(r.html).not.toMatch(/<(script|img|b)\b|href="https:\/\/evil/);
        // The markup is the same as for a plain title: nothing typed opens a tag or closes an attribute.
        const plain = renderMessage(message({ kind: 'job_expiring', jobId: 'j1', jobTitle: 'x', expiresAt: '2027-05-31T23:59:00Z' }), ctx);
        const count = (html: string, c: string) => html.split(c).length;
        expect(count(r.html, '<')).toBe(count(plain.html, '<'));
        expect(count(r.html, '"')).toBe(count(plain.html, '"'));
        expect(r.text).toContain(`Your job "${title}" expires on`);
        expect(r.subject).not.toMatch(/[\r\n]/);
      }),
      { numRuns: 300 },
    );
  });
});

describe('delivery policy', () => {
  it('SMTP 5xx is permanent; 4xx, time-outs and dropped connections are retried', () => {
    expect(classifySmtpError({ responseCode: 550, message: 'no such user' })).toMatchObject({ permanent: true, message: 'SMTP 550: no such user' });
    expect(classifySmtpError({ responseCode: 451, message: 'later' }).permanent).toBe(false);
    expect(classifySmtpError({ responseCode: 421, message: 'busy' }).permanent).toBe(false);
    expect(classifySmtpError({ code: 'ECONNECTION', message: 'reset' })).toMatchObject({ permanent: false, message: 'ECONNECTION: reset' });
  });

  it('backs off exponentially with jitter, within [d/2, d], capped', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, r) => {
        const d = Math.min(defaultRetryPolicy.maxMs, defaultRetryPolicy.initialMs * 2 ** (attempt - 1));
        const delay = retryDelay(defaultRetryPolicy, attempt, () => r);
        expect(delay).toBeGreaterThanOrEqual(d / 2);
        expect(delay).toBeLessThanOrEqual(d);
      }),
    );
    expect(retryDelay(defaultRetryPolicy, 1, () => 1)).toBe(30_000);
    expect(retryDelay(defaultRetryPolicy, 30, () => 1)).toBe(3_600_000);
  });
});

describe('the webhook_disabled mail', () => {
  it('names the webhook and the last error, escaped in HTML, and offers no unsubscribe (a service mail)', () => {
    const url = 'https://hooks.example/<x>?a=1&b=2';
    const r = renderMessage(message({ kind: 'webhook_disabled', webhookId: 'wh-1', url, reason: 'last error: webhook answered HTTP 503', disabledAt: '2027-05-31T23:59:00Z' }), { publicUrl: 'https://jobs.example/', unsubscribeUrl: '' });
    expect(r.subject).toBe(`Your webhook was disabled: ${url}`);
    expect(r.text).toContain(url);
    expect(r.text).toContain('HTTP 503');
    expect(r.text).toContain('Mon 31 May 2027, 23:59 UTC');
    expect(r.text).toContain('https://jobs.example/v1/businesses/me/webhooks');
    expect(r.html).toContain('https://hooks.example/&lt;x&gt;?a=1&amp;b=2');
    expect(r.html).not.toContain('<x>');
    expect(r.text).not.toContain('Stop these e-mails');
    expect(r.html).not.toContain('Stop these e-mails');
  });

  it('other kinds still carry their unsubscribe link', () => {
    const r = renderMessage(message({ kind: 'job_expired', jobId: 'j1', jobTitle: 'Picker', expiredAt: '2027-05-31T23:59:00Z' }), ctx);
    expect(r.text).toContain(`Stop these e-mails (expired jobs): ${ctx.unsubscribeUrl}`);
  });
});
