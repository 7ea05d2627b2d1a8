// The named queries of the conformance suite. Values come from the dataset
// (its busiest business, skills, cities) so that every filter selects
// something; the list is fixed for a given dataset.
import type { WorkerProfile } from '../../eventstore/events/index.ts';
import type { JobDocument } from '../../mappings/jobDocument.ts';
import type { MapInput, SearchInput } from '../../query/engine/dsl/search.ts';
import type { BBox } from '../../query/model/searchRequest.ts';
import { DATASET_NOW, type DatasetFacts } from './dataset.ts';

const DAY = 86_400_000;

export interface SearchCase {
  name: string;
  request: SearchInput;
  /** The `now` of the query (default the dataset's). */
  now?: Date;
}

export interface TextCase {
  name: string;
  request: SearchInput & { text: string };
  /**
   * A broad query (many jobs match in several fields): the same matches are
   * required, the ranking agreement is measured and printed but not asserted,
   * since relevance is engine-specific. The rare-title-word queries assert it.
   */
  broad?: true;
}

export interface Viewport {
  name: string;
  bbox: BBox;
}

/** Map viewports: the world, a continent, one metro area, one across the antimeridian. */
export function viewports(facts: DatasetFacts): Viewport[] {
  const city = facts.cities[0]!;
  return [
    { name: 'world', bbox: { minLat: -85, minLon: -180, maxLat: 85, maxLon: 180 } },
    { name: 'europe', bbox: { minLat: 34, minLon: -12, maxLat: 62, maxLon: 32 } },
    { name: `metro ${city.name}`, bbox: { minLat: city.lat - 0.6, minLon: city.lon - 0.7, maxLat: city.lat + 0.6, maxLon: city.lon + 0.7 } },
    { name: 'pacific (crosses the antimeridian)', bbox: { minLat: -50, minLon: 150, maxLat: 60, maxLon: -150 } },
  ];
}

/** Filter sets the map is asked with, besides none. */
export function mapFilterSets(facts: DatasetFacts): Array<{ name: string; filters: Omit<MapInput, 'bbox' | 'zoom'> }> {
  return [
    { name: 'no filters', filters: {} },
    { name: 'category+remote=false+payMin', filters: { category: ['hospitality', 'retail', 'food_service', 'warehouse'], remote: false, payMin: 2 } },
    { name: `owner ${facts.ownerBusiness} includeClosed`, filters: { businessId: facts.ownerBusiness, includeClosed: true } },
    { name: `city ${facts.cities[0]!.name} or ${facts.cities[3]!.name} + remote=false`, filters: { city: [facts.cities[0]!.name, facts.cities[3]!.name], remote: false } },
    { name: `owner ${facts.ownerBusiness} status draft`, filters: { businessId: facts.ownerBusiness, includeClosed: true, status: 'draft' } },
  ];
}

function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
}

