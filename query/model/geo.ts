// The distance semantics of both stores: Lucene's geo_point quantisation (the
// engine stores points that way, so both stores must filter, measure and
// bucket the very same coordinates), haversine in metres (radii come in km),
// and geohashes.

/** Lucene GeoEncodingUtils: 32 bits per coordinate. */
export const LAT_DECODE = 180 / 2 ** 32;
export const LON_DECODE = 360 / 2 ** 32;
/** Math.nextDown(90) and Math.nextDown(180). */
const NEXT_DOWN_90 = 90 - 2 ** -46;
const NEXT_DOWN_180 = 180 - 2 ** -45;

/** Earth's mean radius as Lucene's GeoUtils.EARTH_MEAN_RADIUS_METERS. */
export const EARTH_RADIUS_M = 6371008.7714;

export function encodeLatitude(lat: number): number {
  if (!(lat >= -90 && lat <= 90)) throw new RangeError(`latitude ${lat} out of range`);
  return Math.floor((lat === 90 ? NEXT_DOWN_90 : lat) / LAT_DECODE) | 0;
}

export function encodeLongitude(lon: number): number {
  if (!(lon >= -180 && lon <= 180)) throw new RangeError(`longitude ${lon} out of range`);
  return Math.floor((lon === 180 ? NEXT_DOWN_180 : lon) / LON_DECODE) | 0;
}

export const decodeLatitude = (encoded: number): number => encoded * LAT_DECODE;
export const decodeLongitude = (encoded: number): number => encoded * LON_DECODE;

/** A point as the engine stores it. */
export function quantize(lat: number, lon: number): { lat: number; lon: number } {
  return { lat: decodeLatitude(encodeLatitude(lat)), lon: decodeLongitude(encodeLongitude(lon)) };
}

const RAD = Math.PI / 180;

