import type { Category, DomainEvent, EmploymentType, EventType, JobLocation, Pay, PayUnit, TimeWindow } from '../../eventstore/events/index.ts';
import { categories, eventTypes } from '../../eventstore/events/index.ts';
import type { City, CityTable } from './cities.ts';
import { jitterPoint, loadCities } from './cities.ts';
import type { CategoryContent, Season, TitleSpec } from './content.ts';
import {
  businessPrefixes,
  categoryContent,
  closingSentences,
  currencyOf,
  employmentTypeWeights,
  firstNames,
  generalPerks,
  lastNames,
  payLevelOf,
  shiftSentences,
} from './content.ts';
import type { Rng } from './prng.ts';
import { createRng, deriveSeed } from './prng.ts';

/**
 * Deterministic demo / benchmark dataset: businesses, jobs (drafted, published,
 * some closed), workers with profiles, saved jobs and saved searches, as
 * catalog domain events grouped by stream. Same options (seed and `now`
 * included) give byte-identical output; nothing reads the clock or Math.random.
 */

export interface DatasetOptions {
  jobs: number;
  /** Default max(50, jobs / 20). */
  workers?: number;
  /** Default max(20, jobs / 50). */
  businesses?: number;
  /** Default about workers / 2. */
  savedSearches?: number;
  /** Default 42. */
  seed?: number;
  /** The dataset's "present": publications lie before it, expiries after it. */
  now: Date;
}

export type SeedStreamKind = 'business' | 'job' | 'worker';

export interface SeedStream {
  /** Businesses come first, then jobs, then workers (whose saved jobs point at jobs). */
  kind: SeedStreamKind;
  streamId: string;
  events: DomainEvent[];
  /** When each event happened (ISO instant), one per event, non-decreasing: for the metadata. */
  occurredAt: string[];
}

/** What the options ask for, known before any event is generated. */
export interface DatasetPlan {
  seed: number;
  now: string;
  businesses: number;
  jobs: number;
  workers: number;
  savedSearches: number;
  /** businesses + jobs + workers: one stream each. */
  streams: number;
}

/** What an iteration has produced so far (complete once it has finished). */
export interface DatasetCounts {
  streams: number;
  events: number;
  byType: Record<EventType, number>;
  /** Jobs published and not closed: open at `now`. */
  openJobs: number;
}

export interface Dataset extends Iterable<SeedStream> {
  readonly plan: DatasetPlan;
  /** Counts of the latest iteration (each iteration starts afresh and yields the same streams). */
  counts(): DatasetCounts;
}

export const DEFAULT_SEED = 42;

const DAY = 86_400_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;

const DOMAIN_JOB = 1;
const DOMAIN_BUSINESS = 2;
const DOMAIN_WORKER = 3;
const DOMAIN_SEARCH_ALLOCATION = 4;

/** Share of jobs left as drafts, and share published then closed. */
const DRAFT_SHARE = 0.08;
const CLOSED_SHARE = 0.04;

const pad = (n: number, width: number): string => String(n).padStart(width, '0');
export const businessIdOf = (i: number): string => `b${pad(i + 1, 5)}`;
export const jobIdOf = (i: number): string => `j${pad(i + 1, 6)}`;
export const workerIdOf = (i: number): string => `w${pad(i + 1, 5)}`;
export const searchIdOf = (i: number): string => `s${pad(i + 1, 5)}`;

const iso = (ms: number): string => new Date(ms).toISOString();
const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
/** Whole seconds: tidier timestamps. */
const sec = (ms: number): number => Math.floor(ms / 1000) * 1000;
const dayStart = (ms: number): number => Math.floor(ms / DAY) * DAY;

function checkCount(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  return value;
}

export function planDataset(options: DatasetOptions): DatasetPlan {
  if (!(options.now instanceof Date) || Number.isNaN(options.now.getTime())) throw new RangeError('now must be a valid Date');
  const jobs = checkCount('jobs', options.jobs);
  const businesses = checkCount('businesses', options.businesses ?? Math.max(20, Math.floor(jobs / 50)));
  const workers = checkCount('workers', options.workers ?? Math.max(50, Math.floor(jobs / 20)));
  const savedSearches = checkCount('savedSearches', options.savedSearches ?? Math.round(workers / 2));
  const seed = options.seed ?? DEFAULT_SEED;
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  if (jobs > 0 && businesses === 0) throw new RangeError('jobs need at least one business');
  if (savedSearches > 0 && workers === 0) throw new RangeError('saved searches need at least one worker');
  return { seed, now: options.now.toISOString(), businesses, jobs, workers, savedSearches, streams: businesses + jobs + workers };
}

