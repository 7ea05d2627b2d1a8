import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { JobDocument } from '../../mappings/jobDocument.ts';
import type { JobReadStore } from '../model/readStore.ts';
import type { ListStores } from '../lists/keyedStore.ts';
import { applicationIdOf } from '../../eventstore/events/index.ts';
import { savedJobKey } from '../../projections/lists/listDocuments.ts';
import { agoText } from './format.ts';
import { effectiveStatus } from '../model/effectiveStatus.ts';
import { humanize, placeText } from './format.ts';
import { jobCard, jobHref } from './jobCard.ts';
import { jobPageView } from './jobPageView.ts';
import { searchHref } from './pageQuery.ts';
import type { RenderPage } from './webRoutes.ts';

export interface JobPageOptions {
  jobs: JobReadStore;
  publicUrl: () => string;
  clock: () => Date;
  page: RenderPage;
  /** Where a signed-in worker's saved jobs and applications are read, to show what they did with this job. */
  lists?: Pick<ListStores, 'savedJobs' | 'applications'>;
  /** The script that counts the page's views. */
  viewScript?: string;
  /** Changes when the pages' assets or templates do: part of the job page's ETag. */
  version?: string;
}

const SIMILAR = 5;
const SIMILAR_RADIUS_KM = 100;

const goneReasons: Record<string, string> = { filled: 'has been filled', withdrawn: 'was withdrawn by the business', expired: 'has expired' };

/**
 * `/jobs/:id`: the job with everything the API holds and its JobPosting
 * JSON-LD; a draft is not found; a closed or expired job answers 410 with
 * similar open jobs (same category, near it when it has a place).
 */
export const jobPage: FastifyPluginAsync<JobPageOptions> = async (app, { jobs, publicUrl, clock, page, lists, viewScript, version: pageVersion = '' }) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/jobs/:id', { schema: { hide: true, params: z.object({ id: z.string().min(1).max(100) }).strict() } }, async (request, reply) => {
    const job = await jobs.getJob(request.params.id);
    if (!job || job.status === 'draft') {
      return page(reply.code(404), 'error', { title: 'Job not found', heading: 'Job not found', message: 'There is no job at this address. It may never have existed, or the link was cut short.', problems: [] });
    }
    const status = effectiveStatus(job, clock());
    if (status === 'closed' || status === 'expired') {
      const similar = await similarOpenJobs(jobs, job, clock());
      return page(reply.code(410), 'gone', {
        title: `No longer open: ${job.title}`,
        jobTitle: job.title,
        place: placeText(job),
        reason: goneReasons[status === 'expired' ? 'expired' : (job.closedReason ?? status)] ?? 'is closed',
        similar,
        category: humanize(job.category).toLowerCase(),
        searchHref: searchHref({ category: [job.category] }),
      });
    }
    const user = request.web?.user;
    if (!user) {
      // Every reader revalidates (a job closed a moment ago must not be shown open from a cache);
      // the answer is 304 while the job's document, and the page's assets, are unchanged.
      const etag = `W/"${job.position}-${pageVersion}"`;
      void reply.header('cache-control', 'public, no-cache').header('etag', etag);
      if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    }
    const view = jobPageView(job, publicUrl(), jobHref(job.jobId));
    const worker = user?.role === 'worker' && lists ? await workerState(lists, user.sub, job.jobId, clock()) : undefined;
    return page(reply, 'job', { ...view, indexable: true, jobId: job.jobId, worker, viewScript, signInHref: `/sign-in?next=${encodeURIComponent(jobHref(job.jobId))}` });
  });
};

async function similarOpenJobs(jobs: JobReadStore, job: JobDocument, now: Date) {
  const near = job.location ? { near: { ...job.location, radiusKm: SIMILAR_RADIUS_KM }, sort: 'distance' as const } : { sort: 'newest' as const };
  const result = await jobs.search({ category: [job.category], ...near, size: SIMILAR, skillsMode: 'any', includeClosed: false, facets: false, highlight: false }, now);
  return result.hits.filter((h) => h.job.jobId !== job.jobId).map((h) => jobCard(h, now));
}

/** What the signed-in worker did with this job: saved it, applied (and where the application stands). */
async function workerState(lists: NonNullable<JobPageOptions['lists']>, workerId: string, jobId: string, now: Date) {
  const [saved, application] = await Promise.all([lists.savedJobs.get(savedJobKey(workerId, jobId)), lists.applications.get(applicationIdOf(jobId, workerId))]);
  return {
    saved: saved !== undefined,
    // A withdrawn application may be made again: the page offers the form once more.
    ...(application && application.status !== 'withdrawn' ? { applied: { when: agoText(application.submittedAt, now), status: humanize(application.status) } } : {}),
  };
}
