// A saved search as a percolator query: the filter and text part of the
// search request, built by the jobs DSL builders (no sort, paging, facets).
// Left out on purpose: visibility (status, expiry: a job is percolated when
// it opens) and postedWithinDays (relative to when a search runs, meaningless
// frozen into a stored query).
import { SearchRequest } from '../model/searchRequest.ts';
import { filterClauses, term } from '../engine/dsl/filters.ts';
import { textQuery } from '../engine/dsl/text.ts';
import type { JsonObject } from '../engine/searchClient.ts';

/** The stored query of a saved search; undefined when it is not a valid search request. */
export function percolatorQueryOf(saved: Record<string, unknown>): JsonObject | undefined {
  const parsed = SearchRequest.safeParse(saved);
  if (!parsed.success) return undefined;
  const { postedWithinDays: _relative, text, businessId, ...filters } = parsed.data;
  const filter: JsonObject[] = [...filterClauses(filters, new Date(0)), ...(businessId !== undefined ? [term('businessId', businessId)] : [])];
  return text === undefined ? { bool: { filter } } : { bool: { must: [textQuery(text)], filter } };
}
