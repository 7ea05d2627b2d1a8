// The match score of a worker for a job (DESIGN.md §3 "Match score"): the one
// reference function. The painless script (mappings/matchScoreScript.ts) and
// any embedded implementation must agree with it to 1e-6, so it uses only
// arithmetic both reproduce: + - * /, min/max, sin/cos/asin/sqrt (≤ 1 ulp apart
// between V8 and the JVM), integer day numbers, and the job's coordinates as
// Lucene stores them (quantised).
//
// score = 100 × Σ weight_i × factor_i, clamped to [0, 100], the weights summing to 1.
import { z } from 'zod';
import type { WorkerProfile } from '../../eventstore/events/index.ts';
import type { JobDocument } from '../../mappings/jobDocument.ts';
import { haversineMeters, quantize } from '../model/geo.ts';
import { DAY_MS } from '../model/units.ts';

const weight = z.number().min(0).max(1);

/** Weights of the five factors: each in 0..1, summing to 1 (within 1e-9). */
export const MatchWeights = z
  .object({ skills: weight, distance: weight, pay: weight, availability: weight, experience: weight })
  .strict()
  .refine((w) => Math.abs(w.skills + w.distance + w.pay + w.availability + w.experience - 1) <= 1e-9, {
    message: 'weights must sum to 1',
  });
export type MatchWeights = z.infer<typeof MatchWeights>;

export const defaultWeights: MatchWeights = Object.freeze({ skills: 0.35, distance: 0.25, pay: 0.2, availability: 0.1, experience: 0.1 });

export type MatchFactorName = keyof MatchWeights;
export type MatchFactors = Record<MatchFactorName, number>;

/** What a match score reads of a job. */
export type MatchJobFields = Pick<JobDocument, 'skills' | 'remote' | 'location' | 'hourlyMax' | 'startDate' | 'endDate' | 'experienceYears'> & {
  /** The day numbers of startDate / endDate when a store keeps them (the same values, so no parsing per job); absent: parsed from the strings. */
  days?: { start?: number; end?: number };
  /** Set when `skills` are already distinct and lowercase (the embedded columns), so no set is built per job. */
  skillsNormalized?: boolean;
};

/** A job as candidate sources hand it over: the match fields, and who and whether it is open. A full document is one. */
export type MatchCandidate = MatchJobFields & Pick<JobDocument, 'jobId' | 'businessId' | 'status' | 'expiresAt'> & {
  /** expiresAt in epoch ms when a store keeps it (the same instant). */
  expiresMs?: number;
};

export interface MatchDetails {
  /** Distinct job skills the worker has. */
  skillsMatched: number;
  /** Distinct job skills (lowercased, as the engine's keyword normalizer stores them). */
  skillsRequired: number;
  /** Great-circle distance worker → job (quantised job point); absent when remote or either side has no location. */
  distanceKm?: number;
  /** hourlyMax / desiredHourlyPay (unclamped); absent when the worker states no desired pay (or 0). */
  payRatio?: number;
  /** Days of the job's period covered by the worker's availability, and the period's length; absent when not computed. */
  availableDays?: number;
  jobDays?: number;
  /** worker experience / required experience (unclamped); absent when the job requires none. */
  experienceRatio?: number;
}

export interface MatchResult {
  /** 0..100. */
  score: number;
  /** Each 0..1. */
  factors: MatchFactors;
  details: MatchDetails;
}

/** Length of the period assumed for a job with no end date, in days (start day included). */
export const OPEN_END_HORIZON_DAYS = 90;
/** Day number standing for "no end" of an availability window (far beyond any job date). */
export const OPEN_WINDOW_END = 1e9;

/** Day number (days since 1970-01-01 UTC) of a `yyyy-MM-dd` date. */
export function dayNumber(isoDay: string): number {
  const ms = Date.parse(isoDay.slice(0, 10));
  if (Number.isNaN(ms)) throw new RangeError(`not a date: ${isoDay}`);
  return Math.floor(ms / DAY_MS);
}

/** Day number of an instant (the UTC day it falls in). */
export const dayOfInstant = (at: Date): number => Math.floor(at.getTime() / DAY_MS);

/**
 * The union of availability windows as sorted, disjoint, inclusive day ranges
 * [from, to]; an open-ended window ends at OPEN_WINDOW_END. Adjacent ranges
 * (to + 1 = next from) are merged too.
 */
