import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ReadError, invalidParam } from '../model/readError.ts';
import { IdParams, type WorkerProfile } from '../../eventstore/events/index.ts';
import type { MatchWeights } from '../match/matchScore.ts';
import { effectiveStatus } from '../model/effectiveStatus.ts';
import { JobView, MapResultView, SearchResultView } from '../model/jobView.ts';
import { MapParams, SearchParams, queryMinPosition, queryNumber, toFilters } from '../model/queryParams.ts';
import type { JobReadStore, SearchContext } from '../model/readStore.ts';
import { DEFAULT_MAP_MAX_CELLS } from '../model/readStore.ts';
import { MapRequest, SearchRequest } from '../model/searchRequest.ts';
import { jobPostingJsonLd } from './jobPostingJsonLd.ts';
import type { ReadProgress } from './readProgress.ts';
import { awaitPosition, minPositionOf, parseModel } from './readSupport.ts';
import { responseCache } from './responseCache.ts';

export interface JobReadRouteOptions {
  jobs: JobReadStore;
  progress: ReadProgress;
  clock?: () => Date;
  minPositionWaitMs?: number;
  /** Bytes of whole search and map answers kept for repeats (0: none; only stores that report freshness). */
  responseCacheBytes?: number;
  /** Most cells in one map answer (MAP_MAX_CELLS; default DEFAULT_MAP_MAX_CELLS, at most the engine's 65 535); past it the answer is `truncated`. */
  mapMaxCells?: number;
  /** The worker's profile for sort `match` (the write side owns it), undefined before the first PUT; without this port sort `match` is refused. */
  profileOf?: (workerId: string) => Promise<WorkerProfile | undefined>;
  /** Weights of the match score under sort `match` (the recommendations' own). */
  weights?: MatchWeights;
}

const MinPositionQuery = z.object({ minPosition: queryMinPosition().optional() }).strict();

