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

export interface WebRouteOptions {
  jobs: JobReadStore;
  /** The service's public address, for canonical URLs, Open Graph and the sitemap. */
  publicUrl: () => string;
  /** Resolves the search form's place names; without it only "lat,lon" is understood. */
  places?: PlaceLookup;
  clock?: () => Date;
  siteName?: string;
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
export const webRoutes: FastifyPluginAsync<WebRouteOptions> = async (app, { jobs, publicUrl, places, clock = () => new Date(), siteName = 'Seasonal Jobs' }) => {
  const assets = await siteAssets();
  await app.register(fastifyView, { engine: { eta: new Eta({ autoEscape: true }) }, templates, production: true, defaultContext: { site: { name: siteName, css: assets.cssHref, icon: assets.iconHref } } });
  const r = app.withTypeProvider<ZodTypeProvider>();

  app.addHook('onSend', async (_request, reply, payload) => {
    if (String(reply.getHeader('content-type') ?? '').startsWith('text/html')) void reply.headers(pageHeaders);
    return payload;
  });

  app.setErrorHandler(async (err: FastifyError & { headers?: Record<string, string> }, request, reply) => {
    const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (status >= 500) request.log.error({ err }, 'page failed');
    if (err.headers) void reply.headers(err.headers);
    const problems = (err.validation ?? []).map((v) => `${v.instancePath.replace(/^\//, '') || 'query'}: ${v.message ?? 'invalid'}`);
    const message =
      status >= 500 ? 'Something went wrong on our side. Please try again in a moment.'
      : status === 429 ? `Too many requests from you in a short time. ${reply.getHeader('retry-after') ? `Please try again in ${String(reply.getHeader('retry-after'))} seconds.` : 'Please try again shortly.'}`
      : problems.length > 0 ? 'Some fields of the address could not be read:'
      : err.message;
    return page(reply.code(status), 'error', { title: STATUS_CODES[status] ?? 'Error', heading: STATUS_CODES[status] ?? 'Error', message, problems });
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
        if ((err as { code?: unknown }).code !== 'INVALID_CURSOR') throw err;
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
      description: 'Find seasonal, hourly and part-time jobs near you: search by words, place, pay and type of work.',
      ...(view.indexable ? { canonical: `${publicUrl().replace(/\/$/, '')}/` } : {}),
    });
  });

  await app.register(jobPage, { jobs, publicUrl, clock, page });
  await app.register(mapPage, { clock, page, assets, ...(places ? { places } : {}) });

  const sitemap = sitemapSource({ jobs, publicUrl, clock });
  r.get('/sitemap.xml', { schema: { hide: true } }, async (_request, reply) => reply.type('application/xml; charset=utf-8').header('cache-control', 'public, max-age=600').send(await sitemap()));
  // Browsers ask for /favicon.ico whatever the page links.
  r.get('/favicon.ico', { schema: { hide: true } }, (_request, reply) => reply.redirect(assets.iconHref, 301));
  r.get('/robots.txt', { schema: { hide: true } }, (_request, reply) =>
    reply.type('text/plain; charset=utf-8').send(`User-agent: *\nDisallow: /v1/\nAllow: /\nSitemap: ${publicUrl().replace(/\/$/, '')}/sitemap.xml\n`));
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
  return reply.viewAsync(`./${template}`, { indexable: false, ...data });
};
