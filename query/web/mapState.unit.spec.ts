import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MapParams, toFilters } from '../model/queryParams.ts';
import { MapRequest } from '../model/searchRequest.ts';
import { mapApiUrl, unwrapRing, viewBox, viewportOf, withViewport } from './mapState.ts';

const apiRequestOf = (url: string) => {
  const params = Object.fromEntries(new URL(url, 'http://x').searchParams);
  const { zoom, ...filters } = MapParams.parse(params);
  return MapRequest.parse({ ...toFilters(filters), zoom });
};

describe('the map page state', () => {
  it('turns any Leaflet view into a bbox the API accepts, covering what is shown (property)', () => {
    const view = fc.record({ west: fc.double({ min: -1000, max: 1000, noNaN: true }), width: fc.double({ min: 0.0001, max: 800, noNaN: true }), south: fc.double({ min: -95, max: 85, noNaN: true }), height: fc.double({ min: 0.0001, max: 40, noNaN: true }), zoom: fc.integer({ min: -2, max: 25 }) });
    fc.assert(
      fc.property(view, ({ west, width, south, height, zoom }) => {
        const box = viewBox(west, south, west + width, south + height);
        const request = apiRequestOf(mapApiUrl('text=cook&category=retail', box, zoom));
        expect(request.bbox).toEqual(box);
        expect(request.zoom).toBe(Math.max(0, Math.min(20, zoom)));
        expect(box.minLat).toBeLessThanOrEqual(Math.max(-90, south));
        if (width >= 360) expect([box.minLon, box.maxLon]).toEqual([-180, 180]);
        else {
          // The wrapped west edge is the view's west edge (to 4 decimals, outward).
          const wrapped = ((((west + 180) % 360) + 360) % 360) - 180;
          expect(box.minLon).toBeLessThanOrEqual(wrapped + 1e-9);
          expect(wrapped - box.minLon).toBeLessThan(1e-4 + 1e-9);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('reads a view across the antimeridian as west > east, as the API expects', () => {
    expect(viewBox(170, -10, 190, 10)).toEqual({ minLon: 170, maxLon: -170, minLat: -10, maxLat: 10 });
    expect(viewBox(-200, 0, -170, 5)).toEqual({ minLon: 160, maxLon: -170, minLat: 0, maxLat: 5 });
    expect(viewBox(-10, -100, 10, 100)).toEqual({ minLon: -10, maxLon: 10, minLat: -90, maxLat: 90 });
  });

  it('keeps the viewport in the address beside the filters and reads it back (property)', () => {
    const filters = fc.constantFrom('', 'q=barista', 'q=a%26b&category=retail&category=events', 'place=Reno');
    fc.assert(
      fc.property(filters, fc.double({ min: -90, max: 90, noNaN: true }), fc.double({ min: -540, max: 540, noNaN: true }), fc.integer({ min: 0, max: 20 }), (search, lat, lon, zoom) => {
        const written = withViewport(search, { lat, lon, zoom });
        const read = viewportOf(written);
        expect(read?.zoom).toBe(zoom);
        expect(Math.abs((read?.lat ?? NaN) - lat)).toBeLessThanOrEqual(0.00005 + 1e-9);
        expect(Math.abs(read?.lon ?? NaN)).toBeLessThanOrEqual(180);
        const kept = new URLSearchParams(written);
        const given = new URLSearchParams(search);
        for (const key of ['q', 'category']) expect(kept.getAll(key)).toEqual(given.getAll(key));
        // A place is where the map opened; once it moves, the viewport says where it is.
        expect(kept.has('place')).toBe(false);
      }),
    );
  });

  it('gives no viewport for a missing, blank or out-of-range position', () => {
    for (const search of ['', '?lat=1&lon=2', '?lat=&lon=2&z=3', '?lat=91&lon=0&z=3', '?lat=1&lon=2&z=21', '?lat=1&lon=2&z=1.5', '?lat=x&lon=2&z=3']) expect(viewportOf(search)).toBeUndefined();
    expect(viewportOf('?lat=39.1&lon=-120&z=8')).toEqual({ lat: 39.1, lon: -120, zoom: 8 });
  });
});

describe('unwrapRing', () => {
  it('draws a ring across the antimeridian past 180 instead of across the world', () => {
    expect(unwrapRing([[179, 0], [-179, 0], [-179, 1], [179, 1], [179, 0]])).toEqual([[179, 0], [181, 0], [181, 1], [179, 1], [179, 0]]);
    expect(unwrapRing([[10, 0], [20, 0], [20, 5]])).toEqual([[10, 0], [20, 0], [20, 5]]);
  });

  it('leaves no step wider than 180° and moves each point by whole turns only (property)', () => {
    const ring = fc.array(fc.tuple(fc.double({ min: -180, max: 180, noNaN: true }), fc.double({ min: -90, max: 90, noNaN: true })), { maxLength: 30 });
    fc.assert(
      fc.property(ring, (points) => {
        const out = unwrapRing(points);
        out.forEach(([lon = 0, lat], i) => {
          const [givenLon = 0, givenLat] = points[i]!;
          expect(lat).toBe(givenLat);
          // Whole turns up to rounding: -0.9999999999999998 turns is a whole turn too.
          const turns = (lon - givenLon) / 360;
          expect(Math.abs(turns - Math.round(turns))).toBeLessThan(1e-9);
          if (i > 0) expect(Math.abs(lon - out[i - 1]![0]!)).toBeLessThanOrEqual(180);
        });
      }),
    );
  });
});
