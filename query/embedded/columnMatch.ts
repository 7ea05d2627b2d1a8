// The match score of a worker for the job in a slot, straight from the
// columns: bit for bit what the reference gives for the same job
// (prepareMatch(worker)(reader.matchFieldsInto(slot)).score): the same factors
// by the same arithmetic in the same order, but no string or object per job
// (the worker's skills become a flag per skill id once; days, pay, experience
// and the quantised point are read from the typed arrays). Ranking a whole
// filter (rankedMatches.ts) scores tens of thousands of jobs this way; the
// few handed out are scored again by the reference itself.
import type { WorkerProfile } from '../../eventstore/events/index.ts';
import { MatchWeights, OPEN_END_HORIZON_DAYS, availabilityRanges, dayOfInstant } from '../match/matchScore.ts';
import { decodeLatitude, decodeLongitude, encodeLatitude, encodeLongitude, haversineMeters } from '../model/geo.ts';
import { type Columns, NO_END_DAY, NO_START_DAY } from './columns.ts';

/**
 * The skills factor of each slot's job into out[i]: distinct job skills the
 * worker has / distinct job skills (none: 1). Jobs share few skill sets
 * (Columns.skillSetId), so each set's factor is worked out once per call and
 * then read from `memo` (NaN: not yet): one small-array read per job instead
 * of a walk of its own skill list.
 */
function skillFactors(cols: Columns, has: Uint8Array, memo: Float64Array, slots: Int32Array, out: Float64Array): void {
  const { skillSetId, skillSetTable } = cols;
  memo.fill(NaN, 0, skillSetTable.length);
  for (let i = 0; i < slots.length; i++) {
    const set = skillSetId[slots[i]!]!;
    let factor = memo[set]!;
    if (Number.isNaN(factor)) {
      const ids = skillSetTable[set]!;
      const required = ids.length;
      let matched = 0;
      // Ids past the flags are skills interned after them: not the worker's.
      for (let k = 0; k < required; k++) matched += has[ids[k]!] ?? 0;
      memo[set] = factor = required === 0 ? 1 : matched / required;
    }
    out[i] = factor;
  }
}

/** Each store's skill-set memo, shared by its rankings in turn (each call refills it): no per-request buffer. */
const memos = new WeakMap<Columns, Float64Array>();

/** One worker's scoring of slots. The arrays are read as they are at each call: call them synchronously, before any write. */
export interface ColumnMatch {
  /** The skills factor of slots[i]'s job into out[i]. */
  skills(slots: Int32Array, out: Float64Array): void;
  /** The score (0..100) of slots[i]'s job into out[i], which holds its skills factor (from `skills`) on entry. */
  scores(slots: Int32Array, out: Float64Array): void;
  /**
   * A score no job with this skills factor can exceed: the reference's sum
   * with every other factor at its most, 1 (rounding is monotone, so each real
   * sum is at most this one). Never lower for a higher factor.
   */
  bound(skills: number): number;
  /** The ids (as the columns intern skills) of the worker's skills that some job lists. */
  readonly skillIds: readonly number[];
}

export function prepareColumnMatch(cols: Columns, worker: WorkerProfile, weights: MatchWeights, now: Date): ColumnMatch {
  const w = MatchWeights.parse(weights);
  // A flag per skill id the worker has (names as the columns intern them: lowercase).
  const has = new Uint8Array(cols.skillNames.values.length);
  const skillIds: number[] = [];
  for (const s of worker.skills) {
    const id = cols.skillNames.get(s.toLowerCase());
    if (id === undefined || has[id] === 1) continue;
    has[id] = 1;
    skillIds.push(id);
  }
  const ranges = availabilityRanges(worker.availability);
  const rangeFrom = Float64Array.from(ranges, (r) => r[0]);
  const rangeTo = Float64Array.from(ranges, (r) => r[1]);
  const nowDay = dayOfInstant(now);
  const scores = (slots: Int32Array, out: Float64Array): void => {
    const [wSkills, wDistance, wPay, wAvailability, wExperience] = [w.skills, w.distance, w.pay, w.availability, w.experience];
    const windows = worker.availability.length;
    const nRanges = rangeFrom.length;
    const desired = worker.desiredHourlyPay ?? 0;
    const located = worker.location !== undefined;
    const wLat = worker.location?.lat ?? 0;
    const wLon = worker.location?.lon ?? 0;
    const maxTravelKm = worker.maxTravelKm;
    const years = worker.experienceYears;
    const { remote, lat, lon, hourlyMax, experience: required, startDay, endDay } = cols;
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i]!;
      const skills = out[i]!;

      // distance: a stored point is already quantised; quantising it again (as the reference does) changes nothing but is kept.
      let distance: number;
      const la = lat[slot]!;
      if (remote[slot] === 1) distance = 1;
      else if (!located || Number.isNaN(la)) distance = 0.5;
      else {
        const km = haversineMeters(wLat, wLon, decodeLatitude(encodeLatitude(la)), decodeLongitude(encodeLongitude(lon[slot]!))) / 1000;
        distance = Math.max(0, 1 - km / maxTravelKm);
      }

      let pay = 1;
      if (desired > 0) pay = Math.max(0, Math.min(1, hourlyMax[slot]! / desired));

      // availability over the job's period (jobPeriodDays, inlined).
      let availability: number;
      const start0 = startDay[slot]!;
      const end0 = endDay[slot]!;
      if (start0 === NO_START_DAY && end0 === NO_END_DAY) availability = 1;
      else if (windows === 0) availability = 0.5;
      else {
        const s = start0 !== NO_START_DAY ? start0 : Math.min(nowDay, end0);
        const e = end0 === NO_END_DAY ? s + (OPEN_END_HORIZON_DAYS - 1) : Math.max(s, end0);
        let covered = 0;
        for (let r = 0; r < nRanges; r++) covered += Math.max(0, Math.min(e, rangeTo[r]!) - Math.max(s, rangeFrom[r]!) + 1);
        availability = covered / (e - s + 1);
      }

      let experience = 1;
      const asked = required[slot]!;
      if (asked > 0) experience = Math.min(1, years / asked);

      const sum = wSkills * skills + wDistance * distance + wPay * pay + wAvailability * availability + wExperience * experience;
      out[i] = Math.max(0, Math.min(100, 100 * sum));
    }
  };
  return {
    skills: (slots, out) => {
      let memo = memos.get(cols);
      if (!memo || memo.length < cols.skillSetTable.length) memos.set(cols, (memo = new Float64Array(Math.max(1024, cols.skillSetTable.length * 2))));
      skillFactors(cols, has, memo, slots, out);
    },
    scores,
    bound: (skills) => Math.max(0, Math.min(100, 100 * (w.skills * skills + w.distance * 1 + w.pay * 1 + w.availability * 1 + w.experience * 1))),
    skillIds,
  };
}
