import type { Category, DomainEvent, EmploymentType, JobLocation } from '../../eventstore/events/index.ts';
import { categories } from '../../eventstore/events/index.ts';
import type { BusinessInfo } from './businessStreams.ts';
import type { City, CityTable } from './cities.ts';
import { jitterPoint } from './cities.ts';
import { categoryContent } from './categoryContent.ts';
import { employmentTypeWeights } from './content.ts';
import { describe } from './jobDescription.ts';
import { makePay } from './jobPay.ts';
import type { TitleChoice } from './jobTitles.ts';
import { decorateTitle, pickTitle } from './jobTitles.ts';
import { createRng, deriveSeed } from './prng.ts';
import { seasonAt, seasonLabel } from './seasons.ts';
import { DOMAIN_JOB } from './seedDomains.ts';
import { jobIdOf } from './seedIds.ts';
import type { SeedStream } from './seedStream.ts';
import { DAY, HOUR, MINUTE, dayStart, iso, isoDate, sec } from './seedTime.ts';
import { categoryWeights, experienceValues, experienceWeights } from './seedWeights.ts';
import { jobStream } from '../../command/deciders/jobDecider.ts';

/** Share of jobs left as drafts, and share published then closed. */
const DRAFT_SHARE = 0.08;
const CLOSED_SHARE = 0.04;

export interface JobOutcome {
  stream: SeedStream;
  /** Set when the job is open at `now`. */
  open?: { city: City | undefined; publishedAt: number };
}

const employmentTypes = employmentTypeWeights.map(([t]) => t);
const employmentWeights = employmentTypeWeights.map(([, w]) => w);

const hoursRange: Record<EmploymentType, readonly [number, number]> = {
  seasonal: [25, 45],
  hourly: [10, 40],
  part_time: [12, 30],
  full_time: [35, 45],
  temporary: [20, 40],
  gig: [4, 20],
};

export interface JobContext {
  seed: number;
  now: number;
  cities: CityTable;
  businesses: readonly BusinessInfo[];
  titles: (category: Category, south: boolean) => TitleChoice;
}

export function makeJob(ctx: JobContext, index: number): JobOutcome {
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
  const streamId = jobStream(jobId);
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
