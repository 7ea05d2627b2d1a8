import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../eventstore/events/index.ts';
import type { RecordedEvent } from '../../eventstore/port.ts';
import { openSqliteDeadLetters } from '../../projections/deadLetters.ts';
import type { AlertSource, Percolation } from '../../projections/notifications/alertSource.ts';
import type { NotificationStore } from '../../projections/notifications/notificationStore.ts';
import { notificationsProjection } from '../../projections/notifications/notificationsProjection.ts';
import { openSqliteNotificationStore } from '../../projections/notifications/sqliteNotificationStore.ts';
import { composeDigests, digestDue, localTime } from './composeDigests.ts';

describe('digest schedule in the saved search time zone', () => {
  const daily = { alertFrequency: 'daily', alertHour: 7, alertWeekday: 1, timeZone: 'America/Denver' } as const;
  it('reads the local hour and weekday (daylight saving included)', () => {
    expect(localTime(new Date('2027-01-04T14:00:00Z'), 'America/Denver')).toEqual({ hour: 7, weekday: 1 });
    expect(localTime(new Date('2027-07-05T13:00:00Z'), 'America/Denver')).toEqual({ hour: 7, weekday: 1 });
    expect(localTime(new Date('2027-01-04T00:30:00Z'), 'Asia/Tokyo')).toEqual({ hour: 9, weekday: 1 });
  });
  it('daily at its hour, weekly at its hour on its day, hourly always, instant and off never', () => {
    expect(digestDue(daily, new Date('2027-01-04T14:00:00Z'))).toBe(true);
    expect(digestDue(daily, new Date('2027-01-04T15:00:00Z'))).toBe(false);
    expect(digestDue({ ...daily, alertFrequency: 'weekly' }, new Date('2027-01-04T14:00:00Z'))).toBe(true);
    expect(digestDue({ ...daily, alertFrequency: 'weekly' }, new Date('2027-01-05T14:00:00Z'))).toBe(false);
    expect(digestDue({ ...daily, alertFrequency: 'hourly' }, new Date('2027-01-05T03:00:00Z'))).toBe(true);
    expect(digestDue({ ...daily, alertFrequency: 'instant' }, new Date('2027-01-04T14:00:00Z'))).toBe(false);
    expect(digestDue({ ...daily, alertFrequency: 'off' }, new Date('2027-01-04T14:00:00Z'))).toBe(false);
  });
});

