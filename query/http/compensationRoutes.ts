import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ReadError } from '../model/readError.ts';
import { Category, EmploymentType } from '../../eventstore/events/index.ts';
import { type ComparableQuery, DEFAULT_MAX_SEARCHES, RECENCY_DAYS, collectComparables } from '../compensation/comparables.ts';
import { DEFAULT_MIN_SAMPLE, suggestFrom } from '../compensation/suggest.ts';
import type { JobReadStore } from '../model/readStore.ts';
import type { ReadProgress } from './readProgress.ts';
import { awaitPosition, minPositionOf } from './readSupport.ts';
import { queryMinPosition, queryNumber } from '../model/queryParams.ts';

export interface CompensationRouteOptions {
  jobs: JobReadStore;
  progress: ReadProgress;
  clock?: () => Date;
  minPositionWaitMs?: number;
  /** Fewest comparable jobs a suggestion is made from (default 10); fewer answer 422 insufficient_data. */
  minSample?: number;
  /** Most comparable jobs collected (the newest); default 10 000. */
  maxComparables?: number;
  /** Most searches (pages of 100) one request runs (default 10, so at most 1 000 jobs); past them the answer is `truncated`. */
  maxSearches?: number;
}

export const DEFAULT_RADIUS_KM = 50;
export const MAX_RADIUS_KM = 500;

export const CompensationParams = z
  .object({
    category: Category,
    employmentType: EmploymentType.optional(),
    lat: queryNumber(z.number().min(-90).max(90)).optional(),
    lon: queryNumber(z.number().min(-180).max(180)).optional(),
    radiusKm: queryNumber(z.number().positive().max(MAX_RADIUS_KM)).optional().describe(`default ${DEFAULT_RADIUS_KM} km when lat/lon are given`),
    minPosition: queryMinPosition().optional().describe('wait until the read model has applied this log position'),
  })
  .strict()
  .superRefine((q, ctx) => {
    if ((q.lat === undefined) !== (q.lon === undefined)) ctx.addIssue({ code: 'custom', path: [q.lat === undefined ? 'lat' : 'lon'], message: 'lat and lon go together' });
    if (q.radiusKm !== undefined && q.lat === undefined && q.lon === undefined) ctx.addIssue({ code: 'custom', path: ['radiusKm'], message: 'radiusKm needs lat and lon' });
  });

const Money = z.number();
export const CompensationView = z.object({
  hourly: z.object({ p25: Money, p50: Money, p75: Money }),
  sampleSize: z.number().int(),
  filters: z.object({
    category: Category,
    employmentType: EmploymentType.optional(),
    near: z.object({ lat: z.number(), lon: z.number(), radiusKm: z.number() }).optional(),
    publishedWithinDays: z.number().int(),
    statuses: z.array(z.string()),
  }),
  currency: z.object({ code: z.string(), excluded: z.number().int(), note: z.string() }),
  method: z.string(),
  truncated: z.boolean(),
  position: z.number().int(),
});

const METHOD =
  'each job counts once with the midpoint of its hourly range ((hourlyMin + hourlyMax) / 2, pay normalised per hour); ' +
  'percentiles by linear interpolation between closest ranks (numpy default), rounded to the cent';

/** GET /v1/compensation/suggest: hourly pay percentiles of comparable jobs, never from too few. */
export const compensationRoutes: FastifyPluginAsync<CompensationRouteOptions> = async (
  app,
  { jobs, progress, clock = () => new Date(), minPositionWaitMs = 2000, minSample = DEFAULT_MIN_SAMPLE, maxComparables = 10_000, maxSearches = DEFAULT_MAX_SEARCHES },
) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/v1/compensation/suggest', {
    schema: {
      tags: ['search'],
      summary: 'Hourly pay p25/p50/p75 of comparable jobs (category, employment type, radius, last 180 days); from the newest 1 000 at most (`truncated: true` when more matched)',
      querystring: CompensationParams,
      response: { 200: CompensationView },
    },
  }, async (request) => {
    const q = request.query;
    await awaitPosition(progress, minPositionOf(request, q.minPosition), minPositionWaitMs);
    const query: ComparableQuery = {
      category: q.category,
      ...(q.employmentType !== undefined ? { employmentType: q.employmentType } : {}),
      ...(q.lat !== undefined && q.lon !== undefined ? { near: { lat: q.lat, lon: q.lon, radiusKm: q.radiusKm ?? DEFAULT_RADIUS_KM } } : {}),
    };
    const filters = { ...query, publishedWithinDays: RECENCY_DAYS, statuses: ['open'] };
    const { comparables, truncated } = await collectComparables(jobs, query, clock(), maxComparables, maxSearches);
    const outcome = suggestFrom(comparables, minSample);
    if (outcome.kind === 'insufficient') {
      throw new ReadError('unprocessable', 'insufficient_data', `only ${outcome.sampleSize} comparable jobs, at least ${outcome.minSample} needed for a suggestion`, {
        sampleSize: outcome.sampleSize,
        minSample: outcome.minSample,
        filters,
        ...(outcome.currency ? { currency: outcome.currency } : {}),
      });
    }
    return { hourly: outcome.hourly, sampleSize: outcome.sampleSize, filters, currency: outcome.currency, method: METHOD, truncated, position: progress.position() };
  });
};
