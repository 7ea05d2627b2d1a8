import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { SearchRequest } from '../model/searchRequest.ts';
import type { Viewport } from './mapState.ts';
import { PLACE_ZOOM, viewportOf, worldView } from './mapState.ts';
import type { PlaceLookup } from './pageQuery.ts';
import { SearchPageQuery, searchHref, toSearchRequest } from './pageQuery.ts';
import { searchView } from './searchView.ts';
import type { SiteAssets } from './siteAssets.ts';
import type { RenderPage } from './webRoutes.ts';

export interface MapPageOptions {
  places?: PlaceLookup;
  clock: () => Date;
  page: RenderPage;
  assets: SiteAssets;
}

const coordinate = z.string().max(12).optional();
/** The search form's filters, a place to open at, and the viewport (`lat`, `lon`, `z`) the map keeps in the address. */
export const MapPageQuery = SearchPageQuery.omit({ sort: true, cursor: true, radius: true }).extend({ lat: coordinate, lon: coordinate, z: coordinate }).strict();
export type MapPageQuery = z.output<typeof MapPageQuery>;

/** The API's query-string filters for the page's validated search (the map adds bbox and zoom). */
export function mapFilterParams(request: SearchRequest): string {
  const params = new URLSearchParams();
  if (request.text) params.set('text', request.text);
  if (request.category) params.set('category', request.category.join(','));
  if (request.employmentType) params.set('employmentType', request.employmentType.join(','));
  if (request.skills) params.set('skills', request.skills.join(','));
  for (const city of request.city ?? []) params.append('city', city);
  if (request.payMin !== undefined) params.set('payMin', String(request.payMin));
  if (request.remote !== undefined) params.set('remote', String(request.remote));
  if (request.postedWithinDays !== undefined) params.set('postedWithinDays', String(request.postedWithinDays));
  return params.toString();
}

/**
 * `/map`: the jobs of the search filters as geohash clusters on an offline
 * base map (the browser bundle asks `/v1/map` as the view moves and keeps the
 * viewport in the address). The page itself is rendered here: the form, the
 * filters, where the map opens, and a list link for browsers without script.
 */
export const mapPage: FastifyPluginAsync<MapPageOptions> = async (app, { places, clock, page, assets }) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/map', { schema: { hide: true, querystring: MapPageQuery } }, async (request, reply) => {
    const { lat, lon, z: zoom, ...form } = request.query;
    const outcome = toSearchRequest(form, places);
    const givenView = [lat, lon, zoom].some((v) => v !== undefined && v.trim() !== '');
    let view: Viewport | undefined = givenView ? viewportOf(new URLSearchParams({ lat: lat ?? '', lon: lon ?? '', z: zoom ?? '' }).toString()) : undefined;
    // A position that cannot be read (an old or cut link) opens the map on the place or the world rather than failing.
    const problems = outcome.problems.filter((p) => p.field !== 'sort');
    view ??= outcome.place ? { lat: outcome.place.lat, lon: outcome.place.lon, zoom: PLACE_ZOOM } : worldView;
    const shown = searchView(form, { problems, ...(outcome.place ? { place: outcome.place } : {}) }, clock());
    const listHref = searchHref(form);
    return page(reply.code(problems.length > 0 ? 400 : 200), 'map', {
      ...shown,
      title: form.q?.trim() ? `${form.q.trim()} jobs on the map` : 'Jobs on the map',
      heading: 'Jobs on the map',
      description: 'Seasonal and hourly jobs on a map: zoom in to a town, open a job.',
      invalid: Object.fromEntries(problems.map((p) => [p.field, true])),
      filtersOpen: Boolean(form.category?.length || form.type?.length || form.payMin || form.remote || form.posted),
      view,
      filters: outcome.request ? mapFilterParams(outcome.request) : '',
      listHref,
      map: assets.map,
    });
  });
};