/** Non-text queries: both stores must give the very same answers, page by page. */
export function searchCases(docs: readonly JobDocument[], facts: DatasetFacts): SearchCase[] {
  const open = docs.filter((d) => d.status === 'open');
  const pay = open.map((d) => d.hourlyMax);
  const p25 = quantile(pay, 0.25);
  const p75 = quantile(pay, 0.75);
  // A value many jobs pay exactly (inclusive bounds, ties in the pay sort).
  const counts = new Map<number, number>();
  for (const d of open) counts.set(d.hourlyMax, (counts.get(d.hourlyMax) ?? 0) + 1);
  const commonPay = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]![0];
  const [c0, c1, c2] = facts.cities;
  const biz = facts.businesses;
  const [s0, s1, s2] = facts.skills;
  const [pa, pb] = facts.skillPair;
  const near = (c: { lat: number; lon: number } | undefined, radiusKm: number) => ({ lat: c!.lat, lon: c!.lon, radiusKm });
  const europe: BBox = { minLat: 34, minLon: -12, maxLat: 62, maxLon: 32 };
  const pacific: BBox = { minLat: -50, minLon: 150, maxLat: 60, maxLon: -150 };
  const later = new Date(DATASET_NOW.getTime() + 45 * DAY);
  // The instant the owner's first open job expires: from then on it is expired.
  const ownerOpen = open.filter((d) => d.businessId === facts.ownerBusiness && d.expiresAt !== undefined && Date.parse(d.expiresAt) > DATASET_NOW.getTime());
  const firstExpiry = new Date(Math.min(...ownerOpen.map((d) => Date.parse(d.expiresAt!))));
  const owner = { businessId: facts.ownerBusiness, includeClosed: true } as const;
  const cases: SearchCase[] = [
    // every visible job, each sort
    { name: 'all visible, relevance without text (= newest)', request: { size: 100 } },
    { name: 'all visible, newest, facets', request: { sort: 'newest', size: 100, facets: true } },
    { name: 'all visible, pay', request: { sort: 'pay', size: 100 } },
    // each filter alone
    { name: 'category one', request: { category: ['hospitality'], sort: 'newest', size: 50 } },
    { name: 'category several, facets', request: { category: ['agriculture', 'events', 'tourism'], sort: 'pay', size: 50, facets: true } },
    { name: 'employmentType one', request: { employmentType: ['seasonal'], size: 50 } },
    { name: 'employmentType several', request: { employmentType: ['gig', 'temporary'], sort: 'pay', size: 50 } },
    { name: `payMin ${p75}`, request: { payMin: p75, sort: 'pay', size: 50 } },
    { name: `payMax ${p25}`, request: { payMax: p25, sort: 'pay', size: 50 } },
    { name: `payMin ${p25} payMax ${p75}, facets`, request: { payMin: p25, payMax: p75, sort: 'newest', size: 100, facets: true } },
    { name: `payMin = payMax = ${commonPay} (inclusive bounds, pay ties)`, request: { payMin: commonPay, payMax: commonPay, sort: 'pay', size: 25 } },
    { name: 'availableFrom only', request: { availableFrom: '2026-09-15', sort: 'newest', size: 100 } },
    { name: 'availableTo only', request: { availableTo: '2026-06-10', sort: 'pay', size: 50 } },
    { name: 'availability window', request: { availableFrom: '2026-07-01', availableTo: '2026-07-14', size: 100 } },
    { name: 'availability single day', request: { availableFrom: '2026-08-01', availableTo: '2026-08-01', sort: 'pay', size: 100 } },
    { name: `skills any [${s0}, ${s2}]`, request: { skills: [s0!, s2!], size: 50 } },
    { name: `skills all [${pa}, ${pb}]`, request: { skills: [pa, pb], skillsMode: 'all', sort: 'pay', size: 10 } },
    { name: `skills all [${s0}, ${s1}] upper-case`, request: { skills: [s0!.toUpperCase(), s1!], skillsMode: 'all', size: 20 } },
    { name: 'skills any, unknown skill only (empty)', request: { skills: ['no such skill'], size: 20 } },
    { name: 'remote true', request: { remote: true, sort: 'pay', size: 50 } },
    { name: 'remote false', request: { remote: false, size: 100 } },
    { name: 'postedWithinDays 1', request: { postedWithinDays: 1, sort: 'newest', size: 20 } },
    { name: 'postedWithinDays 7, facets', request: { postedWithinDays: 7, sort: 'pay', size: 50, facets: true } },
    { name: 'postedSince 3 days ago, newest', request: { postedSince: new Date(DATASET_NOW.getTime() - 3 * DAY).toISOString(), sort: 'newest', size: 50 } },
    { name: 'postedSince 10 days ago and postedWithinDays 4 (the later bound), facets', request: { postedSince: new Date(DATASET_NOW.getTime() - 10 * DAY + 1).toISOString(), postedWithinDays: 4, sort: 'pay', size: 50, facets: true } },
    { name: `businessId ${biz[1]}`, request: { businessId: biz[1]!, sort: 'newest', size: 20 } },
    { name: `businessId ${facts.ownerBusiness} includeClosed (owner listing, drafts last)`, request: { businessId: facts.ownerBusiness, includeClosed: true, sort: 'newest', size: 15 } },
    { name: `businessId ${facts.ownerBusiness} includeClosed, pay, facets`, request: { businessId: facts.ownerBusiness, includeClosed: true, sort: 'pay', size: 30, facets: true } },
    { name: 'includeClosed without businessId (ignored)', request: { includeClosed: true, category: ['cleaning'], sort: 'newest', size: 50 } },
    // the owner listing by effective status (effectiveStatus.ts)
    { name: `owner ${facts.ownerBusiness} status draft, newest`, request: { ...owner, status: 'draft', sort: 'newest', size: 5 } },
    { name: `owner ${facts.ownerBusiness} status closed, pay`, request: { ...owner, status: 'closed', sort: 'pay', size: 4 } },
    { name: `owner ${facts.ownerBusiness} status open, newest`, request: { ...owner, status: 'open', sort: 'newest', size: 40 } },
    { name: `owner ${facts.ownerBusiness} status open 45 days later (the expired left out), newest`, request: { ...owner, status: 'open', sort: 'newest', size: 25 }, now: later },
    { name: `owner ${facts.ownerBusiness} status expired 45 days later (open jobs past expiresAt), newest, facets`, request: { ...owner, status: 'expired', sort: 'newest', size: 25, facets: true }, now: later },
    { name: `owner ${facts.ownerBusiness} status expired at the instant a job expires (expired from then)`, request: { ...owner, status: 'expired', sort: 'newest', size: 10 }, now: firstExpiry },
    { name: `owner ${facts.ownerBusiness} status expired + category, pay`, request: { ...owner, status: 'expired', category: ['hospitality', 'retail', 'food_service', 'events'], sort: 'pay', size: 10 }, now: later },
    { name: 'status open without an owner listing (the visible jobs), pay', request: { status: 'open', sort: 'pay', size: 100 } },
    { name: 'status draft without an owner listing (empty: it only narrows the visible jobs)', request: { businessId: facts.ownerBusiness, status: 'draft', sort: 'newest', size: 20 } },
    // geo
    { name: `near ${c0!.name} 25 km, distance`, request: { near: near(c0, 25), sort: 'distance', size: 7 } },
    { name: `near ${c1!.name} 400 km, distance, facets`, request: { near: near(c1, 400), sort: 'distance', size: 10, facets: true } },
    { name: `near ${c2!.name} 1500 km, newest`, request: { near: near(c2, 1500), sort: 'newest', size: 25 } },
    { name: `near ${c0!.name} 800 km, relevance without text`, request: { near: near(c0, 800), size: 25 } },
    { name: `near ${c1!.name} 2000 km, pay`, request: { near: near(c1, 2000), sort: 'pay', size: 40 } },
    { name: 'near mid-Pacific 5500 km (circle across the antimeridian), distance', request: { near: { lat: -10, lon: 179.5, radiusKm: 5500 }, sort: 'distance', size: 6 } },
    { name: 'bbox europe, newest', request: { bbox: europe, sort: 'newest', size: 50 } },
    { name: 'bbox pacific across the antimeridian, newest', request: { bbox: pacific, sort: 'newest', size: 5 } },
    { name: 'bbox pacific across the antimeridian, pay, facets', request: { bbox: pacific, sort: 'pay', size: 4, facets: true } },
    { name: 'bbox empty ocean', request: { bbox: { minLat: -40, minLon: -130, maxLat: -30, maxLon: -120 }, size: 10 } },
    { name: `near ${c0!.name} 3000 km and bbox, distance`, request: { near: near(c0, 3000), bbox: { minLat: c0!.lat - 8, minLon: c0!.lon - 6, maxLat: c0!.lat + 3, maxLon: c0!.lon + 12 }, sort: 'distance', size: 10 } },
    // combinations
    { name: 'category+type+payMin+remote=false+posted 14d', request: { category: ['hospitality', 'retail', 'food_service'], employmentType: ['part_time', 'hourly', 'seasonal'], payMin: p25, remote: false, postedWithinDays: 14, sort: 'pay', size: 20, facets: true } },
    { name: 'skills any + availability + near 3000 km, distance', request: { skills: [s0!, s1!, s2!], availableFrom: '2026-06-20', availableTo: '2026-07-20', near: near(c1, 3000), sort: 'distance', size: 9 } },
    { name: `businessId ${biz[0]} + category + payMax`, request: { businessId: biz[0]!, category: ['hospitality', 'events', 'retail', 'food_service', 'tourism'], payMax: p75, sort: 'pay', size: 10 } },
    { name: 'owner listing + remote=false + bbox world, pay', request: { businessId: facts.ownerBusiness, includeClosed: true, remote: false, bbox: { minLat: -90, minLon: -180, maxLat: 90, maxLon: 180 }, sort: 'pay', size: 20 } },
    { name: 'every filter at once', request: { category: ['hospitality', 'retail', 'food_service', 'warehouse', 'cleaning', 'events'], employmentType: ['part_time', 'hourly', 'seasonal', 'full_time'], payMin: 1, payMax: 30, availableFrom: '2026-06-01', availableTo: '2026-12-31', skills: [s0!, s1!, s2!], remote: false, postedWithinDays: 30, bbox: { minLat: -60, minLon: -180, maxLat: 75, maxLon: 180 }, near: { lat: 20, lon: 0, radiusKm: 12000 }, sort: 'distance', size: 50, facets: true } },
    // multi-select facets: each facet counts under every filter but its own (the reference checks them too)
    { name: `city ${c0!.name}, newest, facets`, request: { city: [c0!.name], sort: 'newest', size: 50, facets: true } },
    { name: `city ${c1!.name} or ${c2!.name} + category + remote=false, pay, facets`, request: { city: [c1!.name, c2!.name], category: ['hospitality', 'retail', 'food_service', 'events'], remote: false, sort: 'pay', size: 20, facets: true } },
    { name: 'city unknown (empty), facets', request: { city: ['No Such Town'], size: 10, facets: true } },
    { name: `skills all [${pa}, ${pb}] + postedWithinDays 14 + payMin ${p25}, facets`, request: { skills: [pa, pb], skillsMode: 'all', postedWithinDays: 14, payMin: p25, size: 30, facets: true } },
    { name: 'type + payMax + remote=true + postedSince 20 days ago, newest, facets', request: { employmentType: ['part_time', 'seasonal', 'gig'], payMax: p75, remote: true, postedSince: new Date(DATASET_NOW.getTime() - 20 * DAY).toISOString(), sort: 'newest', size: 25, facets: true } },
    { name: `every facet's filter + availability + near ${c0!.name} 4000 km, distance, facets`, request: { category: ['hospitality', 'retail', 'food_service', 'warehouse', 'events'], employmentType: ['part_time', 'seasonal', 'full_time', 'hourly'], payMin: 1, payMax: 40, skills: [s0!, s1!, s2!], city: [c0!.name, c1!.name, c2!.name], remote: false, postedWithinDays: 30, availableFrom: '2026-06-15', near: near(c0, 4000), sort: 'distance', size: 10, facets: true } },
    { name: `owner ${facts.ownerBusiness} includeClosed + category + remote=false, pay, facets`, request: { businessId: facts.ownerBusiness, includeClosed: true, category: ['hospitality', 'retail', 'food_service', 'events', 'warehouse'], remote: false, sort: 'pay', size: 20, facets: true } },
    { name: 'facets at a later now (posted-within buckets move with now)', request: { category: ['hospitality', 'retail'], postedWithinDays: 60, sort: 'newest', size: 50, facets: true }, now: later },
    // expiring: soonest expiresAt first, ties by jobId
    { name: 'all visible, expiring', request: { sort: 'expiring', size: 100 } },
    { name: 'category several, expiring, small pages', request: { category: ['agriculture', 'events', 'tourism'], sort: 'expiring', size: 7 } },
    { name: `near ${c1!.name} 2000 km, expiring`, request: { near: near(c1, 2000), sort: 'expiring', size: 30 } },
    { name: `businessId ${facts.ownerBusiness} includeClosed, expiring (drafts without expiresAt last)`, request: { businessId: facts.ownerBusiness, includeClosed: true, sort: 'expiring', size: 4 } },
    { name: 'all visible 45 days later (some expired), expiring', request: { sort: 'expiring', size: 100 }, now: later },
    // time: expiry at a later `now`
    { name: 'all visible 45 days later (some expired), newest', request: { sort: 'newest', size: 100 }, now: later },
    { name: 'postedWithinDays 60, 45 days later, pay', request: { postedWithinDays: 60, sort: 'pay', size: 50, facets: true }, now: later },
  ];
  return cases;
}

