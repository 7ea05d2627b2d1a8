// The map page's state, shared by the server (which renders the page) and the
// browser bundle (which asks /v1/map as the viewport moves): no Node or DOM here.

export interface Viewport {
  lat: number;
  lon: number;
  zoom: number;
}

export interface MapBox {
  minLon: number;
  minLat: number;
  maxLon: number;
  maxLat: number;
}

/** The API's zoom levels. */
export const MAP_MIN_ZOOM = 0;
export const MAP_MAX_ZOOM = 20;
/** Where the map opens when the address names no place. */
export const worldView: Viewport = { lat: 30, lon: 0, zoom: 2 };
/** How close a named place opens. */
export const PLACE_ZOOM = 10;

const wrapLon = (lon: number): number => ((((lon + 180) % 360) + 360) % 360) - 180;
const clampLat = (lat: number): number => Math.max(-90, Math.min(90, lat));
// Outward to 4 decimals (about 11 m): neighbouring views share cache entries and nothing in view is cut off.
// `+ 0` turns -0 into 0, which a query string writes the same way.
const down = (x: number): number => Math.floor(x * 1e4) / 1e4 + 0;
const up = (x: number): number => Math.ceil(x * 1e4) / 1e4 + 0;

/**
 * The API's bbox for what a map shows: longitudes wrapped into [-180, 180]
 * (west > east when the view crosses the antimeridian, as the API reads it),
 * the whole world when the view is wider than it, latitudes clamped.
 */
export function viewBox(west: number, south: number, east: number, north: number): MapBox {
  const box = east - west >= 360 ? { minLon: -180, maxLon: 180 } : { minLon: down(wrapLon(west)), maxLon: up(wrapLon(east)) };
  if (box.maxLon === -180 && east > west) box.maxLon = 180;
  return { ...box, minLat: Math.max(-90, down(clampLat(south))), maxLat: Math.min(90, up(clampLat(north))) };
}

/** `/v1/map` for a box and zoom with the page's filters (query-string parameters of the API). */
export function mapApiUrl(filters: string, box: MapBox, zoom: number): string {
  const params = new URLSearchParams(filters);
  params.set('bbox', `${box.minLon},${box.minLat},${box.maxLon},${box.maxLat}`);
  params.set('zoom', String(Math.max(MAP_MIN_ZOOM, Math.min(MAP_MAX_ZOOM, Math.round(zoom)))));
  return `/v1/map?${params.toString()}`;
}

/** The page's query string with the viewport written into `lat`, `lon` and `z` (other fields kept). */
export function withViewport(search: string, view: Viewport): string {
  const params = new URLSearchParams(search);
  params.delete('place');
  params.set('lat', view.lat.toFixed(4));
  params.set('lon', wrapLon(view.lon).toFixed(4));
  params.set('z', String(Math.round(view.zoom)));
  return `?${params.toString()}`;
}

/** The viewport a query string names, if it names a valid one. */
export function viewportOf(search: string): Viewport | undefined {
  const params = new URLSearchParams(search);
  const [lat, lon, zoom] = ['lat', 'lon', 'z'].map((k) => {
    const v = params.get(k);
    return v === null || v.trim() === '' ? Number.NaN : Number(v);
  }) as [number, number, number];
  if (!(Math.abs(lat) <= 90 && Math.abs(lon) <= 180 && Number.isInteger(zoom) && zoom >= MAP_MIN_ZOOM && zoom <= MAP_MAX_ZOOM)) return undefined;
  return { lat, lon, zoom };
}

/**
 * A ring of [lon, lat] with each jump of more than 180° in longitude undone
 * (±360° from there on). The outlines cross the antimeridian as a jump from
 * 180 to -180; a flat map would draw that as a line across the world, so the
 * ring goes on past 180 instead.
 */
export function unwrapRing(ring: ReadonlyArray<readonly number[]>): number[][] {
  let shift = 0;
  let previous: number | undefined;
  return ring.map(([lon = 0, lat = 0]) => {
    if (previous !== undefined) {
      const step = lon + shift - previous;
      if (step > 180) shift -= 360;
      else if (step < -180) shift += 360;
    }
    previous = lon + shift;
    return [lon + shift, lat];
  });
}
