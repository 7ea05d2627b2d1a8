// Cheap indexed fields that let the engine percolator skip saved searches a
// job cannot match before it verifies the stored queries (percolate runs each
// candidate's query against the job: costly when nearly every search is one).
// Each saved search gets, next to its `percolator` query, keyword fields
// derived from the same request: its categories, employment types, business,
// and the geo cells covering its place (`near` circle or `bbox`), or ANY when
// it has no such constraint. A job is looked up by its own values plus ANY;
// Lucene intersects these terms first and verifies only the survivors.
//
// Text: the stored text query (multi_match cross_fields, operator and, over
// title, skills.text and description, all analyzed `english`) needs every
// analyzed word of the saved text in the job, so a job can only match a saved
// text sharing at least one term with it: `pf_text` holds the saved text
// (analyzed `english` too), and a job looks it up by its own title,
// description and skills; searches without text carry `pf_textless`.
//
// The cover is conservative: the cells of one level that hold the whole
// circle's bounding box (or the box), padded, split at the antimeridian, the
// whole longitude range when a circle reaches a pole. So a search the engine's
// geo_distance / geo_bounding_box would match is never dropped. A job without
// a location only meets ANY cells (geo filters never match it).
//
// Documents indexed before these fields lack them: `percolatorPrefilterClause`
// lets those through (verified as before), so no rebuild is needed.
import { SearchRequest } from '../model/searchRequest.ts';
import type { Bounds } from '../model/geo.ts';
import { circleBounds, quantize } from '../model/geo.ts';
import type { JsonObject } from '../../mappings/indexDefinition.ts';

/** The value of a field whose constraint is absent: any job meets it. */
export const ANY = '*';
export const PREFILTER_FIELDS = {
  cells: 'pf_cells',
  category: 'pf_category',
  employmentType: 'pf_employmentType',
  business: 'pf_business',
  text: 'pf_text',
  textless: 'pf_textless',
} as const;

/** Finest cell level: 2^16 x 2^16 cells over the globe (about 300 m of latitude). */
const MAX_LEVEL = 16;
/** A search is filed under at most this many cells (the finest level that fits). */
const MAX_CELLS = 16;
/** Padding of a cover in degrees (plus a share of its span): far above any rounding of the engine. */
const PAD_DEG = 1e-3;
const PAD_SHARE = 1e-3;

const cellIndex = (value: number, span: number, offset: number, level: number): number => {
  const n = 2 ** level;
  return Math.min(n - 1, Math.max(0, Math.floor(((value + offset) / span) * n)));
};
const cellKey = (level: number, y: number, x: number): string => `${level}:${y}:${x}`;

/** A padded box as latitude bounds and longitude intervals within [-180, 180] (two when it wraps). */
interface Cover {
  minLat: number;
  maxLat: number;
  lons: Array<[number, number]>;
}

function coverOf(b: Bounds): Cover {
  const latPad = PAD_DEG + PAD_SHARE * Math.max(0, b.maxLat - b.minLat);
  const minLat = Math.max(-90, b.minLat - latPad);
  const maxLat = Math.min(90, b.maxLat + latPad);
  const wraps = b.minLon > b.maxLon;
  const lonSpan = wraps ? 360 - (b.minLon - b.maxLon) : b.maxLon - b.minLon;
  const lonPad = PAD_DEG + PAD_SHARE * Math.max(0, lonSpan);
  if (lonSpan + 2 * lonPad >= 360) return { minLat, maxLat, lons: [[-180, 180]] };
  const from = b.minLon - lonPad;
  const to = (wraps ? b.maxLon + 360 : b.maxLon) + lonPad; // from < to, from >= -180 - pad, to <= 540 + pad
  const lons: Array<[number, number]> = [];
  // The interval [from, to] on the unrolled line, folded back into [-180, 180].
  for (const shift of [-360, 0, 360]) {
    const lo = Math.max(-180, from - shift);
    const hi = Math.min(180, to - shift);
    if (lo <= hi) lons.push([lo, hi]);
  }
  return { minLat, maxLat, lons };
}

/** The cells of one level covering a cover, or undefined when there would be more than MAX_CELLS. */
function cellsAt(c: Cover, level: number): string[] | undefined {
  const y0 = cellIndex(c.minLat, 180, 90, level);
  const y1 = cellIndex(c.maxLat, 180, 90, level);
  const xs = new Set<number>();
  for (const [lo, hi] of c.lons) {
    const x0 = cellIndex(lo, 360, 180, level);
    const x1 = cellIndex(hi, 360, 180, level);
    if ((x1 - x0 + 1 + xs.size) * (y1 - y0 + 1) > MAX_CELLS) return undefined;
    for (let x = x0; x <= x1; x++) xs.add(x);
  }
  if (xs.size * (y1 - y0 + 1) > MAX_CELLS) return undefined;
  const out: string[] = [];
  for (let y = y0; y <= y1; y++) for (const x of xs) out.push(cellKey(level, y, x));
  return out;
}

