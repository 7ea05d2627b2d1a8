import { type CityTable, jitterPoint, loadCities } from '../../ops/seed/cities.ts';
import { createRng, deriveSeed, type Rng } from '../../ops/seed/prng.ts';
import { categoryShares, categoryWords, type CategoryWords, employmentTypes, employmentTypeShares } from './logVocabulary.ts';
import { zipf } from './zipf.ts';

/**
 * A query log of `/v1/search` requests as users send them, deterministic for
 * a seed: a universe of distinct searches (text of 1-3 words from the
 * dataset's vocabulary, filters, places around the dataset's cities, sorts,
 * facets), each asked with Zipf popularity by rank, and some followed a few
 * requests later by their next page (and that by the one after).
 *
 * A next page is named, not written: its cursor is the service's answer to
 * the page before, so the log says "page n of this search" and the scenario
 * resolves it against the running service (logPaging.ts).
 */
export interface SearchLogEntry {
  /** The first page's path: `/v1/search?...`. */
  path: string;
  /** 1 for the search itself; n > 1: the page reached by following nextCursor n - 1 times. */
  page: number;
}

export interface SearchLogOptions {
  seed?: number;
  /** The log grows until it holds at least this many distinct searches (first pages). Default 50 000. */
  distinct?: number;
  /** Zipf exponent of the searches' popularity by rank. Default 1. */
  zipf?: number;
  /** Share of searches whose next page is asked too. Default 0.12. */
  nextPageShare?: number;
}

export interface SearchLog {
  entries: SearchLogEntry[];
  /** Distinct first pages in `entries`. */
  distinct: number;
  /** Searches the popularity ranks run over (the log asks a part of them). */
  universe: number;
  zipf: number;
}

const DOMAIN_SEARCH_LOG = 0x5e4c;
/** Ranks drawn from: large enough that the log's distinct count is not capped by it. */
const UNIVERSE_PER_DISTINCT = 8;
/** A log longer than this per distinct search means the exponent is too steep to reach the count. */
const MAX_ENTRIES_PER_DISTINCT = 40;
const radii = [10, 25, 25, 50, 100];
const postedWithin = [1, 3, 7, 14, 30];
const sorts = ['relevance', 'distance', 'newest', 'pay', 'expiring'] as const;

const round = (x: number, digits: number): string => String(Math.round(x * 10 ** digits) / 10 ** digits);

function word(rng: Rng, c: CategoryWords): string {
  const pools = [c.keywords, c.titleWords, c.skills, c.rare].filter((p) => p.length > 0);
  const weights = [55, 25, 12, 8].slice(0, pools.length);
  return rng.pick(rng.weighted(pools, weights));
}

/** 1-3 words, mostly of one category, sometimes one of another. */
function textOf(rng: Rng, c: CategoryWords): string {
  const n = rng.weighted([1, 2, 3], [60, 30, 10]);
  const words = new Set<string>();
  for (let i = 0; i < n; i++) words.add(word(rng, rng.chance(0.85) ? c : rng.weighted(categoryWords, categoryShares)));
  return [...words].join(' ');
}

/** A place: a city by name, or a radius around a point (true). */
function placeOf(rng: Rng, cities: CityTable, q: [string, string][]): boolean {
  const city = cities.pick(rng);
  if (rng.chance(0.08)) {
    q.push(['city', city.name]);
    return false;
  }
  // Most pick the city from the place box (its centre); some search around where they stand.
  const [point, digits] = rng.chance(0.75) ? [city, 4] : [jitterPoint(rng, city, 10), 3];
  q.push(['lat', round(point.lat, digits)], ['lon', round(point.lon, digits)], ['radiusKm', String(rng.pick(radii))]);
  return true;
}

