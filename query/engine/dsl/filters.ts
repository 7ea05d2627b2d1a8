// Filter clauses (bool.filter) of the `jobs` index: every filter of the query
// model, one small function each. Values from the request only ever land in
// term/terms/range/geo clauses as values, never in query text or scripts.
import type { JsonObject } from '../../../mappings/indexDefinition.ts';
import type { BBox, FilterInput, Near } from '../../model/searchRequest.ts';
import { DAY_MS } from '../../model/units.ts';
import { type StoredStatusCondition, storedConditionsOf } from '../../model/effectiveStatus.ts';
import type { JobDocumentStatus } from '../../../mappings/jobDocument.ts';

export const term = (field: string, value: string | boolean): JsonObject => ({ term: { [field]: value } });
export const terms = (field: string, values: readonly string[]): JsonObject => ({ terms: { [field]: [...values] } });
export const range = (field: string, bounds: JsonObject): JsonObject => ({ range: { [field]: bounds } });
export const exists = (field: string): JsonObject => ({ exists: { field } });
/** Either the clause holds or the field is missing. */
export const orMissing = (clause: JsonObject, field: string): JsonObject => ({
  bool: { should: [clause, { bool: { must_not: [exists(field)] } }], minimum_should_match: 1 },
});

/** Bounds on a date field given as absolute instants (epoch ms), never date math. */
export const after = (ms: number): JsonObject => ({ gt: ms, format: 'epoch_millis' });
export const atOrAfter = (ms: number): JsonObject => ({ gte: ms, format: 'epoch_millis' });
export const atOrBefore = (ms: number): JsonObject => ({ lte: ms, format: 'epoch_millis' });

/**
 * Who may see a job: open and not expired at `now`; or, for an owner listing
 * (`includeClosed` with `businessId`), every job of that business in any status.
 */
export function visibilityClauses(f: Pick<FilterInput, 'includeClosed' | 'businessId'>, now: Date): JsonObject[] {
  if (f.includeClosed === true && f.businessId !== undefined) return [term('businessId', f.businessId)];
  return [
    term('status', 'open'),
    range('expiresAt', after(now.getTime())),
    ...(f.businessId !== undefined ? [term('businessId', f.businessId)] : []),
  ];
}

/**
 * Jobs whose effective status at `now` is `status`: any of its stored
 * conditions (effectiveStatus.ts). An expiry not past is a later one or none
 * (must_not, so a job without expiresAt counts as not past).
 */
export function statusClauses(status: JobDocumentStatus | undefined, now: Date): JsonObject[] {
  if (status === undefined) return [];
  const past = range('expiresAt', atOrBefore(now.getTime()));
  const one = (c: StoredStatusCondition): JsonObject =>
    c.expiry === undefined
      ? term('status', c.status)
      : c.expiry === 'past'
        ? { bool: { filter: [term('status', c.status), past] } }
        : { bool: { filter: [term('status', c.status)], must_not: [past] } };
  const conditions = storedConditionsOf(status).map(one);
  return conditions.length === 1 ? conditions : [{ bool: { should: conditions, minimum_should_match: 1 } }];
}

/** The job's [startDate ?? -inf, endDate ?? +inf] overlaps [from ?? -inf, to ?? +inf], inclusive. */
export function availabilityClauses(from: string | undefined, to: string | undefined): JsonObject[] {
  const out: JsonObject[] = [];
  if (to !== undefined) out.push(orMissing(range('startDate', { lte: to }), 'startDate'));
  if (from !== undefined) out.push(orMissing(range('endDate', { gte: from }), 'endDate'));
  return out;
}

export function skillClauses(skills: readonly string[] | undefined, mode: 'any' | 'all' = 'any'): JsonObject[] {
  if (skills === undefined || skills.length === 0) return [];
  const wanted = [...new Set(skills.map((s) => s.toLowerCase()))];
  return mode === 'all' ? wanted.map((s) => term('skills', s)) : [terms('skills', wanted)];
}

/** Within `radiusKm` (great circle) of a point. */
export function nearClause(near: Near): JsonObject {
  return { geo_distance: { distance: `${near.radiusKm}km`, distance_type: 'arc', location: { lat: near.lat, lon: near.lon } } };
}

/** Inside a box; `minLon > maxLon` crosses the antimeridian (the engine splits it). */
export function bboxClause(b: BBox): JsonObject {
  return { geo_bounding_box: { location: { top: b.maxLat, left: b.minLon, bottom: b.minLat, right: b.maxLon } } };
}

/** The filters other than visibility and text. */
export function filterClauses(f: FilterInput, now: Date): JsonObject[] {
  const out: JsonObject[] = [];
  if (f.category !== undefined) out.push(terms('category', f.category));
  if (f.employmentType !== undefined) out.push(terms('employmentType', f.employmentType));
  if (f.payMin !== undefined) out.push(range('hourlyMax', { gte: f.payMin }));
  if (f.payMax !== undefined) out.push(range('hourlyMin', { lte: f.payMax }));
  out.push(...availabilityClauses(f.availableFrom, f.availableTo));
  out.push(...skillClauses(f.skills, f.skillsMode));
  if (f.city !== undefined) out.push(terms('city', f.city));
  if (f.remote !== undefined) out.push(term('remote', f.remote));
  out.push(...statusClauses(f.status, now));
  if (f.postedWithinDays !== undefined) out.push(range('publishedAt', atOrAfter(now.getTime() - f.postedWithinDays * DAY_MS)));
  if (f.postedSince !== undefined) out.push(range('publishedAt', atOrAfter(Date.parse(f.postedSince))));
  if (f.near !== undefined) out.push(nearClause(f.near));
  if (f.bbox !== undefined) out.push(bboxClause(f.bbox));
  return out;
}

/** Visibility plus every filter: the bool.filter of search, map and facets. */
export function allFilterClauses(f: FilterInput, now: Date): JsonObject[] {
  return [...visibilityClauses(f, now), ...filterClauses(f, now)];
}