// ---------------------------------------------------------------- seasons --

const northMonths: Record<Season, readonly number[]> = {
  winter: [11, 0, 1],
  spring: [2, 3, 4],
  summer: [5, 6, 7],
  autumn: [8, 9, 10],
  holiday: [10, 11],
};

function seasonMonths(season: Season, south: boolean): readonly number[] {
  const months = northMonths[season];
  return south && season !== 'holiday' ? months.map((m) => (m + 6) % 12) : months;
}

interface SeasonWindow {
  season: Season;
  south: boolean;
  start: number;
  /** Last day of the season (00:00 UTC). */
  end: number;
  current: boolean;
}

/** The occurrence of `season` under way at `now`, or else the next one. */
function seasonWindow(season: Season, south: boolean, now: number): SeasonWindow {
  const months = seasonMonths(season, south);
  const first = months[0] ?? 0;
  const d = new Date(now);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth();
  const offset = months.indexOf(month);
  const startMonth = offset >= 0 ? month - offset : month + ((first - month + 12) % 12);
  const end = Date.UTC(year, startMonth + months.length, 0);
  // A season about to end is not hired for any more: take its next occurrence.
  if (offset >= 0 && end - now < 30 * DAY) {
    return { season, south, start: Date.UTC(year, startMonth + 12, 1), end: Date.UTC(year, startMonth + 12 + months.length, 0), current: false };
  }
  return { season, south, start: Date.UTC(year, startMonth, 1), end, current: offset >= 0 };
}

function seasonAt(ms: number, south: boolean): Season {
  const month = new Date(ms).getUTCMonth();
  for (const season of ['winter', 'spring', 'summer', 'autumn'] as const) {
    if (seasonMonths(season, south).includes(month)) return season;
  }
  return 'summer';
}

/** 'summer 2027', 'winter 2026/27' (a season spanning New Year), '2026 holiday'. */
function seasonLabel(season: Season, start: number, south: boolean): string {
  const d = new Date(start);
  const year = d.getUTCFullYear();
  if (season === 'holiday') return `${year} holiday`;
  const months = seasonMonths(season, south);
  if (months.includes(11) && months.includes(0)) {
    // The occurrence that holds `start` began in December of this year or of the last.
    const from = d.getUTCMonth() === 11 ? year : year - 1;
    return `${season} ${from}/${pad((from + 1) % 100, 2)}`;
  }
  return `${season} ${year}`;
}

/** 'Summer 2027', 'Winter 2026/27', 'Holidays 2026'. */
function titleSeasonLabel(window: SeasonWindow): string {
  const year = new Date(window.start).getUTCFullYear();
  if (window.season === 'holiday') return `Holidays ${year}`;
  return capitalize(seasonLabel(window.season, window.start, window.south));
}

const capitalize = (s: string): string => (s ? s.charAt(0).toUpperCase() + s.slice(1) : s);
const monthNames = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const longDate = (ms: number): string => {
  const d = new Date(ms);
  return `${d.getUTCDate()} ${monthNames[d.getUTCMonth()] ?? ''} ${d.getUTCFullYear()}`;
};

// ------------------------------------------------------------- businesses --

interface BusinessInfo {
  id: string;
  name: string;
  category: Category;
  city: City;
  event: DomainEvent;
  occurredAt: string;
}

const categoryWeights = categories.map((c) => categoryContent[c].weight);