/** The search of one draw; popular ranks are short, the tail piles on filters. */
export function searchPathOf(rng: Rng, cities: CityTable, rank: number): string {
  const detail = Math.min(1, 0.4 + Math.log10(rank) / 6);
  const q: [string, string][] = [];
  const c = rng.weighted(categoryWords, categoryShares);
  if (rng.chance(0.75)) q.push(['text', textOf(rng, c)]);
  if (rng.chance(0.15 + 0.3 * detail)) q.push(['category', rng.chance(0.9) ? c.category : [c.category, rng.weighted(categoryWords, categoryShares).category].join(',')]);
  if (rng.chance(0.25 * detail)) {
    const types = new Set([rng.weighted(employmentTypes, employmentTypeShares)]);
    if (rng.chance(0.2)) types.add(rng.weighted(employmentTypes, employmentTypeShares));
    q.push(['employmentType', [...types].join(',')]);
  }
  if (rng.chance(0.2 * detail)) q.push(['payMin', String(rng.int(12, 25))]);
  if (rng.chance(0.05)) q.push(['remote', 'true']);
  if (rng.chance(0.1 * detail)) {
    q.push(['skills', rng.sample(c.skills, rng.int(1, 2)).join(',')]);
    if (rng.chance(0.2)) q.push(['skillsMode', 'all']);
  }
  if (rng.chance(0.05)) q.push(['postedWithinDays', String(rng.pick(postedWithin))]);
  const near = rng.chance(0.2 + 0.3 * detail) ? placeOf(rng, cities, q) : false;
  // Relevance is the default (left out); distance only with a point to measure from.
  const sort = rng.weighted(sorts, [40, near ? 35 : 0, 15, 7, 3]);
  if (sort !== 'relevance') q.push(['sort', sort]);
  if (rng.chance(0.2)) q.push(['facets', 'true']);
  if (rng.chance(0.1)) q.push(['highlight', 'true']);
  if (rng.chance(0.08)) q.push(['size', '50']);
  return q.length === 0 ? '/v1/search' : `/v1/search?${q.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}`;
}

/** `path` with the cursor of the page before. */
export const withCursor = (path: string, cursor: string): string => `${path}${path.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(cursor)}`;

export function searchLog(options: SearchLogOptions = {}): SearchLog {
  const seed = options.seed ?? 42;
  const want = options.distinct ?? 50_000;
  const s = options.zipf ?? 1;
  const nextShare = options.nextPageShare ?? 0.12;
  const cities = loadCities();
  const universe = want * UNIVERSE_PER_DISTINCT;
  const ranks = zipf(universe, s);
  // Rank r is the r-th distinct search its generator yields (a candidate equal to an earlier one is skipped).
  const byRank: string[] = [];
  const known = new Set<string>();
  let candidates = 0;
  const searchAt = (rank: number): string => {
    while (byRank.length < rank) {
      const path = searchPathOf(createRng(deriveSeed(seed, DOMAIN_SEARCH_LOG, candidates++)), cities, byRank.length + 1);
      if (known.has(path)) continue;
      known.add(path);
      byRank.push(path);
    }
    return byRank[rank - 1]!;
  };
  const rng = createRng(deriveSeed(seed, DOMAIN_SEARCH_LOG + 1, 0));
  const entries: SearchLogEntry[] = [];
  const asked = new Set<number>();
  // Next pages come a few requests after the page before (other users ask in between).
  const pending = new Map<number, SearchLogEntry[]>();
  const later = (entry: SearchLogEntry): void => {
    const at = entries.length + rng.int(1, 30);
    pending.set(at, [...(pending.get(at) ?? []), entry]);
  };
  while (asked.size < want) {
    if (entries.length > want * MAX_ENTRIES_PER_DISTINCT) throw new RangeError(`search log: ${asked.size} distinct searches after ${entries.length} requests; zipf ${s} is too steep for ${want}`);
    const due = pending.get(entries.length) ?? [];
    pending.delete(entries.length);
    for (const next of due) {
      entries.push(next);
      if (rng.chance(0.3)) later({ path: next.path, page: next.page + 1 });
    }
    const rank = ranks.draw(rng);
    asked.add(rank);
    const entry = { path: searchAt(rank), page: 1 };
    entries.push(entry);
    if (rng.chance(nextShare)) later({ path: entry.path, page: 2 });
  }
  return { entries, distinct: asked.size, universe, zipf: s };
}
