import type { NotificationStore } from '../../projections/notifications/notificationStore.ts';
import type { StoredMessage } from '../../projections/notifications/notificationMessage.ts';
import { recordNotification } from '../telemetry/instruments.ts';
import type { Mail, MailChannel } from './mailChannel.ts';
import { DeliveryError } from './mailChannel.ts';
import type { RenderContext } from './renderMessage.ts';
import { renderMessage } from './renderMessage.ts';

export interface RetryPolicy {
  /** First retry delay; doubles per attempt up to maxMs, each drawn in [d/2, d] (jitter). */
  initialMs: number;
  maxMs: number;
  /** A message still failing this long after it was enqueued is dead-lettered. */
  giveUpAfterMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { initialMs: 30_000, maxMs: 3_600_000, giveUpAfterMs: 24 * 3_600_000 };

/** What every outbox dispatcher shares: where it claims, how it retries, how fast it goes. */
export interface OutboxDispatcherOptions {
  store: NotificationStore;
  retry?: RetryPolicy;
  batchSize?: number;
  /** Messages in flight at once. */
  concurrency?: number;
  /** How long a claimed message is held before another dispatcher may take it (a crashed one's claims lapse). */
  leaseMs?: number;
  /** How often the outbox is looked at when nothing wakes the dispatcher. */
  pollMs?: number;
  clock?: () => Date;
  random?: () => number;
  log?: (line: string) => void;
}

/** One route's delivery of one message: throws a DeliveryError when it did not go. */
export interface RouteDelivery {
  route: 'mail' | 'webhook';
  /** The channel name recorded on a sent message and in metrics. */
  channel: string;
  attempt(message: StoredMessage): Promise<void>;
  /** Told of each message once it is dead-lettered (after the record), with why. */
  onDead?(message: StoredMessage, failure: DeliveryError, gaveUp: boolean): Promise<void>;
}

export interface DispatcherOptions extends OutboxDispatcherOptions {
  channel: MailChannel;
  from: string;
  /** Where links point; read at each message, as the address is known only once the server listens. */
  publicUrl: () => string;
  /** The one-click unsubscribe URL for a message (signed, see command/http/unsubscribeToken.ts); empty for a service mail. */
  unsubscribeUrl: (message: StoredMessage) => string;
}

/** The delay before attempt `attempt + 1`, with jitter. */
export function retryDelay(policy: RetryPolicy, attempt: number, random: () => number): number {
  const exp = Math.min(policy.maxMs, policy.initialMs * 2 ** Math.min(Math.max(attempt - 1, 0), 30));
  return exp / 2 + random() * (exp / 2);
}

export interface Dispatcher {
  start(): void;
  /** Look at the outbox now (new messages were committed). */
  wake(): void;
  /** One pass: claims due messages and tries each once; returns how many it tried. */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Delivers the outbox: claims due messages, renders each, hands it to the
 * channel, and records the outcome. A transient failure is retried with
 * exponential backoff and jitter until `giveUpAfterMs`, then dead-lettered; a
 * permanent one is dead-lettered at once. Delivery is at least once: a crash
 * after the hand-over and before the record sends it again, with the same
 * Message-ID, so the receiver can tell.
 */
export function createDispatcher(o: DispatcherOptions): Dispatcher {
  const mailOf = (m: StoredMessage, to: string): Mail => {
    const unsubscribeUrl = o.unsubscribeUrl(m);
    const rendered = renderMessage(m, { publicUrl: o.publicUrl(), unsubscribeUrl } satisfies RenderContext);
    return {
      messageId: `${m.id}@jobs-discovery`,
      from: o.from,
      to,
      ...rendered,
      // RFC 8058: mail clients offer one-click unsubscribe with a POST to this URL (service mails have none).
      headers: {
        ...(unsubscribeUrl ? { 'List-Unsubscribe': `<${unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } : {}),
        'X-Notification-Kind': m.kind,
      },
      folder: `${m.recipient.role}-${m.recipient.id}`,
    };
  };
  return createOutboxDispatcher(o, {
    route: 'mail',
    channel: o.channel.name,
    async attempt(m) {
      if (!m.to) throw new DeliveryError('no address', true);
      await o.channel.send(mailOf(m, m.to));
    },
  });
}

/** How long a sent message may wait for its record while the rest of its pass goes on: far below any claim's lease. */
const SENT_RECORD_MAX_WAIT_MS = 1000;

interface SentRecords {
  add(id: string): Promise<void>;
  flush(): Promise<void>;
}

/**
 * A pass's sent messages, recorded a few at a time: one commit (one sync of
 * the outbox's log) per `most` messages rather than one per message, which at
 * hundreds of mails a second was the outbox's main cost. A crash before the
 * record sends those messages again, with the same Message-ID, as it always
 * could for those in flight; with `most` the concurrency, a crash repeats at
 * most twice as many as when each was recorded alone. A message also waits
 * for its record at most until the pass ends, or until a delivery completes
 * after it has waited SENT_RECORD_MAX_WAIT_MS, so a slow delivery late in a
 * pass never holds the records past the claims' lease.
 */
function sentRecords(record: (ids: readonly string[]) => Promise<void>, clock: () => Date, most: number): SentRecords {
  let ids: string[] = [];
  let since = 0;
  const flush = async (): Promise<void> => {
    if (ids.length === 0) return;
    const batch = ids;
    ids = [];
    await record(batch);
  };
  return {
    async add(id) {
      if (ids.length === 0) since = clock().getTime();
      ids.push(id);
      if (ids.length >= most || clock().getTime() - since >= SENT_RECORD_MAX_WAIT_MS) await flush();
    },
    flush,
  };
}

/** The claim, retry and dead-letter loop of one route of the outbox (mail or webhooks). */
export function createOutboxDispatcher(o: OutboxDispatcherOptions, d: RouteDelivery): Dispatcher {
  const policy = o.retry ?? defaultRetryPolicy;
  const clock = o.clock ?? (() => new Date());
  const random = o.random ?? Math.random;
  const batchSize = o.batchSize ?? 50;
  const concurrency = o.concurrency ?? 4;
  const leaseMs = o.leaseMs ?? 60_000;
  const pollMs = o.pollMs ?? 1000;
  const channel = d.channel;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = true;

  const deliver = async (m: StoredMessage, sent: SentRecords): Promise<void> => {
    try {
      await d.attempt(m);
      await sent.add(m.id);
      recordNotification('sent', m.kind, channel);
    } catch (err) {
      const failure = err instanceof DeliveryError ? err : new DeliveryError(err instanceof Error ? err.message : String(err), false);
      recordNotification('failed', m.kind, channel);
      const now = clock();
      const retryAt = new Date(now.getTime() + retryDelay(policy, m.attempts + 1, random));
      const gaveUp = !failure.permanent && retryAt.getTime() - Date.parse(m.enqueuedAt) > policy.giveUpAfterMs;
      if (failure.permanent || gaveUp) {
        await o.store.recordDead(m.id, failure.message);
        recordNotification('dead', m.kind, channel);
        o.log?.(`notification ${m.id} dead-lettered after ${m.attempts + 1} attempt(s): ${failure.message}`);
        await d.onDead?.(m, failure, gaveUp);
      } else {
        await o.store.recordRetry(m.id, failure.message, retryAt);
        recordNotification('retries', m.kind, channel);
      }
    }
  };

  const runOnce = async (): Promise<number> => {
    const claimed = await o.store.claimDue(clock(), batchSize, leaseMs, d.route);
    let next = 0;
    const sent = sentRecords((ids) => o.store.recordSent(ids, clock(), channel), clock, concurrency);
    const worker = async () => {
      for (let m = claimed[next++]; m; m = claimed[next++]) await deliver(m, sent);
    };
    try {
      await Promise.all(Array.from({ length: Math.min(concurrency, claimed.length) }, worker));
    } finally {
      await sent.flush();
    }
    return claimed.length;
  };

  // One pass at a time; a wake during a pass asks for another right after it.
  const pump = (): void => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    clearTimeout(timer);
    running = (async () => {
      try {
        do {
          again = false;
          while (!stopped && (await runOnce()) === batchSize);
        } while (again && !stopped);
      } catch (err) {
        o.log?.(`notification dispatcher: ${err instanceof Error ? err.message : String(err)}`);
      } finally {
        running = undefined;
        if (!stopped) {
          timer = setTimeout(pump, pollMs);
          timer.unref();
        }
      }
    })();
  };

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      pump();
    },
    wake: pump,
    runOnce,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