function slug(text: string): string {
  return text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function makeBusiness(seed: number, index: number, now: number, cities: CityTable): BusinessInfo {
  const rng = createRng(deriveSeed(seed, DOMAIN_BUSINESS, index));
  const id = businessIdOf(index);
  const category = rng.weighted(categories, categoryWeights);
  const city = cities.pick(rng);
  const name = `${rng.pick(businessPrefixes)} ${rng.pick(categoryContent[category].businessSuffixes)}`;
  const host = `${slug(name)}.example`;
  const profile: { name: string; website?: string; email?: string } = { name };
  if (rng.chance(0.85)) profile.website = `https://${host}/`;
  if (rng.chance(0.9)) profile.email = `jobs+${id}@${host}`;
  const updatedAt = iso(sec(now - rng.range(60, 400) * DAY));
  return {
    id,
    name,
    category,
    city,
    event: { type: 'BusinessProfileUpdated', data: { businessId: id, profile, updatedAt } },
    occurredAt: updatedAt,
  };
}

// ------------------------------------------------------------------- jobs --

interface JobOutcome {
  stream: SeedStream;
  /** Set when the job is open at `now`. */
  open?: { city: City | undefined; publishedAt: number };
}

const employmentTypes = employmentTypeWeights.map(([t]) => t);
const employmentWeights = employmentTypeWeights.map(([, w]) => w);

const employmentPhrase: Record<EmploymentType, string> = {
  seasonal: 'seasonal',
  hourly: 'hourly',
  part_time: 'part-time',
  full_time: 'full-time',
  temporary: 'temporary',
  gig: 'short-term',
};

const hoursRange: Record<EmploymentType, readonly [number, number]> = {
  seasonal: [25, 45],
  hourly: [10, 40],
  part_time: [12, 30],
  full_time: [35, 45],
  temporary: [20, 40],
  gig: [4, 20],
};

const payUnits: readonly PayUnit[] = ['hour', 'day', 'shift', 'week', 'month'];
const payUnitWeights = [80, 7, 6, 4, 3];
const experienceValues = [0, 1, 2, 3, 4, 5];
const experienceWeights = [55, 25, 10, 5, 3, 2];

const article = (word: string): string => (/^[aeiou]/i.test(word) ? 'an' : 'a');

interface TitleChoice {
  indexes: readonly number[];
  weights: readonly number[];
  windows: readonly (SeasonWindow | undefined)[];
}

/**
 * Title weights per category and hemisphere at `now`: titles of the season
 * under way or starting within 100 days are favoured, far-off ones are rare.
 */
function titleChoices(now: number): (category: Category, south: boolean) => TitleChoice {
  const cache = new Map<string, TitleChoice>();
  return (category, south) => {
    const key = `${category}|${south ? 'S' : 'N'}`;
    const cached = cache.get(key);
    if (cached) return cached;
    const content = categoryContent[category];
    const windows = content.titles.map((spec) => {
      let best: SeasonWindow | undefined;
      for (const season of spec.seasons) {
        const w = seasonWindow(season, south, now);
        if (!best || (w.current && !best.current) || (w.current === best.current && w.start < best.start)) best = w;
      }
      return best;
    });
    const choice: TitleChoice = {
      indexes: content.titles.map((_, i) => i),
      weights: windows.map((w) => (!w ? 1 : w.current ? 1.6 : w.start - now <= 100 * DAY ? 1.2 : 0.1)),
      windows,
    };
    cache.set(key, choice);
    return choice;
  };
}

function pickTitle(rng: Rng, content: CategoryContent, choice: TitleChoice): { spec: TitleSpec; window?: SeasonWindow } {
  const index = rng.weighted(choice.indexes, choice.weights);
  const spec = content.titles[index];
  if (!spec) throw new RangeError('title index out of range');
  const window = choice.windows[index];
  return window ? { spec, window } : { spec };
}

function roundPay(value: number, unit: PayUnit, level: number): number {
  if (unit === 'hour') return level >= 0.5 ? Math.round(value * 4) / 4 : Math.max(0.05, Math.round(value * 20) / 20);
  if (unit === 'month') return Math.round(value / 10) * 10;
  return Math.round(value);
}

function makePay(rng: Rng, content: CategoryContent, country: string, type: EmploymentType, hoursPerWeek: number | undefined): Pay {
  const [lo, hi] = content.payPerHourUsd;
  const level = payLevelOf(country);
  const typeFactor = type === 'gig' ? 1.1 : type === 'full_time' ? 1.05 : 1;
  const hourlyMin = (lo + (hi - lo) * rng.range(0, 0.7)) * level * typeFactor;
  const hourlyMax = rng.chance(0.15) ? hourlyMin : hourlyMin * rng.range(1.05, 1.35);
  const unit = rng.weighted(payUnits, payUnitWeights);
  const hours =
    unit === 'hour' ? 1
    : unit === 'day' ? 8
    : unit === 'shift' ? rng.int(6, 10)
    : unit === 'week' ? (hoursPerWeek ?? 40)
    : ((hoursPerWeek ?? 40) * 52) / 12;
  const min = Math.max(roundPay(hourlyMin * hours, unit, level), unit === 'hour' ? 0.05 : 1);
  const max = Math.max(min, roundPay(hourlyMax * hours, unit, level));
  return { min, max, currency: currencyOf(country), unit };
}

function decorateTitle(
  rng: Rng,
  base: string,
  ctx: { type: EmploymentType; remote: boolean; experience: number; window: SeasonWindow | undefined },
): string {
  let title = base;
  const hasParen = title.includes('(');
  if (ctx.experience >= 2 && rng.chance(0.3)) title = `${rng.pick(['Senior', 'Lead', 'Experienced'])} ${title}`;
  else if (ctx.type === 'part_time' && rng.chance(0.2)) title = `Part-Time ${title}`;
  else if (ctx.type === 'temporary' && rng.chance(0.2)) title = `Temporary ${title}`;
  else if (ctx.type === 'seasonal' && !/^Seasonal /.test(title) && rng.chance(0.15)) title = `Seasonal ${title}`;
  if (ctx.window && rng.chance(0.4)) {
    title = `${title} – ${titleSeasonLabel(ctx.window)}`;
  } else if (ctx.remote) {
    title = `${title} (Remote)`;
  } else if (!hasParen && rng.chance(0.12)) {
    title = `${title} ${rng.pick(['(Weekends)', '(Evenings)', '(Early Shift)', '– Immediate Start', '– Flexible Hours'])}`;
  }
  return title;
}

function describe(
  rng: Rng,
  ctx: {
    business: string;
    title: string;
    content: CategoryContent;
    type: EmploymentType;
    place: string | undefined;
    remote: boolean;
    season: string;
    skills: readonly string[];
    hoursPerWeek: number | undefined;
    startDate: number | undefined;
    endDate: number | undefined;
  },
): string {
  const { business, title, content, type } = ctx;
  const phrase = employmentPhrase[type];
  const where = ctx.place ?? 'a fully remote team';
  const intros = [
    `${business} is hiring ${article(phrase)} ${phrase} ${title} in ${where} for the ${ctx.season} season.`,
    `Join the team at ${business} in ${where} as ${article(title)} ${title} this ${ctx.season.replace(/ \d{4}(\/\d\d)?$/, '')}.`,
    `${ctx.place ? `${ctx.place}: ` : ''}${business} needs ${phrase} ${title} staff for ${ctx.season}.`,
    `Looking for ${phrase} work${ctx.place ? ` in ${ctx.place}` : ''} this ${ctx.season.replace(/ \d{4}(\/\d\d)?$/, '')}? ${business} has an opening for ${article(title)} ${title}.`,
  ];
  const sentences: string[] = [rng.pick(intros), ...rng.sample(content.duties, 2), rng.pick(shiftSentences)];
  if (ctx.remote) sentences.push(ctx.place ? `The role is remote; the team meets now and then in ${ctx.place}.` : 'The role is fully remote: you work from home with a company laptop.');
  const [a, b, c] = ctx.skills;
  if (a && b && c) {
    sentences.push(
      rng.pick([`Experience with ${a}, ${b} or ${c} is a plus.`, `Useful skills: ${ctx.skills.join(', ')}.`, `We value ${a} and ${b}; we train the rest.`]),
    );
  } else if (a) {
    sentences.push(`Useful skills: ${ctx.skills.join(', ')}.`);
  }
  if (ctx.hoursPerWeek !== undefined) sentences.push(`Around ${ctx.hoursPerWeek} hours a week.`);
  if (ctx.startDate !== undefined) {
    sentences.push(
      ctx.endDate !== undefined
        ? `The job starts on ${longDate(ctx.startDate)} and runs until ${longDate(ctx.endDate)}.`
        : `Start date: ${longDate(ctx.startDate)}, ongoing.`,
    );
  } else {
    sentences.push('Start as soon as possible.');
  }
  sentences.push(...rng.sample([...content.perks, ...generalPerks], rng.int(1, 2)), rng.pick(closingSentences));
  return sentences.join(' ');
}

interface JobContext {
  seed: number;
  now: number;
  cities: CityTable;
  businesses: readonly BusinessInfo[];
  titles: (category: Category, south: boolean) => TitleChoice;
}

function makeJob(ctx: JobContext, index: number): JobOutcome {
  const { seed, now, cities, businesses } = ctx;
  const rng = createRng(deriveSeed(seed, DOMAIN_JOB, index));
  const jobId = jobIdOf(index);
  // A few businesses post many jobs, most post a few.
  const business = businesses[Math.min(businesses.length - 1, Math.floor(businesses.length * rng.next() ** 1.4))];
  if (!business) throw new RangeError('no business for the job');
  const category = rng.chance(0.9) ? business.category : rng.weighted(categories, categoryWeights);
  const content = categoryContent[category];
  const remote = rng.chance(content.remoteShare);
  const city = rng.chance(0.2) ? business.city : cities.pick(rng);
  let location: JobLocation | undefined;
  if (!remote || rng.chance(0.6)) {
    // Keys in the schema's order (JSON of a parsed event is then byte-identical).
    const point = jitterPoint(rng, city, 8);
    location = city.region
      ? { point, city: city.name, region: city.region, country: city.country }
      : { point, city: city.name, country: city.country };
  }
  const south = city.lat < 0;
  const { spec, window } = pickTitle(rng, content, ctx.titles(category, south));
  const employmentType = window && rng.chance(0.6) ? 'seasonal' : rng.weighted(employmentTypes, employmentWeights);
  const experienceYears = rng.weighted(experienceValues, experienceWeights);
  const [hLo, hHi] = hoursRange[employmentType];
  const hoursPerWeek = rng.chance(0.9) ? rng.int(hLo, hHi) : undefined;

  // Dates: seasonal titles follow their season's window, the rest start soon.
  let start: number | undefined;
  let end: number | undefined;
  const today = dayStart(now);
  if (window) {
    start = window.current ? today + rng.int(-10, 21) * DAY : window.start + rng.int(-14, 10) * DAY;
    start = Math.max(start, today - 10 * DAY);
    if (employmentType !== 'full_time' || rng.chance(0.5)) end = Math.max(start + 7 * DAY, window.end + rng.int(-10, 20) * DAY);
  } else if (rng.chance(0.94)) {
    start = today + rng.int(-7, 45) * DAY;
    if (category === 'events' && employmentType !== 'full_time' && employmentType !== 'part_time') end = start + rng.int(1, 14) * DAY;
    else if (employmentType === 'seasonal') end = start + rng.int(8, 16) * 7 * DAY;
    else if (employmentType === 'temporary') end = start + rng.int(1, 10) * 7 * DAY;
    else if (employmentType === 'gig') end = start + rng.int(1, 10) * DAY;
    else if (rng.chance(0.2)) end = start + rng.int(90, 180) * DAY;
  }
  // Still running at `now`: a listed job never ended before today.
  if (start !== undefined && end !== undefined && end < today + DAY) end = Math.max(start, today + rng.int(1, 14) * DAY);
  const season = window ? seasonLabel(window.season, window.start, south) : seasonLabel(seasonAt(start ?? now, south), start ?? now, south);

  const title = decorateTitle(rng, spec.title, { type: employmentType, remote, experience: experienceYears, window });
  const skills = rng.sample(content.skills, rng.int(2, 6));
  const pay = makePay(rng, content, city.country, employmentType, hoursPerWeek);
  const place = location ? (location.region ? `${location.city}, ${location.region}` : location.city) : undefined;
  const description = describe(rng, {
    business: business.name,
    title,
    content,
    type: employmentType,
    place,
    remote,
    season,
    skills,
    hoursPerWeek,
    startDate: start,
    endDate: end,
  });

  // Keys in the schema's order; optional ones left out rather than undefined.
  const drafted: Extract<DomainEvent, { type: 'JobDrafted' }>['data'] = {
    jobId,
    businessId: business.id,
    title,
    description,
    category,
    employmentType,
    pay,
    ...(location ? { location } : {}),
    remote,
    skills,
    ...(start !== undefined ? { startDate: isoDate(start) } : {}),
    ...(end !== undefined ? { endDate: isoDate(end) } : {}),
    ...(hoursPerWeek !== undefined ? { hoursPerWeek } : {}),
    experienceYears,
  };

  const roll = rng.next();
  const streamId = `job-${jobId}`;
  if (roll < DRAFT_SHARE) {
    const draftedAt = sec(now - rng.range(1 * HOUR, 20 * DAY));
    return { stream: { kind: 'job', streamId, events: [{ type: 'JobDrafted', data: drafted }], occurredAt: [iso(draftedAt)] } };
  }
  const closed = roll < DRAFT_SHARE + CLOSED_SHARE;
  const publishedAt = sec(closed ? now - rng.range(5 * DAY, 45 * DAY) : now - rng.range(1 * HOUR, 30 * DAY));
  const draftedAt = sec(publishedAt - rng.range(5 * MINUTE, 3 * DAY));
  const expiresAt = sec(now + rng.range(7 * DAY, 90 * DAY));
  const events: DomainEvent[] = [
    { type: 'JobDrafted', data: drafted },
    { type: 'JobPublished', data: { jobId, publishedAt: iso(publishedAt), expiresAt: iso(expiresAt) } },
  ];
  const occurredAt = [iso(draftedAt), iso(publishedAt)];
  if (closed) {
    const closedAt = sec(publishedAt + rng.range(0.2, 0.95) * (now - publishedAt));
    events.push({ type: 'JobClosed', data: { jobId, reason: rng.chance(0.7) ? 'filled' : 'withdrawn', closedAt: iso(closedAt) } });
    occurredAt.push(iso(closedAt));
    return { stream: { kind: 'job', streamId, events, occurredAt } };
  }
  return { stream: { kind: 'job', streamId, events, occurredAt }, open: { city: location ? city : undefined, publishedAt } };
}

// ---------------------------------------------------------------- workers --

interface OpenJobs {
  ids: string[];
  publishedAt: number[];
  /** Indexes into ids, per city of the job. */
  byCity: Map<City, number[]>;
}

const travelKm = [5, 10, 15, 20, 25, 30, 40, 50, 80, 150];
const travelWeights = [6, 14, 14, 16, 14, 10, 8, 8, 5, 5];
const savedJobCounts = [0, 1, 2, 3, 4, 5];
const savedJobWeights = [25, 25, 20, 15, 10, 5];
const radiusChoices = [10, 25, 25, 25, 50];
const searchEmploymentTypes: readonly EmploymentType[][] = [['seasonal'], ['part_time', 'hourly'], ['seasonal', 'temporary'], ['full_time']];

function makeWorker(
  seed: number,
  index: number,
  now: number,
  cities: CityTable,
  open: OpenJobs,
  searches: { first: number; count: number },
): SeedStream {
  const rng = createRng(deriveSeed(seed, DOMAIN_WORKER, index));
  const workerId = workerIdOf(index);
  const city = cities.pick(rng);
  const point = jitterPoint(rng, city, 8);
  const cats = rng.chance(0.6) ? [rng.weighted(categories, categoryWeights)] : [rng.weighted(categories, categoryWeights), rng.weighted(categories, categoryWeights)];
  const mainCategory = cats[0] ?? 'other';
  const skillPool = [...new Set(cats.flatMap((c) => categoryContent[c].skills))];
  const skills = rng.sample(skillPool, rng.int(3, 8));
  const [lo, hi] = categoryContent[mainCategory].payPerHourUsd;
  const level = payLevelOf(city.country);
  const desiredHourlyPay = roundPay((lo + (hi - lo) * rng.range(0.2, 0.9)) * level, 'hour', level);
  const today = dayStart(now);
  const availability: TimeWindow[] = [];
  let from = today + rng.int(0, 20) * DAY;
  const windows = rng.int(1, 3);
  for (let w = 0; w < windows; w++) {
    const to = from + rng.int(14, 120) * DAY;
    if (w === windows - 1 && rng.chance(0.25)) availability.push({ from: isoDate(from) });
    else availability.push({ from: isoDate(from), to: isoDate(to) });
    from = to + rng.int(7, 40) * DAY;
  }
  const experienceYears = rng.weighted(experienceValues, experienceWeights);
  const name = `${rng.pick(firstNames)} ${rng.pick(lastNames)}`;
  const updatedAtMs = sec(now - rng.range(45, 120) * DAY);
  const profile: Extract<DomainEvent, { type: 'WorkerProfileUpdated' }>['data']['profile'] = {
    name,
    skills,
    location: point,
    maxTravelKm: rng.weighted(travelKm, travelWeights),
    desiredHourlyPay,
    currency: currencyOf(city.country),
    availability,
    experienceYears,
  };
  if (rng.chance(0.7)) profile.email = `${workerId}@workers.example`;

  const timed: { at: number; event: DomainEvent }[] = [];
  // Saved jobs: open jobs of the worker's city first, then anywhere.
  const wanted = open.ids.length > 0 ? rng.weighted(savedJobCounts, savedJobWeights) : 0;
  const chosen = new Set<number>();
  const local = open.byCity.get(city) ?? [];
  for (const j of rng.sample(local, wanted)) chosen.add(j);
  for (let tries = 0; chosen.size < wanted && tries < wanted * 4; tries++) chosen.add(rng.int(0, open.ids.length - 1));
  for (const j of chosen) {
    const jobId = open.ids[j];
    const publishedAt = open.publishedAt[j];
    if (jobId === undefined || publishedAt === undefined) continue;
    const at = sec(publishedAt + rng.range(0.05, 1) * (now - publishedAt));
    timed.push({ at, event: { type: 'JobSaved', data: { workerId, jobId, savedAt: iso(at) } } });
  }
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
        data: { workerId, searchId, name: `${label} jobs near ${city.name}`, query, alertFrequency: rng.chance(0.8) ? 'instant' : 'off', alertHour: 8, alertWeekday: 1, timeZone: 'UTC', savedAt: iso(at) },
      },
    });
  }
  timed.sort((x, y) => x.at - y.at);
  const updatedAt = iso(updatedAtMs);
  return {
    kind: 'worker',
    streamId: `worker-${workerId}`,
    events: [{ type: 'WorkerProfileUpdated', data: { workerId, profile, updatedAt } }, ...timed.map((t) => t.event)],
    occurredAt: [updatedAt, ...timed.map((t) => iso(t.at))],
  };
}

