import { describe, expect, it } from 'vitest';
import type { DomainEvent, WebhookEventType } from '../../eventstore/events/index.ts';
import type { RecordedEvent } from '../../eventstore/port.ts';
import { decideNotifications, keysOf, referencesOf } from './decideNotifications.ts';
import type { DirectoryEntry } from './directory.ts';

const now = new Date('2027-03-10T12:00:00Z');
const options = { now, maxCauseAgeMs: 24 * 3600_000 };
let position = 0;
const recorded = (e: DomainEvent, occurredAt = '2027-03-10T11:00:00Z'): RecordedEvent =>
  ({ ...e, eventId: `e${++position}`, streamId: 's', revision: 0, position, storedVersion: 1, recordedAt: occurredAt, metadata: { actor: { role: 'system', sub: 't' }, correlationId: 'c', causationId: 'c', occurredAt } });

/** Given these events folded into a directory, when this event arrives, then these messages. */
function given(events: DomainEvent[]) {
  const view = new Map<string, DirectoryEntry>();
  for (const e of events) for (const entry of decideNotifications(recorded(e), view, options).entries) view.set(entry.key, entry);
  return { view, when: (e: DomainEvent, occurredAt?: string) => decideNotifications(recorded(e, occurredAt), view, options) };
}

const at = '2027-03-10T10:00:00Z';
const business = { type: 'BusinessProfileUpdated', data: { businessId: 'b1', profile: { name: 'Orchard', email: 'b1@example.com' }, updatedAt: at } } as const;
const worker = {
  type: 'WorkerProfileUpdated',
  data: { workerId: 'w1', profile: { name: 'Ana', skills: [], maxTravelKm: 10, currency: 'USD', availability: [], experienceYears: 0, email: 'w1@example.com' }, updatedAt: at },
} satisfies DomainEvent;
const drafted = {
  type: 'JobDrafted',
  data: { jobId: 'j1', businessId: 'b1', title: 'Picker', description: 'd', category: 'agriculture', employmentType: 'seasonal', pay: { min: 1, max: 2, currency: 'USD', unit: 'hour' }, remote: false, skills: [], experienceYears: 0 },
} satisfies DomainEvent;
const applied = { type: 'ApplicationSubmitted', data: { applicationId: 'a1', jobId: 'j1', workerId: 'w1', businessId: 'b1', message: 'hi', submittedAt: at } } as const;

describe('decideNotifications', () => {
  it('an application tells the business, addressed from its profile, worded from the job and the worker', () => {
    const { messages } = given([business, worker, drafted]).when(applied);
    expect(messages).toEqual([
      {
        id: `application_received.${position}.business.b1`,
        kind: 'application_received',
        recipient: { role: 'business', id: 'b1' },
        to: 'b1@example.com',
        data: { kind: 'application_received', applicationId: 'a1', jobId: 'j1', jobTitle: 'Picker', workerId: 'w1', workerName: 'Ana', message: 'hi' },
        causePosition: position,
        createdAt: '2027-03-10T11:00:00Z',
        status: 'pending',
      },
    ]);
  });

  it('a status change tells the worker; a withdrawal tells the business; the job title follows edits', () => {
    const g = given([business, worker, drafted, { type: 'JobUpdated', data: { jobId: 'j1', changes: { title: 'Apple picker' } } }, applied]);
    const status = g.when({ type: 'ApplicationStatusChanged', data: { applicationId: 'a1', status: 'hired', changedAt: at } }).messages;
    expect(status).toEqual([expect.objectContaining({ kind: 'application_status', recipient: { role: 'worker', id: 'w1' }, to: 'w1@example.com', data: expect.objectContaining({ status: 'hired', jobTitle: 'Apple picker', businessName: 'Orchard' }) })]);
    const withdrawn = g.when({ type: 'ApplicationWithdrawn', data: { applicationId: 'a1', withdrawnAt: at } }).messages;
    expect(withdrawn).toEqual([expect.objectContaining({ kind: 'application_withdrawn', recipient: { role: 'business', id: 'b1' } })]);
  });

  it('an expired job tells its business', () => {
    const { messages } = given([business, drafted]).when({ type: 'JobExpired', data: { jobId: 'j1', expiredAt: at } });
    expect(messages).toEqual([expect.objectContaining({ kind: 'job_expired', data: { kind: 'job_expired', jobId: 'j1', jobTitle: 'Picker', expiredAt: at } })]);
  });

  it('a muted kind makes no message; other kinds still do', () => {
    const g = given([business, worker, drafted, { type: 'NotificationPreferencesSet', data: { recipientRole: 'business', recipientId: 'b1', muted: ['application_received'], setAt: at } }]);
    expect(g.when(applied).messages).toEqual([]);
    expect(g.when({ type: 'JobExpired', data: { jobId: 'j1', expiredAt: at } }).messages).toHaveLength(1);
  });

  it('without an address the message is kept as unaddressed; a cause older than a day is stale', () => {
    const g = given([{ ...business, data: { ...business.data, profile: { name: 'No mail' } } }, drafted]);
    expect(g.when(applied).messages[0]?.status).toBe('unaddressed');
    expect(given([business, drafted]).when(applied, '2027-03-01T00:00:00Z').messages[0]?.status).toBe('stale');
  });

  it('events about unknown applications or jobs make nothing (their stream began before the log we hold)', () => {
    expect(given([]).when({ type: 'ApplicationStatusChanged', data: { applicationId: 'nope', status: 'hired', changedAt: at } })).toEqual({ entries: [], messages: [] });
    expect(given([]).when({ type: 'JobExpired', data: { jobId: 'nope', expiredAt: at } })).toEqual({ entries: [], messages: [] });
  });

  it('an entry that already includes the event is left alone (replay)', () => {
    const g = given([business]);
    const replayed = decideNotifications({ ...recorded(business), position: 1 }, new Map([['r|business|b1', { key: 'r|business|b1', position: 99, value: { type: 'recipient', role: 'business', id: 'b1', muted: [] } }]]), options);
    expect(replayed.entries).toEqual([]);
    expect(g.view.size).toBe(1);
  });

  it('names the keys to load, and the keys an entry points at', () => {
    expect(keysOf(recorded(applied))).toEqual(['a|a1', 'j|j1', 'r|worker|w1', 'r|business|b1', 'w|b1']);
    expect(keysOf(recorded({ type: 'JobSaved', data: { workerId: 'w1', jobId: 'j1', savedAt: at } }))).toEqual([]);
    expect(referencesOf({ type: 'application', applicationId: 'a1', jobId: 'j1', workerId: 'w1', businessId: 'b1' })).toEqual(['j|j1', 'r|worker|w1', 'r|business|b1', 'w|b1']);
    expect(referencesOf({ type: 'job', jobId: 'j1', businessId: 'b1', title: 't', status: 'open' })).toEqual(['r|business|b1', 'w|b1']);
  });
});

