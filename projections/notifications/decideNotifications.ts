import type { NotificationKind, WebhookEventType } from '../../eventstore/events/index.ts';
import type { RecordedEvent } from '../../eventstore/port.ts';
import type { ApplicationEntry, DirectoryEntry, DirectoryValue, JobEntry, RecipientEntry, WebhooksEntry } from './directory.ts';
import type { SearchEntry } from './directory.ts';
import { alertedKey, applicationKey, digestItemKey, jobKey, recipientKey, searchKey, webhooksKey } from './directory.ts';
import type { Percolation } from './alertSource.ts';
import type { MessageData, OutboxMessage, Recipient } from './notificationMessage.ts';
import { messageIdOf, webhookMessageIdOf } from './notificationMessage.ts';

/** The directory entries a batch has loaded and changed so far. */
export type DirectoryView = ReadonlyMap<string, DirectoryEntry>;

export interface NotificationDecision {
  entries: DirectoryEntry[];
  messages: OutboxMessage[];
}

export interface DecideOptions {
  /** The projection's clock: a cause older than `maxCauseAgeMs` is no longer news. */
  now: Date;
  maxCauseAgeMs: number;
  /** What percolating the job of an opening or changing event found, by the event's position. */
  percolated?: ReadonlyMap<number, Percolation>;
}

/** Events after which a job is percolated against the saved searches (it opened, or changed while open). */
export function percolatesOn(event: RecordedEvent): string | undefined {
  switch (event.type) {
    case 'JobPublished':
    case 'JobReopened':
    case 'JobUpdated':
      return event.data.jobId;
    default:
      return undefined;
  }
}

/** Keys an instant alert reads: each matching search's marker and its worker. */
export function alertKeysOf(p: Percolation): string[] {
  return p.matches.flatMap((m) => [alertedKey(m.workerId, m.searchId, p.job.jobId), recipientKey('worker', m.workerId)]);
}

/** Keys an event reads or writes directly (from its own data). */
export function keysOf(event: RecordedEvent): string[] {
  switch (event.type) {
    case 'WorkerProfileUpdated':
      return [recipientKey('worker', event.data.workerId)];
    case 'BusinessProfileUpdated':
      return [recipientKey('business', event.data.businessId)];
    case 'WebhookRegistered':
    case 'WebhookRemoved':
      return [webhooksKey(event.data.businessId)];
    case 'WebhookDisabled':
      return [webhooksKey(event.data.businessId), recipientKey('business', event.data.businessId)];
    case 'NotificationPreferencesSet':
      return [recipientKey(event.data.recipientRole, event.data.recipientId)];
    case 'JobDrafted':
      return [jobKey(event.data.jobId), recipientKey('business', event.data.businessId), webhooksKey(event.data.businessId)];
    case 'JobUpdated':
    case 'JobPublished':
    case 'JobReopened':
    case 'JobClosed':
    case 'JobExpired':
      return [jobKey(event.data.jobId)];
    case 'ApplicationSubmitted':
      return [applicationKey(event.data.applicationId), jobKey(event.data.jobId), recipientKey('worker', event.data.workerId), recipientKey('business', event.data.businessId), webhooksKey(event.data.businessId)];
    case 'ApplicationWithdrawn':
    case 'ApplicationStatusChanged':
      return [applicationKey(event.data.applicationId)];
    case 'SearchSaved':
    case 'SavedSearchAlertsChanged':
    case 'SavedSearchArchived':
    case 'SavedSearchDeleted':
      return [searchKey(event.data.workerId, event.data.searchId)];
    default:
      return [];
  }
}

/** Keys an entry points at, loaded in a second pass so that messages can be addressed. */
export function referencesOf(value: DirectoryValue): string[] {
  switch (value.type) {
    case 'application':
      return [jobKey(value.jobId), recipientKey('worker', value.workerId), recipientKey('business', value.businessId), webhooksKey(value.businessId)];
    case 'job':
      return [recipientKey('business', value.businessId), webhooksKey(value.businessId)];
    case 'webhooks':
    case 'recipient':
    case 'alerted':
    case 'search':
    case 'digest_item':
      return [];
    default:
      return value satisfies never;
  }
}

const valueAt = <T extends DirectoryValue['type']>(view: DirectoryView, key: string, type: T): Extract<DirectoryValue, { type: T }> | undefined => {
  const v = view.get(key)?.value;
  return v?.type === type ? (v as Extract<DirectoryValue, { type: T }>) : undefined;
};

function recipientOf(view: DirectoryView, r: Recipient): RecipientEntry {
  return valueAt(view, recipientKey(r.role, r.id), 'recipient') ?? { type: 'recipient', role: r.role, id: r.id, muted: [] };
}

/**
 * Decides what one event changes in the directory and which messages it
 * causes. Pure: the same event over the same view gives the same decision.
 */
