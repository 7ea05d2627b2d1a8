import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams, SavedSearchAlertsFields, WorkerProfile, id } from '../../eventstore/events/index.ts';
import { CommandError } from '../commandError.ts';
import { jobDecider, jobStream } from '../deciders/jobDecider.ts';
import { workerDecider, workerStream } from '../deciders/workerDecider.ts';
import type { WorkerCommand } from '../deciders/workerDecider.ts';
import { execute, foldStream } from '../execute.ts';
import { pathOf } from './fieldPath.ts';
import { savedSearchAlertsExample, savedSearchExample, workerProfileExample } from './examples.ts';
import type { CommandRouteOptions } from './routeSupport.ts';
import { CommandReplySchema, IdempotencyHeaders, IfMatchHeaders, contextOf, newId, parseIfMatch } from './routeSupport.ts';

const JobIdParams = z.object({ jobId: id }).strict();

/** One reason a saved query is refused, at a path inside the query. */
export interface SavedQueryIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly code: string;
}

export interface WorkerRouteOptions extends CommandRouteOptions {
  /**
   * Checks a query to save as /v1/search would check it (no issues: valid).
   * The query side owns the search request, and the write side may not import
   * it, so the composition hands the check in.
   */
  validateSavedQuery: (query: Record<string, unknown>) => readonly SavedQueryIssue[];
}

const SavedSearchBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    query: z.record(z.string(), z.unknown()).describe('a /v1/search request body (sort, size and paging are ignored)'),
    ...SavedSearchAlertsFields,
  })
  .strict();

const AlertsPatchBody = z.object(SavedSearchAlertsFields).strict().refine((b) => Object.values(b).some((v) => v !== undefined), {
  message: 'give at least one of alertFrequency, alertHour, alertWeekday, timeZone',
});

export const workerRoutes: FastifyPluginAsync<WorkerRouteOptions> = async (app, { store, clock = () => new Date(), validateSavedQuery }) => {
  const r = app.withTypeProvider<ZodTypeProvider>();

  const run = async (workerId: string, request: Parameters<typeof contextOf>[0], command: WorkerCommand, ifMatch?: number) => {
    const p = request.principal;
    const result = await execute({
      store, streamId: workerStream(workerId), id: workerId, decider: workerDecider, ctx: contextOf(request, p, new Date(command.now)),
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
    const p = request.caller();
    const now = clock().toISOString();
    return run(p.sub, request, { type: 'UpdateWorkerProfile', workerId: p.sub, profile: request.body, now }, parseIfMatch(request.headers['if-match']));
  });

  r.get('/v1/me/profile', {
    config: { roles: ['worker'] },
    schema: {
      tags: ['workers'],
      summary: 'Your worker profile as you last replaced it (read from the log: always your latest write); `revision` goes into `If-Match` of the next PUT',
      response: { 200: z.object({ profile: WorkerProfile, revision: z.number().int() }) },
    },
  }, async (request, reply) => {
    const p = request.caller();
    const events = await store.readStream(workerStream(p.sub));
    const { profile } = foldStream(workerDecider, events);
    if (!profile) throw new CommandError('not_found', 'profile_not_found', 'you have no profile yet: PUT /v1/me/profile');
    const revision = events.at(-1)?.revision ?? -1;
    void reply.header('etag', `"${revision}"`).header('cache-control', 'private, no-store');
    return { profile, revision };
  });

  r.put('/v1/me/saved-jobs/:jobId', {
    config: { roles: ['worker'] },
    schema: { tags: ['workers'], summary: 'Save a job (idempotent)', params: JobIdParams, response: { 200: CommandReplySchema } },
  }, async (request) => {
    const p = request.caller();
    const now = clock().toISOString();
    const { jobId } = request.params;
    const job = foldStream(jobDecider, await store.readStream(jobStream(jobId)));
    const saved = await run(p.sub, request, { type: 'SaveJob', workerId: p.sub, jobId, job: { status: job.status }, now });
    return { ...saved, id: jobId };
  });

  r.delete('/v1/me/saved-jobs/:jobId', {
    config: { roles: ['worker'] },
    schema: { tags: ['workers'], summary: 'Forget a saved job (idempotent)', params: JobIdParams, response: { 200: CommandReplySchema } },
  }, async (request) => {
    const p = request.caller();
    const now = clock().toISOString();
    const { jobId } = request.params;
    const done = await run(p.sub, request, { type: 'UnsaveJob', workerId: p.sub, jobId, now });
    return { ...done, id: jobId };
  });

  r.post('/v1/me/saved-searches', {
    config: { roles: ['worker'] },
    schema: {
      tags: ['workers'],
      summary: 'Save a search (at most 50 active); `alertFrequency` says when you are told of new matching jobs',
      headers: IdempotencyHeaders,
      body: SavedSearchBody.meta({ examples: [savedSearchExample] }),
      response: { 201: CommandReplySchema },
    },
  }, async (request, reply) => {
    const p = request.caller();
    const now = clock().toISOString();
    const { name, query, ...alerts } = request.body;
    const issues = validateSavedQuery(query);
    if (issues.length > 0) {
      const details = issues.map((i) => ({ field: `body.${pathOf(['query', ...i.path])}`, message: i.message, code: i.code }));
      throw new CommandError('invalid', 'validation_failed', `${details[0]!.field}: ${details[0]!.message}`, details);
    }
    const searchId = newId(request, p);
    const done = await run(p.sub, request, { type: 'SaveSearch', workerId: p.sub, searchId, name, query, ...alerts, now });
    return reply.code(201).send({ ...done, id: searchId });
  });

  r.patch('/v1/me/saved-searches/:id', {
    config: { roles: ['worker'] },
    schema: {
      tags: ['workers'],
      summary: "Change a saved search's alerts (e.g. `alertFrequency: off`); fields left out stay as they are",
      headers: IfMatchHeaders,
      params: IdParams,
      body: AlertsPatchBody.meta({ examples: [savedSearchAlertsExample] }),
      response: { 200: CommandReplySchema },
    },
  }, async (request) => {
    const p = request.caller();
    const now = clock().toISOString();
    const command: WorkerCommand = { type: 'ChangeSavedSearchAlerts', workerId: p.sub, searchId: request.params.id, ...request.body, now };
    const done = await run(p.sub, request, command, parseIfMatch(request.headers['if-match']));
    return { ...done, id: request.params.id };
  });

  r.delete('/v1/me/saved-searches/:id', {
    config: { roles: ['worker'] },
    schema: { tags: ['workers'], summary: 'Delete a saved search', params: IdParams, response: { 200: CommandReplySchema } },
  }, async (request) => {
    const p = request.caller();
    const now = clock().toISOString();
    const done = await run(p.sub, request, { type: 'DeleteSavedSearch', workerId: p.sub, searchId: request.params.id, now });
    return { ...done, id: request.params.id };
  });
};
