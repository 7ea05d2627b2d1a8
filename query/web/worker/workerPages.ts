import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MyApplicationView, SavedJobView, SavedSearchView, pageOf } from '../../http/listRoutes.ts';
import { RecommendationsView } from '../../http/matchRoutes.ts';
import { NotificationView } from '../../http/notificationRoutes.ts';
import type { ApiCall } from '../apiCall.ts';
import { pageApi, requireWebRole } from '../pageApi.ts';
import type { PlaceLookup } from '../pageQuery.ts';
import { SearchPageQuery } from '../pageQuery.ts';
import { pageError } from '../pageError.ts';
import { profilePages } from '../profilePages.ts';
import type { RenderPage } from '../webRoutes.ts';
import { describeSavedQuery, savedQueryOf } from './savedSearchForm.ts';
import { applicationRow, notificationRow, recommendationRow, savedJobRow, savedSearchRow } from './workerViews.ts';
import { alertFrequencies } from '../../../eventstore/events/index.ts';

export interface WorkerPageOptions {
  api: ApiCall;
  page: RenderPage;
  clock: () => Date;
  places?: PlaceLookup;
}

const ListQuery = z.object({ cursor: z.string().min(1).max(2000).optional(), after: z.string().regex(/^\d{1,15}$/).optional() }).strict();
const Csrf = { _csrf: z.string().max(200) };
const CsrfBody = z.object(Csrf).strict();
const Id = z.string().min(1).max(128);
const IdParam = z.object({ id: Id }).strict();
const Frequency = z.enum(alertFrequencies);

