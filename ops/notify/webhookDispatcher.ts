import { webhookSecretOf } from '../../command/http/webhookSecret.ts';
import { webhooksKey } from '../../projections/notifications/directory.ts';
import type { StoredMessage } from '../../projections/notifications/notificationMessage.ts';
import type { Dispatcher, OutboxDispatcherOptions } from './dispatcher.ts';
import { createOutboxDispatcher } from './dispatcher.ts';
import { DeliveryError } from './mailChannel.ts';
import type { WebhookChannel } from './webhookChannel.ts';

export interface WebhookDispatcherOptions extends OutboxDispatcherOptions {
  channel: WebhookChannel;
  /** WEBHOOK_SIGNING_KEY: each webhook's secret is recomputed from it, never read from storage. */
  signingKey: string;
  /**
   * Appends WebhookDisabled for a webhook whose deliveries kept failing for the
   * whole retry window with no success since (the projection then mails the business).
   */
  disable: (businessId: string, webhookId: string, reason: string) => Promise<void>;
}

/** The body a receiver gets (Standard Webhooks: `type`, `timestamp` of the cause, `data`). */
export function webhookBodyOf(m: StoredMessage): string {
  if (!m.webhook) throw new DeliveryError('not a webhook message', true);
  const { kind: _kind, ...facts } = m.data;
  return JSON.stringify({ type: m.webhook.eventType, timestamp: m.createdAt, data: { businessId: m.recipient.id, ...facts } });
}

/**
 * Delivers the webhook route of the outbox with the mail dispatcher's claims,
 * backoff and dead letters. A message for a webhook that was removed or
 * disabled since it was queued is dropped (dead, with that reason), not sent.
 */
export function createWebhookDispatcher(o: WebhookDispatcherOptions): Dispatcher {
  return createOutboxDispatcher(o, {
    route: 'webhook',
    channel: o.channel.name,
    async attempt(m) {
      const target = m.webhook;
      if (!target) throw new DeliveryError('not a webhook message', true);
      const entry = (await o.store.loadDirectory([webhooksKey(m.recipient.id)])).get(webhooksKey(m.recipient.id))?.value;
      const current = entry?.type === 'webhooks' ? entry.webhooks.find((w) => w.webhookId === target.webhookId) : undefined;
      if (!current) throw new DeliveryError('webhook was deleted', true);
      if (current.status !== 'active') throw new DeliveryError('webhook is disabled', true);
      await o.channel.send({ id: m.id, url: target.url, secret: webhookSecretOf(o.signingKey, target.webhookId), body: webhookBodyOf(m) });
    },
    async onDead(m, failure, gaveUp) {
      // Only a message retried for the whole window counts: one 4xx is the receiver's answer about one event.
      if (!gaveUp || !m.webhook) return;
      const lastSent = await o.store.webhookLastSentAt(m.webhook.webhookId);
      if (lastSent && lastSent.getTime() >= Date.parse(m.enqueuedAt)) return;
      try {
        await o.disable(m.recipient.id, m.webhook.webhookId, `no delivery succeeded in the retry window; last error: ${failure.message}`);
        o.log?.(`webhook ${m.webhook.webhookId} of business ${m.recipient.id} disabled: ${failure.message}`);
      } catch (err) {
        o.log?.(`webhook ${m.webhook.webhookId}: could not disable: ${err instanceof Error ? err.message : String(err)}`);
      }
    },
  });
}
