// Aggregations: search facets, the map's geohash grid, suggest's titles.
import { categories, employmentTypes } from '../../../eventstore/events/index.ts';
import type { JsonObject } from '../../../mappings/indexDefinition.ts';
import { FACET_TERMS_SIZE, type FacetName, POSTED_WITHIN_DAYS, facetFilterOf, facetNames, postedWithinKey } from '../../model/facets.ts';
import { PAY_BANDS } from '../../model/payBands.ts';
import type { FilterInput } from '../../model/searchRequest.ts';
import { filterClauses, term } from './filters.ts';

/** Buckets by count desc, then key asc (the engine orders keys by their bytes: code points). */
const bucketOrder = [{ _count: 'desc' }, { _key: 'asc' }];

/** Terms per shard for the top-20 facets: exact on one shard (the default), close on several. */
const FACET_SHARD_SIZE = 1000;

/** What each facet counts, before any filter. */
export function facetValueAggs(now: Date): Record<FacetName, JsonObject> {
  const top = (field: string): JsonObject => ({ terms: { field, size: FACET_TERMS_SIZE, shard_size: FACET_SHARD_SIZE, min_doc_count: 1, order: bucketOrder } });
  return {
    category: { terms: { field: 'category', size: Math.max(100, categories.length), min_doc_count: 1, order: bucketOrder } },
    employmentType: { terms: { field: 'employmentType', size: Math.max(100, employmentTypes.length), min_doc_count: 1, order: bucketOrder } },
    payBands: { range: { field: 'hourlyMax', ranges: PAY_BANDS.map((b) => ({ ...b })) } },
    skills: top('skills'),
    city: top('city'),
    remote: { filters: { filters: { true: term('remote', true), false: term('remote', false) } } },
    // The very clause of the postedWithinDays filter, per bucket.
    postedWithin: { filters: { filters: Object.fromEntries(POSTED_WITHIN_DAYS.map((days) => [postedWithinKey(days), { bool: { filter: filterClauses({ postedWithinDays: days }, now) } }])) } },
  };
}

/**
 * The facets of a search whose query holds only the filters no facet
 * ignores: the facets' own filters go to `post_filter` (the hits are those of
 * every filter), and each facet is a `filter` aggregation holding the other
 * facets' filters, its buckets under `values`.
 */
export function facetRequest(f: FilterInput, now: Date): JsonObject {
  const own = (n: FacetName): JsonObject[] => filterClauses(facetFilterOf(f, n), now);
  const values = facetValueAggs(now);
  const aggs: JsonObject = {};
  for (const name of facetNames) {
    aggs[name] = { filter: { bool: { filter: facetNames.filter((n) => n !== name).flatMap(own) } }, aggs: { values: values[name] } };
  }
  const post = facetNames.flatMap(own);
  return { ...(post.length > 0 ? { post_filter: { bool: { filter: post } } } : {}), aggs };
}

/** The engine's ceiling on buckets (its default search.max_buckets): no map asks for more. */
export const MAX_MAP_CELLS = 65_535;

/**
 * The `size` most populated cells (the engine orders geohash_grid buckets by
 * count); the caller asks for one more than its cap to tell a truncated answer.
 */
export function geohashGridAggs(precision: number, size: number = MAX_MAP_CELLS): JsonObject {
  const n = Math.min(MAX_MAP_CELLS, Math.max(1, size));
  return {
    cells: {
      geohash_grid: { field: 'location', precision, size: n, shard_size: MAX_MAP_CELLS },
      aggs: { centroid: { geo_centroid: { field: 'location' } } },
    },
  };
}

/** Distinct titles, most frequent first, then alphabetical. */
export function titleAggs(size: number): JsonObject {
  return { titles: { terms: { field: 'title.keyword', size, order: bucketOrder } } };
}
