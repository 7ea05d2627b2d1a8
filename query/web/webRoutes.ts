import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyView from '@fastify/view';
import { Eta } from 'eta';
import type { FastifyError, FastifyPluginAsync, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { STATUS_CODES } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { JobReadStore } from '../model/readStore.ts';
import { siteAssets } from './siteAssets.ts';
import { jobPage } from './jobPage.ts';
import { mapPage } from './mapPage.ts';
import type { PlaceLookup } from './pageQuery.ts';
import { SearchPageQuery, searchHref, toSearchRequest } from './pageQuery.ts';
import { searchView } from './searchView.ts';
import { sitemapSource } from './sitemap.ts';
import { injectApi } from './apiCall.ts';
import type { PageError } from './pageError.ts';
import type { WebAccounts } from './session.ts';
import { readSession } from './session.ts';
import { signInPage } from './signInPage.ts';
import type { ListStores } from '../lists/keyedStore.ts';
import { workerPages } from './worker/workerPages.ts';
import { businessPages } from './business/businessPages.ts';
import { saveSearchForm } from './worker/savedSearchForm.ts';
import { InvalidCursorError } from '../model/invalidCursorError.ts';

export interface WebRouteOptions {
  jobs: JobReadStore;
  /** The service's public address, for canonical URLs, Open Graph and the sitemap. */
  publicUrl: () => string;
  /** Resolves the search form's place names; without it only "lat,lon" is understood. */
  places?: PlaceLookup;
  clock?: () => Date;
  siteName?: string;
  /** Signing in to the pages (the worker's and the business's); without it the pages are public only. */
  accounts?: WebAccounts;
  /** The per-owner lists, for what a job page tells a signed-in worker (saved, applied). */
  lists?: Pick<ListStores, 'savedJobs' | 'applications'>;
}

const templates = join(dirname(fileURLToPath(import.meta.url)), 'templates');

// Web pages: a Content-Security-Policy with no inline script or style (the JSON-LD data block is not script).
const pageHeaders = {
  'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
};

/**
 * The server-rendered pages: `/` (search), `/map`, `/jobs/:id`,
 * `/sitemap.xml`, `/robots.txt` and the static files. They work without JavaScript and read
 * through the same query model as the API; templates escape every value.
 */
export const webRoutes: FastifyPluginAsync<WebRouteOptions> = async (app, { jobs, publicUrl, places, clock = () => new Date(), siteName = 'Seasonal Jobs', accounts, lists }) => {
  const assets = await siteAssets();
  await app.register(fastifyCookie);
  await app.register(fastifyFormbody, { bodyLimit: 64 * 1024 });
  await app.register(fastifyCsrf, { cookieOpts: { path: '/', sameSite: 'strict', httpOnly: true } });
  if (accounts) app.addHook('onRequest', async (request, reply) => readSession(accounts, request, reply));
  await app.register(fastifyView, { engine: { eta: new Eta({ autoEscape: true }) }, templates, production: true, defaultContext: { site: { name: siteName, css: assets.cssHref, icon: assets.iconHref, accounts: Boolean(accounts) } } });
  const r = app.withTypeProvider<ZodTypeProvider>();

  app.addHook('onSend', async (request, reply, payload) => {
    if (String(reply.getHeader('content-type') ?? '').startsWith('text/html')) {
      void reply.headers(pageHeaders);
      // A page may name who is signed in: no shared cache may keep it for anyone else.
      void reply.header('vary', 'Cookie');
      if (request.web) void reply.header('cache-control', 'private, no-store');
    }
    return payload;
  });

  app.setErrorHandler(async (err: FastifyError & Partial<PageError> & { headers?: Record<string, string> }, request, reply) => {
    const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    const csrfFailed = err.code === 'FST_CSRF_INVALID_TOKEN' || err.code === 'FST_CSRF_MISSING_SECRET';
    if (status >= 500) request.log.error({ err }, 'page failed');
    if (err.headers) void reply.headers(err.headers);
    const problems = err.problems ?? (err.validation ?? []).map((v) => `${v.instancePath.replace(/^\//, '') || 'query'}: ${v.message ?? 'invalid'}`);
    const message =
      status >= 500 ? 'Something went wrong on our side. Please try again in a moment.'
      : status === 429 ? `Too many requests from you in a short time. ${reply.getHeader('retry-after') ? `Please try again in ${String(reply.getHeader('retry-after'))} seconds.` : 'Please try again shortly.'}`
      : csrfFailed ? 'This form has expired or did not come from this site. Go back, reload the page and try again.'
      : err.validation ? 'Some fields could not be read:'
      : err.message;
    return page(reply.code(status), 'error', { title: STATUS_CODES[status] ?? 'Error', heading: STATUS_CODES[status] ?? 'Error', message, problems, links: err.links ?? [] });
  });

  r.get('/', { schema: { hide: true, querystring: SearchPageQuery } }, async (request, reply) => {
    const form = request.query;
    const outcome = toSearchRequest(form, places);
    const now = clock();
    let result;
    if (outcome.request) {
      try {
        result = await jobs.search(outcome.request, now);
      } catch (err) {
        if (!(err instanceof InvalidCursorError)) throw err;
        outcome.problems.push({ field: 'cursor', message: 'this page link is out of date; start again from the first page' });
      }
    }
    const view = searchView(form, { ...outcome, ...(result ? { result } : {}) }, now);
    const invalid = Object.fromEntries(view.problems.map((p) => [p.field, true]));
    const filtersOpen = Boolean(form.category?.length || form.type?.length || form.payMin || form.remote || form.posted || form.sort);
    return page(reply.code(view.problems.length > 0 ? 400 : 200), 'search', {
      ...view,
      invalid,
      filtersOpen,
      mapHref: `/map${searchHref(form, { sort: undefined, radius: undefined }).slice(1)}`,
      ...(request.web?.user.role === 'worker' && view.results ? { saveSearch: saveSearchForm(form) } : {}),
      description: 'Find seasonal, hourly and part-time jobs near you: search by words, place, pay and type of work.',
      ...(view.indexable ? { canonical: `${publicUrl().replace(/\/$/, '')}/` } : {}),
    });
  });

  await app.register(jobPage, { jobs, publicUrl, clock, page, viewScript: assets.jobView.js, version: assets.version, ...(lists ? { lists } : {}) });
  if (accounts) {
    const api = injectApi(app);
    await app.register(signInPage, { accounts, page, secure: () => publicUrl().startsWith('https:') });
    await app.register(workerPages, { api, page, clock, ...(places ? { places } : {}) });
    await app.register(businessPages, { api, page, clock, jobFormScript: assets.jobForm.js, ...(places ? { places } : {}) });
  }
  await app.register(mapPage, { clock, page, assets, ...(places ? { places } : {}) });

  const sitemap = sitemapSource({ jobs, publicUrl, clock });
  r.get('/sitemap.xml', { schema: { hide: true } }, async (_request, reply) => reply.type('application/xml; charset=utf-8').header('cache-control', 'public, max-age=600').send(await sitemap()));
  // Browsers ask for /favicon.ico whatever the page links.
  r.get('/favicon.ico', { schema: { hide: true } }, (_request, reply) => reply.redirect(assets.iconHref, 301));
  r.get('/robots.txt', { schema: { hide: true } }, (_request, reply) =>
    reply.type('text/plain; charset=utf-8').send(`User-agent: *\nDisallow: /v1/\nAllow: /\nSitemap: ${publicUrl().replace(/\/$/, '')}/sitemap.xml\n`));
  // Any other address a browser asks for gets a page that helps it on; the API's clients keep the API's 404.
  r.get('/*', { schema: { hide: true } }, async (request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    if (path.startsWith('/v1/') || !/text\/html/.test(request.headers.accept ?? '')) return reply.callNotFound();
    return page(reply.code(404), 'error', {
      title: 'Page not found', heading: 'Page not found', message: 'There is no page at this address. The link may be old or cut short.', problems: [],
      links: [{ href: '/', label: 'Search jobs' }, { href: '/map', label: 'Jobs on the map' }],
    });
  });
  r.get('/assets/:file', { schema: { hide: true, params: z.object({ file: z.string().max(100) }).strict() } }, (request, reply) => {
    const asset = assets.files.get(request.params.file);
    if (!asset) return reply.code(404).type('text/plain; charset=utf-8').send('not found');
    // The name holds a hash of the content: it can be kept forever.
    return reply.type(asset.type).header('cache-control', 'public, max-age=31536000, immutable').send(asset.body);
  });
};

/** Renders a page template with the layout's data. */
export type RenderPage = (reply: FastifyReply, template: string, data: Record<string, unknown>) => Promise<string>;
const page: RenderPage = async (reply, template, data) => {
  void reply.type('text/html; charset=utf-8');
  const web = reply.request.web;
  // Signed-in pages carry the sign-out form and the page's own forms, each with the CSRF token.
  const session = web ? { user: web.user, csrf: reply.generateCsrf() } : { user: undefined, csrf: undefined };
  return reply.viewAsync(`./${template}`, { indexable: false, ...session, ...data });
};