/** The finest level's cells covering a box, with that level (0: the whole globe, ANY). */
function cellsOf(b: Bounds): { level: number; cells: string[] } {
  const c = coverOf(b);
  for (let level = MAX_LEVEL; level >= 1; level--) {
    const cells = cellsAt(c, level);
    if (cells) return { level, cells };
  }
  return { level: 0, cells: [ANY] };
}

/** The prefilter fields of a saved query; undefined when it is not a valid search request (it has no percolator query). */
export function prefilterFieldsOf(saved: Record<string, unknown>): JsonObject | undefined {
  const parsed = SearchRequest.safeParse(saved);
  if (!parsed.success) return undefined;
  const q = parsed.data;
  const places: Bounds[] = [];
  if (q.near !== undefined) places.push(circleBounds(q.near.lat, q.near.lon, q.near.radiusKm));
  if (q.bbox !== undefined) places.push(q.bbox);
  // A job must be inside every place: the finest cover of any one of them will do.
  const covers = places.map(cellsOf).sort((a, b) => b.level - a.level || a.cells.length - b.cells.length);
  return {
    [PREFILTER_FIELDS.cells]: covers[0]?.cells ?? [ANY],
    [PREFILTER_FIELDS.category]: q.category !== undefined ? [...new Set(q.category)] : [ANY],
    [PREFILTER_FIELDS.employmentType]: q.employmentType !== undefined ? [...new Set(q.employmentType)] : [ANY],
    [PREFILTER_FIELDS.business]: q.businessId !== undefined ? [q.businessId] : [ANY],
    ...(q.text !== undefined ? { [PREFILTER_FIELDS.text]: q.text } : {}),
    [PREFILTER_FIELDS.textless]: q.text === undefined,
  };
}

/** The cells of a point at every level a search may be filed at (its stored, quantised coordinates). */
export function pointCells(lat: number, lon: number): string[] {
  const p = quantize(lat, lon);
  const out: string[] = [];
  for (let level = 1; level <= MAX_LEVEL; level++) out.push(cellKey(level, cellIndex(p.lat, 180, 90, level), cellIndex(p.lon, 360, 180, level)));
  return out;
}

interface PrefilterJob {
  title?: string;
  description?: string;
  skills?: readonly string[];
  category?: string;
  employmentType?: string;
  businessId?: string;
  location?: { lat: number; lon: number };
}

const withAny = (value: unknown): string[] => (typeof value === 'string' ? [value, ANY] : [ANY]);

/** The job's searched text, one value per field value (title, description, each skill). */
export function jobTextValues(job: PrefilterJob): string[] {
  return [job.title, job.description, ...(job.skills ?? [])].filter((v): v is string => typeof v === 'string');
}

/**
 * Most terms a job's text may bring to one `match` query: each term is a
 * clause and the engine refuses more than 1024 in a query (the others here
 * are a dozen). A token holds at least one non-space character, so text with
 * fewer of those than this stays under.
 */
const MATCH_TEXT_LIMIT = 900;

/** Whether the job text is too long for a `match` clause: the caller then analyzes it and passes its terms. */
export function needsAnalyzedTerms(job: PrefilterJob): boolean {
  let n = 0;
  for (const v of jobTextValues(job)) for (const ch of v) if (!/\s/u.test(ch) && ++n > MATCH_TEXT_LIMIT) return true;
  return false;
}

/**
 * The bool.filter clause that keeps only the saved searches the job can
 * match by their prefilter fields; a document without them (indexed before
 * they existed) passes, to be verified by percolate as before.
 */
export function percolatorPrefilterClause(job: PrefilterJob, analyzedTerms?: readonly string[]): JsonObject {
  const loc = job.location;
  const hasPoint = loc !== undefined && Number.isFinite(loc.lat) && Number.isFinite(loc.lon) && Math.abs(loc.lat) <= 90 && Math.abs(loc.lon) <= 180;
  const known: JsonObject[] = [
    { terms: { [PREFILTER_FIELDS.cells]: hasPoint ? [...pointCells(loc.lat, loc.lon), ANY] : [ANY] } },
    { terms: { [PREFILTER_FIELDS.category]: withAny(job.category) } },
    { terms: { [PREFILTER_FIELDS.employmentType]: withAny(job.employmentType) } },
    { terms: { [PREFILTER_FIELDS.business]: withAny(job.businessId) } },
    {
      bool: {
        should: [
          analyzedTerms !== undefined
            ? { terms: { [PREFILTER_FIELDS.text]: [...new Set(analyzedTerms)] } }
            : { match: { [PREFILTER_FIELDS.text]: { query: jobTextValues(job).join('\n'), operator: 'or' } } },
          { term: { [PREFILTER_FIELDS.textless]: true } },
        ],
        minimum_should_match: 1,
      },
    },
  ];
  return {
    bool: {
      should: [{ bool: { filter: known } }, { bool: { must_not: [{ exists: { field: PREFILTER_FIELDS.cells } }] } }],
      minimum_should_match: 1,
    },
  };
}

