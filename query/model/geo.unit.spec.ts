import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  LAT_DECODE,
  LON_DECODE,
  circleBounds,
  coverRanges,
  decodeLatitude,
  decodeLongitude,
  encodeLatitude,
  encodeLongitude,
  geohashBounds,
  geohashDecode,
  geohashEncode,
  geohashKey,
  haversineMeters,
  inBounds,
  keyAtPrecision,
  keyToGeohash,
  quantize,
} from './geo.ts';

const lat = fc.double({ min: -90, max: 90, noNaN: true });
const lon = fc.double({ min: -180, max: 180, noNaN: true });

describe('Lucene point quantisation', () => {
  it('matches GeoEncodingUtils vectors', () => {
    expect(LAT_DECODE).toBe(180 / 4294967296);
    expect(LON_DECODE).toBe(360 / 4294967296);
    expect(encodeLatitude(0)).toBe(0);
    expect(encodeLatitude(90)).toBe(2147483647);
    expect(encodeLatitude(-90)).toBe(-2147483648);
    expect(encodeLongitude(180)).toBe(2147483647);
    expect(encodeLongitude(-180)).toBe(-2147483648);
    expect(encodeLatitude(LAT_DECODE)).toBe(1);
    expect(encodeLatitude(-LAT_DECODE / 2)).toBe(-1);
    expect(encodeLongitude(-LON_DECODE)).toBe(-1);
    expect(decodeLatitude(encodeLatitude(45))).toBe(45);
    expect(decodeLatitude(2147483647)).toBe(90 - LAT_DECODE);
    // 57.64911 is not a multiple of the step: it rounds down.
    expect(decodeLatitude(encodeLatitude(57.64911))).toBe(Math.floor(57.64911 / LAT_DECODE) * LAT_DECODE);
    expect(() => encodeLatitude(90.1)).toThrow(RangeError);
    expect(() => encodeLongitude(Number.NaN)).toThrow(RangeError);
  });

  it('rounds down by less than one step, and is idempotent', () => {
    fc.assert(
      fc.property(lat, lon, (a, o) => {
        const q = quantize(a, o);
        expect(q.lat).toBeLessThanOrEqual(a);
        expect(a - q.lat).toBeLessThanOrEqual(LAT_DECODE);
        expect(q.lon).toBeLessThanOrEqual(o);
        expect(o - q.lon).toBeLessThanOrEqual(LON_DECODE);
        expect(quantize(q.lat, q.lon)).toEqual(q);
        expect(decodeLongitude(encodeLongitude(q.lon))).toBe(q.lon);
      }),
    );
  });
});

describe('haversine', () => {
  it('measures known distances', () => {
    expect(haversineMeters(0, 0, 0, 0)).toBe(0);
    // A quarter of the meridian.
    expect(haversineMeters(0, 0, 90, 0)).toBeCloseTo((Math.PI / 2) * 6371008.7714, 3);
    // Paris – London, about 343.9 km.
    expect(haversineMeters(48.8566, 2.3522, 51.5074, -0.1278) / 1000).toBeCloseTo(343.9, 0);
    // Across the antimeridian is short.
    expect(haversineMeters(0, 179.9, 0, -179.9) / 1000).toBeLessThan(23);
  });

  it('circle bounds hold every point within the radius', () => {
    fc.assert(
      fc.property(lat, lon, fc.double({ min: 0.01, max: 5000, noNaN: true }), lat, lon, (cLat, cLon, r, pLat, pLon) => {
        const b = circleBounds(cLat, cLon, r);
        // a point pulled toward the center until it is within the radius
        let a = pLat;
        let o = pLon;
        for (let i = 0; i < 60 && haversineMeters(cLat, cLon, a, o) > r * 1000; i++) {
          a = (a + cLat) / 2;
          o = Math.abs(o - cLon) > 180 ? o : (o + cLon) / 2;
        }
        if (haversineMeters(cLat, cLon, a, o) <= r * 1000) expect(inBounds(b, a, o)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('geohash', () => {
  it('encodes known vectors', () => {
    expect(geohashEncode(57.64911, 10.40744, 11)).toBe('u4pruydqqvj');
    expect(geohashEncode(42.6, -5.6, 5)).toBe('ezs42');
    expect(geohashEncode(-25.382708, -49.265506, 8)).toBe('6gkzwgjz');
    expect(geohashEncode(0, 0, 1)).toBe('s');
    expect(geohashEncode(-90, -180, 3)).toBe('000');
    expect(geohashEncode(90, 180, 3)).toBe('zzz');
  });

  it('decodes bounds and centers', () => {
    expect(geohashBounds('u4pruydqqvj').minLat).toBeCloseTo(57.64911, 5);
    expect(geohashBounds('s')).toEqual({ minLat: 0, minLon: 0, maxLat: 45, maxLon: 45 });
    expect(geohashBounds('7')).toEqual({ minLat: -45, minLon: -45, maxLat: 0, maxLon: 0 });
    const c = geohashDecode('ezs42');
    expect(c.lat).toBeCloseTo(42.605, 2);
    expect(c.lon).toBeCloseTo(-5.603, 2);
    expect(() => geohashBounds('a')).toThrow(RangeError);
  });

  it('numeric keys agree with strings at every precision, and cells hold their points', () => {
    fc.assert(
      fc.property(lat, lon, fc.integer({ min: 1, max: 9 }), (a, o, p) => {
        const q = quantize(a, o);
        const hash = geohashEncode(q.lat, q.lon, p);
        expect(keyToGeohash(keyAtPrecision(geohashKey(q.lat, q.lon), p), p)).toBe(hash);
        expect(geohashEncode(a, o, p)).toBe(hash);
        const b = geohashBounds(hash);
        expect(q.lat >= b.minLat && q.lat <= b.maxLat && q.lon >= b.minLon && q.lon <= b.maxLon).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('keys sort like geohash strings', () => {
    fc.assert(
      fc.property(lat, lon, lat, lon, (a1, o1, a2, o2) => {
        const k1 = geohashKey(quantize(a1, o1).lat, quantize(a1, o1).lon);
        const k2 = geohashKey(quantize(a2, o2).lat, quantize(a2, o2).lon);
        const s1 = keyToGeohash(k1, 9);
        const s2 = keyToGeohash(k2, 9);
        expect(Math.sign(k1 - k2)).toBe(s1 < s2 ? -1 : s1 > s2 ? 1 : 0);
      }),
    );
  });

  it('cover ranges of a box hold every quantised point inside it', () => {
    const box = fc
      .record({ a: lat, b: lat, minLon: lon, maxLon: lon })
      .map(({ a, b, minLon, maxLon }) => ({ minLat: Math.min(a, b), maxLat: Math.max(a, b), minLon, maxLon }));
    fc.assert(
      fc.property(box, fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (b, u, w) => {
        const ranges = coverRanges(b);
        expect(ranges.length).toBeGreaterThan(0);
        const pLat = b.minLat + u * (b.maxLat - b.minLat);
        const width = b.minLon <= b.maxLon ? b.maxLon - b.minLon : 360 - (b.minLon - b.maxLon);
        let pLon = b.minLon + w * width;
        if (pLon > 180) pLon -= 360;
        const q = quantize(pLat, pLon);
        if (!inBounds(b, q.lat, q.lon)) return;
        const k = geohashKey(q.lat, q.lon);
        expect(ranges.some(([from, to]) => k >= from && k < to)).toBe(true);
        for (let i = 1; i < ranges.length; i++) expect(ranges[i]![0]).toBeGreaterThan(ranges[i - 1]![1]);
      }),
      { numRuns: 3000 },
    );
  });
});
