import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DirectoryEntry, JobEntry, RecipientEntry } from '../../projections/notifications/directory.ts';
import { jobKey, recipientKey, webhooksKey } from '../../projections/notifications/directory.ts';
import type { NotificationStore } from '../../projections/notifications/notificationStore.ts';
import { openSqliteNotificationStore } from '../../projections/notifications/sqliteNotificationStore.ts';
import { EXPIRY_REMINDER_LEAD_MS, expiryReminderDue, expiryReminderId, expiryReminders, remindExpiringJobs } from './remindExpiringJobs.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const now = new Date('2027-01-04T10:00:00Z');
const inMs = (ms: number) => new Date(now.getTime() + ms).toISOString();

const job = (jobId: string, over: Partial<JobEntry> = {}, position = 7): DirectoryEntry => ({
  key: jobKey(jobId),
  position,
  value: { type: 'job', jobId, businessId: 'b1', title: `Job ${jobId}`, status: 'open', expiresAt: inMs(2 * DAY), ...over },
});
const business = (over: Partial<RecipientEntry> = {}): DirectoryEntry => ({
  key: recipientKey('business', 'b1'),
  position: 1,
  value: { type: 'recipient', role: 'business', id: 'b1', name: 'Orchard', email: 'hiring@orchard.example', muted: [], ...over },
});
const directoryOf = (...entries: DirectoryEntry[]) => new Map(entries.map((e) => [e.key, e]));

describe('which jobs are due an expiry reminder at a given now', () => {
  it('exactly the open jobs whose expiry is after now and at most 3 days ahead', () => {
    const statuses = ['draft', 'open', 'closed', 'expired'] as const;
    fc.assert(
      fc.property(fc.constantFrom(...statuses), fc.integer({ min: -10 * DAY, max: 10 * DAY }), (status, offset) => {
        const entry: JobEntry = { type: 'job', jobId: 'j1', businessId: 'b1', title: 't', status, expiresAt: inMs(offset) };
        expect(expiryReminderDue(entry, now)).toBe(status === 'open' && offset > 0 && offset <= EXPIRY_REMINDER_LEAD_MS);
      }),
      { numRuns: 500 },
    );
  });

  it('at the edges: due at exactly 3 days and one millisecond before expiry; not a millisecond past 3 days, at the instant of expiry, or without an expiry', () => {
    expect(expiryReminderDue(job('j', { expiresAt: inMs(3 * DAY) }).value as JobEntry, now)).toBe(true);
    expect(expiryReminderDue(job('j', { expiresAt: inMs(1) }).value as JobEntry, now)).toBe(true);
    expect(expiryReminderDue(job('j', { expiresAt: inMs(3 * DAY + 1) }).value as JobEntry, now)).toBe(false);
    expect(expiryReminderDue(job('j', { expiresAt: inMs(0) }).value as JobEntry, now)).toBe(false);
    const { expiresAt: _none, ...noExpiry } = job('j').value as JobEntry;
    expect(expiryReminderDue(noExpiry, now)).toBe(false);
  });

  it('makes one message per due job, addressed to its business, and none for draft, closed, expired, past or far-off jobs', () => {
    const entries = [
      job('due', { title: 'Apple <Picker>' }, 42),
      job('draft', { status: 'draft' }),
      job('closed', { status: 'closed' }),
      job('expired', { status: 'expired' }),
      job('past', { expiresAt: inMs(-HOUR) }),
      job('far', { expiresAt: inMs(4 * DAY) }),
    ];
    const expiresAt = inMs(2 * DAY);
    expect(expiryReminders(entries, directoryOf(business()), now)).toEqual([
      {
        id: `job_expiring.e${Date.parse(expiresAt)}.due.business.b1`,
        kind: 'job_expiring',
        recipient: { role: 'business', id: 'b1' },
        to: 'hiring@orchard.example',
        data: { kind: 'job_expiring', jobId: 'due', jobTitle: 'Apple <Picker>', expiresAt },
        causePosition: 42,
        createdAt: now.toISOString(),
        status: 'pending',
      },
    ]);
  });

  it("respects the business's preferences: nothing when it muted the kind; kept unaddressed when it gave no address", () => {
    expect(expiryReminders([job('j1')], directoryOf(business({ muted: ['job_expiring'] })), now)).toEqual([]);
    // Muting another kind changes nothing.
    expect(expiryReminders([job('j1')], directoryOf(business({ muted: ['job_expired'] })), now)).toHaveLength(1);
    const [unaddressed] = expiryReminders([job('j1')], directoryOf(business({ email: undefined })), now);
    expect(unaddressed).toMatchObject({ status: 'unaddressed' });
    expect(unaddressed).not.toHaveProperty('to');
    expect(expiryReminders([job('j1')], directoryOf(), now)).toEqual([expect.objectContaining({ status: 'unaddressed' })]);
  });

  it('one id per job and expiry instant: the same at every run while it is due, another for a later expiry', () => {
    const first = expiryReminders([job('j1')], directoryOf(business()), now)[0]!;
    const later = expiryReminders([job('j1')], directoryOf(business()), new Date(now.getTime() + 20 * HOUR))[0]!;
    expect(later.id).toBe(first.id);
    const extended = expiryReminders([job('j1', { expiresAt: inMs(2 * DAY + HOUR) })], directoryOf(business()), new Date(now.getTime() + HOUR))[0]!;
    expect(extended.id).not.toBe(first.id);
    // Two spellings of one instant are one expiry.
    expect(expiryReminderId({ jobId: 'j1', businessId: 'b1' }, '2027-01-06T10:00:00Z')).toBe(expiryReminderId({ jobId: 'j1', businessId: 'b1' }, '2027-01-06T11:00:00.000+01:00'));
  });
});

