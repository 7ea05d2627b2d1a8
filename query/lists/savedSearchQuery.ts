// A saved search as a percolator query: the filter and text part of the
// search request, built by the jobs DSL builders (no sort, paging, facets).
// Left out on purpose: visibility (status, expiry: a job is percolated when
// it opens) and postedWithinDays (relative to when a search runs, meaningless
// frozen into a stored query).
import { Near, SearchRequest } from '../model/searchRequest.ts';
import { filterClauses, term } from '../engine/dsl/filters.ts';
import { textQuery } from '../engine/dsl/text.ts';
import type { JsonObject } from '../../mappings/indexDefinition.ts';

/** The stored query of a saved search; undefined when it is not a valid search request. */
export function percolatorQueryOf(saved: Record<string, unknown>): JsonObject | undefined {
  const parsed = SearchRequest.safeParse(saved);
  if (!parsed.success) return undefined;
  const { postedWithinDays: _relative, near: _circle, text, businessId, ...filters } = parsed.data;
  const filter: JsonObject[] = [...filterClauses(filters, new Date(0)), ...(businessId !== undefined ? [term('businessId', businessId)] : [])];
  return text === undefined ? { bool: { filter } } : { bool: { must: [textQuery(text)], filter } };
}

/**
 * The job fields a stored query reads (text fields and filters): percolate
 * builds an in-memory index of the document it is given, and the others
 * (title's edge n-grams above all) would only make that slower.
 */
export const PERCOLATED_FIELDS = ['title', 'description', 'skills', 'category', 'employmentType', 'businessId', 'hourlyMin', 'hourlyMax', 'startDate', 'endDate', 'remote', 'location', 'city'] as const;

/** The document percolate verifies a job as: only the fields stored queries read. */
export function percolatedDocument(job: Partial<Record<(typeof PERCOLATED_FIELDS)[number], unknown>>): JsonObject {
  const out: JsonObject = {};
  for (const f of PERCOLATED_FIELDS) if (job[f] !== undefined) out[f] = job[f];
  return out;
}

/** The circle a saved query keeps its jobs in (tested after percolation, see above); undefined when it has none or is not a valid search request. */
export function savedQueryCircle(saved: Record<string, unknown>): Near | undefined {
  const near = Near.safeParse(saved.near);
  return near.success ? near.data : undefined;
}
