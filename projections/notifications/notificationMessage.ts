import type { NotificationKind, RecipientRole, WebhookEventType } from '../../eventstore/events/index.ts';
import type { ApplicationDocStatus } from '../lists/listDocuments.ts';

export interface Recipient {
  role: RecipientRole;
  id: string;
}

/** What a message says, by kind: the facts its templates render (never HTML). */
export type MessageData =
  | { kind: 'application_received'; applicationId: string; jobId: string; jobTitle: string; workerId: string; workerName?: string; message?: string }
  | { kind: 'application_withdrawn'; applicationId: string; jobId: string; jobTitle: string; workerId: string; workerName?: string }
  | { kind: 'application_status'; applicationId: string; jobId: string; jobTitle: string; businessName?: string; status: Exclude<ApplicationDocStatus, 'submitted' | 'withdrawn'> }
  | { kind: 'job_expiring'; jobId: string; jobTitle: string; expiresAt: string }
  | { kind: 'job_expired'; jobId: string; jobTitle: string; expiredAt: string }
  | { kind: 'saved_search_alert'; jobId: string; jobTitle: string; city?: string; searches: Array<{ searchId: string; name: string }> }
  | { kind: 'saved_search_digest'; searchId: string; searchName: string; frequency: 'hourly' | 'daily' | 'weekly'; jobs: Array<{ jobId: string; title: string; city?: string }> }
  | { kind: 'webhook_disabled'; webhookId: string; url: string; reason: string; disabledAt: string }
  | WeeklySummaryData;

/** The week in review (UTC days `from`..`to`, inclusive): for a worker, new matches and where each application stands; for a business, each job's week. */
export type WeeklySummaryData =
  | { kind: 'weekly_summary'; role: 'worker'; from: string; to: string; newMatches: number; matches: Array<{ jobId: string; title: string }>; applications: Array<{ applicationId: string; jobId: string; jobTitle: string; status: ApplicationDocStatus }> }
  | { kind: 'weekly_summary'; role: 'business'; from: string; to: string; jobs: Array<{ jobId: string; title: string; views: number; saves: number; applications: number }> };

/**
 * What the outbox carries: the kinds people choose to get (NotificationKind)
 * and service mails about their account that no preference switches off.
 */
export type OutboxKind = NotificationKind | 'webhook_disabled';

/** Where a message goes: the webhook it is for, when it is a webhook delivery rather than a mail. */
export interface WebhookTarget {
  webhookId: string;
  /** Standard Webhooks `type` of the payload. */
  eventType: WebhookEventType;
  /** The URL as registered; checked against the address wall again at each delivery. */
  url: string;
}

/**
 * Where a message stands. `pending` waits for delivery (or its next retry);
 * `unaddressed` and `stale` are kept for the recipient's list but never sent:
 * the recipient gave no address, or the cause is too old to be news (a replay
 * of an old log, a first projection of a seeded one).
 */
export const messageStatuses = ['pending', 'sent', 'dead', 'unaddressed', 'stale'] as const;
export type MessageStatus = (typeof messageStatuses)[number];

/** A message as the projection decides it; its id is derived from its cause, so a replay makes the same one. */
export interface OutboxMessage {
  id: string;
  kind: OutboxKind;
  recipient: Recipient;
  /** The e-mail address at the time of the cause; absent when the recipient has none. */
  to?: string;
  data: MessageData;
  /** Log position of the event that caused it. */
  causePosition: number;
  createdAt: string;
  status: Extract<MessageStatus, 'pending' | 'unaddressed' | 'stale'>;
  /** Present on a webhook delivery (kept apart from mail: each dispatcher claims only its own). */
  webhook?: WebhookTarget;
}

/** A stored message with its delivery record. */
export interface StoredMessage extends Omit<OutboxMessage, 'status'> {
  status: MessageStatus;
  /** When the outbox took it (the retry window counts from here). */
  enqueuedAt: string;
  attempts: number;
  nextAttemptAt?: string;
  lastError?: string;
  sentAt?: string;
  channel?: string;
}

/** A message in its recipient's list: only the kinds people choose (service mails and webhook deliveries are not listed). */
export type ListedMessage = StoredMessage & { kind: NotificationKind };

/** One id per cause, recipient and kind. */
export const messageIdOf = (kind: OutboxKind, causePosition: number, recipient: Recipient): string => `${kind}.${causePosition}.${recipient.role}.${recipient.id}`;

/** One id per cause, webhook and event type: the Standard Webhooks `webhook-id`, the same on every redelivery. */
export const webhookMessageIdOf = (eventType: WebhookEventType, cause: string | number, webhookId: string): string => `webhook.${eventType}.${cause}.${webhookId}`;

/** Which outbox messages a dispatcher takes. */
export type DeliveryRoute = 'mail' | 'webhook';