describe('webhook deliveries', () => {
  const hook = (webhookId: string, eventTypes: WebhookEventType[]) =>
    ({ type: 'WebhookRegistered', data: { businessId: 'b1', webhookId, url: `https://hooks.example/${webhookId}`, eventTypes, registeredAt: at } }) satisfies DomainEvent;

  it('one message per active webhook subscribed to the type, beside the mail, with an id from cause, webhook and type', () => {
    const g = given([business, worker, drafted, hook('wh-a', ['application.submitted']), hook('wh-b', ['job.expired'])]);
    const { messages } = g.when(applied);
    const hooks = messages.filter((m) => m.webhook);
    expect(messages.filter((m) => !m.webhook).map((m) => m.kind)).toEqual(['application_received']);
    expect(hooks).toHaveLength(1);
    expect(hooks[0]).toMatchObject({
      id: expect.stringMatching(/^webhook\.application\.submitted\.\d+\.wh-a$/),
      kind: 'application_received',
      recipient: { role: 'business', id: 'b1' },
      status: 'pending',
      webhook: { webhookId: 'wh-a', eventType: 'application.submitted', url: 'https://hooks.example/wh-a' },
      data: { kind: 'application_received', applicationId: 'a1', jobTitle: 'Picker' },
    });
    expect(hooks[0]).not.toHaveProperty('to');
  });

  it('a muted e-mail kind still reaches the webhook; a removed or disabled webhook gets nothing', () => {
    const muted = { type: 'NotificationPreferencesSet', data: { recipientRole: 'business', recipientId: 'b1', muted: ['application_received'], setAt: at } } satisfies DomainEvent;
    expect(given([business, drafted, hook('wh-a', ['application.submitted']), muted]).when(applied).messages.map((m) => m.webhook?.webhookId)).toEqual(['wh-a']);
    const removed = { type: 'WebhookRemoved', data: { businessId: 'b1', webhookId: 'wh-a', removedAt: at } } satisfies DomainEvent;
    expect(given([business, drafted, hook('wh-a', ['application.submitted']), removed]).when(applied).messages.filter((m) => m.webhook)).toEqual([]);
    const disabled = { type: 'WebhookDisabled', data: { businessId: 'b1', webhookId: 'wh-a', reason: 'r', disabledAt: at } } satisfies DomainEvent;
    expect(given([business, drafted, hook('wh-a', ['application.submitted']), disabled]).when(applied).messages.filter((m) => m.webhook)).toEqual([]);
  });

  it('withdrawals and expiries reach the webhooks subscribed to them', () => {
    const g = given([business, worker, drafted, hook('wh-a', ['application.withdrawn', 'job.expired']), applied]);
    const withdrawn = g.when({ type: 'ApplicationWithdrawn', data: { applicationId: 'a1', withdrawnAt: at } }).messages.filter((m) => m.webhook);
    expect(withdrawn.map((m) => m.webhook?.eventType)).toEqual(['application.withdrawn']);
    const expired = g.when({ type: 'JobExpired', data: { jobId: 'j1', expiredAt: at } }).messages.filter((m) => m.webhook);
    expect(expired.map((m) => m.webhook?.eventType)).toEqual(['job.expired']);
  });

  it('a disabled webhook mails its business (a service mail, whatever it muted)', () => {
    const disabled = { type: 'WebhookDisabled', data: { businessId: 'b1', webhookId: 'wh-a', reason: 'HTTP 503 for 24 h', disabledAt: at } } satisfies DomainEvent;
    const { messages } = given([business, hook('wh-a', ['job.expired'])]).when(disabled);
    expect(messages).toMatchObject([{ kind: 'webhook_disabled', to: 'b1@example.com', status: 'pending', data: { kind: 'webhook_disabled', webhookId: 'wh-a', url: 'https://hooks.example/wh-a', reason: 'HTTP 503 for 24 h' } }]);
  });
});
