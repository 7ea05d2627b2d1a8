// Candidates through a JobReadStore's public search (the embedded store; any
// store without an engine client): open, unexpired jobs near the worker
// (plus every remote job), overlapping the span of the worker's windows.
// A superset of the eligible jobs; rankCandidates decides exactly.
import type { WorkerProfile } from '../../eventstore/events/index.ts';
import type { JobDocument } from '../../mappings/jobDocument.ts';
import type { JobReadStore } from '../model/readStore.ts';
import type { SearchRequest } from '../model/searchRequest.ts';
import type { CandidateSource } from './recommend.ts';
import type { MatchCandidate } from './matchScore.ts';

export interface StoreCandidateOptions {
  /** Most candidates read (default 5000): beyond that, the newest jobs win. */
  maxCandidates?: number;
}

const PAGE = 100;

/** Extra radius so the store's own distance rounding never drops a job the reference keeps. */
const radiusOf = (km: number): number => Math.min(20_000, km * 1.001 + 0.05);

/** The overall span of the windows, as the store's availableFrom/availableTo (a superset of the exact overlap). */
function availabilitySpan(worker: WorkerProfile): { availableFrom?: string; availableTo?: string } {
  if (worker.availability.length === 0) return {};
  const from = worker.availability.map((w) => w.from.slice(0, 10)).sort()[0];
  const openEnded = worker.availability.some((w) => w.to === undefined);
  const to = openEnded ? undefined : worker.availability.map((w) => (w.to ?? '').slice(0, 10)).sort().at(-1);
  return { ...(from ? { availableFrom: from } : {}), ...(to ? { availableTo: to } : {}) };
}

/**
 * A store that answers a whole filter at once with the match fields only (the
 * embedded store, from its columns), instead of documents page by page.
 */
interface ColumnCandidates {
  matchCandidates(filters: Partial<SearchRequest>, now: Date, limit: number): Promise<MatchCandidate[]>;
  getJobs(jobIds: readonly string[]): Promise<Array<JobDocument | undefined>>;
}

const columnCandidates = (jobs: object): jobs is ColumnCandidates =>
  typeof (jobs as Partial<ColumnCandidates>).matchCandidates === 'function' && typeof (jobs as Partial<ColumnCandidates>).getJobs === 'function';

export function storeCandidates(jobs: Pick<JobReadStore, 'search'>, options: StoreCandidateOptions = {}): CandidateSource {
  const max = Math.max(1, options.maxCandidates ?? 5000);

  async function collect(filters: Partial<SearchRequest>, now: Date, out: Map<string, MatchCandidate>): Promise<void> {
    if (columnCandidates(jobs)) {
      for (const job of await jobs.matchCandidates(filters, now, max)) out.set(job.jobId, job);
      return;
    }
    let cursor: string | undefined;
    let read = 0;
    do {
      const request: SearchRequest = { sort: 'newest', size: PAGE, facets: false, highlight: false, skillsMode: 'any', includeClosed: false, ...filters, ...(cursor ? { cursor } : {}) };
      const res = await jobs.search(request, now);
      for (const h of res.hits) out.set(h.job.jobId, h.job);
      read += res.hits.length;
      cursor = res.nextCursor;
    } while (cursor !== undefined && read < max);
  }

  return {
    kind: 'store-search',
    ...(columnCandidates(jobs) ? { documents: (ids: readonly string[]) => jobs.getJobs(ids) } : {}),
    async candidates(worker, now) {
      const out = new Map<string, MatchCandidate>();
      const span = availabilitySpan(worker);
      if (worker.location) {
        await collect({ ...span, near: { lat: worker.location.lat, lon: worker.location.lon, radiusKm: radiusOf(worker.maxTravelKm) } }, now, out);
        await collect({ ...span, remote: true }, now, out);
      } else {
        await collect(span, now, out);
      }
      return [...out.values()];
    },
  };
}
