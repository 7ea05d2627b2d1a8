import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { NotificationStore } from '../../projections/notifications/notificationStore.ts';
import { messageStatuses } from '../../projections/notifications/notificationMessage.ts';
import type { ReadSide } from '../readSide.ts';
import { rebuildRoutes } from '../rebuild/rebuildRoutes.ts';
import type { Scheduler } from '../scheduler/scheduler.ts';
import { schedulerRoutes } from '../scheduler/schedulerRoutes.ts';
import { queryNumber } from '../../query/model/queryParams.ts';

const ProjectionStatus = z.object({
  name: z.string(),
  state: z.enum(['stopped', 'running', 'retrying']),
  checkpoint: z.number(),
  head: z.number(),
  lagEvents: z.number(),
  lagSeconds: z.number(),
  deadLetters: z.number(),
  lastError: z.string().optional(),
  deadLettered: z.array(z.object({ projection: z.string(), position: z.number(), eventType: z.string(), streamId: z.string(), reason: z.string(), at: z.string() })),
});

const DeadMessage = z.object({ id: z.string(), kind: z.string(), recipient: z.object({ role: z.string(), id: z.string() }), attempts: z.number(), lastError: z.string().optional(), createdAt: z.string(), enqueuedAt: z.string() });

/** Operator views of the running process. */
export const opsRoutes: FastifyPluginAsync<{ reads: Pick<ReadSide, 'status' | 'embeddedReadModels'>; scheduler?: Pick<Scheduler, 'runNow' | 'status' | 'recentRuns'>; clock?: () => Date; notifications?: NotificationStore }> = async (app, { reads, scheduler, clock, notifications }) => {
  if (notifications) {
    app.withTypeProvider<ZodTypeProvider>().get('/v1/ops/notifications', {
      config: { roles: ['operator'] },
      schema: {
        tags: ['ops'],
        summary: 'The notification outbox: messages by status, queue depth, oldest pending age, the latest dead letters',
        querystring: z.object({ dead: queryNumber(z.number().int().min(0).max(500).default(50)) }).strict(),
        response: {
          200: z.object({
            byStatus: z.record(z.enum(messageStatuses), z.number()),
            due: z.number(),
            oldestPendingSeconds: z.number(),
            dead: z.array(DeadMessage),
          }),
        },
      },
    }, async (request) => {
      const [stats, dead] = await Promise.all([notifications.stats(new Date()), notifications.listDead(request.query.dead)]);
      return {
        ...stats,
        dead: dead.map((m) => ({ id: m.id, kind: m.kind, recipient: m.recipient, attempts: m.attempts, ...(m.lastError !== undefined ? { lastError: m.lastError } : {}), createdAt: m.createdAt, enqueuedAt: m.enqueuedAt })),
      };
    });
  }
  if (reads.embeddedReadModels) await app.register(rebuildRoutes, { models: reads.embeddedReadModels });
  if (scheduler) await app.register(schedulerRoutes, { scheduler, ...(clock ? { clock } : {}) });
  app.withTypeProvider<ZodTypeProvider>().get('/v1/ops/projections', {
    config: { roles: ['operator'] },
    schema: {
      tags: ['ops'],
      summary: 'Projectors running in this process: checkpoint, lag, state, dead letters',
      response: { 200: z.object({ projections: z.array(ProjectionStatus) }) },
    },
  }, async () => ({ projections: await reads.status() }));
};