/**
 * Text queries: rare title words (a handful of visible jobs carry them), a
 * two-word query, text with filters and text under a non-relevance sort.
 */
export function textCases(docs: readonly JobDocument[], facts: DatasetFacts): TextCase[] {
  const open = docs.filter((d) => d.status === 'open');
  const df = new Map<string, number>();
  for (const d of open) for (const w of new Set(d.title.toLowerCase().match(/\p{L}+/gu) ?? [])) df.set(w, (df.get(w) ?? 0) + 1);
  const rare = [...df.entries()]
    .filter(([w, n]) => n >= 2 && n <= 25 && w.length >= 6)
    .sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1))
    .map(([w]) => w);
  // Spread the picks over the list: the rarest and some a little more common.
  const picks = [0, 2, 4, 7, 10, 14, 18, 23].map((i) => rare[i]).filter((w): w is string => w !== undefined);
  const cases: TextCase[] = picks.map((w) => ({ name: `text "${w}"`, request: { text: w, size: 20 } }));
  const a = rare[1];
  const b = rare[12];
  if (a !== undefined) cases.push({ name: `text "${a} job" (two words, operator and)`, request: { text: `${a} job`, size: 20 } });
  if (b !== undefined) cases.push({ name: `text "${b}" remote=false`, request: { text: b, remote: false, size: 20 } });
  cases.push({ name: 'broad: text "barista" category hospitality', request: { text: 'barista', category: ['hospitality', 'food_service'], size: 20 }, broad: true });
  cases.push({ name: `broad: text "${facts.skills[0]}" (a skill) near ${facts.cities[1]!.name} 3000 km`, request: { text: facts.skills[0]!, near: { lat: facts.cities[1]!.lat, lon: facts.cities[1]!.lon, radiusKm: 3000 }, size: 20 }, broad: true });
  return cases;
}

