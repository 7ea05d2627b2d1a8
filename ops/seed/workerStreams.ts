import type { DomainEvent, TimeWindow } from '../../eventstore/events/index.ts';
import { categories } from '../../eventstore/events/index.ts';
import type { City, CityTable } from './cities.ts';
import { jitterPoint } from './cities.ts';
import { categoryContent } from './categoryContent.ts';
import { currencyOf, firstNames, lastNames, payLevelOf } from './content.ts';
import { roundPay } from './jobPay.ts';
import { createRng, deriveSeed } from './prng.ts';
import { savedSearchEvents } from './savedSearches.ts';
import { DOMAIN_WORKER } from './seedDomains.ts';
import { workerIdOf } from './seedIds.ts';
import type { SeedStream } from './seedStream.ts';
import { DAY, dayStart, iso, isoDate, sec } from './seedTime.ts';
import { categoryWeights, experienceValues, experienceWeights } from './seedWeights.ts';
import { workerStream } from '../../command/deciders/workerDecider.ts';

/** The jobs open at `now`, which workers may have saved. */
export interface OpenJobs {
  ids: string[];
  publishedAt: number[];
  /** Indexes into ids, per city of the job. */
  byCity: Map<City, number[]>;
}

const travelKm = [5, 10, 15, 20, 25, 30, 40, 50, 80, 150];
const travelWeights = [6, 14, 14, 16, 14, 10, 8, 8, 5, 5];
const savedJobCounts = [0, 1, 2, 3, 4, 5];
const savedJobWeights = [25, 25, 20, 15, 10, 5];

export function makeWorker(
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
  for (const t of savedSearchEvents(rng, { workerId, cats, point, cityName: city.name, updatedAtMs }, now, searches)) timed.push(t);
  timed.sort((x, y) => x.at - y.at);
  const updatedAt = iso(updatedAtMs);
  return {
    kind: 'worker',
    streamId: workerStream(workerId),
    events: [{ type: 'WorkerProfileUpdated', data: { workerId, profile, updatedAt } }, ...timed.map((t) => t.event)],
    occurredAt: [updatedAt, ...timed.map((t) => iso(t.at))],
  };
}