/** The worker's pages: saved jobs, saved searches, applications, recommendations, notifications, and the forms that change them. */
export const workerPages: FastifyPluginAsync<WorkerPageOptions> = async (app, { api, page, clock, places }) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const csrf = app.csrfProtection.bind(app);

  app.addHook('preHandler', requireWebRole('worker', 'These pages are for workers: you are signed in as a business.'));
  const { check, call, done } = pageApi(api);
  await app.register(profilePages, { api, page, role: 'worker', ...(places ? { places } : {}) });

  const listUrl = (path: string, q: z.infer<typeof ListQuery>, size = 20) => {
    const params = new URLSearchParams({ size: String(size) });
    if (q.cursor) params.set('cursor', q.cursor);
    if (q.after) params.set('minPosition', q.after);
    return `${path}?${params.toString()}`;
  };
  const nextHref = (path: string, cursor: string | undefined) => (cursor ? `${path}?cursor=${encodeURIComponent(cursor)}` : undefined);

  r.get('/me', { schema: { hide: true } }, (_request, reply) => reply.redirect('/me/saved-jobs', 303));

  r.get('/me/saved-jobs', { schema: { hide: true, querystring: ListQuery } }, async (request, reply) => {
    const res = pageOf(SavedJobView).parse((await call(request, { method: 'GET', url: listUrl('/v1/me/saved-jobs', request.query) })).body);
    const now = clock();
    return page(reply, 'savedJobs', { title: 'Saved jobs', section: 'saved-jobs', rows: res.items.map((s) => savedJobRow(s, now)), next: nextHref('/me/saved-jobs', res.nextCursor), first: request.query.cursor ? '/me/saved-jobs' : undefined });
  });

  r.post('/jobs/:id/save', { preValidation: csrf, schema: { hide: true, params: IdParam, body: CsrfBody } }, async (request, reply) =>
    done(reply, '/me/saved-jobs', await call(request, { method: 'PUT', url: `/v1/me/saved-jobs/${encodeURIComponent(request.params.id)}` })));

  r.post('/me/saved-jobs/:id/remove', { preValidation: csrf, schema: { hide: true, params: IdParam, body: CsrfBody } }, async (request, reply) =>
    done(reply, '/me/saved-jobs', await call(request, { method: 'DELETE', url: `/v1/me/saved-jobs/${encodeURIComponent(request.params.id)}` })));

  r.post('/jobs/:id/apply', { preValidation: csrf, schema: { hide: true, params: IdParam, body: z.object({ ...Csrf, message: z.string().max(5000).optional() }).strict() } }, async (request, reply) => {
    const message = request.body.message?.trim();
    const url = `/v1/jobs/${encodeURIComponent(request.params.id)}/applications`;
    const answer = await api(request, { method: 'POST', url, body: message ? { message } : {} });
    if (answer.statusCode === 409) {
      throw pageError(409, 'You have already applied to this job.', [], [{ href: '/me/applications', label: 'See your applications' }]);
    }
    return done(reply, '/me/applications', check(answer, [201]));
  });

  r.get('/me/applications', { schema: { hide: true, querystring: ListQuery } }, async (request, reply) => {
    const res = pageOf(MyApplicationView).parse((await call(request, { method: 'GET', url: listUrl('/v1/me/applications', request.query) })).body);
    const now = clock();
    return page(reply, 'applications', { title: 'Your applications', section: 'applications', rows: res.items.map((a) => applicationRow(a, now)), next: nextHref('/me/applications', res.nextCursor), first: request.query.cursor ? '/me/applications' : undefined });
  });

  r.post('/me/applications/:id/withdraw', { preValidation: csrf, schema: { hide: true, params: IdParam, body: CsrfBody } }, async (request, reply) =>
    done(reply, '/me/applications', await call(request, { method: 'POST', url: `/v1/applications/${encodeURIComponent(request.params.id)}/withdraw`, body: {} })));

  r.get('/me/saved-searches', { schema: { hide: true, querystring: ListQuery } }, async (request, reply) => {
    const res = pageOf(SavedSearchView).parse((await call(request, { method: 'GET', url: listUrl('/v1/me/saved-searches', request.query) })).body);
    return page(reply, 'savedSearches', { title: 'Saved searches', section: 'saved-searches', rows: res.items.map(savedSearchRow), next: nextHref('/me/saved-searches', res.nextCursor), first: request.query.cursor ? '/me/saved-searches' : undefined });
  });

  const SaveSearchBody = SearchPageQuery.extend({ ...Csrf, name: z.string().max(200).optional(), alertFrequency: Frequency }).strict();
  r.post('/me/saved-searches', { preValidation: csrf, schema: { hide: true, body: SaveSearchBody } }, async (request, reply) => {
    const { _csrf: _token, name, alertFrequency, ...form } = request.body;
    const saved = savedQueryOf(form, places);
    if (!saved.query) throw pageError(400, 'This search cannot be saved:', saved.problems.map((p) => `${p.field}: ${p.message}`));
    const { query } = saved;
    const title = name?.trim() || (saved.name ?? describeSavedQuery(query));
    return done(reply, '/me/saved-searches', await call(request, { method: 'POST', url: '/v1/me/saved-searches', body: { name: title, query, alertFrequency } }, [201]));
  });

  r.post('/me/saved-searches/:id/alerts', { preValidation: csrf, schema: { hide: true, params: IdParam, body: z.object({ ...Csrf, alertFrequency: Frequency }).strict() } }, async (request, reply) =>
    done(reply, '/me/saved-searches', await call(request, { method: 'PATCH', url: `/v1/me/saved-searches/${encodeURIComponent(request.params.id)}`, body: { alertFrequency: request.body.alertFrequency } })));

  r.post('/me/saved-searches/:id/delete', { preValidation: csrf, schema: { hide: true, params: IdParam, body: CsrfBody } }, async (request, reply) =>
    done(reply, '/me/saved-searches', await call(request, { method: 'DELETE', url: `/v1/me/saved-searches/${encodeURIComponent(request.params.id)}` })));

  r.get('/me/recommendations', { schema: { hide: true, querystring: z.object({}).strict() } }, async (request, reply) => {
    const answer = await api(request, { method: 'GET', url: '/v1/me/recommendations?size=20' });
    if (answer.statusCode === 422) {
      return page(reply, 'recommendations', { title: 'Jobs for you', section: 'recommendations', rows: [], noProfile: true });
    }
    const res = RecommendationsView.parse(check(answer, [200]).body);
    const now = clock();
    return page(reply, 'recommendations', { title: 'Jobs for you', section: 'recommendations', rows: res.items.map((x) => recommendationRow(x, now)), noProfile: false });
  });

  r.get('/me/notifications', { schema: { hide: true, querystring: ListQuery } }, async (request, reply) => {
    const answer = await api(request, { method: 'GET', url: listUrl('/v1/me/notifications', { ...request.query, after: undefined }) });
    // A service started with notifications off keeps none (and has no such route): the list is empty, not an error.
    if (answer.statusCode === 404) return page(reply, 'notifications', { title: 'Notifications', section: 'notifications', rows: [] });
    const res = z.object({ items: z.array(NotificationView), nextCursor: z.string().optional() }).parse(check(answer, [200]).body);
    const now = clock();
    return page(reply, 'notifications', { title: 'Notifications', section: 'notifications', rows: res.items.map((n) => notificationRow(n, now)), next: nextHref('/me/notifications', res.nextCursor), first: request.query.cursor ? '/me/notifications' : undefined });
  });
};
