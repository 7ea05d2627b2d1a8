// The pay suggestion POST /v1/jobs answers with `suggestPay: true`: the same
// comparables and percentiles as GET /v1/compensation/suggest, injected into
// the command routes as a function so they import no read store.
import type { Category, EmploymentType } from '../../eventstore/events/index.ts';
import { DEFAULT_RADIUS_KM } from '../http/compensationRoutes.ts';
import type { JobReadStore } from '../model/readStore.ts';
import { collectComparables } from './comparables.ts';
import { DEFAULT_MIN_SAMPLE, suggestFrom } from './suggest.ts';

/** The job a suggestion is asked for (the command routes' shape: ops hands them this function). */
export interface PaySuggestionQuery {
  category: Category;
  employmentType: EmploymentType;
  near?: { lat: number; lon: number };
}

export type SuggestedPay =
  | { hourly: { p25: number; p50: number; p75: number }; sampleSize: number; currency: { code: string; excluded: number; note: string } }
  | { insufficientData: true; sampleSize: number };

export function paySuggester(jobs: JobReadStore, clock: () => Date = () => new Date(), minSample = DEFAULT_MIN_SAMPLE): (q: PaySuggestionQuery) => Promise<SuggestedPay> {
  return async (q) => {
    const { comparables } = await collectComparables(
      jobs,
      { category: q.category, employmentType: q.employmentType, ...(q.near ? { near: { ...q.near, radiusKm: DEFAULT_RADIUS_KM } } : {}) },
      clock(),
    );
    const outcome = suggestFrom(comparables, minSample);
    return outcome.kind === 'ok'
      ? { hourly: outcome.hourly, sampleSize: outcome.sampleSize, currency: outcome.currency }
      : { insufficientData: true, sampleSize: outcome.sampleSize };
  };
}
