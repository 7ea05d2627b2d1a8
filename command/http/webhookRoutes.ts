import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { WebhookEventType, webhookEventTypes } from '../../eventstore/events/index.ts';
import type { WebhookState } from '../deciders/businessDecider.ts';
import { businessDecider, businessStream } from '../deciders/businessDecider.ts';
import { execute, foldStream } from '../execute.ts';
import { CommandError, invalidField } from '../commandError.ts';
import type { CommandRouteOptions } from './routeSupport.ts';
import { IdempotencyHeaders, contextOf, newId } from './routeSupport.ts';
import { webhookSecretOf } from './webhookSecret.ts';
import type { WebhookUrlPolicy } from './webhookUrlGuard.ts';
import { WebhookUrlRefused, checkWebhookUrl } from './webhookUrlGuard.ts';

export interface WebhookRouteOptions extends CommandRouteOptions {
  /** WEBHOOK_SIGNING_KEY: each webhook's secret is derived from it and the webhook's id, never stored. */
  signingKey: string;
  /** The address wall's settings (WEBHOOK_ALLOW_PRIVATE; a DNS stand-in for tests). */
  urlPolicy?: WebhookUrlPolicy;
}

const WebhookBody = z
  .object({
    url: z.string().min(1).max(2000).describe('http(s) URL that receives a signed POST per event; must resolve to public addresses only'),
    eventTypes: z.array(WebhookEventType).min(1).max(webhookEventTypes.length).describe('what to be told of'),
  })
  .strict();

const WebhookView = z
  .object({
    id: z.string(),
    url: z.string(),
    eventTypes: z.array(WebhookEventType),
    status: z.enum(['active', 'disabled']).describe('disabled: deliveries failed for 24 h; register the URL again to resume'),
    createdAt: z.string(),
    disabledAt: z.string().optional(),
    disabledReason: z.string().optional(),
  })
  .strict();

const CreatedWebhook = WebhookView.extend({
  secret: z.string().describe('whsec_…: verifies the webhook-signature header (Standard Webhooks). Shown only in this answer.'),
  position: z.number().int().describe('global log position of the registration (minPosition for read-your-writes)'),
}).strict();

const WebhookParams = z.object({ webhookId: z.string().min(1).max(128).regex(/^[A-Za-z0-9_.:-]+$/) }).strict();

const viewOf = (w: WebhookState): z.infer<typeof WebhookView> => ({
  id: w.webhookId,
  url: w.url,
  eventTypes: [...w.eventTypes],
  status: w.status,
  createdAt: w.registeredAt,
  ...(w.disabledAt !== undefined ? { disabledAt: w.disabledAt } : {}),
  ...(w.disabledReason !== undefined ? { disabledReason: w.disabledReason } : {}),
});

const badUrl = (err: WebhookUrlRefused) =>
  invalidField('body.url', err.message, err.reason === 'invalid' ? 'invalid_url' : err.reason);

/** A business's webhooks: register (the secret is answered once), list, delete. */
export const webhookRoutes: FastifyPluginAsync<WebhookRouteOptions> = async (app, { store, signingKey, urlPolicy = {}, clock = () => new Date() }) => {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post('/v1/businesses/me/webhooks', {
    // The answer holds the signing secret, which is never stored: a retry registers again (a no-op) and answers the same.
    config: { roles: ['business'], idempotency: 'rerun' },
    schema: {
      tags: ['businesses'],
      summary: `Register a webhook (at most 10): signed POSTs (Standard Webhooks) for ${webhookEventTypes.join(', ')}`,
      headers: IdempotencyHeaders,
      body: WebhookBody.meta({ examples: [{ url: 'https://hooks.example.com/jobs', eventTypes: ['application.submitted'] }] }),
      response: { 201: CreatedWebhook },
    },
  }, async (request, reply) => {
    const p = request.caller();
    try {
      await checkWebhookUrl(request.body.url, urlPolicy);
    } catch (err) {
      if (err instanceof WebhookUrlRefused) throw badUrl(err);
      throw err;
    }
    const now = clock();
    const webhookId = newId(request, p);
    const result = await execute({
      store, streamId: businessStream(p.sub), id: webhookId, decider: businessDecider, ctx: contextOf(request, p, now),
      command: { type: 'RegisterWebhook', businessId: p.sub, webhookId, url: request.body.url, eventTypes: request.body.eventTypes, now: now.toISOString() },
    });
    const { webhooks } = foldStream(businessDecider, await store.readStream(businessStream(p.sub)));
    const registered = webhooks.find((w) => w.webhookId === webhookId);
    if (!registered) throw new CommandError('conflict', 'concurrent_modification', 'the webhook was removed while it was being registered');
    void reply.code(201).header('cache-control', 'no-store').header('location', `/v1/businesses/me/webhooks/${webhookId}`);
    return { ...viewOf(registered), secret: webhookSecretOf(signingKey, webhookId), position: result.position };
  });

  r.get('/v1/businesses/me/webhooks', {
    config: { roles: ['business'] },
    schema: {
      tags: ['businesses'],
      summary: 'Your webhooks (read from the log: always your latest write), without their secrets',
      response: { 200: z.object({ webhooks: z.array(WebhookView) }).strict() },
    },
  }, async (request, reply) => {
    const p = request.caller();
    const { webhooks } = foldStream(businessDecider, await store.readStream(businessStream(p.sub)));
    void reply.header('cache-control', 'private, no-store');
    return { webhooks: webhooks.map(viewOf) };
  });

  r.delete('/v1/businesses/me/webhooks/:webhookId', {
    config: { roles: ['business'] },
    schema: {
      tags: ['businesses'],
      summary: 'Delete one of your webhooks: nothing more is sent to it (messages already queued are dropped)',
      params: WebhookParams,
      response: { 204: z.null().describe('deleted') },
    },
  }, async (request, reply) => {
    const p = request.caller();
    const now = clock();
    await execute({
      store, streamId: businessStream(p.sub), id: request.params.webhookId, decider: businessDecider, ctx: contextOf(request, p, now),
      command: { type: 'RemoveWebhook', businessId: p.sub, webhookId: request.params.webhookId, now: now.toISOString() },
    });
    return reply.code(204).send(null);
  });
};
