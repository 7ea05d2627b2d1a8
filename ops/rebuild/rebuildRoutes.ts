import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HttpError } from '../http/httpError.ts';
import type { EmbeddedReadModels } from './embeddedReadModels.ts';
import { RebuildError } from './engineRebuild.ts';
import { readModelNames } from './engineReadModels.ts';

const Summary = z.object({
  readModel: z.enum(readModelNames),
  action: z.enum(['rebuild', 'rollback']),
  from: z.number(),
  to: z.number(),
  events: z.number(),
  documents: z.number(),
  seconds: z.number(),
  index: z.array(z.string()),
  previous: z.array(z.string()),
  version: z.number(),
  previousVersion: z.number(),
  deadLetters: z.number(),
});

/**
 * Embedded mode: the serving process holds the read models, so a rebuild
 * that must not fail a query runs in it (`jobsctl rebuild-index --url`).
 */
export const rebuildRoutes: FastifyPluginAsync<{ models: EmbeddedReadModels }> = async (app, { models }) => {
  app.withTypeProvider<ZodTypeProvider>().post('/v1/ops/rebuild', {
    config: { roles: ['operator'] },
    schema: {
      tags: ['ops'],
      summary: 'Rebuild (or roll back) embedded read models in this process and swap them in between queries',
      body: z.object({
        readModel: z.enum([...readModelNames, 'all']).default('all'),
        action: z.enum(['rebuild', 'rollback']).default('rebuild'),
      }).meta({ examples: [{ readModel: 'jobs', action: 'rebuild' }] }),
      response: { 200: z.object({ results: z.array(Summary) }) },
    },
  }, async (request) => {
    const names = request.body.readModel === 'all' ? readModelNames : [request.body.readModel];
    const results = [];
    try {
      for (const name of names) results.push(await models.switchTo(request.body.action, name));
    } catch (err) {
      if (err instanceof RebuildError) throw new HttpError(409, 'rebuild_refused', err.message);
      throw err;
    }
    return { results };
  });
};
