// A business's public page data: its profile as the jobs read model keeps it
// (name, description, website, logo, locations; never its e-mail or webhook)
// and how many of its jobs are open now.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams, JobLocation } from '../../eventstore/events/index.ts';
import { queryMinPosition } from '../model/queryParams.ts';
import { ReadError } from '../model/readError.ts';
import type { JobReadStore } from '../model/readStore.ts';
import type { ReadProgress } from './readProgress.ts';
import { awaitPosition, minPositionOf } from './readSupport.ts';

export interface BusinessReadRouteOptions {
  jobs: JobReadStore;
  progress: ReadProgress;
  clock?: () => Date;
  minPositionWaitMs?: number;
}

export const PublicBusinessView = z.object({
  businessId: z.string(),
  name: z.string(),
  description: z.string().optional(),
  website: z.string().optional().describe('an http(s) address; other kinds of link are never shown'),
  logoUrl: z.string().optional(),
  locations: z.array(JobLocation).optional(),
  updatedAt: z.string().describe('when the business last changed its profile'),
  openJobs: z.number().int().describe('its jobs open now (published, not closed, not past expiry)'),
});

export const businessReadRoutes: FastifyPluginAsync<BusinessReadRouteOptions> = async (app, { jobs, progress, clock = () => new Date(), minPositionWaitMs = 2000 }) => {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/v1/businesses/:id', {
    schema: {
      tags: ['businesses'],
      summary: "A business's public profile and how many of its jobs are open",
      params: IdParams,
      querystring: z.object({ minPosition: queryMinPosition().optional().describe('wait until the read models applied the log up to here') }).strict(),
      response: { 200: PublicBusinessView },
    },
  }, async (request) => {
    await awaitPosition(progress, minPositionOf(request, request.query.minPosition), minPositionWaitMs);
    const business = await jobs.getBusiness(request.params.id);
    if (!business) throw new ReadError('not_found', 'business_not_found', `business ${request.params.id} not found`);
    const open = await jobs.search({ businessId: business.businessId, skillsMode: 'any', includeClosed: false, sort: 'newest', size: 1, facets: false, highlight: false }, clock());
    const { position: _position, ...profile } = business;
    return { ...profile, openJobs: open.total };
  });
};
