import type { EventType } from '../../eventstore/events/index.ts';
import { eventTypes } from '../../eventstore/events/index.ts';
import type { BusinessInfo } from './businessStreams.ts';
import { businessStream, makeBusiness } from './businessStreams.ts';
import { loadCities } from './cities.ts';
import type { DatasetOptions, DatasetPlan } from './datasetPlan.ts';
import { planDataset } from './datasetPlan.ts';
import type { JobContext } from './jobStreams.ts';
import { makeJob } from './jobStreams.ts';
import { titleChoices } from './jobTitles.ts';
import { allocateSearches } from './savedSearches.ts';
import { jobIdOf } from './seedIds.ts';
import type { SeedStream } from './seedStream.ts';
import type { OpenJobs } from './workerStreams.ts';
import { makeWorker } from './workerStreams.ts';

/**
 * Deterministic demo / benchmark dataset: businesses, jobs (drafted, published,
 * some closed), workers with profiles, saved jobs and saved searches, as
 * catalog domain events grouped by stream. Same options (seed and `now`
 * included) give byte-identical output; nothing reads the clock or Math.random.
 */

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
      yield tally(businessStream(business));
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
