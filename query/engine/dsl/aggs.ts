// Aggregations: search facets, the map's geohash grid, suggest's titles.
import { categories, employmentTypes } from '../../../eventstore/events/index.ts';
import type { JsonObject } from '../../../mappings/indexDefinition.ts';
import { PAY_BANDS } from '../../model/payBands.ts';

/** Buckets by count desc, then key asc. */
const bucketOrder = [{ _count: 'desc' }, { _key: 'asc' }];

export function facetAggs(): JsonObject {
  return {
    category: { terms: { field: 'category', size: Math.max(100, categories.length), min_doc_count: 1, order: bucketOrder } },
    employmentType: { terms: { field: 'employmentType', size: Math.max(100, employmentTypes.length), min_doc_count: 1, order: bucketOrder } },
    payBands: { range: { field: 'hourlyMax', ranges: PAY_BANDS.map((b) => ({ ...b })) } },
  };
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
