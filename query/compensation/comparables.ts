import type { Category, EmploymentType } from '../../eventstore/events/index.ts';
import type { JobDocument } from '../../mappings/jobDocument.ts';
import type { JobReadStore } from '../model/readStore.ts';
import { SearchRequest } from '../model/searchRequest.ts';

/** Jobs published this many days before `now` or later count as comparable. */
export const RECENCY_DAYS = 180;

export interface ComparableQuery {
  category: Category;
  employmentType?: EmploymentType;
  near?: { lat: number; lon: number; radiusKm: number };
}

export interface Comparable {
  jobId: string;
  /** The job's hourly value: the midpoint of its normalised range, (hourlyMin + hourlyMax) / 2. */
  hourly: number;
  currency: string;
}

/** Searches (pages of 100) one request may run to collect comparables: at most 1 000 jobs, the newest (one request never runs an unbounded number of searches). */
export const DEFAULT_MAX_SEARCHES = 10;

export interface ComparablesResult {
  comparables: Comparable[];
  /** More jobs matched than `limit` or `maxSearches` pages hold: only the newest were collected. */
  truncated: boolean;
}

/** The hourly value a job contributes: the midpoint of its normalised hourly range. */
export const hourlyValueOf = (job: Pick<JobDocument, 'hourlyMin' | 'hourlyMax'>): number => (job.hourlyMin + job.hourlyMax) / 2;

/**
 * The comparable jobs, through the read port only, so every store answers from
 * the same exact list: `search` with the filters (category, employment type,
 * radius, published within RECENCY_DAYS), newest first with the jobId
 * tie-break, 100 a page, following `nextCursor` (search_after in the engine).
 *
 * The port's `search` shows open, unexpired jobs only (closed ones only to
 * their owner, one business at a time), so closed and expired jobs are not
 * part of the sample, though they are market data too.
 *
 * At most `maxSearches` searches run per call, so one request's cost is
 * bounded whatever the data: past them the sample is the newest jobs found,
 * and `truncated` says so.
 */
export async function collectComparables(jobs: JobReadStore, query: ComparableQuery, now: Date, limit = 10_000, maxSearches = DEFAULT_MAX_SEARCHES): Promise<ComparablesResult> {
  const comparables: Comparable[] = [];
  let cursor: string | undefined;
  for (let searches = 0; ; searches++) {
    if (searches >= maxSearches) return { comparables, truncated: true };
    const request = SearchRequest.parse({
      category: [query.category],
      ...(query.employmentType !== undefined ? { employmentType: [query.employmentType] } : {}),
      ...(query.near !== undefined ? { near: query.near } : {}),
      postedWithinDays: RECENCY_DAYS,
      sort: 'newest',
      size: 100,
      ...(cursor !== undefined ? { cursor } : {}),
    });
    const page = await jobs.search(request, now);
    for (const hit of page.hits) {
      if (comparables.length >= limit) return { comparables, truncated: true };
      const job = hit.job;
      comparables.push({ jobId: job.jobId, hourly: hourlyValueOf(job), currency: job.pay.currency });
    }
    if (page.nextCursor === undefined || page.hits.length === 0) return { comparables, truncated: false };
    cursor = page.nextCursor;
  }
}
