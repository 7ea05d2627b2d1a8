// A saved search's query as a predicate over one job document, deciding as
// the embedded store's search does (embeddedJobStore.ts, `plan`): the same
// derived values (quantised point, day numbers, lowercase skills, analyzed
// terms) and the same comparisons. A text query matches a job holding every
// one of its analyzed terms in its title, skills or description; text that
// analyzes to no terms matches nothing. Left out, as the engine percolator
// leaves them out (query/lists/savedSearchQuery.ts): visibility (status and
// expiry: a job is percolated when it opens) and postedWithinDays (relative to
// when a search runs); sort, size and paging mean nothing here.
import type { JobDocument } from '../../../mappings/jobDocument.ts';
import type { BBox, SearchRequest } from '../../model/searchRequest.ts';
import { SearchRequest as SearchRequestSchema } from '../../model/searchRequest.ts';
import { NO_END_DAY, NO_START_DAY, dayNumber } from '../columns.ts';
import { type Bounds, circleBounds, decodeLatitude, decodeLongitude, encodeLatitude, encodeLongitude, haversineMeters } from '../../model/geo.ts';
import { tokenize } from '../analysis/analyzer.ts';

/** A saved query ready to test jobs against. */
export interface CompiledSavedQuery {
  readonly categories?: ReadonlySet<string>;
  readonly employmentTypes?: ReadonlySet<string>;
  readonly businessId?: string;
  readonly payMin?: number;
  readonly payMax?: number;
  /** Day numbers; present when either end of the availability window is given. */
  readonly available?: { readonly from: number; readonly to: number };
  readonly remote?: boolean;
  readonly cities?: ReadonlySet<string>;
  readonly skills?: { readonly names: readonly string[]; readonly all: boolean };
  readonly near?: { readonly lat: number; readonly lon: number; readonly meters: number; readonly bounds: Bounds };
  readonly bbox?: BBox;
  /** The distinct analyzed terms of the text, every one of which a job must hold. */
  readonly terms?: readonly string[];
  /** Text that analyzes to no terms: nothing matches. */
  readonly never: boolean;
}

/** The values of a job document the predicate reads, derived once per job. */
export interface PercolatedJob {
  readonly category: string;
  readonly employmentType: string;
  readonly businessId: string;
  readonly hourlyMin: number;
  readonly hourlyMax: number;
  readonly remote: boolean;
  readonly city: string | undefined;
  readonly startDay: number;
  readonly endDay: number;
  /** The quantised point the store indexes; NaN without a location. */
  readonly lat: number;
  readonly lon: number;
  readonly skills: ReadonlySet<string>;
  /** Analyzed terms of title, skills and description together. */
  readonly terms: ReadonlySet<string>;
}

/** The compiled query, or undefined when the saved query is not a valid search request (it then matches nothing). */
export function compileSavedQuery(saved: Record<string, unknown>): CompiledSavedQuery | undefined {
  const parsed = SearchRequestSchema.safeParse(saved);
  return parsed.success ? compileRequest(parsed.data) : undefined;
}

function compileRequest(f: SearchRequest): CompiledSavedQuery {
  const terms = f.text !== undefined ? [...new Set(tokenize(f.text))] : undefined;
  const hasAvail = f.availableFrom !== undefined || f.availableTo !== undefined;
  return {
    ...(f.category !== undefined ? { categories: new Set(f.category) } : {}),
    ...(f.employmentType !== undefined ? { employmentTypes: new Set(f.employmentType) } : {}),
    ...(f.businessId !== undefined ? { businessId: f.businessId } : {}),
    ...(f.payMin !== undefined ? { payMin: f.payMin } : {}),
    ...(f.payMax !== undefined ? { payMax: f.payMax } : {}),
    ...(hasAvail
      ? { available: { from: f.availableFrom !== undefined ? dayNumber(f.availableFrom) : -Infinity, to: f.availableTo !== undefined ? dayNumber(f.availableTo) : Infinity } }
      : {}),
    ...(f.remote !== undefined ? { remote: f.remote } : {}),
    ...(f.city !== undefined ? { cities: new Set(f.city) } : {}),
    ...(f.skills !== undefined && f.skills.length > 0 ? { skills: { names: [...new Set(f.skills.map((s) => s.toLowerCase()))], all: f.skillsMode === 'all' } } : {}),
    ...(f.near !== undefined
      ? { near: { lat: f.near.lat, lon: f.near.lon, meters: f.near.radiusKm * 1000, bounds: circleBounds(f.near.lat, f.near.lon, f.near.radiusKm) } }
      : {}),
    ...(f.bbox !== undefined ? { bbox: f.bbox } : {}),
    ...(terms !== undefined ? { terms } : {}),
    never: terms !== undefined && terms.length === 0,
  };
}

export function percolatedJobOf(doc: JobDocument): PercolatedJob {
  const terms = new Set<string>(tokenize(doc.title));
  for (const s of doc.skills) for (const t of tokenize(s)) terms.add(t);
  for (const t of tokenize(doc.description)) terms.add(t);
  return {
    category: doc.category,
    employmentType: doc.employmentType,
    businessId: doc.businessId,
    hourlyMin: doc.hourlyMin,
    hourlyMax: doc.hourlyMax,
    remote: doc.remote,
    city: doc.city,
    startDay: doc.startDate ? dayNumber(doc.startDate) : NO_START_DAY,
    endDay: doc.endDate ? dayNumber(doc.endDate) : NO_END_DAY,
    lat: doc.location ? decodeLatitude(encodeLatitude(doc.location.lat)) : NaN,
    lon: doc.location ? decodeLongitude(encodeLongitude(doc.location.lon)) : NaN,
    skills: new Set(doc.skills.map((s) => s.toLowerCase())),
    terms,
  };
}

/** Whether the job matches the query, comparison for comparison as the embedded store's filters decide. */
export function matchesSavedQuery(q: CompiledSavedQuery, job: PercolatedJob): boolean {
  if (q.never) return false;
  if (q.businessId !== undefined && job.businessId !== q.businessId) return false;
  if (q.categories && !q.categories.has(job.category)) return false;
  if (q.employmentTypes && !q.employmentTypes.has(job.employmentType)) return false;
  if (q.payMin !== undefined && !(job.hourlyMax >= q.payMin)) return false;
  if (q.payMax !== undefined && !(job.hourlyMin <= q.payMax)) return false;
  if (q.available && (job.startDay > q.available.to || job.endDay < q.available.from)) return false;
  if (q.remote !== undefined && job.remote !== q.remote) return false;
  if (q.cities && (job.city === undefined || !q.cities.has(job.city))) return false;
  if (q.near || q.bbox) {
    if (Number.isNaN(job.lat)) return false;
    const b = q.bbox;
    if (b) {
      if (job.lat < b.minLat || job.lat > b.maxLat) return false;
      if (b.minLon > b.maxLon ? job.lon < b.minLon && job.lon > b.maxLon : job.lon < b.minLon || job.lon > b.maxLon) return false;
    }
    if (q.near && !(haversineMeters(q.near.lat, q.near.lon, job.lat, job.lon) <= q.near.meters)) return false;
  }
  if (q.skills) {
    const have = job.skills;
    if (q.skills.all ? !q.skills.names.every((s) => have.has(s)) : !q.skills.names.some((s) => have.has(s))) return false;
  }
  if (q.terms) for (const t of q.terms) if (!job.terms.has(t)) return false;
  return true;
}
