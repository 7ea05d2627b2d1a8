// Candidates from the search engine: the pre-filter as a bool filter (open,
// unexpired; near the worker or remote; overlapping the worker's windows or
// without dates) under the painless script sort of the match score (a double,
// jobId breaking ties), paged with search_after for as long as recommend.ts
// asks: no cap on how far down. recommend.ts rescores each hit with the
// reference (the two agree to 1e-6: MATCH_TOLERANCE) for factors, details and
// the exact eligibility, and decides exactly when the page is final.
import { MATCH_TOLERANCE, matchScoreParams } from './matchScoreQuery.ts';
import { radiusOf } from './recommendEmbedded.ts';
import { sortClauses } from '../engine/dsl/sort.ts';
import type { WorkerProfile } from '../../eventstore/events/index.ts';
import type { JobDocument } from '../../mappings/jobDocument.ts';
import { availabilityClauses, exists, nearClause, term, terms, visibilityClauses } from '../engine/dsl/filters.ts';
import type { JsonObject } from '../../mappings/indexDefinition.ts';
import type { SearchClient } from '../engine/searchClient.ts';
import type { CandidateSource, RankedCandidate } from './recommend.ts';

export interface EngineCandidateOptions {
  /** Hits of the first page (default 100); each next page is four times larger, up to 2,000. */
  firstPage?: number;
}

const MAX_PAGE = 2000;

/** The eligibility pre-filter as bool.filter clauses (a superset of the exact rule in recommend.ts). */
export function eligibilityClauses(worker: WorkerProfile, now: Date): JsonObject[] {
  const out = visibilityClauses({}, now);
  if (worker.location) {
    out.push({
      bool: {
        should: [term('remote', true), nearClause({ lat: worker.location.lat, lon: worker.location.lon, radiusKm: radiusOf(worker.maxTravelKm) })],
        minimum_should_match: 1,
      },
    });
  }
  if (worker.availability.length > 0) {
    const noDates: JsonObject = { bool: { must_not: [exists('startDate'), exists('endDate')] } };
    const windows = worker.availability.map((w): JsonObject => ({ bool: { filter: availabilityClauses(w.from.slice(0, 10), w.to?.slice(0, 10)) } }));
    out.push({ bool: { should: [noDates, ...windows], minimum_should_match: 1 } });
  }
  return out;
}

export function engineCandidates(client: Pick<SearchClient, 'search'>, alias: string, options: EngineCandidateOptions = {}): CandidateSource {
  const first = Math.max(1, Math.min(MAX_PAGE, options.firstPage ?? 100));
  return {
    kind: 'engine-script-sort',
    tolerance: MATCH_TOLERANCE,
    async *ranked(worker, now, weights, full) {
      const filter = eligibilityClauses(worker, now);
      const sort = sortClauses('match', undefined, matchScoreParams(worker, weights, now));
      let size = first;
      let after: unknown[] | undefined;
      for (;;) {
        // Businesses already full on the page are left out of the pages still to read (the order of the rest is unchanged).
        const mustNot = full && full.size > 0 ? [terms('businessId', [...full])] : [];
        const query: JsonObject = { bool: { filter, ...(mustNot.length > 0 ? { must_not: mustNot } : {}) } };
        const res = await client.search<JobDocument>(alias, { size, track_total_hits: false, query, sort, ...(after ? { search_after: after } : {}) });
        const hits = res.hits.hits;
        const batch: RankedCandidate[] = [];
        for (const h of hits) if (h._source && typeof h.sort?.[0] === 'number') batch.push({ job: h._source, rank: h.sort[0] });
        yield batch;
        const last = hits[hits.length - 1];
        if (hits.length < size || !last?.sort) return;
        after = last.sort;
        // Few pages even when the cap thins the page: the script runs over every filtered job per page.
        size = Math.min(MAX_PAGE, size * 4);
      }
    },
  };
}
