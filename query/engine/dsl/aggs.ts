// Aggregations: search facets, the map's geohash grid, suggest's titles.
import { categories, employmentTypes } from '../../../eventstore/events/index.ts';
import type { JsonObject } from '../../../mappings/indexDefinition.ts';

/** Hourly pay bands of the facets, by hourlyMax: [from, to). All six are always reported. */
export const PAY_BANDS: ReadonlyArray<{ key: string; from?: number; to?: number }> = [
  { key: 'lt10', to: 10 },
  { key: '10-15', from: 10, to: 15 },
  { key: '15-20', from: 15, to: 20 },
  { key: '20-25', from: 20, to: 25 },
  { key: '25-35', from: 25, to: 35 },
  { key: 'gte35', from: 35 },
];

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