/** Great-circle distance in meters. */
export function haversineMeters(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const sinLat = Math.sin((lat2 - lat1) * RAD * 0.5);
  const sinLon = Math.sin((lon2 - lon1) * RAD * 0.5);
  const h = sinLat * sinLat + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * sinLon * sinLon;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

export const haversineKm = (lat1: number, lon1: number, lat2: number, lon2: number): number => haversineMeters(lat1, lon1, lat2, lon2) / 1000;

/**
 * Whether a point lies within `radiusKm` of a centre as the engine's
 * geo_distance decides: the point as stored (quantised), the centre as given.
 */
export function withinRadius(near: { lat: number; lon: number; radiusKm: number }, point: { lat: number; lon: number } | undefined): boolean {
  if (point === undefined || !(Math.abs(point.lat) <= 90 && Math.abs(point.lon) <= 180)) return false;
  const p = quantize(point.lat, point.lon);
  return haversineMeters(near.lat, near.lon, p.lat, p.lon) <= near.radiusKm * 1000;
}

export interface Bounds {
  minLat: number;
  minLon: number;
  maxLat: number;
  maxLon: number;
}

/**
 * A box holding every point within `radiusKm` of a center (slightly larger, never
 * smaller). `minLon > maxLon` when it crosses the antimeridian; the whole
 * longitude range when it reaches a pole.
 */
export function circleBounds(lat: number, lon: number, radiusKm: number): Bounds {
  const ang = (radiusKm * 1000) / EARTH_RADIUS_M;
  const pad = 1e-9 + ang * 1e-9;
  const dLat = ang / RAD + pad;
  const minLat = lat - dLat;
  const maxLat = lat + dLat;
  if (minLat <= -90 || maxLat >= 90 || ang >= Math.PI / 2) {
    return { minLat: Math.max(-90, minLat), maxLat: Math.min(90, maxLat), minLon: -180, maxLon: 180 };
  }
  const s = Math.sin(ang) / Math.cos(lat * RAD);
  if (s >= 1) return { minLat, maxLat, minLon: -180, maxLon: 180 };
  const dLon = Math.asin(s) / RAD + pad;
  if (dLon >= 180) return { minLat, maxLat, minLon: -180, maxLon: 180 };
  let minLon = lon - dLon;
  let maxLon = lon + dLon;
  if (minLon < -180) minLon += 360;
  if (maxLon > 180) maxLon -= 360;
  return { minLat, maxLat, minLon, maxLon };
}

// ---- geohash -----------------------------------------------------------------
// Computed as the engine does (Geohash.longEncode): from the quantised integer
// coordinates, sign bit flipped, bits interleaved longitude first. So a point's
// cell never depends on floating-point rounding at a cell edge.

const BASE32 = '0123456789bcdefghjkmnpqrstuvwxyz';
const BASE32_INDEX = new Map([...BASE32].map((ch, i) => [ch, i] as const));

/** The maximum precision held by the numeric key of a point (zoom 20 needs 9). */
export const KEY_PRECISION = 9;
export const KEY_BITS = KEY_PRECISION * 5; // 45: 23 longitude bits, 22 latitude bits

/** Spreads the low 16 bits of x to the even bit positions of a 32-bit value. */
function spread16(x: number): number {
  x &= 0xffff;
  x = (x | (x << 8)) & 0x00ff00ff;
  x = (x | (x << 4)) & 0x0f0f0f0f;
  x = (x | (x << 2)) & 0x33333333;
  x = (x | (x << 1)) & 0x55555555;
  return x >>> 0;
}

/** Spreads up to 26 bits of x to the even positions of a (≤ 52-bit) number. */
function spread(x: number): number {
  return spread16(x & 0xffff) + spread16(x >>> 16) * 4294967296;
}

/**
 * The 45-bit geohash key (precision 9) of a point given by its encoded
 * (Lucene) latitude and longitude. The key at a lower precision p is
 * floor(key / 2^(45 - 5p)); keys sort like geohash strings.
 */
export function geohashKeyOfEncoded(latEnc: number, lonEnc: number): number {
  const latU = latEnc + 2147483648; // flip the sign bit: 0 .. 2^32-1
  const lonU = lonEnc + 2147483648;
  const lon23 = Math.floor(lonU / 512); // top 23 bits
  const lat22 = Math.floor(latU / 1024); // top 22 bits
  return spread(lon23) + 2 * spread(lat22);
}

export function geohashKey(lat: number, lon: number): number {
  return geohashKeyOfEncoded(encodeLatitude(lat), encodeLongitude(lon));
}

/** Key at `precision` (≤ 9) from a 45-bit key. */
export function keyAtPrecision(key45: number, precision: number): number {
  return Math.floor(key45 / 2 ** (KEY_BITS - 5 * precision));
}

/** The geohash string of a key at `precision`. */
export function keyToGeohash(key: number, precision: number): string {
  let s = '';
  let k = key;
  for (let i = 0; i < precision; i++) {
    s = BASE32.charAt(k % 32) + s;
    k = Math.floor(k / 32);
  }
  return s;
}

/** The geohash of a point at any precision 1..12, as the engine computes it. */
export function geohashEncode(lat: number, lon: number, precision: number): string {
  if (!(precision >= 1 && precision <= 12)) throw new RangeError(`geohash precision ${precision} out of 1..12`);
  const latU = encodeLatitude(lat) + 2147483648;
  const lonU = encodeLongitude(lon) + 2147483648;
  let s = '';
  let ch = 0;
  let lonBit = 31;
  let latBit = 31;
  for (let i = 0; i < precision * 5; i++) {
    let bit: number;
    if (i % 2 === 0) bit = Math.floor(lonU / 2 ** lonBit--) % 2;
    else bit = Math.floor(latU / 2 ** latBit--) % 2;
    ch = ch * 2 + bit;
    if (i % 5 === 4) {
      s += BASE32.charAt(ch);
      ch = 0;
    }
  }
  return s;
}

/** The bounds of a geohash cell. */
export function geohashBounds(hash: string): Bounds {
  let minLat = -90;
  let maxLat = 90;
  let minLon = -180;
  let maxLon = 180;
  let even = true;
  for (const ch of hash) {
    const d = BASE32_INDEX.get(ch);
    if (d === undefined) throw new RangeError(`not a geohash: ${hash}`);
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

/** The center of a geohash cell. */
export function geohashDecode(hash: string): { lat: number; lon: number } {
  const b = geohashBounds(hash);
  return { lat: (b.minLat + b.maxLat) / 2, lon: (b.minLon + b.maxLon) / 2 };
}

/** The box test of the read model: inclusive, crossing the antimeridian when minLon > maxLon. */
export function inBounds(b: Bounds, lat: number, lon: number): boolean {
  if (lat < b.minLat || lat > b.maxLat) return false;
  return b.minLon <= b.maxLon ? lon >= b.minLon && lon <= b.maxLon : lon >= b.minLon || lon <= b.maxLon;
}

/**
 * Key ranges [from, to) of 45-bit keys whose cells cover a box (a superset:
 * one cell of margin around it), merged and sorted. At most ~`maxCells` cells.
 */
export function coverRanges(b: Bounds, maxCells = 64): Array<[number, number]> {
  const spans: Array<[number, number]> = b.minLon <= b.maxLon ? [[b.minLon, b.maxLon]] : [[b.minLon, 180], [-180, b.maxLon]];
  let p = KEY_PRECISION;
  const cellsAt = (prec: number): number => {
    const lonBits = Math.ceil((prec * 5) / 2);
    const latBits = Math.floor((prec * 5) / 2);
    const latCells = Math.floor(((b.maxLat + 90) / 180) * 2 ** latBits) - Math.floor(((b.minLat + 90) / 180) * 2 ** latBits) + 3;
    let lonCells = 0;
    for (const [a, z] of spans) lonCells += Math.floor(((z + 180) / 360) * 2 ** lonBits) - Math.floor(((a + 180) / 360) * 2 ** lonBits) + 3;
    return latCells * lonCells;
  };
  while (p > 1 && cellsAt(p) > maxCells) p--;
  const lonBits = Math.ceil((p * 5) / 2);
  const latBits = Math.floor((p * 5) / 2);
  const nLon = 2 ** lonBits;
  const nLat = 2 ** latBits;
  const lat0 = Math.max(0, Math.floor(((b.minLat + 90) / 180) * nLat) - 1);
  const lat1 = Math.min(nLat - 1, Math.floor(((b.maxLat + 90) / 180) * nLat) + 1);
  const shift = 2 ** (KEY_BITS - 5 * p);
  const keys: number[] = [];
  for (const [a, z] of spans) {
    const lon0 = Math.max(0, Math.floor(((a + 180) / 360) * nLon) - 1);
    const lon1 = Math.min(nLon - 1, Math.floor(((z + 180) / 360) * nLon) + 1);
    for (let x = lon0; x <= lon1; x++) {
      const sx = spread(x);
      for (let y = lat0; y <= lat1; y++) {
        // At precision p, lon bits are at even positions when 5p is odd (lon has the extra bit), else odd.
        const key = (5 * p) % 2 === 1 ? sx + 2 * spread(y) : 2 * sx + spread(y);
        keys.push(key);
      }
    }
  }
  keys.sort((u, w) => u - w);
  const out: Array<[number, number]> = [];
  let prev = -2;
  for (const k of keys) {
    if (k === prev) continue;
    const from = k * shift;
    const last = out[out.length - 1];
    if (last && k === prev + 1) last[1] = from + shift;
    else out.push([from, from + shift]);
    prev = k;
  }
  return out;
}

/**
 * Distance in km from a query point to a stored location: the engine keeps
 * geo_points quantised, so distances shown to users are computed on the stored
 * values, the way the embedded store computes them.
 */
export function distanceKmToStored(from: { lat: number; lon: number }, stored: { lat: number; lon: number }): number {
  const q = quantize(stored.lat, stored.lon);
  return haversineMeters(from.lat, from.lon, q.lat, q.lon) / 1000;
}
