// Sort orders. Every order ends with jobId asc, so it is total and a
// search_after cursor (the last hit's sort values) resumes exactly.
import type { JsonObject } from '../../../mappings/indexDefinition.ts';
import type { CursorSort } from '../../model/cursor.ts';
import type { Near, Sort } from '../../model/searchRequest.ts';

/** The order a request resolves to: relevance is `score` with text, else `newest`. */
export type SortKind = CursorSort;

export function sortKindOf(sort: Sort, hasText: boolean): SortKind {
  switch (sort) {
    case 'relevance':
      return hasText ? 'score' : 'newest';
    case 'newest':
      return 'newest';
    case 'pay':
      return 'pay';
    case 'distance':
      return 'distance';
  }
}

/**
 * publishedAt of a job that has none (a draft in an owner listing): below every
 * real instant, so such jobs sort last in `newest`. An explicit value and not
 * `missing: _last`, whose sort value (Long.MIN_VALUE) does not survive a JSON
 * round trip through JavaScript numbers and so could not be sent back in
 * search_after.
 */
export const MISSING_PUBLISHED_AT = -8_640_000_000_000_000;

const byJobId: JsonObject = { jobId: { order: 'asc' } };

export function sortClauses(kind: SortKind, near?: Near): JsonObject[] {
  switch (kind) {
    case 'score':
      return [{ _score: { order: 'desc' } }, byJobId];
    case 'newest':
      return [{ publishedAt: { order: 'desc', missing: MISSING_PUBLISHED_AT } }, byJobId];
    case 'pay':
      return [{ hourlyMax: { order: 'desc' } }, byJobId];
    case 'distance':
      if (near === undefined) throw new RangeError('sort by distance needs near');
      return [{ _geo_distance: { location: { lat: near.lat, lon: near.lon }, order: 'asc', unit: 'km', distance_type: 'arc' } }, byJobId];
  }
}
