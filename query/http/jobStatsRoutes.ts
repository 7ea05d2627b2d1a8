// Job analytics from the `job_stats` read model: one job's views, saves and
// applications per UTC day (the owning business or an operator), and a
// business's totals over its jobs, optionally within a date range. Both
// support read-your-writes (`minPosition` or `X-Min-Position`).
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ReadError, invalidParam } from '../model/readError.ts';
import { IdParams } from '../../eventstore/events/index.ts';
import type { JobStatCounts, JobStatsDocument } from '../../projections/lists/jobStats.ts';
import { conversionOf } from '../../projections/lists/jobStats.ts';
import type { ListStores } from '../lists/keyedStore.ts';
import { everyListed } from '../lists/everyListed.ts';
import type { ReadProgress } from './readProgress.ts';
import { awaitPosition, minPositionOf } from './readSupport.ts';
import { queryMinPosition } from '../model/queryParams.ts';

export interface JobStatsRouteOptions {
  lists: Pick<ListStores, 'jobStats'>;
  progress: ReadProgress;
  minPositionWaitMs?: number;
  /** Stats documents read per page when analytics goes through all of a business's jobs (default 1000, the most a list page holds). */
  analyticsPageSize?: number;
}

const minPosition = queryMinPosition().optional().describe('wait until the read models applied the log up to here');
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');
const Counts = z.object({ views: z.number().int(), saves: z.number().int(), applications: z.number().int() });
const JobStatsView = z.object({
  jobId: z.string(),
  totals: Counts,
  conversion: z.number().describe('applications / views (0 without views)'),
  days: z.array(Counts.extend({ date: z.string() })).describe('UTC days, oldest first'),
  position: z.number().int(),
});
const AnalyticsView = z.object({
  from: z.string().optional(),
  to: z.string().optional(),
  jobs: z.array(z.object({ jobId: z.string(), totals: Counts, conversion: z.number() })),
  totals: Counts,
  conversion: z.number(),
  position: z.number().int(),
});

const zero = (): JobStatCounts => ({ views: 0, saves: 0, applications: 0 });
const add = (a: JobStatCounts, b: JobStatCounts): JobStatCounts => ({ views: a.views + b.views, saves: a.saves + b.saves, applications: a.applications + b.applications });

/** A job's totals over the days within [from, to] (inclusive; either open). */
export function totalsWithin(doc: JobStatsDocument, from?: string, to?: string): JobStatCounts {
  if (from === undefined && to === undefined) return doc.totals;
  let out = zero();
  for (const [d, c] of Object.entries(doc.days)) {
    if ((from === undefined || d >= from) && (to === undefined || d <= to)) out = add(out, c);
  }
  return out;
}

export const jobStatsRoutes: FastifyPluginAsync<JobStatsRouteOptions> = async (app, { lists, progress, minPositionWaitMs = 2000, analyticsPageSize = 1000 }) => {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/v1/jobs/:id/stats', {
    config: { roles: ['business', 'operator'] },
    schema: {
      tags: ['businesses'],
      summary: "One job's views, saves and applications per UTC day (the owning business or an operator)",
      params: IdParams,
      querystring: z.object({ minPosition }).strict(),
      response: { 200: JobStatsView },
    },
  }, async (request) => {
    const p = request.caller();
    await awaitPosition(progress, minPositionOf(request, request.query.minPosition), minPositionWaitMs);
    const doc = await lists.jobStats.get(request.params.id);
    if (!doc) throw new ReadError('not_found', 'job_not_found', `job ${request.params.id} not found`);
    if (p.role === 'business' && doc.businessId !== p.sub) throw new ReadError('forbidden', 'forbidden', 'only the owning business may see the stats of a job');
    return {
      jobId: doc.jobId,
      totals: doc.totals,
      conversion: conversionOf(doc.totals),
      days: Object.entries(doc.days)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([date, c]) => ({ date, ...c })),
      position: progress.position(),
    };
  });

  r.get('/v1/businesses/me/analytics', {
    config: { roles: ['business'] },
    schema: {
      tags: ['businesses'],
      summary: 'Views, saves, applications and conversion of your jobs, per job and overall (UTC days from..to, inclusive)',
      querystring: z.object({ from: day.optional(), to: day.optional(), minPosition }).strict(),
      response: { 200: AnalyticsView },
    },
  }, async (request) => {
    const p = request.caller();
    const { from, to } = request.query;
    if (from !== undefined && to !== undefined && from > to) {
      throw invalidParam('querystring.from', 'must not be after to', 'invalid_range');
    }
    await awaitPosition(progress, minPositionOf(request, request.query.minPosition), minPositionWaitMs);
    // Every job of the business, however many: a page of documents at a time, only the totals kept.
    const byJob = await everyListed(lists.jobStats, { by: 'businessId', value: p.sub }, analyticsPageSize, (d) => {
      const totals = totalsWithin(d, from, to);
      return { jobId: d.jobId, totals, conversion: conversionOf(totals) };
    });
    const jobs = [...byJob.values()].sort((a, b) => (a.jobId < b.jobId ? -1 : a.jobId > b.jobId ? 1 : 0));
    const totals = jobs.reduce((acc, j) => add(acc, j.totals), zero());
    return {
      ...(from !== undefined ? { from } : {}),
      ...(to !== undefined ? { to } : {}),
      jobs,
      totals,
      conversion: conversionOf(totals),
      position: progress.position(),
    };
  });
};