export function availabilityRanges(windows: WorkerProfile['availability']): Array<[number, number]> {
  const ranges = windows
    .map((w): [number, number] => [dayNumber(w.from), w.to === undefined ? OPEN_WINDOW_END : dayNumber(w.to)])
    .filter(([a, b]) => b >= a)
    .sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const out: Array<[number, number]> = [];
  for (const [a, b] of ranges) {
    const last = out[out.length - 1];
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/**
 * The job's period as inclusive day numbers, or undefined when it has no dates.
 * No end date: OPEN_END_HORIZON_DAYS from the start. No start date: from `nowDay`
 * (or from the end day, when the end is already past). An end before the start
 * (not produced by the write side) counts as the start day alone.
 */
export function jobPeriod(startDate: string | undefined, endDate: string | undefined, nowDay: number): [number, number] | undefined {
  return jobPeriodDays(startDate === undefined ? undefined : dayNumber(startDate), endDate === undefined ? undefined : dayNumber(endDate), nowDay);
}

/** A job's period from its own days: `days` when the store gave them, else parsed from the strings. */
export const periodOf = (job: Pick<MatchJobFields, 'startDate' | 'endDate' | 'days'>, nowDay: number): [number, number] | undefined =>
  job.days !== undefined ? jobPeriodDays(job.days.start, job.days.end, nowDay) : jobPeriod(job.startDate, job.endDate, nowDay);

export function jobPeriodDays(startDay: number | undefined, endDay: number | undefined, nowDay: number): [number, number] | undefined {
  if (startDay === undefined && endDay === undefined) return undefined;
  const end0 = endDay;
  const start = startDay !== undefined ? startDay : Math.min(nowDay, end0 ?? nowDay);
  const end = end0 === undefined ? start + (OPEN_END_HORIZON_DAYS - 1) : Math.max(start, end0);
  return [start, end];
}

/**
 * The match of a worker for a job.
 *
 * Factors (each 0..1):
 * - skills: distinct job skills the worker has / distinct job skills, compared
 *   lowercased (the index's keyword normalizer). A job listing no skills → 1.
 * - distance: linear decay with the great-circle distance d (haversine, Lucene's
 *   earth radius, the job's quantised point): max(0, 1 − d / maxTravelKm), so 1
 *   at 0 km and 0 at maxTravelKm and beyond. A remote job → 1 (checked first);
 *   a worker without location → 0.5; a job without location (not remote) → 0.5.
 * - pay: min(1, hourlyMax / desiredHourlyPay); no desired pay (or 0) → 1.
 * - availability: days of the job's period (jobPeriod) covered by the union of
 *   the worker's windows (inclusive days, open-ended windows run forever) / days
 *   of the period. Job without dates → 1; worker with no windows → 0.5.
 * - experience: min(1, worker years / required years); required 0 → 1.
 *
 * `now` only matters for a job with an end date and no start date.
 */
export function matchScore(worker: WorkerProfile, job: MatchJobFields, weights: MatchWeights = defaultWeights, now: Date = new Date()): MatchResult {
  return prepareMatch(worker, weights, now)(job);
}

/**
 * matchScore with the worker's side worked out once (weights validated, skills
 * lowercased, windows merged), for scoring many jobs: the same arithmetic in
 * the same order, so the results are identical.
 */
export function prepareMatch(worker: WorkerProfile, weights: MatchWeights = defaultWeights, now: Date = new Date()): (job: MatchJobFields) => MatchResult {
  const w = MatchWeights.parse(weights);
  const workerSkills = new Set(worker.skills.map((s) => s.toLowerCase()));
  const ranges = availabilityRanges(worker.availability);
  const nowDay = dayOfInstant(now);
  const desired = worker.desiredHourlyPay ?? 0;
  return (job) => {
    const details: MatchDetails = { skillsMatched: 0, skillsRequired: 0 };

    // skills
    const jobSkills = job.skillsNormalized ? job.skills : [...new Set(job.skills.map((s) => s.toLowerCase()))];
    let matched = 0;
    for (const s of jobSkills) if (workerSkills.has(s)) matched++;
    const required = jobSkills.length;
    details.skillsMatched = matched;
    details.skillsRequired = required;
    const skills = required === 0 ? 1 : matched / required;

    // distance
    let distance: number;
    if (job.remote) distance = 1;
    else if (!worker.location || !job.location) distance = 0.5;
    else {
      const q = quantize(job.location.lat, job.location.lon);
      const km = haversineMeters(worker.location.lat, worker.location.lon, q.lat, q.lon) / 1000;
      details.distanceKm = km;
      distance = Math.max(0, 1 - km / worker.maxTravelKm);
    }

    // pay
    let pay = 1;
    if (desired > 0) {
      const ratio = job.hourlyMax / desired;
      details.payRatio = ratio;
      pay = Math.max(0, Math.min(1, ratio));
    }

    // availability
    let availability: number;
    const period = periodOf(job, nowDay);
    if (period === undefined) availability = 1;
    else if (worker.availability.length === 0) availability = 0.5;
    else {
      const [s, e] = period;
      let covered = 0;
      for (const [a, b] of ranges) covered += Math.max(0, Math.min(e, b) - Math.max(s, a) + 1);
      details.availableDays = covered;
      details.jobDays = e - s + 1;
      availability = covered / (e - s + 1);
    }

    // experience
    let experience = 1;
    if (job.experienceYears > 0) {
      const ratio = worker.experienceYears / job.experienceYears;
      details.experienceRatio = ratio;
      experience = Math.min(1, ratio);
    }

    const sum = w.skills * skills + w.distance * distance + w.pay * pay + w.availability * availability + w.experience * experience;
    const score = Math.max(0, Math.min(100, 100 * sum));
    return { score, factors: { skills, distance, pay, availability, experience }, details };
  };
}
