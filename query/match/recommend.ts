// Recommendations for a worker: candidate jobs from a jobs store
// (open, unexpired, pre-filtered by travel distance and availability), scored
// with the reference matchScore, diversified (at most `cap` jobs per business
// on the page) and explained by a one-line reason.
//
// Candidate sources (a Recommender's `candidates`):
// - recommendEmbedded.ts: any JobReadStore through its public `search`
//   (the embedded store; also the server mode when no engine client is wired);
// - recommendEngine.ts: the search engine with a bool filter and the painless
//   `script_score` (mappings/matchScoreScript.ts), top few hundred hits.
// Whatever the source, eligibility is decided once more here with the reference
// function's own numbers, so both stores exclude exactly the same jobs.
import type { WorkerProfile } from '../../eventstore/events/index.ts';
import type { JobDocument } from '../../mappings/jobDocument.ts';
import { availabilityRanges, dayOfInstant, defaultWeights, periodOf, prepareMatch } from './matchScore.ts';
import type { MatchCandidate, MatchDetails, MatchFactors, MatchJobFields, MatchWeights } from './matchScore.ts';

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

/** Where candidate jobs come from: a superset of the eligible jobs, best first when the source can rank. */
export interface CandidateSource {
  readonly kind: string;
  candidates(worker: WorkerProfile, now: Date, weights: MatchWeights): Promise<MatchCandidate[]>;
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

export async function recommend(source: CandidateSource, worker: WorkerProfile, options: RecommendOptions): Promise<Recommendation[]> {
  const weights = options.weights ?? defaultWeights;
  const page = rankCandidates(worker, await source.candidates(worker, options.now, weights), options);
  if (!source.documents) return page as Recommendation[];
  // Only the page is read as documents; one gone since it was ranked is left out.
  const docs = await source.documents(page.map((r) => r.job.jobId));
  return page.flatMap((r, i) => {
    const job = docs[i];
    return job ? [{ ...r, job }] : [];
  });
}
