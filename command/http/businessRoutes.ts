import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BusinessProfile } from '../../eventstore/events/index.ts';
import { businessDecider, businessStream } from '../deciders/businessDecider.ts';
import { execute, foldStream } from '../execute.ts';
import { CommandError } from '../commandError.ts';
import { businessProfileExample } from './examples.ts';
import type { CommandRouteOptions } from './routeSupport.ts';
import { CommandReplySchema, IfMatchHeaders, contextOf, parseIfMatch } from './routeSupport.ts';

export const businessRoutes: FastifyPluginAsync<CommandRouteOptions> = async (app, { store, clock = () => new Date() }) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/v1/businesses/me/profile', {
    config: { roles: ['business'] },
    schema: {
      tags: ['businesses'],
      summary: 'Your business profile as you last replaced it (read from the log: always your latest write); `revision` goes into `If-Match` of the next PUT',
      response: { 200: z.object({ profile: BusinessProfile, revision: z.number().int() }) },
    },
  }, async (request, reply) => {
    const p = request.caller();
    const events = await store.readStream(businessStream(p.sub));
    const { profile } = foldStream(businessDecider, events);
    if (!profile) throw new CommandError('not_found', 'profile_not_found', 'you have no profile yet: PUT /v1/businesses/me/profile');
    const revision = events.at(-1)?.revision ?? -1;
    void reply.header('etag', `"${revision}"`).header('cache-control', 'private, no-store');
    return { profile, revision };
  });

  r.put('/v1/businesses/me/profile', {
    config: { roles: ['business'] },
    schema: {
      tags: ['businesses'],
      summary: 'Replace your business profile',
      headers: IfMatchHeaders,
      body: BusinessProfile.meta({ examples: [businessProfileExample] }),
      response: { 200: CommandReplySchema },
    },
  }, async (request) => {
    const p = request.caller();
    const now = clock();
    const ifMatch = parseIfMatch(request.headers['if-match']);
    const result = await execute({
      store, streamId: businessStream(p.sub), id: p.sub, decider: businessDecider, ctx: contextOf(request, p, now),
      ...(ifMatch !== undefined ? { ifMatch } : {}),
      command: { type: 'UpdateBusinessProfile', businessId: p.sub, profile: request.body, now: now.toISOString() },
    });
    return { id: result.id, revision: result.revision, position: result.position };
  });
};
