import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ReadSide } from '../readSide.ts';
import { rebuildRoutes } from '../rebuild/rebuildRoutes.ts';

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

/** Operator views of the running process. */
export const opsRoutes: FastifyPluginAsync<{ reads: Pick<ReadSide, 'status' | 'embeddedReadModels'> }> = async (app, { reads }) => {
  if (reads.embeddedReadModels) await app.register(rebuildRoutes, { models: reads.embeddedReadModels });
  app.withTypeProvider<ZodTypeProvider>().get('/v1/ops/projections', {
    config: { roles: ['operator'] },
    schema: {
      tags: ['ops'],
      summary: 'Projectors running in this process: checkpoint, lag, state, dead letters',
      response: { 200: z.object({ projections: z.array(ProjectionStatus) }) },
    },
  }, async () => ({ projections: await reads.status() }));
};
