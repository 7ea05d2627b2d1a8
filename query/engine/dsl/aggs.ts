// Aggregations: search facets, the map's geohash grid, suggest's titles.
import { categories, employmentTypes } from '../../../eventstore/events/index.ts';
import type { JsonObject } from '../searchClient.ts';

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

/** Enough buckets for every cell of any viewport (the engine's default search.max_buckets). */
export const MAX_MAP_CELLS = 65_535;

export function geohashGridAggs(precision: number): JsonObject {
  return {
    cells: {
      geohash_grid: { field: 'location', precision, size: MAX_MAP_CELLS, shard_size: MAX_MAP_CELLS },
      aggs: { centroid: { geo_centroid: { field: 'location' } } },
    },
  };
}

/** Distinct titles, most frequent first, then alphabetical. */
export function titleAggs(size: number): JsonObject {
  return { titles: { terms: { field: 'title.keyword', size, order: bucketOrder } } };
}
