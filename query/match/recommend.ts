// Recommendations for a worker: the exact top `size` of the open, eligible jobs
// by the reference matchScore (score desc, jobId asc), diversified (at most
// `cap` jobs per business on the page) and explained by a one-line reason.
//
// Exact with no candidate cap: a source hands out a superset of the eligible
// jobs best first, and the walk stops as soon as more cannot change the page.
// Candidate sources (a Recommender's `candidates`):
// - recommendEmbedded.ts: the embedded store scores its filtered columns once
//   and hands them out in exact reference order; any other JobReadStore pages
//   its public `search` with sort `match`;
// - recommendEngine.ts: the search engine with a bool filter under the painless
//   script sort of the match score, paged by search_after.
// Whatever the source, eligibility is decided once more here with the reference
// function's own numbers, so both stores exclude exactly the same jobs.
import type { WorkerProfile } from '../../eventstore/events/index.ts';
import type { JobDocument } from '../../mappings/jobDocument.ts';
import { availabilityRanges, dayOfInstant, defaultWeights, periodOf, prepareMatch } from './matchScore.ts';
import type { MatchCandidate, MatchDetails, MatchFactors, MatchJobFields, MatchResult, MatchWeights } from './matchScore.ts';

export const DEFAULT_BUSINESS_CAP = 2;

export interface Recommendation<J extends MatchCandidate = JobDocument> {
  job: J;
  score: number;
  factors: MatchFactors;
  details: MatchDetails;
  reason: string;
}

export interface RecommendOptions {
  size: number;
  /** Most jobs of one business on the page (default DEFAULT_BUSINESS_CAP). */
  cap?: number;
  weights?: MatchWeights;
  now: Date;
}

/** A candidate as a source ranks it: `rank` is the source's own match score (`match`, when given, the reference's). */
export interface RankedCandidate {
  job: MatchCandidate;
  rank: number;
  match?: MatchResult;
}

/** Where candidate jobs come from: a superset of the eligible jobs, best first. */
export interface CandidateSource {
  readonly kind: string;
  /**
   * Every candidate, in batches, by `rank` desc then jobId asc (a batch may be
   * a lazy iterable; it is consumed synchronously). The walk may stop at any
   * point: only batches asked for are read. `full`, kept current by the walk,
   * names businesses none of whose unread jobs can enter the page: a source may
   * leave their jobs out of the batches it has not read yet.
   */
  ranked(worker: WorkerProfile, now: Date, weights: MatchWeights, full?: ReadonlySet<string>): AsyncIterable<Iterable<RankedCandidate>>;
  /**
   * How far a job's reference score may lie from its `rank` (0: `rank` is the
   * reference score and the order exact). With a tolerance, a page is final
   * once the last rank read, plus the tolerance, is below its last score.
   */
  readonly tolerance: number;
  /** The page's full documents, for a source whose candidates carry only the match fields (absent: candidates are documents). */
  documents?(jobIds: readonly string[]): Promise<Array<JobDocument | undefined>>;
}

/** A job is visible to workers: open and expiring after `now` (as both stores' search decides: no expiry, not visible). */
export function isOpenAt(job: Pick<JobDocument, 'status' | 'expiresAt'> & { expiresMs?: number }, now: Date): boolean {
  if (job.status !== 'open' || job.expiresAt === undefined) return false;
  return (job.expiresMs ?? Date.parse(job.expiresAt)) > now.getTime();
}

/**
 * The pre-filter, decided exactly: when the worker has a location, a job within
 * maxTravelKm (remote jobs always pass, jobs with no location never; the
 * distance is the reference's, on the quantised point), and, when the worker has windows, a job with dates must
 * overlap them by at least one day (the reference's job period).
 */
export function isEligible(worker: WorkerProfile, job: Pick<MatchJobFields, 'remote' | 'startDate' | 'endDate' | 'days'>, details: MatchDetails, now: Date): boolean {
  // With a worker location, a non-remote job needs a location within reach (the stores' `near` filter).
  if (!job.remote && worker.location && (details.distanceKm === undefined || details.distanceKm > worker.maxTravelKm)) return false;
  if (worker.availability.length > 0) {
    const period = periodOf(job, dayOfInstant(now));
    if (period !== undefined) {
      const [s, e] = period;
      const overlaps = availabilityRanges(worker.availability).some(([a, b]) => Math.min(e, b) >= Math.max(s, a));
      if (!overlaps) return false;
    }
  }
  return true;
}

/** Best first: score desc, then jobId asc (deterministic ties). */
export const byScoreThenId = (a: { score: number; job: { jobId: string } }, b: { score: number; job: { jobId: string } }): number =>
  b.score - a.score || (a.job.jobId < b.job.jobId ? -1 : a.job.jobId > b.job.jobId ? 1 : 0);

/** At most `cap` items per business, in order, the next best filling a skipped slot; up to `size` items. */
export function diversify<T extends { job: { businessId: string } }>(sorted: readonly T[], size: number, cap: number): T[] {
  const perBusiness = new Map<string, number>();
  const out: T[] = [];
  for (const item of sorted) {
    if (out.length >= size) break;
    const n = perBusiness.get(item.job.businessId) ?? 0;
    if (n >= cap) continue;
    perBusiness.set(item.job.businessId, n + 1);
    out.push(item);
  }
  return out;
}

