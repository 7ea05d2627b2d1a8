import { MapParams, SearchParams, toFilters } from '../../query/model/queryParams.ts';
import { MapRequest, SearchRequest } from '../../query/model/searchRequest.ts';

/** The query-string parameters of a bench path, as an object. */
function paramsOf(path: string): Record<string, string> {
  return Object.fromEntries(new URL(path, 'http://bench.invalid').searchParams);
}

/** The query model a `/v1/search?...` path stands for, parsed as the read route parses it. */
export function searchRequestOf(path: string): SearchRequest {
  const { sort, size, cursor, facets, highlight, ...filters } = SearchParams.parse(paramsOf(path));
  const page = Object.fromEntries(Object.entries({ sort, size, cursor, facets, highlight }).filter(([, v]) => v !== undefined));
  return SearchRequest.parse({ ...toFilters(filters), ...page });
}

/** The map model a `/v1/map?...` path stands for. */
export function mapRequestOf(path: string): MapRequest {
  const { zoom, ...filters } = MapParams.parse(paramsOf(path));
  return MapRequest.parse({ ...toFilters(filters), zoom });
}