/** Text as a filter under a non-relevance sort: the matching set and order are exact. */
export function textSortedCases(docs: readonly JobDocument[], facts: DatasetFacts): SearchCase[] {
  const [first, second] = textCases(docs, facts);
  const out: SearchCase[] = [];
  if (first) out.push({ name: `${first.name}, newest`, request: { ...first.request, sort: 'newest' } });
  if (second) out.push({ name: `${second.name}, pay`, request: { ...second.request, sort: 'pay', size: 3 } });
  out.push({ name: 'text "warehouse", pay, facets', request: { text: 'warehouse', sort: 'pay', size: 50, facets: true } });
  out.push({ name: `text "warehouse" + city ${facts.cities[0]!.name} or ${facts.cities[1]!.name} + remote=false, newest, facets`, request: { text: 'warehouse', city: [facts.cities[0]!.name, facts.cities[1]!.name], remote: false, sort: 'newest', size: 20, facets: true } });
  out.push({ name: 'text "warehouse", expiring', request: { text: 'warehouse', sort: 'expiring', size: 20 } });
  return out;
}

/**
 * Workers to rank for under sort `match`: near a busy city with skills,
 * windows and a pay ask; one with no location and no windows (the factors'
 * neutral cases); one with an open-ended window and a short reach.
 */