/** How many saved searches each worker gets (uniformly random owners, ids in worker order). */
function allocateSearches(seed: number, workers: number, searches: number): Uint32Array {
  const perWorker = new Uint32Array(workers);
  const rng = createRng(deriveSeed(seed, DOMAIN_SEARCH_ALLOCATION, 0));
  for (let s = 0; s < searches; s++) {
    const w = rng.int(0, workers - 1);
    perWorker[w] = (perWorker[w] ?? 0) + 1;
  }
  return perWorker;
}

// ---------------------------------------------------------------- dataset --

function emptyCounts(): DatasetCounts {
  const byType = Object.fromEntries(eventTypes.map((t) => [t, 0])) as Record<EventType, number>;
  return { streams: 0, events: 0, byType, openJobs: 0 };
}

/**
 * The dataset as a lazy, re-iterable sequence of streams. The city table is
 * loaded on first iteration (about 0.2 s, once per process).
 */
export function generateDataset(options: DatasetOptions): Dataset {
  const plan = planDataset(options);
  const now = options.now.getTime();
  let current = emptyCounts();

  function* run(): Generator<SeedStream> {
    const counts = emptyCounts();
    current = counts;
    const tally = (stream: SeedStream): SeedStream => {
      counts.streams++;
      counts.events += stream.events.length;
      for (const e of stream.events) counts.byType[e.type]++;
      return stream;
    };
    const cities = loadCities();
    const businesses: BusinessInfo[] = [];
    for (let b = 0; b < plan.businesses; b++) {
      const business = makeBusiness(plan.seed, b, now, cities);
      businesses.push(business);
      yield tally({ kind: 'business', streamId: `business-${business.id}`, events: [business.event], occurredAt: [business.occurredAt] });
    }
    const open: OpenJobs = { ids: [], publishedAt: [], byCity: new Map() };
    const jobContext: JobContext = { seed: plan.seed, now, cities, businesses, titles: titleChoices(now) };
    for (let j = 0; j < plan.jobs; j++) {
      const outcome = makeJob(jobContext, j);
      if (outcome.open) {
        const at = open.ids.length;
        open.ids.push(jobIdOf(j));
        open.publishedAt.push(outcome.open.publishedAt);
        if (outcome.open.city) {
          const list = open.byCity.get(outcome.open.city);
          if (list) list.push(at);
          else open.byCity.set(outcome.open.city, [at]);
        }
        counts.openJobs++;
      }
      yield tally(outcome.stream);
    }
    const perWorker = allocateSearches(plan.seed, plan.workers, plan.savedSearches);
    let nextSearch = 0;
    for (let w = 0; w < plan.workers; w++) {
      const count = perWorker[w] ?? 0;
      yield tally(makeWorker(plan.seed, w, now, cities, open, { first: nextSearch, count }));
      nextSearch += count;
    }
  }

  return {
    plan,
    counts: () => ({ ...current, byType: { ...current.byType } }),
    [Symbol.iterator]: run,
  };
}
