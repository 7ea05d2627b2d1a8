// Request bodies of the `jobs` read model, assembled from the small builders
// (filters, text, sort, aggs, cursor): the one place the read side's query
// DSL is made.
import type { JsonObject } from '../../../mappings/indexDefinition.ts';
import type { FilterInput, MapRequest, SearchRequest } from '../../model/searchRequest.ts';
import { facetRequest, geohashGridAggs, titleAggs } from './aggs.ts';
import { withoutFacetFilters } from '../../model/facets.ts';
import { decodeCursor } from '../../model/cursor.ts';
import { after, allFilterClauses, range, term } from './filters.ts';
import { type SortKind, missingSortValue, sortClauses, sortKindOf } from './sort.ts';
import { highlightOf, textQuery } from './text.ts';

/** Search input as callers may give it (zod defaults optional). */
export type SearchInput = FilterInput & Partial<Pick<SearchRequest, 'text' | 'sort' | 'size' | 'cursor' | 'facets' | 'highlight'>>;
export type MapInput = FilterInput & Pick<MapRequest, 'bbox' | 'zoom'> & { text?: string; maxCells?: number };

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** The bool query of filters (and text): what search, facets and map count. */
export function jobsQuery(f: FilterInput & { text?: string }, now: Date, scoreText: boolean): JsonObject {
  const filter = allFilterClauses(f, now);
  if (f.text === undefined) return { bool: { filter } };
  const text = textQuery(f.text);
  return scoreText ? { bool: { must: [text], filter } } : { bool: { filter: [text, ...filter] } };
}

export interface SearchPlan {
  kind: SortKind;
  size: number;
  body: JsonObject;
}

/**
 * The search body: one more hit than the page (`matchParams`: the worker's
 * script params under sort `match`), so that a next cursor is given
 * only when another hit does follow.
 */
export function searchBody(request: SearchInput, now: Date, matchParams?: Record<string, unknown>): SearchPlan {
  const kind = sortKindOf(request.sort ?? 'relevance', request.text !== undefined);
  const size = Math.max(1, Math.min(MAX_PAGE_SIZE, Math.trunc(request.size ?? DEFAULT_PAGE_SIZE)));
  const cursor = request.cursor !== undefined ? decodeCursor(request.cursor, kind) : undefined;
  const searchAfter = cursor && [cursor.value ?? missingSortValue(kind), cursor.jobId];
  const body: JsonObject = {
    // With facets, the filters some facet ignores move to the post_filter (facetRequest): the same hits.
    query: jobsQuery(request.facets === true ? withoutFacetFilters(request) : request, now, kind === 'score'),
    sort: sortClauses(kind, request.near, matchParams),
    size: size + 1,
    track_total_hits: true,
    ...(searchAfter !== undefined ? { search_after: searchAfter } : {}),
    ...(request.facets === true ? facetRequest(request, now) : {}),
    ...(request.highlight === true && request.text !== undefined ? { highlight: highlightOf(request.text) } : {}),
  };
  return { kind, size, body };
}

/** Counts and geohash cells of the viewport (no hits). */
export function mapBody(request: MapInput, precision: number, now: Date, buckets?: number): JsonObject {
  return { query: jobsQuery(request, now, false), size: 0, track_total_hits: true, aggs: geohashGridAggs(precision, buckets) };
}

/** The individual jobs of a viewport holding few. */
export function mapPointsBody(request: MapInput, now: Date, limit: number): JsonObject {
  return {
    query: jobsQuery(request, now, false),
    size: limit,
    sort: [{ jobId: { order: 'asc' } }],
    _source: ['jobId', 'title', 'location'],
    track_total_hits: false,
  };
}

/** Titles of visible jobs with a word starting with each typed word, in order. */
export function suggestBody(prefix: string, size: number, now: Date): JsonObject {
  return {
    query: {
      bool: {
        filter: [term('status', 'open'), range('expiresAt', after(now.getTime())), { match_phrase: { 'title.suggest': { query: prefix } } }],
      },
    },
    size: 0,
    track_total_hits: false,
    aggs: titleAggs(size),
  };
}

/** The earliest expiry after `now` among open jobs: until then no answer changes with time alone. */
export function nextExpiryBody(now: Date): JsonObject {
  return {
    size: 0,
    track_total_hits: false,
    query: { bool: { filter: [term('status', 'open'), range('expiresAt', after(now.getTime()))] } },
    aggs: { next: { min: { field: 'expiresAt' } } },
  };
}
