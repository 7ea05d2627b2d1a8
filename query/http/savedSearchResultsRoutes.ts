// A saved search run on demand: its query through the same search as
// `/v1/search`, with the jobs published since the worker's visit before this
// one marked and counted as new.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ReadError } from '../model/readError.ts';
import { IdParams } from '../../eventstore/events/index.ts';
import { SearchHitView, SearchResultView } from '../model/jobView.ts';
import { queryMinPosition, queryNumber } from '../model/queryParams.ts';
import type { JobReadStore } from '../model/readStore.ts';
import { SearchRequest } from '../model/searchRequest.ts';
import type { ReadProgress } from './readProgress.ts';
import { awaitPosition, minPositionOf } from './readSupport.ts';

export interface SavedSearchVisit {
  name: string;
  query: Readonly<Record<string, unknown>>;
  status: 'active' | 'archived';
  /** Jobs published at or after this instant are new to the worker. */
  newSince: string;
}

/**
 * The worker's saved search as its own stream has it, with the visit recorded
 * (the write side owns both, so the read side is handed this); it answers a
 * 404 for a search that was never saved or was deleted.
 */
export type VisitSavedSearch = (request: FastifyRequest, workerId: string, searchId: string, now: Date) => Promise<SavedSearchVisit>;

export interface SavedSearchResultsRouteOptions {
  jobs: JobReadStore;
  progress: ReadProgress;
  visit: VisitSavedSearch;
  clock?: () => Date;
  minPositionWaitMs?: number;
}

const ResultsQuery = z
  .object({
    size: queryNumber(z.number().int().min(1).max(100)).optional().describe("jobs per page (default: the saved query's size, else 20)"),
    cursor: z.string().min(1).max(2000).optional().describe('nextCursor of the previous page'),
    minPosition: queryMinPosition().optional().describe('wait until the read models applied the log up to here'),
  })
  .strict();

export const SavedSearchResultsView = SearchResultView.extend({
  searchId: z.string(),
  name: z.string(),
  status: z.enum(['active', 'archived']),
  newSince: z.string().describe('jobs published at or after this are new: the start of your visit before this one, else when the search was saved'),
  newCount: z.number().int().describe('how many jobs of the whole list (every page) are new'),
  hits: z.array(SearchHitView.extend({ new: z.boolean() })),
});

export const savedSearchResultsRoutes: FastifyPluginAsync<SavedSearchResultsRouteOptions> = async (app, { jobs, progress, visit, clock = () => new Date(), minPositionWaitMs = 2000 }) => {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/v1/me/saved-searches/:id/results', {
    config: { roles: ['worker'] },
    schema: {
      tags: ['workers'],
      summary: 'Run a saved search: its jobs, with those published since your last visit marked `new` and counted (a visit is runs within 30 minutes)',
      params: IdParams,
      querystring: ResultsQuery,
      response: { 200: SavedSearchResultsView },
    },
  }, async (request) => {
    const p = request.caller();
    const { size, cursor, minPosition } = request.query;
    await awaitPosition(progress, minPositionOf(request, minPosition), minPositionWaitMs);
    const now = clock();
    const saved = await visit(request, p.sub, request.params.id, now);
    const parsed = SearchRequest.safeParse({ ...saved.query, ...(size !== undefined ? { size } : {}), ...(cursor !== undefined ? { cursor } : {}) });
    if (!parsed.success) {
      // Saved queries are checked when saved; only a later, stricter query model gets here.
      const details = parsed.error.issues.map((i) => ({ field: ['query', ...i.path.map(String)].join('.'), message: i.message, code: i.code }));
      throw new ReadError('conflict', 'saved_query_invalid', `the saved query no longer runs (${details[0]?.field ?? 'query'}); save it again`, details);
    }
    const model = parsed.data;
    const { cursor: _c, ...firstPage } = model;
    const [page, fresh] = await Promise.all([
      jobs.search(model, now),
      jobs.search({ ...firstPage, postedSince: saved.newSince, sort: 'newest', size: 1, facets: false, highlight: false }, now),
    ]);
    const since = Date.parse(saved.newSince);
    return {
      searchId: request.params.id,
      name: saved.name,
      status: saved.status,
      newSince: saved.newSince,
      newCount: fresh.total,
      ...page,
      hits: page.hits.map((h) => ({ ...h, new: h.job.publishedAt !== undefined && Date.parse(h.job.publishedAt) >= since })),
      position: progress.position(),
    };
  });
};
