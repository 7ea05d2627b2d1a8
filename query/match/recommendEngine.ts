// Candidates from the search engine: the pre-filter as a bool filter (open,
// unexpired; near the worker or remote; overlapping the worker's windows or
// without dates) under the painless `script_score` of the match score, top
// `topHits` by that score. rankCandidates then rescores them with the reference
// (the two agree to 1e-6) for factors, details and the exact eligibility.
import { matchScoreQuery } from './matchScoreQuery.ts';
import type { WorkerProfile } from '../../eventstore/events/index.ts';
import type { JobDocument } from '../../mappings/jobDocument.ts';
import { availabilityClauses, exists, nearClause, term, visibilityClauses } from '../engine/dsl/filters.ts';
import type { JsonObject } from '../../mappings/indexDefinition.ts';
import type { SearchClient } from '../engine/searchClient.ts';
import type { CandidateSource } from './recommend.ts';

export interface EngineCandidateOptions {
  /** Hits taken from the engine, best first (default 300). */
  topHits?: number;
}

/** The eligibility pre-filter as bool.filter clauses (a superset of the exact rule in recommend.ts). */
export function eligibilityClauses(worker: WorkerProfile, now: Date): JsonObject[] {
  const out = visibilityClauses({}, now);
  if (worker.location) {
    out.push({
      bool: {
        should: [term('remote', true), nearClause({ lat: worker.location.lat, lon: worker.location.lon, radiusKm: Math.min(20_000, worker.maxTravelKm * 1.001 + 0.05) })],
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
  const size = Math.max(1, Math.min(10_000, options.topHits ?? 300));
  return {
    kind: 'engine-script-score',
    async candidates(worker, now, weights) {
      const body: JsonObject = {
        size,
        track_total_hits: false,
        query: matchScoreQuery(worker, weights, now, { bool: { filter: eligibilityClauses(worker, now) } }),
        sort: [{ _score: 'desc' }, { jobId: 'asc' }],
      };
      const res = await client.search<JobDocument>(alias, body);
      const out: JobDocument[] = [];
      for (const h of res.hits.hits) if (h._source) out.push(h._source);
      return out;
    },
  };
}
