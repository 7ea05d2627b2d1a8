// The per-owner lists: a worker's saved jobs, saved searches and
// applications; a business's own jobs (the applicants of one of its jobs:
// applicantRoutes.ts).
// Every list is newest first, `size` <= 100 with opaque `cursor` paging, and
// supports read-your-writes (`minPosition` or `X-Min-Position`).
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { invalidParam } from '../model/readError.ts';
import { AlertFrequency, Pay } from '../../eventstore/events/index.ts';
import type { JobDocument } from '../../mappings/jobDocument.ts';
import { alertSettingsOf, applicationDocStatuses } from '../../projections/lists/listDocuments.ts';
import type { ListPage, ListQuery, ListStores, KeyedDocStore, Positioned } from '../lists/keyedStore.ts';
import { InvalidListCursorError } from '../lists/keyedStore.ts';
import { JobView } from '../model/jobView.ts';
import { effectiveStatus } from '../model/effectiveStatus.ts';
import type { JobReadStore } from '../model/readStore.ts';
import type { ReadProgress } from './readProgress.ts';
import { awaitPosition, minPositionOf } from './readSupport.ts';
import { queryMinPosition, queryNumber } from '../model/queryParams.ts';

export interface ListRouteOptions {
  lists: ListStores;
  jobs: JobReadStore;
  progress: ReadProgress;
  clock?: () => Date;
  minPositionWaitMs?: number;
}

const jobStatuses = ['draft', 'open', 'closed', 'expired'] as const;

export const paging = {
  size: queryNumber(z.number().int().min(1).max(100).default(20)),
  cursor: z.string().min(1).max(2000).optional().describe('nextCursor of the previous page'),
  minPosition: queryMinPosition().optional().describe('wait until the read models applied the log up to here'),
};
const PageQuery = z.object(paging).strict();
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    nextCursor: z.string().optional(),
    position: z.number().int().describe('the read models have applied the log up to here'),
  });

const JobSummary = z
  .object({
    title: z.string(),
    city: z.string().optional(),
    pay: Pay,
    status: z.enum(jobStatuses).describe('expired also when an open job is past expiresAt'),
  })
  .describe('the job as the jobs read model has it; null when it is unknown');

export const SavedJobView = z.object({ jobId: z.string(), savedAt: z.string(), job: JobSummary.nullable() });
export const SavedSearchView = z.object({
  searchId: z.string(),
  name: z.string(),
  query: z.record(z.string(), z.unknown()),
  alertFrequency: AlertFrequency,
  alertHour: z.number().int().describe('local hour of a daily or weekly digest'),
  alertWeekday: z.number().int().describe('day of a weekly digest, 0-6 (0: Sunday)'),
  timeZone: z.string().describe('IANA time zone of alertHour and alertWeekday'),
  status: z.enum(['active', 'archived']),
  archived: z.boolean(),
  savedAt: z.string(),
  updatedAt: z.string(),
});
export const ApplicationStatusView = z.enum(applicationDocStatuses);
/** The contact a worker shared with an application: shown to that worker and to the job's business, nobody else. */
export const SharedContactView = z.object({ email: z.string().optional(), phone: z.string().optional() });
export const MyApplicationView = z.object({
  applicationId: z.string(),
  jobId: z.string(),
  businessId: z.string(),
  status: ApplicationStatusView,
  message: z.string().optional(),
  contact: SharedContactView.optional().describe("what you shared with the job's business when applying"),
  submittedAt: z.string(),
  updatedAt: z.string(),
  job: z.object({ title: z.string(), status: z.enum(jobStatuses) }).nullable(),
});

/** One page of a list store; a cursor the store did not give out is a 400 naming `cursor`. */
export async function listPage<D extends Positioned>(store: KeyedDocStore<D>, q: ListQuery): Promise<ListPage<D>> {
  try {
    return await store.list(q);
  } catch (err) {
    if (err instanceof InvalidListCursorError) {
      throw invalidParam('querystring.cursor', 'not a cursor of this list', 'invalid_cursor', 'invalid_cursor');
    }
    throw err;
  }
}

