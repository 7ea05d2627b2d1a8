import type { Category, DomainEvent, EmploymentType } from '../../eventstore/events/index.ts';
import { categories } from '../../eventstore/events/index.ts';
import { categoryContent } from './categoryContent.ts';
import type { Rng } from './prng.ts';
import { createRng, deriveSeed } from './prng.ts';
import { DOMAIN_SEARCH_ALLOCATION } from './seedDomains.ts';
import { searchIdOf } from './seedIds.ts';
import { capitalize } from './seedText.ts';
import { iso, sec } from './seedTime.ts';
import { categoryWeights } from './seedWeights.ts';

const radiusChoices = [10, 25, 25, 25, 50];
const searchEmploymentTypes: readonly EmploymentType[][] = [['seasonal'], ['part_time', 'hourly'], ['seasonal', 'temporary'], ['full_time']];

/** How many saved searches each worker gets (uniformly random owners, ids in worker order). */
export function allocateSearches(seed: number, workers: number, searches: number): Uint32Array {
  const perWorker = new Uint32Array(workers);
  const rng = createRng(deriveSeed(seed, DOMAIN_SEARCH_ALLOCATION, 0));
  for (let s = 0; s < searches; s++) {
    const w = rng.int(0, workers - 1);
    perWorker[w] = (perWorker[w] ?? 0) + 1;
  }
  return perWorker;
}

export interface SearchOwner {
  workerId: string;
  /** The worker's categories: most searches stay within them. */
  cats: readonly Category[];
  point: { lat: number; lon: number };
  cityName: string;
  /** When the worker's profile was last updated: searches come after it. */
  updatedAtMs: number;
}

/**
 * A worker's SearchSaved events, drawn from the worker's own generator (so
 * they must be drawn at the same point of its sequence as ever).
 */
export function savedSearchEvents(
  rng: Rng,
  owner: SearchOwner,
  now: number,
  searches: { first: number; count: number },
): { at: number; event: DomainEvent }[] {
  const { workerId, cats, point, updatedAtMs } = owner;
  const timed: { at: number; event: DomainEvent }[] = [];
  // Search ids follow the order in which the worker saved them.
  const searchTimes: number[] = [];
  for (let s = 0; s < searches.count; s++) searchTimes.push(sec(updatedAtMs + rng.range(0.05, 1) * (now - updatedAtMs)));
  searchTimes.sort((x, y) => x - y);
  for (let s = 0; s < searches.count; s++) {
    const searchId = searchIdOf(searches.first + s);
    const at = searchTimes[s] ?? now;
    const category = rng.chance(0.8) ? rng.pick(cats) : rng.weighted(categories, categoryWeights);
    const text = rng.chance(0.85) ? rng.pick(categoryContent[category].keywords) : undefined;
    const withCategory = !text || rng.chance(0.7);
    const radiusKm = rng.pick(radiusChoices);
    const query: Record<string, unknown> = {};
    // The shape of query/model's SearchRequest (filters are arrays: "any of").
    if (text) query.text = text;
    if (withCategory) query.category = [category];
    if (rng.chance(0.25)) query.employmentType = rng.pick(searchEmploymentTypes);
    query.near = { lat: point.lat, lon: point.lon, radiusKm };
    const label = text ? capitalize(text) : capitalize(category.replace(/_/g, ' '));
    timed.push({
      at,
      event: {
        type: 'SearchSaved',
        data: { workerId, searchId, name: `${label} jobs near ${owner.cityName}`, query, alertFrequency: rng.chance(0.8) ? 'instant' : 'off', alertHour: 8, alertWeekday: 1, timeZone: 'UTC', savedAt: iso(at) },
      },
    });
  }
  return timed;
}