export function matchWorkers(facts: DatasetFacts): Array<{ name: string; worker: WorkerProfile }> {
  const [c0, c1] = facts.cities;
  const s = facts.skills;
  return [
    {
      name: `skilled worker in ${c0!.name}`,
      worker: { name: 'A', skills: [s[0]!, s[1]!, s[3]!], location: { lat: c0!.lat, lon: c0!.lon }, maxTravelKm: 80, desiredHourlyPay: 18, currency: 'USD', availability: [{ from: '2026-06-10', to: '2026-08-31' }], experienceYears: 2 },
    },
    {
      name: 'worker without location or windows',
      worker: { name: 'B', skills: [s[2]!], maxTravelKm: 50, currency: 'USD', availability: [], experienceYears: 0 },
    },
    {
      name: `worker in ${c1!.name}, short reach, open-ended window`,
      worker: { name: 'C', skills: [s[4]!, s[5]!, 'no such skill'], location: { lat: c1!.lat, lon: c1!.lon }, maxTravelKm: 15, desiredHourlyPay: 30, currency: 'EUR', availability: [{ from: '2026-07-01' }, { from: '2026-06-01', to: '2026-06-20' }], experienceYears: 5 },
    },
  ];
}

export interface MatchCase extends SearchCase {
  worker: WorkerProfile;
}