export const listRoutes: FastifyPluginAsync<ListRouteOptions> = async (app, { lists, jobs, progress, clock = () => new Date(), minPositionWaitMs = 2000 }) => {
  const r = app.withTypeProvider<ZodTypeProvider>();

  async function jobsById(ids: readonly string[]): Promise<Map<string, JobDocument>> {
    const unique = [...new Set(ids)];
    const found = await Promise.all(unique.map((id) => jobs.getJob(id)));
    const out = new Map<string, JobDocument>();
    found.forEach((job, i) => {
      const id = unique[i];
      if (job && id !== undefined) out.set(id, job);
    });
    return out;
  }

  r.get('/v1/me/saved-jobs', {
    config: { roles: ['worker'] },
    schema: { tags: ['workers'], summary: 'Your saved jobs, newest first, with a summary of each job', querystring: PageQuery, response: { 200: pageOf(SavedJobView) } },
  }, async (request) => {
    const p = request.caller();
    const { size, cursor, minPosition } = request.query;
    await awaitPosition(progress, minPositionOf(request, minPosition), minPositionWaitMs);
    const result = await listPage(lists.savedJobs, { by: 'workerId', value: p.sub, size, ...(cursor !== undefined ? { cursor } : {}) });
    const byId = await jobsById(result.items.map((s) => s.jobId));
    const now = clock();
    return {
      items: result.items.map((s) => {
        const job = byId.get(s.jobId);
        return {
          jobId: s.jobId,
          savedAt: s.savedAt,
          job: job ? { title: job.title, ...(job.city !== undefined ? { city: job.city } : {}), pay: job.pay, status: effectiveStatus(job, now) } : null,
        };
      }),
      ...(result.nextCursor !== undefined ? { nextCursor: result.nextCursor } : {}),
      position: progress.position(),
    };
  });

  r.get('/v1/me/saved-searches', {
    config: { roles: ['worker'] },
    schema: {
      tags: ['workers'],
      summary: 'Your saved searches (active and archived, flagged), newest first',
      querystring: z.object({ ...paging, status: z.enum(['active', 'archived']).optional().describe('only active or only archived ones') }).strict(),
      response: { 200: pageOf(SavedSearchView) },
    },
  }, async (request) => {
    const p = request.caller();
    const { size, cursor, minPosition, status } = request.query;
    await awaitPosition(progress, minPositionOf(request, minPosition), minPositionWaitMs);
    const result = await listPage(lists.savedSearches, {
      by: 'workerId',
      value: p.sub,
      filter: { status: status !== undefined ? [status] : ['active', 'archived'] },
      size,
      ...(cursor !== undefined ? { cursor } : {}),
    });
    return {
      items: result.items.map((s) => {
        const st = s.status === 'archived' ? ('archived' as const) : ('active' as const);
        return { searchId: s.searchId, name: s.name, query: s.query, ...alertSettingsOf(s), status: st, archived: st === 'archived', savedAt: s.savedAt, updatedAt: s.updatedAt };
      }),
      ...(result.nextCursor !== undefined ? { nextCursor: result.nextCursor } : {}),
      position: progress.position(),
    };
  });

  r.get('/v1/me/applications', {
    config: { roles: ['worker'] },
    schema: {
      tags: ['applications'],
      summary: 'Your applications, newest first, with the job title',
      querystring: z.object({ ...paging, status: ApplicationStatusView.optional() }).strict(),
      response: { 200: pageOf(MyApplicationView) },
    },
  }, async (request) => {
    const p = request.caller();
    const { size, cursor, minPosition, status } = request.query;
    await awaitPosition(progress, minPositionOf(request, minPosition), minPositionWaitMs);
    const result = await listPage(lists.applications, {
      by: 'workerId',
      value: p.sub,
      ...(status !== undefined ? { filter: { status: [status] } } : {}),
      size,
      ...(cursor !== undefined ? { cursor } : {}),
    });
    const byId = await jobsById(result.items.map((a) => a.jobId));
    const now = clock();
    return {
      items: result.items.map((a) => {
        const job = byId.get(a.jobId);
        return {
          applicationId: a.applicationId,
          jobId: a.jobId,
          businessId: a.businessId,
          status: a.status,
          ...(a.message !== undefined ? { message: a.message } : {}),
          ...(a.contact !== undefined ? { contact: a.contact } : {}),
          submittedAt: a.submittedAt,
          updatedAt: a.updatedAt,
          job: job ? { title: job.title, status: effectiveStatus(job, now) } : null,
        };
      }),
      ...(result.nextCursor !== undefined ? { nextCursor: result.nextCursor } : {}),
      position: progress.position(),
    };
  });

  r.get('/v1/businesses/me/jobs', {
    config: { roles: ['business'] },
    schema: {
      tags: ['businesses'],
      summary: 'Your jobs of every status (drafts, open, closed, expired), newest first',
      querystring: z
        .object({ ...paging, status: z.enum(jobStatuses).optional().describe('only jobs of this status: expired also an open job past expiresAt, which open leaves out') })
        .strict(),
      response: { 200: pageOf(JobView) },
    },
  }, async (request) => {
    const p = request.caller();
    const { size, cursor, minPosition, status } = request.query;
    await awaitPosition(progress, minPositionOf(request, minPosition), minPositionWaitMs);
    // The owner listing, narrowed by the store to the effective status: full pages, cursor to the end.
    const res = await jobs.search(
      {
        businessId: p.sub,
        includeClosed: true,
        ...(status !== undefined ? { status } : {}),
        skillsMode: 'any',
        sort: 'newest',
        facets: false,
        highlight: false,
        size,
        ...(cursor !== undefined ? { cursor } : {}),
      },
      clock(),
    );
    return { items: res.hits.map((h) => h.job), ...(res.nextCursor !== undefined ? { nextCursor: res.nextCursor } : {}), position: progress.position() };
  });
};