export const jobReadRoutes: FastifyPluginAsync<JobReadRouteOptions> = async (app, { jobs, progress, clock = () => new Date(), minPositionWaitMs = 2000, responseCacheBytes = 0, mapMaxCells = DEFAULT_MAP_MAX_CELLS, profileOf, weights }) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const cache = responseCache({
    maxBytes: responseCacheBytes,
    jobs,
    progress,
    clock,
    minPositionWaitMs,
    // The engine can change under a position (drift repair, alias swap): bound how long such an answer may live.
    ...(jobs.kind === 'search-engine' ? { maxAgeMs: 10_000 } : {}),
  });
  const cached = cache ? { onRequest: cache.onRequest, onSend: cache.onSend } : {};

  /** Owners (and operators) may ask for their drafts and closed jobs; nobody else. */
  const checkIncludeClosed = (request: { principal?: { role: string; sub: string } }, filters: { includeClosed?: boolean; businessId?: string }) => {
    if (!filters.includeClosed) return;
    const p = request.principal;
    if (!filters.businessId) throw new ReadError('invalid', 'validation_failed', 'includeClosed needs businessId', [{ field: 'querystring.businessId', message: 'required with includeClosed', code: 'required' }]);
    if (!p || (p.role !== 'operator' && !(p.role === 'business' && p.sub === filters.businessId))) {
      throw new ReadError('forbidden', 'forbidden', 'only the owning business may see its closed and draft jobs');
    }
  };

  /**
   * Sort `match` ranks for the signed-in worker asking, by their profile:
   * anyone else is a 400 naming `sort`, a worker without a profile a 422
   * `profile_required` (as recommendations answer).
   */
  const matchContext = async (request: { principal?: { role: string; sub: string } }, sort: string | undefined, field: string): Promise<SearchContext | undefined> => {
    if (sort !== 'match') return undefined;
    const p = request.principal;
    if (!p || p.role !== 'worker' || !profileOf) throw invalidParam(field, 'sort by match ranks jobs for the signed-in worker asking: send a worker token, or choose another sort', 'worker_required');
    const worker = await profileOf(p.sub);
    if (!worker) throw new ReadError('unprocessable', 'profile_required', `worker ${p.sub} has no profile yet: PUT /v1/me/profile first`);
    return { match: { worker, ...(weights ? { weights } : {}) } };
  };

  r.get('/v1/search', {
    ...cached,
    schema: { tags: ['search'], summary: 'Find open jobs by text, filters and place; sort=match ranks them for the signed-in worker', querystring: SearchParams, response: { 200: SearchResultView } },
  }, async (request) => {
    const { sort, size, cursor, facets, highlight, ...filters } = request.query;
    const context = await matchContext(request, sort, 'querystring.sort');
    await awaitPosition(progress, minPositionOf(request, filters.minPosition), minPositionWaitMs);
    const model = parseModel(SearchRequest, { ...toFilters(filters), ...Object.fromEntries(Object.entries({ sort, size, cursor, facets, highlight }).filter(([, v]) => v !== undefined)) }, 'querystring');
    checkIncludeClosed(request, model);
    return { ...(await jobs.search(model, clock(), context)), position: progress.position() };
  });

  r.post('/v1/search', {
    schema: {
      tags: ['search'],
      summary: 'Find open jobs (the query model as a JSON body)',
      querystring: MinPositionQuery,
      body: SearchRequest.meta({ examples: [{ text: 'barista', category: ['hospitality'], near: { lat: 39.1, lon: -120.05, radiusKm: 50 }, sort: 'distance', size: 20, facets: true }] }),
      response: { 200: SearchResultView },
    },
  }, async (request) => {
    const context = await matchContext(request, request.body.sort, 'body.sort');
    await awaitPosition(progress, minPositionOf(request, request.query.minPosition), minPositionWaitMs);
    checkIncludeClosed(request, request.body);
    return { ...(await jobs.search(request.body, clock(), context)), position: progress.position() };
  });

  r.get('/v1/map', {
    ...cached,
    schema: { tags: ['search'], summary: `Geohash clusters (and points when few) for a viewport and zoom 0..20; at most ${DEFAULT_MAP_MAX_CELLS} cells by default (MAP_MAX_CELLS), the most populated, with \`truncated: true\` past it`, querystring: MapParams, response: { 200: MapResultView } },
  }, async (request) => {
    const { zoom, ...filters } = request.query;
    await awaitPosition(progress, minPositionOf(request, filters.minPosition), minPositionWaitMs);
    const model = parseModel(MapRequest, { ...toFilters(filters), zoom }, 'querystring');
    checkIncludeClosed(request, model);
    return { ...(await jobs.map({ ...model, maxCells: mapMaxCells }, clock())), position: progress.position() };
  });

  r.get('/v1/suggest', {
    schema: {
      tags: ['search'],
      summary: 'Job titles for a typed prefix',
      querystring: z.object({ prefix: z.string().trim().min(1).max(50), size: queryNumber(z.number().int().min(1).max(20).default(8)) }).strict(),
      response: { 200: z.object({ suggestions: z.array(z.string()) }) },
    },
  }, async (request) => ({ suggestions: await jobs.suggest(request.query.prefix, request.query.size) }));

  r.get('/v1/jobs/:id', {
    schema: {
      tags: ['jobs'],
      summary: 'One job; `Accept: application/ld+json` gives schema.org JobPosting',
      params: IdParams,
      querystring: MinPositionQuery,
      response: { 200: JobView },
    },
  }, async (request, reply) => {
    await awaitPosition(progress, minPositionOf(request, request.query.minPosition), minPositionWaitMs);
    const job = await jobs.getJob(request.params.id);
    const p = request.principal;
    const privileged = p && (p.role === 'operator' || (p.role === 'business' && p.sub === job?.businessId));
    if (!job || (job.status === 'draft' && !privileged)) throw new ReadError('not_found', 'job_not_found', `job ${request.params.id} not found`);
    const status = effectiveStatus(job, clock());
    if ((status === 'closed' || status === 'expired') && !privileged) {
      const reason = status === 'expired' ? 'expired' : (job.closedReason ?? status);
      throw new ReadError('gone', 'job_closed', `job ${job.jobId} is closed (${reason})`, { reason });
    }
    if (/application\/ld\+json/.test(request.headers.accept ?? '')) {
      // JSON-LD is another representation of the same resource: it bypasses the JSON schema serializer.
      return reply.type('application/ld+json').serializer(JSON.stringify).send(jobPostingJsonLd(job) as never);
    }
    return job;
  });
};
