import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApplicantView } from '../../http/applicantRoutes.ts';
import { NotificationView } from '../../http/notificationRoutes.ts';
import { JobView } from '../../model/jobView.ts';
import type { ApiCall } from '../apiCall.ts';
import { pageApi, requireWebRole } from '../pageApi.ts';
import { profilePages } from '../profilePages.ts';
import type { PlaceLookup } from '../pageQuery.ts';
import type { RenderPage } from '../webRoutes.ts';
import { notificationRow } from '../worker/workerViews.ts';
import type { FunnelCounts } from './businessViews.ts';
import { applicantRow, businessJobHref, businessJobRow, funnel, jobStatusTabs, jobSummary } from './businessViews.ts';
import { ExpiresInDays, jobFormPages, ownJobReader } from './jobFormPages.ts';
import { defaultExpiryDays, expiresAtOf, expiryChoices } from './jobForm.ts';

export interface BusinessPageOptions {
  api: ApiCall;
  page: RenderPage;
  clock: () => Date;
  places?: PlaceLookup;
  /** The job form's script. */
  jobFormScript: string;
}

const Csrf = { _csrf: z.string().max(200) };
const Id = z.string().min(1).max(128);
const IdParam = z.object({ id: Id }).strict();
const Cursor = z.string().min(1).max(2000);
const After = z.string().regex(/^\d{1,15}$/);
const page100 = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().optional() });
const StatsSchema = z.object({ totals: z.object({ views: z.number(), saves: z.number(), applications: z.number() }), days: z.array(z.object({ date: z.string(), views: z.number(), saves: z.number(), applications: z.number() })) });

/** Most applicants of one status counted for the funnel (pages of 100); past it the count reads "1000+". */
const MAX_COUNTED = 1000;

