import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { BusinessProfile } from '../../eventstore/events/index.ts';
import { businessDecider } from '../deciders/businessDecider.ts';
import { execute } from '../execute.ts';
import { requireRole } from './auth.ts';
import { businessProfileExample } from './examples.ts';
import type { CommandRouteOptions } from './routeSupport.ts';
import { CommandReplySchema, IfMatchHeaders, contextOf, parseIfMatch } from './routeSupport.ts';

export const businessRoutes: FastifyPluginAsync<CommandRouteOptions> = async (app, { store, clock = () => new Date() }) => {
  app.withTypeProvider<ZodTypeProvider>().put('/v1/businesses/me/profile', {
    config: { roles: ['business'] },
    schema: {
      tags: ['businesses'],
      summary: 'Replace your business profile',
      headers: IfMatchHeaders,
      body: BusinessProfile.meta({ examples: [businessProfileExample] }),
      response: { 200: CommandReplySchema },
    },
  }, async (request) => {
    const p = requireRole(request, 'business');
    const now = clock();
    const ifMatch = parseIfMatch(request.headers['if-match']);
    const result = await execute({
      store, streamId: `business-${p.sub}`, id: p.sub, decider: businessDecider, ctx: contextOf(request, p, now),
      ...(ifMatch !== undefined ? { ifMatch } : {}),
      command: { type: 'UpdateBusinessProfile', businessId: p.sub, profile: request.body, now: now.toISOString() },
    });
    return { id: result.id, revision: result.revision, position: result.position };
  });
};
