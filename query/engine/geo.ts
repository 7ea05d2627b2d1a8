// Geo arithmetic of the search-engine adapter, done in TypeScript exactly as
// the engine (Lucene) and the embedded store do it: a geo_point is stored
// quantised to 32 bits per coordinate, distances are haversine on the quantised
// point with Lucene's mean earth radius, geohash cells are decoded by bisection.
// Kept formula-for-formula equal to query/embedded/geo.ts so both stores report
// the very same distanceKm and map points.

/** Lucene GeoEncodingUtils: 32 bits per coordinate. */
export const LAT_DECODE = 180 / 2 ** 32;
export const LON_DECODE = 360 / 2 ** 32;
/** Math.nextDown(90) and Math.nextDown(180). */
const NEXT_DOWN_90 = 90 - 2 ** -46;
const NEXT_DOWN_180 = 180 - 2 ** -45;

/** GeoUtils.EARTH_MEAN_RADIUS_METERS. */
export const EARTH_RADIUS_M = 6371008.7714;

/** A coordinate as the engine stores it (floor to the 32-bit grid). */
export function quantizeLat(lat: number): number {
  return (Math.floor((lat === 90 ? NEXT_DOWN_90 : lat) / LAT_DECODE) | 0) * LAT_DECODE;
}

export function quantizeLon(lon: number): number {
  return (Math.floor((lon === 180 ? NEXT_DOWN_180 : lon) / LON_DECODE) | 0) * LON_DECODE;
}

export function quantize(lat: number, lon: number): { lat: number; lon: number } {
  return { lat: quantizeLat(lat), lon: quantizeLon(lon) };
}

const RAD = Math.PI / 180;

/** Great-circle distance in meters. */
export function haversineMeters(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const sinLat = Math.sin((lat2 - lat1) * RAD * 0.5);
  const sinLon = Math.sin((lon2 - lon1) * RAD * 0.5);
  const h = sinLat * sinLat + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * sinLon * sinLon;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Distance in km from a query point to a stored (hence quantised) location. */
export function distanceKmToStored(from: { lat: number; lon: number }, stored: { lat: number; lon: number }): number {
  const q = quantize(stored.lat, stored.lon);
  return haversineMeters(from.lat, from.lon, q.lat, q.lon) / 1000;
}

export interface CellBounds {
  minLat: number;
  minLon: number;
  maxLat: number;
  maxLon: number;
}

const BASE32 = '0123456789bcdefghjkmnpqrstuvwxyz';

/** The bounds of a geohash cell (bisection, longitude first). */
export function geohashBounds(hash: string): CellBounds {
  let minLat = -90;
  let maxLat = 90;
  let minLon = -180;
  let maxLon = 180;
  let even = true;
  for (const ch of hash) {
    const d = BASE32.indexOf(ch);
    if (d < 0) throw new RangeError(`not a geohash: ${hash}`);
    for (let b = 4; b >= 0; b--) {
      const bit = (d >> b) & 1;
      if (even) {
        const mid = (minLon + maxLon) / 2;
        if (bit) minLon = mid;
        else maxLon = mid;
      } else {
        const mid = (minLat + maxLat) / 2;
        if (bit) minLat = mid;
        else maxLat = mid;
      }
      even = !even;
    }
  }
  return { minLat, minLon, maxLat, maxLon };
}
