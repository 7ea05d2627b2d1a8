import { z } from 'zod';
import { jobFilterShape, sortDescription, sorts } from './searchRequest.ts';

/** `a,b,c` in a query string. */
const csv = z
  .string()
  .max(2000)
  .transform((s) => s.split(',').map((p) => p.trim()).filter((p) => p.length > 0));
/** A decimal number as written in a query string: `12`, `-3.5`, `.5`, `1e3`. */
const NUMERIC = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * A number query parameter, checked by `inner` once read. Every numeric
 * parameter of a read route uses this, never z.coerce.number(): coercion reads
 * `?payMin=` (and `' '`) as 0 and `0x10` as 16, so a blank or odd value would
 * silently become a filter. Here anything but a decimal literal is a 400 naming
 * the parameter; the OpenAPI description is `inner`'s (type, bounds, and a
 * default given on `inner`: `queryNumber(z.number().default(20))`, as a
 * default outside the preprocess is left out of the description).
 */
export function queryNumber<T extends z.ZodType<number, number | undefined>>(inner: T) {
  return z.preprocess((value, ctx) => {
    if (typeof value !== 'string') return value;
    if (NUMERIC.test(value)) return Number(value);
    ctx.addIssue({ code: 'custom', message: value.trim() === '' ? 'must be a number, not blank' : 'must be a number', input: value });
    return z.NEVER;
  }, inner);
}

/** `queryNumber` of a non-negative integer: a log position to wait for. */
export const queryMinPosition = () => queryNumber(z.number().int().min(0));

const num = queryNumber(z.number());
const bool = z.enum(['true', 'false']).transform((v) => v === 'true');

/**
 * Search filters as flat query-string parameters; `toFilters` turns them into
 * the query model (lat/lon/radiusKm → near, bbox=minLon,minLat,maxLon,maxLat).
 */
export const filterParamsShape = {
  text: z.string().max(200).optional(),
  category: csv.optional(),
  employmentType: csv.optional(),
  payMin: num.optional(),
  payMax: num.optional(),
  availableFrom: z.string().optional(),
  availableTo: z.string().optional(),
  skills: csv.optional(),
  skillsMode: jobFilterShape.skillsMode.optional(),
  // Repeated, not comma-separated: a city name may hold a comma.
  city: z
    .union([z.string().max(200), z.array(z.string().max(200)).max(20)])
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .optional()
    .describe('a city as jobs record it (the city facet\'s keys); repeat the parameter for several'),
  remote: bool.optional(),
  postedWithinDays: num.optional(),
  postedSince: z.string().max(40).optional().describe('an ISO 8601 instant with offset'),
  businessId: z.string().optional(),
  lat: num.optional().describe('with lon and radiusKm: jobs within radiusKm of the point'),
  lon: num.optional(),
  radiusKm: num.optional(),
  bbox: z
    .string()
    .regex(/^-?[\d.]+,-?[\d.]+,-?[\d.]+,-?[\d.]+$/, 'minLon,minLat,maxLon,maxLat')
    .optional()
    .describe('minLon,minLat,maxLon,maxLat'),
  includeClosed: bool.optional(),
  minPosition: queryMinPosition().optional().describe('wait until the read model has applied this log position'),
};

export const SearchParams = z
  .object({
    ...filterParamsShape,
    sort: z.enum(sorts).optional().describe(sortDescription),
    size: num.optional(),
    cursor: z.string().optional(),
    facets: bool.optional(),
    highlight: bool.optional(),
  })
  .strict();
export type SearchParams = z.output<typeof SearchParams>;

export const MapParams = z.object({ ...filterParamsShape, zoom: num }).strict();
export type MapParams = z.output<typeof MapParams>;

type FlatFilters = z.output<z.ZodObject<typeof filterParamsShape>>;

/** The query-model object for the flat parameters (validated afterwards by the model's schema). */
export function toFilters(p: FlatFilters): Record<string, unknown> {
  const { lat, lon, radiusKm, bbox, minPosition: _m, ...rest } = p;
  const out: Record<string, unknown> = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
  if (lat !== undefined || lon !== undefined || radiusKm !== undefined) out.near = { lat, lon, radiusKm };
  if (bbox !== undefined) {
    const [minLon, minLat, maxLon, maxLat] = bbox.split(',').map(Number);
    out.bbox = { minLat, minLon, maxLat, maxLon };
  }
  return out;
}
