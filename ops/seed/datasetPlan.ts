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

export const DEFAULT_SEED = 42;

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
