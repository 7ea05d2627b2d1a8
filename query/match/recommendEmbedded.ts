// Candidates through a jobs store: open, unexpired jobs near the worker (plus
// every remote job), overlapping the span of the worker's windows: a superset
// of the eligible jobs, best first, with no cap on how many (recommend.ts
// decides eligibility exactly and stops walking once the page is final).
// - The embedded store (rankedMatches): every filtered job scored once from the
//   columns, handed out lazily in exact reference order (tolerance 0).
// - Any other JobReadStore: its public search with sort `match`, page by page,
//   the near and remote streams merged by score (the order of a store's sort,
//   which for the engine is the painless score: within MATCH_TOLERANCE).
import type { WorkerProfile } from '../../eventstore/events/index.ts';
import type { JobDocument } from '../../mappings/jobDocument.ts';
import type { JobReadStore, SearchContext } from '../model/readStore.ts';
import type { FilterInput, SearchRequest } from '../model/searchRequest.ts';
import type { CandidateSource, RankedCandidate } from './recommend.ts';
import { MATCH_TOLERANCE } from './matchScoreQuery.ts';
import type { MatchCandidate, MatchResult, MatchWeights } from './matchScore.ts';

const PAGE = 100;

/** Extra radius so the store's own distance rounding never drops a job the reference keeps. */
export const radiusOf = (km: number): number => Math.min(20_000, km * 1.001 + 0.05);

/** The overall span of the windows, as the store's availableFrom/availableTo (a superset of the exact overlap). */
function availabilitySpan(worker: WorkerProfile): { availableFrom?: string; availableTo?: string } {
  if (worker.availability.length === 0) return {};
  const from = worker.availability.map((w) => w.from.slice(0, 10)).sort()[0];
  const openEnded = worker.availability.some((w) => w.to === undefined);
  const to = openEnded ? undefined : worker.availability.map((w) => (w.to ?? '').slice(0, 10)).sort().at(-1);
  return { ...(from ? { availableFrom: from } : {}), ...(to ? { availableTo: to } : {}) };
}

/** The pre-filter as store filters whose union holds every eligible job: near or remote (with a worker location), within the windows' span. */
export function eligibilityFilters(worker: WorkerProfile): FilterInput[] {
  const span = availabilitySpan(worker);
  if (!worker.location) return [span];
  return [{ ...span, near: { lat: worker.location.lat, lon: worker.location.lon, radiusKm: radiusOf(worker.maxTravelKm) } }, { ...span, remote: true }];
}

/**
 * A store that scores a whole filter at once from its columns and hands the
 * jobs out in exact reference order (the embedded store), instead of search
 * pages that each score the whole set again.
 */
interface RankingStore {
  rankedMatches(filters: readonly FilterInput[], now: Date, worker: WorkerProfile, weights: MatchWeights): Iterable<{ job: MatchCandidate; match: MatchResult }>;
  getJobs(jobIds: readonly string[]): Promise<Array<JobDocument | undefined>>;
}

const rankingStore = (jobs: object): jobs is RankingStore =>
  typeof (jobs as Partial<RankingStore>).rankedMatches === 'function' && typeof (jobs as Partial<RankingStore>).getJobs === 'function';

/** One filter's matches by the store's sort `match`, page after page. */
async function* matchPages(jobs: Pick<JobReadStore, 'search'>, filters: FilterInput, now: Date, context: SearchContext): AsyncGenerator<RankedCandidate> {
  let cursor: string | undefined;
  do {
    const request: SearchRequest = { sort: 'match', size: PAGE, facets: false, highlight: false, skillsMode: 'any', includeClosed: false, ...filters, ...(cursor ? { cursor } : {}) };
    const res = await jobs.search(request, now, context);
    for (const h of res.hits) if (h.match) yield { job: h.job, rank: h.match.score };
    cursor = res.nextCursor;
  } while (cursor !== undefined);
}

/** Streams each already best first, merged best first (rank desc, jobId asc); a job in two streams comes twice (recommend skips the second). */
async function* merged(streams: Array<AsyncGenerator<RankedCandidate>>): AsyncGenerator<RankedCandidate[]> {
  const heads = await Promise.all(streams.map((s) => s.next()));
  let batch: RankedCandidate[] = [];
  for (;;) {
    let best = -1;
    heads.forEach((h, i) => {
      if (h.done) return;
      const b = best < 0 ? undefined : heads[best]!;
      if (!b || b.done || h.value.rank > b.value.rank || (h.value.rank === b.value.rank && h.value.job.jobId < b.value.job.jobId)) best = i;
    });
    if (best < 0) break;
    const head = heads[best]!;
    if (!head.done) batch.push(head.value);
    if (batch.length >= PAGE) {
      yield batch;
      batch = [];
    }
    heads[best] = await streams[best]!.next();
  }
  if (batch.length > 0) yield batch;
}

export function storeCandidates(jobs: Pick<JobReadStore, 'search'>): CandidateSource {
  if (rankingStore(jobs)) {
    return {
      kind: 'store-ranked',
      tolerance: 0,
      documents: (ids) => jobs.getJobs(ids),
      // One lazy batch, consumed synchronously (see rankedMatches.ts).
      async *ranked(worker, now, weights) {
        yield (function* () {
          for (const r of jobs.rankedMatches(eligibilityFilters(worker), now, worker, weights)) yield { job: r.job, rank: r.match.score, match: r.match };
        })();
      },
    };
  }
  return {
    kind: 'store-search',
    tolerance: MATCH_TOLERANCE,
    ranked(worker, now, weights) {
      const context: SearchContext = { match: { worker, weights } };
      return merged(eligibilityFilters(worker).map((f) => matchPages(jobs, f, now, context)));
    },
  };
}