describe('remindExpiringJobs over the outbox', () => {
  let dir: string;
  let store: NotificationStore;
  // The jobs read model as the sweep sees it: open jobs expiring by the horizon, by jobId, paged.
  let readModel: Array<{ jobId: string; expiresAt: string }>;
  const jobs = {
    expiredOpenJobIds: (by: Date, size: number, after = '') =>
      Promise.resolve(readModel.filter((j) => Date.parse(j.expiresAt) <= by.getTime() && j.jobId > after).map((j) => j.jobId).sort().slice(0, size)),
  };
  const run = (at: Date) => remindExpiringJobs({ store, jobs }, at, { pageSize: 2 });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'expiring-'));
    store = openSqliteNotificationStore(join(dir, 'notifications.db'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds each due reminder once however often it runs, a new one for a later expiry, and none that the directory says is closed', async () => {
    const entries = [job('a'), job('b'), job('c'), job('closed', { status: 'closed' }), business()];
    await store.commit({ entries, messages: [] }, 'notifications', 7);
    // The read model lags: it still lists the closed job as open.
    readModel = ['a', 'b', 'c', 'closed'].map((jobId) => ({ jobId, expiresAt: inMs(2 * DAY) }));
    expect(await run(now)).toEqual({ items: 3 });
    expect(await run(now)).toEqual({ items: 0 });
    expect(await run(new Date(now.getTime() + HOUR))).toEqual({ items: 0 });
    const reminded = (await store.listFor({ role: 'business', id: 'b1' }, 10)).map((m) => (m.data.kind === 'job_expiring' ? m.data.jobId : m.data.kind));
    expect(reminded.sort()).toEqual(['a', 'b', 'c']);
    expect((await store.stats(now)).byStatus.pending).toBe(3);

    // Job a is extended by 10 days: nothing until its new expiry comes near, then one more.
    await store.commit({ entries: [job('a', { expiresAt: inMs(12 * DAY) }, 9)], messages: [] }, 'notifications', 9);
    readModel = readModel.map((j) => (j.jobId === 'a' ? { ...j, expiresAt: inMs(12 * DAY) } : j));
    expect(await run(new Date(now.getTime() + DAY))).toEqual({ items: 0 });
    const nearAgain = new Date(now.getTime() + 10 * DAY);
    expect(await run(nearAgain)).toEqual({ items: 1 });
    expect(await run(nearAgain)).toEqual({ items: 0 });
    expect((await store.listFor({ role: 'business', id: 'b1' }, 10)).filter((m) => m.data.kind === 'job_expiring' && m.data.jobId === 'a')).toHaveLength(2);
  });

  it('refuses a jobs read store that cannot list jobs by expiry', async () => {
    await expect(remindExpiringJobs({ store, jobs: {} }, now)).rejects.toThrow(/cannot list expiring jobs/);
  });
});

describe('expiry reminders for webhooks', () => {
  const hooks = (webhooks: Array<{ webhookId: string; eventTypes: Array<'job.expiring' | 'job.expired'>; status?: 'active' | 'disabled' }>): DirectoryEntry => ({
    key: webhooksKey('b1'),
    position: 2,
    value: { type: 'webhooks', businessId: 'b1', webhooks: webhooks.map((w) => ({ url: `https://hooks.example/${w.webhookId}`, status: 'active', ...w })) },
  });

  it('one job.expiring delivery per active webhook subscribed to it, with an id per job, expiry instant and webhook, even when mails of the kind are muted', () => {
    const dir = directoryOf(business({ muted: ['job_expiring'] }), hooks([{ webhookId: 'wh-a', eventTypes: ['job.expiring'] }, { webhookId: 'wh-b', eventTypes: ['job.expired'] }, { webhookId: 'wh-c', eventTypes: ['job.expiring'], status: 'disabled' }]));
    const messages = expiryReminders([job('j1')], dir, now);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      id: `webhook.job.expiring.e${Date.parse(inMs(2 * DAY))}.j1.wh-a`,
      kind: 'job_expiring',
      status: 'pending',
      webhook: { webhookId: 'wh-a', eventType: 'job.expiring', url: 'https://hooks.example/wh-a' },
      data: { kind: 'job_expiring', jobId: 'j1', expiresAt: inMs(2 * DAY) },
    });
    const again = expiryReminders([job('j1')], dir, new Date(now.getTime() + HOUR));
    expect(again.map((m) => m.id)).toEqual(messages.map((m) => m.id));
  });
});
