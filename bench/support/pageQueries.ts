import { SearchParams } from '../../query/model/queryParams.ts';

/**
 * The search page (`GET /`) asked for what a `/v1/search?...` path of the
 * bench's mix asks for, and the API path of the very query model the page then
 * runs, so the two can be measured side by side on the same queries.
 *
 * The page always asks for facets, highlights and 20 hits, and picks its own
 * sort when none is given (relevance for words, distance for a place alone,
 * newest otherwise; the API's default is relevance): the page URL names the
 * sort whenever the page's default would differ from the API's.
 */

const PAGE_SIZE = 20;
const postedChoices = new Set([1, 3, 7, 14, 30]);

function parsed(apiPath: string): SearchParams {
  const url = new URL(apiPath, 'http://bench.invalid');
  if (url.pathname !== '/v1/search') throw new Error(`not a search path: ${apiPath}`);
  return SearchParams.parse(Object.fromEntries(url.searchParams));
}

/** The page's form fields for an API search path; throws for what the form cannot express. */
export function pageFieldsOf(apiPath: string): Array<[string, string]> {
  const { text, category, employmentType, payMin, remote, postedWithinDays, lat, lon, radiusKm, sort, size, cursor, facets: _facets, highlight: _highlight, ...rest } = parsed(apiPath);
  // skillsMode comes back as its default ('any') when not given; it only matters with skills, which the page has no field for.
  const unsupported = Object.entries(rest).filter(([k, v]) => v !== undefined && !(k === 'skillsMode' && v === 'any')).map(([k]) => k);
  if (unsupported.length > 0) throw new Error(`the search page has no field for ${unsupported.join(', ')} (${apiPath})`);
  if (size !== undefined && size !== PAGE_SIZE) throw new Error(`the search page shows ${PAGE_SIZE} jobs a page, not ${size} (${apiPath})`);
  const fields: Array<[string, string]> = [];
  if (text !== undefined) fields.push(['q', text]);
  for (const c of category ?? []) fields.push(['category', c]);
  for (const t of employmentType ?? []) fields.push(['type', t]);
  if (payMin !== undefined) fields.push(['payMin', String(payMin)]);
  if (remote !== undefined) fields.push(['remote', remote ? 'only' : 'onsite']);
  if (postedWithinDays !== undefined) {
    if (!postedChoices.has(postedWithinDays)) throw new Error(`the search page offers posted within ${[...postedChoices].join(', ')} days, not ${postedWithinDays} (${apiPath})`);
    fields.push(['posted', String(postedWithinDays)]);
  }
  const near = lat !== undefined || lon !== undefined || radiusKm !== undefined;
  if (near) {
    if (lat === undefined || lon === undefined || radiusKm === undefined) throw new Error(`lat, lon and radiusKm go together (${apiPath})`);
    fields.push(['place', `${lat},${lon}`], ['radius', String(radiusKm)]);
  }
  const apiSort = sort ?? 'relevance';
  const pageDefault = text !== undefined ? 'relevance' : near ? 'distance' : 'newest';
  if (apiSort !== pageDefault) fields.push(['sort', apiSort]);
  if (cursor !== undefined) fields.push(['cursor', cursor]);
  return fields;
}

/** The search page's URL (`/?q=...&category=...&place=lat,lon&radius=...`) for an API search path. */
export function pagePathOf(apiPath: string): string {
  const qs = new URLSearchParams(pageFieldsOf(apiPath)).toString();
  return qs ? `/?${qs}` : '/';
}

/**
 * The `/v1/search` path of the query model the page runs for
 * `pagePathOf(apiPath)`: the same filters, sort and cursor, with facets,
 * highlights and 20 hits, as the page always asks.
 */
export function pageModelPathOf(apiPath: string): string {
  pageFieldsOf(apiPath); // refuses what the page cannot ask, as pagePathOf does
  const url = new URL(apiPath, 'http://bench.invalid');
  const params = url.searchParams;
  params.set('sort', params.get('sort') ?? 'relevance');
  params.set('size', String(PAGE_SIZE));
  params.set('facets', 'true');
  params.set('highlight', 'true');
  return `${url.pathname}?${params.toString()}`;
}
