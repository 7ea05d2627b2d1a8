import { createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { WebhookUrlPolicy } from '../../command/http/webhookUrlGuard.ts';
import { WebhookUrlRefused, checkWebhookUrl, pinnedLookup } from '../../command/http/webhookUrlGuard.ts';
import { DeliveryError } from './mailChannel.ts';

/** One webhook delivery, ready to send. */
export interface WebhookDelivery {
  /** `webhook-id`: the outbox message id, the same on every redelivery. */
  id: string;
  url: string;
  /** `whsec_…` of the webhook. */
  secret: string;
  /** The JSON body, `{type, timestamp, data}`, as it is signed and sent. */
  body: string;
}

export interface WebhookChannel {
  readonly name: 'webhook';
  send(delivery: WebhookDelivery): Promise<void>;
}

/**
 * Standard Webhooks: `v1,` + base64 HMAC-SHA256 over `id.timestamp.body`,
 * keyed with the base64-decoded part of the secret after `whsec_`.
 */
export function signWebhook(secret: string, id: string, timestampSeconds: number, body: string): string {
  const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestampSeconds}.${body}`).digest('base64')}`;
}

/** 2xx: sent. 408, 429, 5xx: try again. Any other answer is the receiver saying no for good. */
export function classifyWebhookStatus(status: number): DeliveryError | undefined {
  if (status >= 200 && status < 300) return undefined;
  const transient = status === 408 || status === 429 || status >= 500;
  return new DeliveryError(`webhook answered HTTP ${status}`, !transient);
}

export interface WebhookChannelOptions {
  policy?: WebhookUrlPolicy;
  timeoutMs?: number;
  /** Seconds since the epoch for `webhook-timestamp` (tests pin it). */
  nowSeconds?: () => number;
}

/**
 * POSTs signed JSON. The URL is checked against the address wall again at each
 * delivery, and the request connects to the address that check resolved, so a
 * host that rebinds to an internal address after registration is refused.
 */
export function webhookChannel({ policy = {}, timeoutMs = 10_000, nowSeconds = () => Math.floor(Date.now() / 1000) }: WebhookChannelOptions = {}): WebhookChannel {
  return {
    name: 'webhook',
    async send(d) {
      let checked;
      try {
        checked = await checkWebhookUrl(d.url, policy);
      } catch (err) {
        if (err instanceof WebhookUrlRefused) throw new DeliveryError(`webhook URL refused: ${err.message}`, err.reason !== 'unresolvable');
        throw err;
      }
      const timestamp = nowSeconds();
      const headers = {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(d.body)),
        'user-agent': 'jobs-discovery-webhooks/1',
        'webhook-id': d.id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signWebhook(d.secret, d.id, timestamp, d.body),
      };
      const send = checked.url.protocol === 'https:' ? httpsRequest : httpRequest;
      const status = await new Promise<number>((resolve, reject) => {
        const req = send(checked.url, { method: 'POST', headers, lookup: pinnedLookup(checked.addresses) }, (res) => {
          // Only the status matters; the body is read and dropped so the socket is freed.
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', reject);
        });
        // Redirects are not followed (node:http never does): a 3xx is the receiver's answer.
        // The whole exchange has timeoutMs, however slowly the receiver trickles its answer.
        const timer = setTimeout(() => req.destroy(new DeliveryError(`webhook timed out after ${timeoutMs} ms`, false)), timeoutMs);
        req.on('close', () => clearTimeout(timer));
        req.on('error', reject);
        req.end(d.body);
      }).catch((err: unknown) => {
        if (err instanceof DeliveryError) throw err;
        const e = err as NodeJS.ErrnoException;
        throw new DeliveryError(`webhook connection failed: ${e.code ?? e.message}`, false);
      });
      const failure = classifyWebhookStatus(status);
      if (failure) throw failure;
    },
  };
}
