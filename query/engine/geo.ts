// The engine stores geo_points quantised by Lucene; distances and cells shown
// to users are computed on the stored values. The geometry itself is shared
// with the embedded store, so both answer with identical numbers.
import { haversineMeters, quantize } from '../embedded/geo.ts';

export { EARTH_RADIUS_M, LAT_DECODE, LON_DECODE, geohashBounds, haversineMeters, quantize } from '../embedded/geo.ts';
export type { Bounds as CellBounds } from '../embedded/geo.ts';

/** Distance in km from a query point to a stored (hence quantised) location. */
export function distanceKmToStored(from: { lat: number; lon: number }, stored: { lat: number; lon: number }): number {
  const q = quantize(stored.lat, stored.lon);
  return haversineMeters(from.lat, from.lon, q.lat, q.lon) / 1000;
}
