// Sort orders. Every order ends with jobId asc, so it is total and a
// search_after cursor (the last hit's sort values) resumes exactly.
import type { JsonObject } from '../../../mappings/indexDefinition.ts';
import { MATCH_SCORE_SCRIPT } from '../../../mappings/matchScoreScript.ts';
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
    case 'expiring':
      return 'expiring';
    case 'match':
      return 'match';
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

/** expiresAt of a job that has none (a draft in an owner listing): after every real instant, so last in `expiring`. */
export const MISSING_EXPIRES_AT = 8_640_000_000_000_000;

/** The sort value the engine gives a job missing the field (a cursor's null). */
export const missingSortValue = (kind: SortKind): number => (kind === 'expiring' ? MISSING_EXPIRES_AT : MISSING_PUBLISHED_AT);

const byJobId: JsonObject = { jobId: { order: 'asc' } };

/**
 * The match score as a sort value: the painless script over doc values with
 * the worker in `params` (matchScoreParams), as a script sort and not a
 * script_score query, because a sort value is a double and `_score` a 32-bit
 * float: scores a float cannot tell apart would tie and fall back to jobId,
 * an order the reference (doubles) does not give.
 */
export function matchSortClause(params: Record<string, unknown>): JsonObject {
  return { _script: { type: 'number', order: 'desc', script: { lang: 'painless', source: MATCH_SCORE_SCRIPT, params } } };
}

export function sortClauses(kind: SortKind, near?: Near, matchParams?: Record<string, unknown>): JsonObject[] {
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
    case 'expiring':
      return [{ expiresAt: { order: 'asc', missing: MISSING_EXPIRES_AT } }, byJobId];
    case 'match':
      if (matchParams === undefined) throw new RangeError('sort by match needs a worker');
      return [matchSortClause(matchParams), byJobId];
  }
}