describe('composeDigests over the outbox', () => {
  let dir: string;
  let store: NotificationStore;
  let position = 0;
  const at = '2027-01-04T10:00:00Z';
  const clock = () => new Date('2027-01-04T12:00:00Z');
  const matches = new Map<string, Percolation>();
  const alerts: AlertSource = { percolate: (jobId) => Promise.resolve(matches.get(jobId)) };
  const apply = async (events: DomainEvent[]) => {
    const letters = openSqliteDeadLetters(':memory:');
    const recorded = events.map((e): RecordedEvent => ({ ...e, eventId: `e${++position}`, streamId: 's', revision: 0, position, storedVersion: 1, recordedAt: at, metadata: { actor: { role: 'system' as const, sub: 't' }, correlationId: 'c', causationId: 'c', occurredAt: at } }));
    await notificationsProjection(store, letters, { clock, alerts }).apply(recorded);
    await letters.close();
  };
  const draft = (jobId: string, title: string): DomainEvent[] => [
    { type: 'JobDrafted', data: { jobId, businessId: 'b1', title, description: 'd', category: 'agriculture', employmentType: 'seasonal', pay: { min: 1, max: 2, currency: 'USD', unit: 'hour' }, remote: false, skills: [], experienceYears: 0 } },
    { type: 'JobPublished', data: { jobId, publishedAt: at, expiresAt: '2027-02-01T00:00:00Z' } },
  ];
  const matchOf = (jobId: string, title: string, frequency: 'daily' | 'instant' = 'daily'): Percolation => ({ job: { jobId, title, city: 'Hood River' }, matches: [{ workerId: 'w1', searchId: 's1', name: 'Orchards <near me>', alertFrequency: frequency }] });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'digests-'));
    store = openSqliteNotificationStore(join(dir, 'notifications.db'));
    await apply([
      { type: 'WorkerProfileUpdated', data: { workerId: 'w1', profile: { name: 'Ana', skills: [], maxTravelKm: 10, currency: 'USD', availability: [], experienceYears: 0, email: 'w1@example.com' }, updatedAt: at } },
      { type: 'SearchSaved', data: { workerId: 'w1', searchId: 's1', name: 'Orchards <near me>', query: { text: 'orchard' }, alertFrequency: 'daily', alertHour: 7, alertWeekday: 1, timeZone: 'America/Denver', savedAt: at } },
    ]);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const due = new Date('2027-01-05T14:00:00Z'); // 07:00 in Denver
  const digests = async () => (await store.listFor({ role: 'worker', id: 'w1' }, 100)).filter((m) => m.kind === 'saved_search_digest');

  it('holds the jobs queued since the last digest that are still open, once, at the search hour; nothing when nothing is new', async () => {
    matches.set('j1', matchOf('j1', 'Pear picker'));
    matches.set('j2', matchOf('j2', 'Apple picker'));
    matches.set('j3', matchOf('j3', 'Cherry picker'));
    await apply([...draft('j1', 'Pear picker'), ...draft('j2', 'Apple picker'), ...draft('j3', 'Cherry picker')]);
    // An edit percolates again: the job is queued once all the same.
    await apply([{ type: 'JobUpdated', data: { jobId: 'j1', changes: { hoursPerWeek: 20 } } }, { type: 'JobClosed', data: { jobId: 'j3', reason: 'filled', closedAt: at } }]);
    expect(await composeDigests(store, due, new Date('2027-01-05T15:00:00Z'))).toEqual({ items: 3, messages: 0 });
    expect(await composeDigests(store, due, due)).toEqual({ items: 3, messages: 1 });
    const [digest] = await digests();
    expect(digest).toMatchObject({
      id: `saved_search_digest.h${Math.floor(due.getTime() / 3_600_000)}.s1.worker.w1`,
      to: 'w1@example.com',
      status: 'pending',
      data: { kind: 'saved_search_digest', searchName: 'Orchards <near me>', frequency: 'daily', jobs: [{ jobId: 'j1', title: 'Pear picker', city: 'Hood River' }, { jobId: 'j2', title: 'Apple picker', city: 'Hood River' }] },
    });
    // The next day: nothing new, no mail; then one new job, only that one.
    const nextDay = new Date(due.getTime() + 24 * 3_600_000);
    expect(await composeDigests(store, nextDay, nextDay)).toEqual({ items: 0, messages: 0 });
    matches.set('j4', matchOf('j4', 'Plum picker'));
    await apply(draft('j4', 'Plum picker'));
    await apply([{ type: 'JobReopened', data: { jobId: 'j1', reopenedAt: at, expiresAt: '2027-03-01T00:00:00Z' } }]);
    expect(await composeDigests(store, nextDay, nextDay)).toEqual({ items: 1, messages: 1 });
    expect((await digests()).map((d) => (d.data as { jobs: Array<{ jobId: string }> }).jobs.map((j) => j.jobId))).toEqual([['j4'], ['j1', 'j2']]);
  });

  it('drops the queue of a deleted search and of one switched to instant alerts', async () => {
    matches.set('j1', matchOf('j1', 'Pear picker'));
    await apply(draft('j1', 'Pear picker'));
    await apply([{ type: 'SavedSearchAlertsChanged', data: { workerId: 'w1', searchId: 's1', alertFrequency: 'instant', alertHour: 7, alertWeekday: 1, timeZone: 'UTC', changedAt: at } }]);
    expect(await composeDigests(store, due, due)).toEqual({ items: 1, messages: 0 });
    expect(await store.scanDirectory('d|', 10)).toEqual([]);
  });
});