/** The business's pages: its jobs by status, one job with its funnel and applicants, the lifecycle forms, and the job form. */
export const businessPages: FastifyPluginAsync<BusinessPageOptions> = async (app, { api, page, clock, places, jobFormScript }) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const csrf = app.csrfProtection.bind(app);

  app.addHook('preHandler', requireWebRole('business', 'These pages are for businesses: you are signed in as a worker.'));
  const { check, call, done } = pageApi(api);
  await app.register(profilePages, { api, page, role: 'business' });
  await app.register(jobFormPages, { api, page, clock, script: jobFormScript, ...(places ? { places } : {}) });

  r.get('/business', { schema: { hide: true, querystring: z.object({ status: z.enum(['draft', 'open', 'closed', 'expired']).optional(), cursor: Cursor.optional(), after: After.optional() }).strict() } }, async (request, reply) => {
    const { status, cursor, after } = request.query;
    const params = new URLSearchParams({ size: '20' });
    if (status) params.set('status', status);
    if (cursor) params.set('cursor', cursor);
    if (after) params.set('minPosition', after);
    const res = page100(JobView).parse((await call(request, { method: 'GET', url: `/v1/businesses/me/jobs?${params.toString()}` })).body);
    const now = clock();
    const here = (more: Record<string, string>) => `/business?${new URLSearchParams({ ...(status ? { status } : {}), ...more }).toString()}`.replace(/\?$/, '');
    return page(reply, 'businessJobs', {
      title: 'Your jobs',
      section: 'jobs',
      tabs: jobStatusTabs.map(([key, label]) => ({ label, href: key ? `/business?status=${key}` : '/business', current: (status ?? '') === key })),
      status: status ?? '',
      rows: res.items.map((j) => businessJobRow(j, now)),
      next: res.nextCursor ? here({ cursor: res.nextCursor }) : undefined,
      first: cursor ? here({}) : undefined,
    });
  });

  const ownJob = ownJobReader(api);

  /** How many of the job's applicants have one of these statuses, counted up to MAX_COUNTED each. */
  async function countApplicants(request: FastifyRequest, jobId: string, status: string): Promise<{ count: number; more: boolean }> {
    let count = 0;
    let cursor: string | undefined;
    do {
      const url = `/v1/jobs/${encodeURIComponent(jobId)}/applications?size=100&details=false&status=${status}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const res = page100(ApplicantView).parse((await call(request, { method: 'GET', url })).body);
      count += res.items.length;
      cursor = res.nextCursor;
    } while (cursor && count < MAX_COUNTED);
    return { count, more: cursor !== undefined };
  }

  r.get('/business/jobs/:id', { schema: { hide: true, params: IdParam, querystring: z.object({ after: After.optional(), applicants: Cursor.optional() }).strict() } }, async (request, reply) => {
    const { after, applicants: applicantsCursor } = request.query;
    const job = await ownJob(request, request.params.id, after);
    const id = encodeURIComponent(job.jobId);
    const statsAnswer = await api(request, { method: 'GET', url: `/v1/jobs/${id}/stats` });
    // A job nobody has seen yet has no stats document: its counts are zero, not an error.
    const stats = statsAnswer.statusCode === 404 ? { totals: { views: 0, saves: 0, applications: 0 }, days: [] } : StatsSchema.parse(check(statsAnswer, [200]).body);
    const listed = page100(ApplicantView).parse((await call(request, { method: 'GET', url: `/v1/jobs/${id}/applications?size=50${applicantsCursor ? `&cursor=${encodeURIComponent(applicantsCursor)}` : ''}` })).body);
    const [shortlisted, hired] = await Promise.all([countApplicants(request, job.jobId, 'shortlisted'), countApplicants(request, job.jobId, 'hired')]);
    const counts: FunnelCounts = { ...stats.totals, shortlisted: shortlisted.count + hired.count, hired: hired.count };
    const now = clock();
    return page(reply, 'businessJob', {
      title: job.title,
      section: 'jobs',
      job: jobSummary(job, now),
      funnel: funnel(counts),
      countsCapped: shortlisted.more || hired.more,
      days: stats.days.slice(-14).reverse(),
      applicants: listed.items.map((a) => applicantRow(a, now)),
      nextApplicants: listed.nextCursor ? `${businessJobHref(job.jobId)}?applicants=${encodeURIComponent(listed.nextCursor)}` : undefined,
      firstApplicants: applicantsCursor ? businessJobHref(job.jobId) : undefined,
      expiry: expiryChoices.map((days) => ({ days, selected: days === defaultExpiryDays })),
    });
  });

  const lifecycle = <B extends z.ZodRawShape>(path: string, body: B, apiBody: (b: z.output<z.ZodObject<B>>, now: Date) => Record<string, unknown>) =>
    r.post(`/business/jobs/:id/${path}`, { preValidation: csrf, schema: { hide: true, params: IdParam, body: z.object({ ...Csrf, ...body }).strict() } }, async (request, reply) => {
      const jobId = request.params.id;
      const answer = await call(request, { method: 'POST', url: `/v1/jobs/${encodeURIComponent(jobId)}/${path}`, body: apiBody(request.body as z.output<z.ZodObject<B>>, clock()) });
      return done(reply, businessJobHref(jobId), answer);
    });
  lifecycle('publish', { expiresInDays: ExpiresInDays }, (b, now) => ({ expiresAt: expiresAtOf(b.expiresInDays, now) }));
  lifecycle('close', { reason: z.enum(['filled', 'withdrawn']) }, (b) => ({ reason: b.reason }));
  lifecycle('reopen', { expiresInDays: ExpiresInDays }, (b, now) => ({ expiresAt: expiresAtOf(b.expiresInDays, now) }));

  r.post('/business/jobs/:id/discard', { preValidation: csrf, schema: { hide: true, params: IdParam, body: z.object(Csrf).strict() } }, async (request, reply) => {
    const answer = await call(request, { method: 'DELETE', url: `/v1/jobs/${encodeURIComponent(request.params.id)}` });
    // The job has no page any more: back to the drafts.
    return reply.redirect(`/business?status=draft&after=${typeof answer.body.position === 'number' ? answer.body.position : 0}`, 303);
  });

  r.post('/business/applications/:id/status', {
    preValidation: csrf,
    schema: { hide: true, params: IdParam, body: z.object({ ...Csrf, status: z.enum(['reviewing', 'shortlisted', 'rejected', 'hired']), job: Id }).strict() },
  }, async (request, reply) => {
    const answer = await call(request, { method: 'POST', url: `/v1/applications/${encodeURIComponent(request.params.id)}/status`, body: { status: request.body.status } });
    return done(reply, businessJobHref(request.body.job), answer);
  });

  r.get('/business/notifications', { schema: { hide: true, querystring: z.object({ cursor: Cursor.optional() }).strict() } }, async (request, reply) => {
    const cursor = request.query.cursor;
    const answer = await api(request, { method: 'GET', url: `/v1/me/notifications?size=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}` });
    // A service started with notifications off keeps none (and has no such route): the list is empty, not an error.
    if (answer.statusCode === 404) return page(reply, 'notifications', { title: 'Notifications', section: 'notifications', rows: [], off: true });
    const res = page100(NotificationView).parse(check(answer, [200]).body);
    const now = clock();
    return page(reply, 'notifications', {
      title: 'Notifications', section: 'notifications', rows: res.items.map((n) => ({ ...notificationRow(n, now), ...(typeof n.data.jobId === 'string' ? { href: businessJobHref(n.data.jobId) } : {}) })),
      next: res.nextCursor ? `/business/notifications?cursor=${encodeURIComponent(res.nextCursor)}` : undefined, first: cursor ? '/business/notifications' : undefined,
    });
  });
};
