// What a signed-in worker or business has been told (or would have been,
// where they gave no address): their notifications, newest first.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { invalidParam } from '../model/readError.ts';
import { notificationKinds } from '../../eventstore/events/index.ts';
import { messageStatuses } from '../../projections/notifications/notificationMessage.ts';
import type { NotificationStore } from '../../projections/notifications/notificationStore.ts';
import { InvalidListCursorError, decodeListCursor, encodeListCursor } from '../lists/keyedStore.ts';
import { queryNumber } from '../model/queryParams.ts';

export interface NotificationRouteOptions {
  notifications: Pick<NotificationStore, 'listFor'>;
}

export const NotificationView = z.object({
  id: z.string(),
  kind: z.enum(notificationKinds),
  status: z.enum(messageStatuses).describe('sent; pending (being delivered or retried); unaddressed (no e-mail in your profile); stale (too old to send); dead (could not be delivered)'),
  to: z.string().optional(),
  data: z.record(z.string(), z.unknown()).describe('what the message is about: job, application, status'),
  createdAt: z.string(),
  sentAt: z.string().optional(),
});

export const notificationRoutes: FastifyPluginAsync<NotificationRouteOptions> = async (app, { notifications }) => {
  app.withTypeProvider<ZodTypeProvider>().get('/v1/me/notifications', {
    config: { roles: ['worker', 'business'] },
    schema: {
      tags: ['notifications'],
      summary: 'Your notifications, newest first',
      querystring: z
        .object({
          size: queryNumber(z.number().int().min(1).max(100).default(20)),
          cursor: z.string().min(1).max(2000).optional().describe('nextCursor of the previous page'),
        })
        .strict(),
      response: { 200: z.object({ items: z.array(NotificationView), nextCursor: z.string().optional() }) },
    },
  }, async (request) => {
    const p = request.caller();
    const { size, cursor } = request.query;
    let after: { causePosition: number; id: string } | undefined;
    if (cursor !== undefined) {
      try {
        const c = decodeListCursor(cursor);
        after = { causePosition: c.sortMs, id: c.key };
      } catch (err) {
        if (!(err instanceof InvalidListCursorError)) throw err;
        throw invalidParam('querystring.cursor', 'not a cursor of this list', 'invalid_cursor', 'invalid_cursor');
      }
    }
    const role = p.role === 'worker' ? 'worker' : 'business';
    const page = await notifications.listFor({ role, id: p.sub }, size + 1, after);
    const items = page.slice(0, size);
    const last = items.at(-1);
    return {
      items: items.map((m) => ({
        id: m.id,
        kind: m.kind,
        status: m.status,
        ...(m.to !== undefined ? { to: m.to } : {}),
        data: { ...m.data },
        createdAt: m.createdAt,
        ...(m.sentAt !== undefined ? { sentAt: m.sentAt } : {}),
      })),
      ...(page.length > size && last ? { nextCursor: encodeListCursor(last.causePosition, last.id) } : {}),
    };
  });
};
