import { IdParams } from '../../eventstore/events/index.ts';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApplicationContact, ApplicationStatus, applicationIdOf } from '../../eventstore/events/index.ts';
import { applicationDecider, applicationStream } from '../deciders/applicationDecider.ts';
import { jobDecider, jobStream } from '../deciders/jobDecider.ts';
import { execute, foldStream } from '../execute.ts';
import { applyExample, statusExample, withdrawExample } from './examples.ts';
import type { CommandRouteOptions } from './routeSupport.ts';
import { CommandReplySchema, IdempotencyHeaders, IfMatchHeaders, contextOf, parseIfMatch } from './routeSupport.ts';

export const applicationRoutes: FastifyPluginAsync<CommandRouteOptions> = async (app, { store, clock = () => new Date() }) => {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post('/v1/jobs/:id/applications', {
    config: { roles: ['worker'] },
    schema: {
      tags: ['applications'],
      summary: 'Apply to an open job (one application per worker and job)',
      params: IdParams,
      headers: IdempotencyHeaders,
      body: z
        .object({
          message: z.string().max(5000).optional(),
          contact: ApplicationContact.optional().describe('how the business may reach you about this application (only that business sees it)'),
        })
        .strict()
        .meta({ examples: [applyExample] }),
      response: { 201: CommandReplySchema },
    },
  }, async (request, reply) => {
    const p = request.caller();
    const now = clock();
    const jobId = request.params.id;
    const job = foldStream(jobDecider, await store.readStream(jobStream(jobId)));
    const applicationId = applicationIdOf(jobId, p.sub);
    const result = await execute({
      store, streamId: applicationStream(applicationId), id: applicationId, decider: applicationDecider, ctx: contextOf(request, p, now),
      command: {
        type: 'SubmitApplication', applicationId, jobId, workerId: p.sub,
        job: job.status === 'none' ? { status: 'none' } : { status: job.status, businessId: job.businessId, ...(job.status === 'open' ? { expiresAt: job.expiresAt } : {}) },
        ...(request.body.message !== undefined ? { message: request.body.message } : {}),
        ...(request.body.contact !== undefined ? { contact: request.body.contact } : {}),
        now: now.toISOString(),
      },
    });
    return reply.code(201).send({ id: result.id, revision: result.revision, position: result.position });
  });

  r.post('/v1/applications/:id/withdraw', {
    config: { roles: ['worker'] },
    schema: {
      tags: ['applications'],
      summary: 'Withdraw your application',
      params: IdParams,
      headers: IfMatchHeaders,
      body: z.object({ reason: z.string().max(1000).optional() }).strict().meta({ examples: [withdrawExample] }),
      response: { 200: CommandReplySchema },
    },
  }, async (request) => {
    const p = request.caller();
    const now = clock();
    const applicationId = request.params.id;
    const ifMatch = parseIfMatch(request.headers['if-match']);
    const result = await execute({
      store, streamId: applicationStream(applicationId), id: applicationId, decider: applicationDecider, ctx: contextOf(request, p, now),
      ...(ifMatch !== undefined ? { ifMatch } : {}),
      command: {
        type: 'WithdrawApplication', applicationId, workerId: p.sub,
        ...(request.body.reason !== undefined ? { reason: request.body.reason } : {}),
        now: now.toISOString(),
      },
    });
    return { id: result.id, revision: result.revision, position: result.position };
  });

  r.post('/v1/applications/:id/status', {
    config: { roles: ['business'] },
    schema: {
      tags: ['applications'],
      summary: 'Move an application through review (owning business)',
      params: IdParams,
      headers: IfMatchHeaders,
      body: z
        .object({ status: ApplicationStatus.exclude(['submitted']), note: z.string().max(2000).optional() })
        .strict()
        .meta({ examples: [statusExample] }),
      response: { 200: CommandReplySchema },
    },
  }, async (request) => {
    const p = request.caller();
    const now = clock();
    const applicationId = request.params.id;
    const ifMatch = parseIfMatch(request.headers['if-match']);
    const result = await execute({
      store, streamId: applicationStream(applicationId), id: applicationId, decider: applicationDecider, ctx: contextOf(request, p, now),
      ...(ifMatch !== undefined ? { ifMatch } : {}),
      command: {
        type: 'ChangeApplicationStatus', applicationId, businessId: p.sub, status: request.body.status,
        ...(request.body.note !== undefined ? { note: request.body.note } : {}),
        now: now.toISOString(),
      },
    });
    return { id: result.id, revision: result.revision, position: result.position };
  });
};
