import { z } from 'zod';
import { jobFilterShape, sorts } from './searchRequest.ts';

/** `a,b,c` in a query string. */
const csv = z
  .string()
  .max(2000)
  .transform((s) => s.split(',').map((p) => p.trim()).filter((p) => p.length > 0));
const num = z.coerce.number();
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
  remote: bool.optional(),
  postedWithinDays: num.optional(),
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
  minPosition: z.coerce.number().int().min(0).optional().describe('wait until the read model has applied this log position'),
};

export const SearchParams = z
  .object({
    ...filterParamsShape,
    sort: z.enum(sorts).optional(),
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
