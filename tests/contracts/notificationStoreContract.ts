import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DirectoryEntry } from '../../projections/notifications/directory.ts';
import type { OutboxMessage } from '../../projections/notifications/notificationMessage.ts';
import type { NotificationStore } from '../../projections/notifications/notificationStore.ts';

export const outboxMessage = (position: number, over: Partial<OutboxMessage> = {}): OutboxMessage => ({
  id: `application_received.${position}.business.b1`,
  kind: 'application_received',
  recipient: { role: 'business', id: 'b1' },
  to: 'b1@example.com',
  data: { kind: 'application_received', applicationId: `a${position}`, jobId: 'j1', jobTitle: 'Picker', workerId: 'w1' },
  causePosition: position,
  createdAt: '2027-03-01T00:00:00.000Z',
  status: 'pending',
  ...over,
});

const entry = (key: string, position: number, title: string): DirectoryEntry => ({ key, position, value: { type: 'job', jobId: key, businessId: 'b1', title, status: 'open' } });

/** Every NotificationStore adapter: atomic commits, insert-once messages, leased claims, retries, dead letters, lists. */
export function notificationStoreContract(name: string, makeStore: () => Promise<NotificationStore>): void {
  describe(`NotificationStore contract: ${name}`, () => {
    let store: NotificationStore;
    beforeEach(async () => {
      store = await makeStore();
    });
    afterEach(async () => store.close());

    it('commits directory entries, messages and the checkpoint; an older entry never overwrites a newer one', async () => {
      expect(await store.checkpoint('notifications')).toBe(0);
      await store.commit({ entries: [entry('j|1', 5, 'new title')], messages: [outboxMessage(5)] }, 'notifications', 5);
      await store.commit({ entries: [entry('j|1', 3, 'old title')], messages: [] }, 'notifications', 6);
      expect(await store.checkpoint('notifications')).toBe(6);
      const loaded = await store.loadDirectory(['j|1', 'j|missing']);
      expect([...loaded.keys()]).toEqual(['j|1']);
      expect(loaded.get('j|1')).toEqual(entry('j|1', 5, 'new title'));
    });

    it('stores a message once: the same id again (a replay) changes nothing, not even its status', async () => {
      await store.commit({ entries: [], messages: [outboxMessage(1)] }, 'n', 1);
      const [claimed] = await store.claimDue(new Date(Date.now() + 1000), 10, 60_000);
      await store.recordSent([claimed!.id], new Date(), 'smtp');
      await store.commit({ entries: [], messages: [outboxMessage(1, { to: 'other@example.com' })] }, 'n', 1);
      expect(await store.get(outboxMessage(1).id)).toMatchObject({ status: 'sent', to: 'b1@example.com', attempts: 1, channel: 'smtp' });
    });

    it('records several sent messages in one call, each as sent once, and leaves the others claimed', async () => {
      await store.commit({ entries: [], messages: [1, 2, 3, 4].map((p) => outboxMessage(p)) }, 'n', 4);
      const claimed = await store.claimDue(new Date(Date.now() + 1000), 10, 60_000);
      expect(claimed).toHaveLength(4);
      const at = new Date('2027-03-02T10:00:00.000Z');
      await store.recordSent([claimed[0]!.id, claimed[2]!.id], at, 'smtp');
      await store.recordSent([], at, 'smtp');
      const [a, b, c] = await Promise.all([claimed[0], claimed[1], claimed[2]].map((m) => store.get(m!.id)));
      expect(a).toMatchObject({ status: 'sent', attempts: 1, channel: 'smtp', sentAt: at.toISOString() });
      expect(c).toMatchObject({ status: 'sent', attempts: 1, channel: 'smtp' });
      expect(b).toMatchObject({ status: 'pending', attempts: 0 });
      expect((await store.stats(new Date())).byStatus).toMatchObject({ sent: 2, pending: 2 });
      // The two left are still leased: nothing is due again until the lease lapses.
      expect(await store.claimDue(new Date(Date.now() + 1000), 10, 60_000)).toEqual([]);
    });

    it('claims due pending messages once until the lease lapses; unaddressed and stale ones are never claimed', async () => {
      await store.commit({ entries: [], messages: [outboxMessage(1), outboxMessage(2), outboxMessage(3, { status: 'unaddressed', to: undefined }), outboxMessage(4, { status: 'stale' })] }, 'n', 4);
      const now = new Date(Date.now() + 1000);
      const first = await store.claimDue(now, 10, 60_000);
      expect(first.map((m) => m.causePosition).sort()).toEqual([1, 2]);
      expect(await store.claimDue(now, 10, 60_000)).toEqual([]);
      const later = await store.claimDue(new Date(now.getTime() + 61_000), 1, 60_000);
      expect(later).toHaveLength(1);
      // A sole dispatcher restarting after a crash ends every claim at once.
      expect(await store.releaseClaims()).toBe(2);
      expect(await store.claimDue(now, 10, 60_000)).toHaveLength(2);
    });

    it('a retry waits for its time; a dead message is listed, counted and can be retried', async () => {
      await store.commit({ entries: [], messages: [outboxMessage(1), outboxMessage(2)] }, 'n', 2);
      const now = new Date(Date.now() + 1000);
      const [a, b] = await store.claimDue(now, 10, 60_000);
      await store.recordRetry(a!.id, 'SMTP 451: try later', new Date(now.getTime() + 5000));
      await store.recordDead(b!.id, 'SMTP 550: no such user');
      expect(await store.claimDue(now, 10, 60_000)).toEqual([]);
      const retried = await store.claimDue(new Date(now.getTime() + 5000), 10, 60_000);
      expect(retried).toEqual([expect.objectContaining({ id: a!.id, attempts: 1, lastError: 'SMTP 451: try later' })]);
      const stats = await store.stats(now);
      expect(stats.byStatus).toMatchObject({ pending: 1, dead: 1, sent: 0 });
      expect(stats.oldestPendingSeconds).toBeGreaterThanOrEqual(0);
      expect((await store.listDead(10)).map((m) => m.id)).toEqual([b!.id]);
      expect(await store.retryDead(now, [b!.id])).toBe(1);
      expect(await store.retryDead(now)).toBe(0);
      expect((await store.get(b!.id))?.status).toBe('pending');
    });

    it('scans directory entries by key prefix in key order, and a digest commit inserts its message and removes what it consumed', async () => {
      const item = (key: string): DirectoryEntry => ({ key, position: 1, value: { type: 'digest_item', workerId: 'w1', searchId: 's1', jobId: key, jobTitle: 't' } });
      await store.commit({ entries: [item('d|w1|s1|j2'), item('d|w1|s1|j1'), item('d|w2|s1|j3'), entry('j|1', 1, 'x'), item('dx|not-a-digest')], messages: [] }, 'n', 1);
      expect((await store.scanDirectory('d|', 10)).map((e) => e.key)).toEqual(['d|w1|s1|j1', 'd|w1|s1|j2', 'd|w2|s1|j3']);
      expect((await store.scanDirectory('d|', 2, 'd|w1|s1|j1')).map((e) => e.key)).toEqual(['d|w1|s1|j2', 'd|w2|s1|j3']);
      await store.commitDigests({ messages: [outboxMessage(9)], remove: ['d|w1|s1|j1', 'd|w1|s1|j2'] });
      expect((await store.scanDirectory('d|', 10)).map((e) => e.key)).toEqual(['d|w2|s1|j3']);
      expect(await store.get(outboxMessage(9).id)).toMatchObject({ status: 'pending' });
    });

    it('a digest commit stores a message once: a scheduled run repeated after delivery changes nothing, while another id is added', async () => {
      const reminder = (over: Partial<OutboxMessage> = {}) => outboxMessage(3, { id: 'job_expiring.e1811721540000.j1.business.b1', kind: 'job_expiring', data: { kind: 'job_expiring', jobId: 'j1', jobTitle: 'Picker', expiresAt: '2027-05-31T23:59:00Z' }, ...over });
      await store.commitDigests({ messages: [reminder()], remove: [] });
      const [claimed] = await store.claimDue(new Date(Date.now() + 1000), 10, 60_000);
      await store.recordSent([claimed!.id], new Date(), 'smtp');
      await store.commitDigests({ messages: [reminder({ to: 'other@example.com', createdAt: '2027-05-29T00:00:00.000Z' })], remove: [] });
      expect(await store.get(reminder().id)).toMatchObject({ status: 'sent', to: 'b1@example.com', attempts: 1, createdAt: reminder().createdAt });
      // The same job with a later expiry is another reminder.
      const extended = reminder({ id: 'job_expiring.e1812326340000.j1.business.b1', data: { kind: 'job_expiring', jobId: 'j1', jobTitle: 'Picker', expiresAt: '2027-06-07T23:59:00Z' } });
      await store.commitDigests({ messages: [extended], remove: [] });
      expect((await store.listFor({ role: 'business', id: 'b1' }, 10)).map((m) => [m.id, m.status])).toEqual(expect.arrayContaining([[reminder().id, 'sent'], [extended.id, 'pending']]));
      expect((await store.stats(new Date())).byStatus).toMatchObject({ sent: 1, pending: 1 });
    });

    it("lists a recipient's messages newest first, in pages, and nobody else's", async () => {
      const mine = [1, 2, 3, 4, 5].map((p) => outboxMessage(p));
      const theirs = outboxMessage(6, { id: 'application_received.6.business.b2', recipient: { role: 'business', id: 'b2' } });
      const sameIdAsWorker = outboxMessage(7, { id: 'application_status.7.worker.b1', kind: 'application_status', recipient: { role: 'worker', id: 'b1' } });
      await store.commit({ entries: [], messages: [...mine, theirs, sameIdAsWorker] }, 'n', 7);
      const page1 = await store.listFor({ role: 'business', id: 'b1' }, 2);
      expect(page1.map((m) => m.causePosition)).toEqual([5, 4]);
      const last = page1.at(-1)!;
      const page2 = await store.listFor({ role: 'business', id: 'b1' }, 10, { causePosition: last.causePosition, id: last.id });
      expect(page2.map((m) => m.causePosition)).toEqual([3, 2, 1]);
      expect(page2[0]).toMatchObject({ data: mine[2]!.data, recipient: { role: 'business', id: 'b1' }, status: 'pending' });
    });
  });
}
