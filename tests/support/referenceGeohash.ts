const BASE32 = '0123456789bcdefghjkmnpqrstuvwxyz';

/**
 * Textbook geohash encoder (interleaved lon/lat bisection, 5 bits a character),
 * independent of the stores' own, for expected values in engine tests.
 */
export function referenceGeohash(lat: number, lon: number, precision: number): string {
  let [latMin, latMax, lonMin, lonMax] = [-90, 90, -180, 180];
  let hash = '';
  let bits = 0;
  let ch = 0;
  let evenBit = true;
  while (hash.length < precision) {
    if (evenBit) {
      const mid = (lonMin + lonMax) / 2;
      ch = ch * 2 + (lon >= mid ? 1 : 0);
      if (lon >= mid) lonMin = mid;
      else lonMax = mid;
    } else {
      const mid = (latMin + latMax) / 2;
      ch = ch * 2 + (lat >= mid ? 1 : 0);
      if (lat >= mid) latMin = mid;
      else latMax = mid;
    }
    evenBit = !evenBit;
    if (++bits === 5) {
      hash += BASE32[ch];
      bits = 0;
      ch = 0;
    }
  }
  return hash;
}
