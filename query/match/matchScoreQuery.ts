// The painless match score (mappings/matchScoreScript.ts) bound to a worker:
// the script's `params`, computed here with the reference's own helpers
// (matchScore.ts) so that the script sees exactly the day numbers, merged
// availability ranges and validated weights the reference function uses, and
// the `script_score` query that carries them.
import type { WorkerProfile } from '../../eventstore/events/index.ts';
import { MATCH_SCORE_SCRIPT } from '../../mappings/matchScoreScript.ts';
import { availabilityRanges, dayOfInstant, defaultWeights, MatchWeights, OPEN_END_HORIZON_DAYS } from './matchScore.ts';

/**
 * How far the painless score may lie from the reference (they agree to 1e-6;
 * this leaves room): a walk in the engine's order reads on until the scores it
 * has not read are this much below the last one it needs.
 */
export const MATCH_TOLERANCE = 1e-4;

export interface MatchScoreParams {
  [key: string]: unknown;
  workerSkills: string[];
  hasLocation: boolean;
  lat: number;
  lon: number;
  maxTravelKm: number;
  desiredPay: number;
  /** Flat [from0, to0, from1, to1, ...]: the merged availability ranges as inclusive day numbers. */
  windows: number[];
  experienceYears: number;
  nowDay: number;
  horizonDays: number;
  wSkills: number;
  wDistance: number;
  wPay: number;
  wAvailability: number;
  wExperience: number;
}

/** The script's params for a worker (weights validated like the reference). */
export function matchScoreParams(worker: WorkerProfile, weights: MatchWeights = defaultWeights, now: Date = new Date()): MatchScoreParams {
  const w = MatchWeights.parse(weights);
  return {
    workerSkills: [...new Set(worker.skills.map((s) => s.toLowerCase()))],
    hasLocation: worker.location !== undefined,
    lat: worker.location?.lat ?? 0,
    lon: worker.location?.lon ?? 0,
    maxTravelKm: worker.maxTravelKm,
    desiredPay: worker.desiredHourlyPay ?? 0,
    windows: availabilityRanges(worker.availability).flat(),
    experienceYears: worker.experienceYears,
    nowDay: dayOfInstant(now),
    horizonDays: OPEN_END_HORIZON_DAYS,
    wSkills: w.skills,
    wDistance: w.distance,
    wPay: w.pay,
    wAvailability: w.availability,
    wExperience: w.experience,
  };
}

/** A `script_score` query scoring every job matched by `query` (default all) for a worker. */
export function matchScoreQuery(worker: WorkerProfile, weights: MatchWeights = defaultWeights, now: Date = new Date(), query: Record<string, unknown> = { match_all: {} }): Record<string, unknown> {
  return {
    script_score: {
      query,
      script: { lang: 'painless', source: MATCH_SCORE_SCRIPT, params: matchScoreParams(worker, weights, now) },
    },
  };
}