const formatKm = (km: number): string => (km < 1 ? 'under 1 km away' : `${km < 10 ? Math.round(km * 10) / 10 : Math.round(km)} km away`);

/** One line for a person, e.g. "3 of 4 skills, 12 km away, pays 15% above your ask"; parts the details lack are left out. */
export function reasonOf(job: Pick<JobDocument, 'remote'>, details: MatchDetails): string {
  const parts: string[] = [];
  if (details.skillsRequired > 0) parts.push(`${details.skillsMatched} of ${details.skillsRequired} skill${details.skillsRequired === 1 ? '' : 's'}`);
  else parts.push('no specific skills required');
  if (job.remote) parts.push('remote');
  else if (details.distanceKm !== undefined) parts.push(formatKm(details.distanceKm));
  if (details.payRatio !== undefined) {
    const pct = Math.round((details.payRatio - 1) * 100);
    parts.push(pct > 0 ? `pays ${pct}% above your ask` : pct < 0 ? `pays ${-pct}% below your ask` : 'pays your ask');
  }
  if (details.availableDays !== undefined && details.jobDays !== undefined) {
    parts.push(details.availableDays >= details.jobDays ? 'fits your availability' : `you are free ${details.availableDays} of ${details.jobDays} days`);
  }
  if (details.experienceRatio !== undefined && details.experienceRatio < 1) parts.push('asks for more experience');
  return parts.join(', ');
}

/** Scores candidates with the reference function, keeps the eligible ones, sorts them and diversifies the page. */
export function rankCandidates<J extends MatchCandidate>(worker: WorkerProfile, candidates: readonly J[], options: RecommendOptions): Array<Recommendation<J>> {
  const weights = options.weights ?? defaultWeights;
  const seen = new Set<string>();
  const scored: Array<Recommendation<J>> = [];
  const score = prepareMatch(worker, weights, options.now);
  for (const job of candidates) {
    if (seen.has(job.jobId) || !isOpenAt(job, options.now)) continue;
    seen.add(job.jobId);
    const r = score(job);
    if (!isEligible(worker, job, r.details, options.now)) continue;
    scored.push({ job, score: r.score, factors: r.factors, details: r.details, reason: reasonOf(job, r.details) });
  }
  scored.sort(byScoreThenId);
  return diversify(scored, options.size, options.cap ?? DEFAULT_BUSINESS_CAP);
}

/**
 * The exact page: walks the source's candidates best first, keeps the eligible
 * ones scored by the reference, and stops once no unread candidate can enter
 * the diversified page (an exact source: the page is full; otherwise: the
 * last rank read plus the tolerance is below the page's last score).
 */
export async function recommend(source: CandidateSource, worker: WorkerProfile, options: RecommendOptions): Promise<Recommendation[]> {
  const weights = options.weights ?? defaultWeights;
  const { size, now } = options;
  const cap = options.cap ?? DEFAULT_BUSINESS_CAP;
  const exact = source.tolerance === 0;
  const score = prepareMatch(worker, weights, now);
  const seen = new Set<string>();
  const kept: Array<Omit<Recommendation<MatchCandidate>, 'reason'>> = [];
  const perBusiness = new Map<string, number>();
  const full = new Set<string>();
  let onPage = 0;
  walk: for await (const batch of source.ranked(worker, now, weights, full)) {
    let last = Infinity;
    for (const c of batch) {
      last = c.rank;
      const job = c.job;
      if (seen.has(job.jobId) || !isOpenAt(job, now)) continue;
      seen.add(job.jobId);
      const r = c.match ?? score(job);
      if (!isEligible(worker, job, r.details, now)) continue;
      kept.push({ job, score: r.score, factors: r.factors, details: r.details });
      if (!exact) continue;
      // In exact order the page fills as it goes: the first `size` within the cap.
      const n = perBusiness.get(job.businessId) ?? 0;
      if (n >= cap) continue;
      perBusiness.set(job.businessId, n + 1);
      if (++onPage >= size) break walk;
    }
    if (exact) continue;
    const bound = last + source.tolerance;
    if (kept.length >= size) {
      const page = diversify([...kept].sort(byScoreThenId), size, cap);
      if (page.length === size && bound < page[size - 1]!.score) break;
    }
    // A business with `cap` kept jobs above every unread score is full: no unread job of it can enter the page.
    const above = new Map<string, number>();
    for (const k of kept) if (k.score > bound) above.set(k.job.businessId, (above.get(k.job.businessId) ?? 0) + 1);
    for (const [businessId, n] of above) if (n >= cap) full.add(businessId);
  }
  const page = diversify(kept.sort(byScoreThenId), size, cap).map((r) => ({ ...r, reason: reasonOf(r.job, r.details) }));
  if (!source.documents) return page as Recommendation[];
  // Only the page is read as documents; one gone since it was ranked is left out.
  const docs = await source.documents(page.map((r) => r.job.jobId));
  return page.flatMap((r, i) => {
    const job = docs[i];
    return job ? [{ ...r, job }] : [];
  });
}