/** Queries under sort `match`, each for every worker of matchWorkers. */
export function matchCases(docs: readonly JobDocument[], facts: DatasetFacts): MatchCase[] {
  const [c0] = facts.cities;
  const [first] = textCases(docs, facts);
  const later = new Date(DATASET_NOW.getTime() + 45 * DAY);
  const queries: SearchCase[] = [
    { name: 'all visible', request: { sort: 'match', size: 100 } },
    { name: 'category several, small pages', request: { category: ['hospitality', 'retail', 'food_service'], sort: 'match', size: 25 } },
    { name: `near ${c0!.name} 300 km, remote=false`, request: { near: { lat: c0!.lat, lon: c0!.lon, radiusKm: 300 }, remote: false, sort: 'match', size: 25 } },
    { name: 'remote only', request: { remote: true, sort: 'match', size: 20 } },
    { name: 'all visible 45 days later', request: { sort: 'match', size: 100 }, now: later },
  ];
  if (first) queries.push({ name: `${first.name} (text as a filter)`, request: { ...first.request, sort: 'match', size: 5 } });
  return matchWorkers(facts).flatMap(({ name, worker }) => queries.map((q) => ({ ...q, name: `${q.name}, for ${name}`, worker })));
}

/**
 * Words to search for, to hold the two analyzers to one another: every 40th
 * distinct word of the dataset's titles, descriptions and skills (trimmed of
 * surrounding punctuation), plus every distinct word with an apostrophe or a
 * letter outside ASCII (the classes where tokenizers part ways).
 */
export function vocabulary(docs: readonly JobDocument[]): string[] {
  const words = new Set<string>();
  for (const d of docs) {
    for (const raw of `${d.title} ${d.description} ${d.skills.join(' ')}`.split(/\s+/)) {
      const w = raw.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
      if (w.length > 0) words.add(w);
    }
  }
  const sorted = [...words].sort();
  const sample = sorted.filter((_, i) => i % 40 === 0);
  const risky = sorted.filter((w) => /['’]/.test(w) || /[^\u0020-\u007e]/.test(w));
  return [...new Set([...sample, ...risky])];
}

/** What people type: lowercase ASCII for a Turkish dotted capital, possessives, contractions. */
export const userTextInputs: readonly string[] = ["driver's license", "it's", 'izmir', 'İzmir', 'istanbul', 'İstanbul', "o'clock", 'full-time', 'check-in', 'rüsselsheim'];
