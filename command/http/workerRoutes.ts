import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { WorkerProfile, id } from '../../eventstore/events/index.ts';
import { jobDecider } from '../deciders/jobDecider.ts';
import { workerDecider } from '../deciders/workerDecider.ts';
import type { WorkerCommand } from '../deciders/workerDecider.ts';
import { execute, foldStream } from '../execute.ts';
import { requireRole } from './auth.ts';
import { savedSearchExample, workerProfileExample } from './examples.ts';
import type { CommandRouteOptions } from './routeSupport.ts';
import { CommandReplySchema, IfMatchHeaders, contextOf, newId, parseIfMatch } from './routeSupport.ts';

const JobIdParams = z.object({ jobId: id }).strict();
const SearchIdParams = z.object({ id }).strict();

export const workerRoutes: FastifyPluginAsync<CommandRouteOptions> = async (app, { store, clock = () => new Date() }) => {
  const r = app.withTypeProvider<ZodTypeProvider>();

  const run = async (workerId: string, request: Parameters<typeof contextOf>[0], command: WorkerCommand, ifMatch?: number) => {
    const p = request.principal;
    const result = await execute({
      store, streamId: `worker-${workerId}`, id: workerId, decider: workerDecider, ctx: contextOf(request, p, new Date(command.now)),
      ...(ifMatch !== undefined ? { ifMatch } : {}),
      command,
    });
    return { id: result.id, revision: result.revision, position: result.position };
  };

  r.put('/v1/me/profile', {
    config: { roles: ['worker'] },
    schema: {
      tags: ['workers'],
      summary: 'Replace your worker profile',
      headers: IfMatchHeaders,
      body: WorkerProfile.meta({ examples: [workerProfileExample] }),
      response: { 200: CommandReplySchema },
    },
  }, async (request) => {
    const p = requireRole(request, 'worker');
    const now = clock().toISOString();
    return run(p.sub, request, { type: 'UpdateWorkerProfile', workerId: p.sub, profile: request.body, now }, parseIfMatch(request.headers['if-match']));
  });

  r.put('/v1/me/saved-jobs/:jobId', {
    config: { roles: ['worker'] },
    schema: { tags: ['workers'], summary: 'Save a job (idempotent)', params: JobIdParams, response: { 200: CommandReplySchema } },
  }, async (request) => {
    const p = requireRole(request, 'worker');
    const now = clock().toISOString();
    const { jobId } = request.params;
    const job = foldStream(jobDecider, await store.readStream(`job-${jobId}`));
    const saved = await run(p.sub, request, { type: 'SaveJob', workerId: p.sub, jobId, job: { status: job.status }, now });
    return { ...saved, id: jobId };
  });

  r.delete('/v1/me/saved-jobs/:jobId', {
    config: { roles: ['worker'] },
    schema: { tags: ['workers'], summary: 'Forget a saved job (idempotent)', params: JobIdParams, response: { 200: CommandReplySchema } },
  }, async (request) => {
    const p = requireRole(request, 'worker');
    const now = clock().toISOString();
    const { jobId } = request.params;
    const done = await run(p.sub, request, { type: 'UnsaveJob', workerId: p.sub, jobId, now });
    return { ...done, id: jobId };
  });

  r.post('/v1/me/saved-searches', {
    config: { roles: ['worker'] },
    schema: {
      tags: ['workers'],
      summary: 'Save a search; with `alerts` you are told of new matching jobs',
      headers: IfMatchHeaders,
      body: z
        .object({
          name: z.string().trim().min(1).max(200),
          query: z.record(z.string(), z.unknown()),
          alerts: z.boolean().default(true),
        })
        .strict()
        .meta({ examples: [savedSearchExample] }),
      response: { 201: CommandReplySchema },
    },
  }, async (request, reply) => {
    const p = requireRole(request, 'worker');
    const now = clock().toISOString();
    const searchId = newId(request, p);
    const { name, query, alerts } = request.body;
    const done = await run(p.sub, request, { type: 'SaveSearch', workerId: p.sub, searchId, name, query, alerts, now });
    return reply.code(201).send({ ...done, id: searchId });
  });

  r.delete('/v1/me/saved-searches/:id', {
    config: { roles: ['worker'] },
    schema: { tags: ['workers'], summary: 'Delete a saved search', params: SearchIdParams, response: { 200: CommandReplySchema } },
  }, async (request) => {
    const p = requireRole(request, 'worker');
    const now = clock().toISOString();
    const done = await run(p.sub, request, { type: 'DeleteSavedSearch', workerId: p.sub, searchId: request.params.id, now });
    return { ...done, id: request.params.id };
  });
};
