import { createRng } from '../../ops/seed/prng.ts';

/**
 * The realistic read mix, deterministic for a seed: text + filters, text +
 * radius, filters only, sorts by distance and newest; and map viewports at
 * every zoom with and without filters. Places are real cities so radius and
 * map queries hit populated areas.
 */
const places = [
  { lat: 40.71, lon: -74.0 }, { lat: 34.05, lon: -118.24 }, { lat: 51.5, lon: -0.12 }, { lat: 48.85, lon: 2.35 },
  { lat: 19.07, lon: 72.87 }, { lat: 31.23, lon: 121.47 }, { lat: -23.55, lon: -46.63 }, { lat: 35.68, lon: 139.69 },
  { lat: 28.61, lon: 77.2 }, { lat: 52.52, lon: 13.4 }, { lat: -33.86, lon: 151.2 }, { lat: 41.88, lon: -87.63 },
];
const words = ['barista', 'harvest', 'warehouse', 'lifeguard', 'retail', 'server', 'cook', 'driver', 'cleaner', 'guide', 'picker', 'host', 'seasonal', 'holiday', 'festival'];
const categories = ['hospitality', 'retail', 'agriculture', 'warehouse', 'events', 'tourism', 'delivery', 'food_service'];
const types = ['seasonal', 'hourly', 'part_time', 'temporary'];

export function searchPaths(count: number, seed = 1): string[] {
  const rng = createRng(seed);
  const rnd = () => rng.next();
  const pick = <T>(xs: readonly T[]): T => rng.pick(xs);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const p = pick(places);
    switch (i % 5) {
      case 0:
        out.push(`/v1/search?text=${pick(words)}&category=${pick(categories)}&payMin=${Math.floor(rnd() * 15)}`);
        break;
      case 1:
        out.push(`/v1/search?text=${pick(words)}&lat=${p.lat}&lon=${p.lon}&radiusKm=${25 + Math.floor(rnd() * 100)}`);
        break;
      case 2:
        out.push(`/v1/search?category=${pick(categories)}&employmentType=${pick(types)}&facets=true`);
        break;
      case 3:
        out.push(`/v1/search?lat=${p.lat}&lon=${p.lon}&radiusKm=100&sort=distance&employmentType=${pick(types)}`);
        break;
      default:
        out.push(`/v1/search?category=${pick(categories)}&sort=newest&size=20`);
    }
  }
  return out;
}

export function mapPaths(count: number, seed = 2): string[] {
  const rng = createRng(seed);
  const rnd = () => rng.next();
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const zoom = i % 21;
    const p = places[Math.floor(rnd() * places.length)]!;
    // A 1280x800 px viewport at this zoom, centred near a city.
    const lonSpan = Math.min(360, (1280 / 256) * (360 / 2 ** zoom));
    const latSpan = Math.min(170, (800 / 256) * (170 / 2 ** zoom));
    const minLon = Math.max(-180, p.lon - lonSpan / 2);
    const maxLon = Math.min(180, p.lon + lonSpan / 2);
    const minLat = Math.max(-85, p.lat - latSpan / 2);
    const maxLat = Math.min(85, p.lat + latSpan / 2);
    const filter = i % 2 === 0 ? `&category=${categories[i % categories.length]}` : '';
    out.push(`/v1/map?bbox=${minLon.toFixed(4)},${minLat.toFixed(4)},${maxLon.toFixed(4)},${maxLat.toFixed(4)}&zoom=${zoom}${filter}`);
  }
  return out;
}

/**
 * Second pages: each first page of `paths` that has a next page, followed to
 * it by its cursor (paging by cursor needs a real cursor from the service).
 */
export async function cursorPaths(url: string, paths: readonly string[], limit: number): Promise<string[]> {
  const out: string[] = [];
  for (const path of paths) {
    if (out.length >= limit) break;
    const res = await fetch(`${url}${path}`);
    if (!res.ok) continue;
    const body = (await res.json()) as { nextCursor?: string };
    if (body.nextCursor) out.push(`${path}&cursor=${encodeURIComponent(body.nextCursor)}`);
  }
  return out;
}

/** Job-creation bodies (published, open for 30 days from `now`) near the bench's places. */
export function jobBodies(count: number, now: Date, seed = 3): string[] {
  const rng = createRng(seed);
  const expiresAt = new Date(now.getTime() + 30 * 86_400_000).toISOString();
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const p = rng.pick(places);
    const word = rng.pick(words);
    const min = 12 + Math.floor(rng.next() * 10);
    out.push(
      JSON.stringify({
        title: `Bench ${word} ${i}`,
        description: `A ${word} job posted by the benchmark to measure job creation.`,
        category: rng.pick(categories),
        employmentType: rng.pick(types),
        pay: { min, max: min + 4, currency: 'USD', unit: 'hour' },
        location: { point: { lat: p.lat + (rng.next() - 0.5) / 10, lon: p.lon + (rng.next() - 0.5) / 10 }, city: 'Bench City', country: 'US' },
        remote: false,
        skills: ['customer service'],
        experienceYears: 0,
        publish: { expiresAt },
      }),
    );
  }
  return out;
}