export function decideNotifications(event: RecordedEvent, view: DirectoryView, { now, maxCauseAgeMs, percolated }: DecideOptions): NotificationDecision {
  const entries: DirectoryEntry[] = [];
  const messages: OutboxMessage[] = [];
  const put = (key: string, value: DirectoryValue) => {
    const current = view.get(key);
    // Already includes this event (a replay): leave it as it is.
    if (current && current.position >= event.position) return;
    entries.push({ key, position: event.position, value });
  };
  const putRecipient = (r: Recipient, change: Partial<RecipientEntry>) => put(recipientKey(r.role, r.id), { ...recipientOf(view, r), ...change });
  const job = (jobId: string) => valueAt(view, jobKey(jobId), 'job');
  const putJob = (jobId: string, change: Partial<JobEntry>) => {
    const current = job(jobId);
    if (current) put(jobKey(jobId), { ...current, ...change });
  };
  const stale = Date.parse(event.metadata.occurredAt) < now.getTime() - maxCauseAgeMs;
  const tell = (kind: NotificationKind, r: Recipient, data: MessageData) => {
    const who = recipientOf(view, r);
    if (who.muted.includes(kind)) return;
    messages.push({
      id: messageIdOf(kind, event.position, r),
      kind,
      recipient: r,
      ...(who.email !== undefined ? { to: who.email } : {}),
      data,
      causePosition: event.position,
      createdAt: event.metadata.occurredAt,
      status: stale ? 'stale' : who.email === undefined ? 'unaddressed' : 'pending',
    });
  };
  const webhooksOf = (businessId: string): WebhooksEntry =>
    valueAt(view, webhooksKey(businessId), 'webhooks') ?? { type: 'webhooks', businessId, webhooks: [] };
  // One delivery per active webhook of the business that subscribed to the type; muting e-mails does not mute webhooks.
  const hook = (eventType: WebhookEventType, businessId: string, data: MessageData) => {
    for (const w of webhooksOf(businessId).webhooks) {
      if (w.status !== 'active' || !w.eventTypes.includes(eventType)) continue;
      messages.push({
        id: webhookMessageIdOf(eventType, event.position, w.webhookId),
        kind: data.kind,
        recipient: { role: 'business', id: businessId },
        data,
        causePosition: event.position,
        createdAt: event.metadata.occurredAt,
        status: stale ? 'stale' : 'pending',
        webhook: { webhookId: w.webhookId, eventType, url: w.url },
      });
    }
  };
  const putWebhooks = (businessId: string, change: (list: WebhooksEntry['webhooks']) => WebhooksEntry['webhooks']) =>
    put(webhooksKey(businessId), { type: 'webhooks', businessId, webhooks: change(webhooksOf(businessId).webhooks) });
  const application = (applicationId: string): ApplicationEntry | undefined => valueAt(view, applicationKey(applicationId), 'application');
  const titleOf = (jobId: string) => job(jobId)?.title ?? 'a job';
  const nameOf = (r: Recipient) => recipientOf(view, r).name;

  // Each job once per saved search: instant ones make one message per worker,
  // naming each of their searches the job newly matches; the others wait for their digest.
  const alert = (p: Percolation | undefined) => {
    if (!p || stale) return;
    const byWorker = new Map<string, Array<{ searchId: string; name: string }>>();
    for (const m of p.matches) {
      const key = alertedKey(m.workerId, m.searchId, p.job.jobId);
      if (view.has(key)) continue;
      put(key, { type: 'alerted', searchId: m.searchId, jobId: p.job.jobId });
      if (m.alertFrequency !== 'instant') {
        put(digestItemKey(m.workerId, m.searchId, p.job.jobId), { type: 'digest_item', workerId: m.workerId, searchId: m.searchId, jobId: p.job.jobId, jobTitle: p.job.title, ...(p.job.city !== undefined ? { city: p.job.city } : {}) });
        continue;
      }
      byWorker.set(m.workerId, [...(byWorker.get(m.workerId) ?? []), { searchId: m.searchId, name: m.name }]);
    }
    for (const [workerId, searches] of byWorker) {
      tell('saved_search_alert', { role: 'worker', id: workerId }, {
        kind: 'saved_search_alert', jobId: p.job.jobId, jobTitle: p.job.title, ...(p.job.city !== undefined ? { city: p.job.city } : {}), searches,
      });
    }
  };

  const putSearch = (workerId: string, searchId: string, change: Partial<SearchEntry>) => {
    const current = valueAt(view, searchKey(workerId, searchId), 'search');
    if (current || change.name !== undefined) put(searchKey(workerId, searchId), { ...(current ?? { type: 'search', workerId, searchId, name: '', alertFrequency: 'off', alertHour: 8, alertWeekday: 1, timeZone: 'UTC', status: 'active' }), ...change });
  };

  switch (event.type) {
    case 'SearchSaved': {
      const { workerId, searchId, name, alertFrequency, alertHour, alertWeekday, timeZone } = event.data;
      putSearch(workerId, searchId, { name, alertFrequency, alertHour, alertWeekday, timeZone, status: 'active' });
      break;
    }
    case 'SavedSearchAlertsChanged': {
      const { workerId, searchId, alertFrequency, alertHour, alertWeekday, timeZone } = event.data;
      putSearch(workerId, searchId, { alertFrequency, alertHour, alertWeekday, timeZone });
      break;
    }
    case 'SavedSearchArchived':
      putSearch(event.data.workerId, event.data.searchId, { status: 'archived' });
      break;
    case 'SavedSearchDeleted':
      putSearch(event.data.workerId, event.data.searchId, { status: 'deleted' });
      break;
    case 'WorkerProfileUpdated': {
      const { name, email } = event.data.profile;
      putRecipient({ role: 'worker', id: event.data.workerId }, { name, email });
      break;
    }
    case 'BusinessProfileUpdated': {
      const { name, email } = event.data.profile;
      putRecipient({ role: 'business', id: event.data.businessId }, { name, email });
      break;
    }
    case 'WebhookRegistered': {
      const { businessId, webhookId, url, eventTypes } = event.data;
      putWebhooks(businessId, (list) => [...list.filter((w) => w.webhookId !== webhookId), { webhookId, url, eventTypes: [...eventTypes], status: 'active' }]);
      break;
    }
    case 'WebhookRemoved':
      putWebhooks(event.data.businessId, (list) => list.filter((w) => w.webhookId !== event.data.webhookId));
      break;
    case 'WebhookDisabled': {
      const { businessId, webhookId, reason, disabledAt } = event.data;
      const w = webhooksOf(businessId).webhooks.find((x) => x.webhookId === webhookId);
      putWebhooks(businessId, (list) => list.map((x) => (x.webhookId === webhookId ? { ...x, status: 'disabled' as const } : x)));
      // Service mail about the account: no preference switches it off.
      const who = recipientOf(view, { role: 'business', id: businessId });
      messages.push({
        id: messageIdOf('webhook_disabled', event.position, { role: 'business', id: businessId }),
        kind: 'webhook_disabled',
        recipient: { role: 'business', id: businessId },
        ...(who.email !== undefined ? { to: who.email } : {}),
        data: { kind: 'webhook_disabled', webhookId, url: w?.url ?? '', reason, disabledAt },
        causePosition: event.position,
        createdAt: event.metadata.occurredAt,
        status: stale ? 'stale' : who.email === undefined ? 'unaddressed' : 'pending',
      });
      break;
    }
    case 'NotificationPreferencesSet':
      putRecipient({ role: event.data.recipientRole, id: event.data.recipientId }, { muted: [...event.data.muted] });
      break;
    case 'JobDrafted':
      put(jobKey(event.data.jobId), { type: 'job', jobId: event.data.jobId, businessId: event.data.businessId, title: event.data.title, status: 'draft' });
      break;
    case 'JobUpdated':
      if (event.data.changes.title !== undefined) putJob(event.data.jobId, { title: event.data.changes.title });
      alert(percolated?.get(event.position));
      break;
    case 'JobPublished':
    case 'JobReopened':
      putJob(event.data.jobId, { status: 'open', expiresAt: event.data.expiresAt });
      alert(percolated?.get(event.position));
      break;
    case 'JobClosed':
      putJob(event.data.jobId, { status: 'closed' });
      break;
    case 'JobExpired': {
      const j = job(event.data.jobId);
      putJob(event.data.jobId, { status: 'expired' });
      if (j) {
        const data: MessageData = { kind: 'job_expired', jobId: j.jobId, jobTitle: j.title, expiredAt: event.data.expiredAt };
        tell('job_expired', { role: 'business', id: j.businessId }, data);
        hook('job.expired', j.businessId, data);
      }
      break;
    }
    case 'ApplicationSubmitted': {
      const { applicationId, jobId, workerId, businessId, message } = event.data;
      put(applicationKey(applicationId), { type: 'application', applicationId, jobId, workerId, businessId });
      const workerName = nameOf({ role: 'worker', id: workerId });
      const data: MessageData = {
        kind: 'application_received', applicationId, jobId, jobTitle: titleOf(jobId), workerId,
        ...(workerName !== undefined ? { workerName } : {}),
        ...(message !== undefined ? { message } : {}),
      };
      tell('application_received', { role: 'business', id: businessId }, data);
      hook('application.submitted', businessId, data);
      break;
    }
    case 'ApplicationWithdrawn': {
      const a = application(event.data.applicationId);
      if (!a) break;
      const workerName = nameOf({ role: 'worker', id: a.workerId });
      const data: MessageData = {
        kind: 'application_withdrawn', applicationId: a.applicationId, jobId: a.jobId, jobTitle: titleOf(a.jobId), workerId: a.workerId,
        ...(workerName !== undefined ? { workerName } : {}),
      };
      tell('application_withdrawn', { role: 'business', id: a.businessId }, data);
      hook('application.withdrawn', a.businessId, data);
      break;
    }
    case 'ApplicationStatusChanged': {
      const a = application(event.data.applicationId);
      if (!a) break;
      const businessName = nameOf({ role: 'business', id: a.businessId });
      tell('application_status', { role: 'worker', id: a.workerId }, {
        kind: 'application_status', applicationId: a.applicationId, jobId: a.jobId, jobTitle: titleOf(a.jobId), status: event.data.status,
        ...(businessName !== undefined ? { businessName } : {}),
      });
      break;
    }
    default:
      break;
  }
  return { entries, messages };
}
