import { loadCities } from '../../ops/seed/cities.ts';
import { createRng, deriveSeed, type Rng } from '../../ops/seed/prng.ts';
import { categoryShares, categoryWords, employmentTypes, employmentTypeShares } from './logVocabulary.ts';

/**
 * `/v1/map` requests of simulated pan/zoom sessions, deterministic for a
 * seed: a user opens the map on a city (drawn by population, as the seed
 * places jobs) at zoom 9-11, then pans by a quarter or half of the viewport
 * (1280×800 px) or zooms in or out, a few to a dozen times; some keep a
 * filter on for the session. Many users are on the map at once, so their
 * requests interleave. Sessions that start on the same city at the same zoom
 * ask the same first viewport, as a city's map page does.
 */
export interface MapLogOptions {
  seed?: number;
  /** Requests in the log. */
  requests: number;
  /** Sessions going on at once (their requests interleave). Default 20. */
  users?: number;
}

interface Session {
  lat: number;
  lon: number;
  zoom: number;
  filter: string;
  steps: number;
}

const DOMAIN_MAP_LOG = 0x3a9;
const WIDTH_TILES = 1280 / 256;
const HEIGHT_TILES = 800 / 256;
const round5 = (x: number): number => Math.round(x * 1e5) / 1e5;
const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

/** Degrees the viewport spans at a zoom (Web Mercator, near its centre). */
export function viewportSpan(lat: number, zoom: number): { lon: number; lat: number } {
  const lon = Math.min(360, (WIDTH_TILES * 360) / 2 ** zoom);
  return { lon, lat: Math.min(170, (HEIGHT_TILES * 360 * Math.cos((lat * Math.PI) / 180)) / 2 ** zoom) };
}

export function mapPathOf(s: Pick<Session, 'lat' | 'lon' | 'zoom' | 'filter'>): string {
  const span = viewportSpan(s.lat, s.zoom);
  const box = [clamp(s.lon - span.lon / 2, -180, 180), clamp(s.lat - span.lat / 2, -85, 85), clamp(s.lon + span.lon / 2, -180, 180), clamp(s.lat + span.lat / 2, -85, 85)];
  return `/v1/map?bbox=${box.map((x) => x.toFixed(4)).join(',')}&zoom=${s.zoom}${s.filter}`;
}

function session(rng: Rng): Session {
  const city = loadCities().pick(rng);
  const c = rng.weighted(categoryWords, categoryShares);
  const f = rng.next();
  const filter = f < 0.3 ? `&category=${c.category}` : f < 0.4 ? `&employmentType=${rng.weighted(employmentTypes, employmentTypeShares)}` : f < 0.45 ? `&text=${encodeURIComponent(rng.pick(c.keywords))}` : '';
  return { lat: round5(city.lat), lon: round5(city.lon), zoom: rng.weighted([9, 10, 11], [20, 60, 20]), filter, steps: rng.int(3, 15) };
}

/** One user action: a pan by a quarter or half of the viewport in one of 8 directions, or a zoom in or out. */
function act(rng: Rng, s: Session): void {
  const a = rng.next();
  if (a < 0.65) {
    const span = viewportSpan(s.lat, s.zoom);
    const [dx, dy] = rng.pick([[1, 0], [-1, 0], [0, 1], [0, -1], [1, 1], [1, -1], [-1, 1], [-1, -1]] as const);
    const part = rng.pick([0.25, 0.5]);
    s.lat = round5(clamp(s.lat + dy * part * span.lat, -80, 80));
    const lon = s.lon + dx * part * span.lon;
    s.lon = round5(lon > 180 ? lon - 360 : lon < -180 ? lon + 360 : lon);
  } else if (a < 0.88) {
    s.zoom = Math.min(18, s.zoom + 1);
  } else {
    s.zoom = Math.max(3, s.zoom - 1);
  }
}

export function mapLog(options: MapLogOptions): string[] {
  const seed = options.seed ?? 42;
  const rng = createRng(deriveSeed(seed, DOMAIN_MAP_LOG, 0));
  let started = 0;
  const open = (): Session => session(createRng(deriveSeed(seed, DOMAIN_MAP_LOG + 1, started++)));
  const active = Array.from({ length: options.users ?? 20 }, open);
  const out: string[] = [];
  while (out.length < options.requests) {
    const i = rng.int(0, active.length - 1);
    const s = active[i]!;
    out.push(mapPathOf(s));
    if (--s.steps <= 0) active[i] = open();
    else act(rng, s);
  }
  return out;
}
