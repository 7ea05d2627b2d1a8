import type { DirectoryEntry } from './directory.ts';
import type { WebhookEventType } from '../../eventstore/events/index.ts';
import { notificationKinds } from '../../eventstore/events/index.ts';
import type { DeliveryRoute, ListedMessage, MessageData, MessageStatus, OutboxMessage, Recipient, StoredMessage } from './notificationMessage.ts';

/** What the outbox holds, for metrics, readiness and operators. */
export interface OutboxStats {
  byStatus: Record<MessageStatus, number>;
  /** Pending messages whose (next) attempt is due now. */
  due: number;
  /** Age in seconds of the oldest pending message (0 when none). */
  oldestPendingSeconds: number;
}

/** A page position in a recipient's list: newest first by cause, then id. */
export interface ListPosition {
  causePosition: number;
  id: string;
}

/**
 * The notification outbox and the directory that addresses it, in one store
 * so that a batch's directory changes, its new messages and the checkpoint
 * commit together: a crash replays the batch, and a replayed message has the
 * id it had, so it is never stored (or sent) twice.
 */
export interface NotificationStore {
  checkpoint(name: string): Promise<number>;
  loadDirectory(keys: readonly string[]): Promise<Map<string, DirectoryEntry>>;
  /** Atomic: entries upserted when newer, messages inserted unless their id is there, checkpoint set. */
  commit(changes: { entries: readonly DirectoryEntry[]; messages: readonly OutboxMessage[] }, name: string, position: number): Promise<void>;
  /** Directory entries whose key starts with `prefix`, in key order after `afterKey`. */
  scanDirectory(prefix: string, limit: number, afterKey?: string): Promise<DirectoryEntry[]>;
  /** Atomic: messages inserted unless their id is there, and the entries they consumed removed. */
  commitDigests(changes: { messages: readonly OutboxMessage[]; remove: readonly string[] }): Promise<void>;

  /** Pending messages due at `now` on one route (mail unless told), each leased for `leaseMs` so that no other dispatcher takes it meanwhile. */
  claimDue(now: Date, limit: number, leaseMs: number, route?: DeliveryRoute): Promise<StoredMessage[]>;
  /** Ends every claim: for a dispatcher that is the only one (embedded mode) starting after a crash. */
  releaseClaims(): Promise<number>;
  /** Atomic: each message named is sent (one commit for many: a dispatcher records a pass's deliveries together). */
  recordSent(ids: readonly string[], at: Date, channel: string): Promise<void>;
  recordRetry(id: string, error: string, retryAt: Date): Promise<void>;
  recordDead(id: string, error: string): Promise<void>;
  /** When a delivery to this webhook last succeeded (undefined: never). */
  webhookLastSentAt(webhookId: string): Promise<Date | undefined>;
  /** Dead messages back to pending, due at once (all, or those named); returns how many. */
  retryDead(now: Date, ids?: readonly string[]): Promise<number>;

  get(id: string): Promise<StoredMessage | undefined>;
  /** The recipient's own notifications (the kinds they may choose; no webhook deliveries). */
  listFor(recipient: Recipient, size: number, after?: ListPosition): Promise<ListedMessage[]>;
  listDead(limit: number): Promise<StoredMessage[]>;
  stats(now: Date): Promise<OutboxStats>;
  close(): Promise<void>;
}

/** Column values as both SQL adapters store them (times of delivery in epoch ms). */
export interface OutboxRow {
  id: string;
  kind: string;
  recipient_role: string;
  recipient_id: string;
  to_address: string | null;
  data: string | MessageData;
  cause_position: number | string;
  created_at: string;
  status: string;
  attempts: number;
  enqueued_at: number | string;
  next_attempt_at: number | string | null;
  last_error: string | null;
  sent_at: number | string | null;
  channel: string | null;
  webhook_id: string | null;
  webhook_type: string | null;
  webhook_url: string | null;
}

export const outboxColumns = [
  'id', 'kind', 'recipient_role', 'recipient_id', 'to_address', 'data', 'cause_position', 'created_at', 'status',
  'attempts', 'enqueued_at', 'next_attempt_at', 'last_error', 'sent_at', 'channel', 'webhook_id', 'webhook_type', 'webhook_url',
] as const;

/** Columns added after the first release of the outbox: each store adds those an older table lacks. */
export const addedOutboxColumns = ['webhook_id', 'webhook_type', 'webhook_url'] as const;

/** SQL that keeps a recipient's list to the kinds people choose, and off webhook deliveries. */
export const listedCondition = `webhook_id IS NULL AND kind IN (${notificationKinds.map((k) => `'${k}'`).join(', ')})`;

export function messageOfRow(r: OutboxRow): StoredMessage {
  const data: MessageData = typeof r.data === 'string' ? (JSON.parse(r.data) as MessageData) : r.data;
  return {
    id: r.id,
    kind: r.kind as StoredMessage['kind'],
    recipient: { role: r.recipient_role as Recipient['role'], id: r.recipient_id },
    ...(r.to_address !== null ? { to: r.to_address } : {}),
    data,
    causePosition: Number(r.cause_position),
    createdAt: r.created_at,
    status: r.status as MessageStatus,
    attempts: Number(r.attempts),
    enqueuedAt: new Date(Number(r.enqueued_at)).toISOString(),
    ...(r.next_attempt_at !== null && r.status === 'pending' ? { nextAttemptAt: new Date(Number(r.next_attempt_at)).toISOString() } : {}),
    ...(r.last_error !== null ? { lastError: r.last_error } : {}),
    ...(r.sent_at !== null ? { sentAt: new Date(Number(r.sent_at)).toISOString() } : {}),
    ...(r.channel !== null ? { channel: r.channel } : {}),
    ...(r.webhook_id !== null && r.webhook_type !== null && r.webhook_url !== null
      ? { webhook: { webhookId: r.webhook_id, eventType: r.webhook_type as WebhookEventType, url: r.webhook_url } }
      : {}),
  };
}

/** The values of a new outbox row, in `outboxColumns` order. */
export function rowValuesOf(m: OutboxMessage, enqueuedAt: number): unknown[] {
  return [m.id, m.kind, m.recipient.role, m.recipient.id, m.to ?? null, JSON.stringify(m.data), m.causePosition, m.createdAt, m.status, 0, enqueuedAt, m.status === 'pending' ? enqueuedAt : null, null, null, null, m.webhook?.webhookId ?? null, m.webhook?.eventType ?? null, m.webhook?.url ?? null];
}

export function emptyStats(): OutboxStats {
  return { byStatus: { pending: 0, sent: 0, dead: 0, unaddressed: 0, stale: 0 }, due: 0, oldestPendingSeconds: 0 };
}

/** Error text kept short: a server's reply can be long, and it is shown to operators, never to users. */
export const clip = (text: string): string => (text.length > 500 ? `${text.slice(0, 497)}...` : text);
