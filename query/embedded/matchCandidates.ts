// Match candidates straight from the in-memory columns: no document is read
// or parsed (a match of 500 jobs needs none). The same values the documents
// hold: skills as their distinct lowercase names (the score lowercases
// anyway), the quantised point (the score quantises, and quantising is
// idempotent), dates as days.

import type { JobDocument } from '../../mappings/jobDocument.ts';
import type { MatchCandidate, MatchJobFields, MatchResult } from '../match/matchScore.ts';
import { type Columns, NO_END_DAY, NO_START_DAY, STATUS_OPEN, statusCodes } from './columns.ts';
import { DAY_MS } from '../model/units.ts';
import type { EmbeddedState } from './embeddedState.ts';

const statusNames = Object.fromEntries(Object.entries(statusCodes).map(([name, code]) => [code, name])) as Record<number, JobDocument['status']>;
/** A bounded memo of number → string (cleared when full: a cache, not a store). */
class StringCache {
  private readonly map = new Map<number, string>();
  constructor(private readonly make: (n: number) => string, private readonly max = 200_000) {}
  of(n: number): string {
    let s = this.map.get(n);
    if (s === undefined) {
      if (this.map.size >= this.max) this.map.clear();
      this.map.set(n, (s = this.make(n)));
    }
    return s;
  }
}

/** A reusable holder of one job's match fields at a time (CandidateReader.matchFieldsInto). */
export interface ScratchMatchFields extends MatchJobFields {
  days: { start?: number; end?: number };
  point: { lat: number; lon: number };
}

export const scratchMatchFields = (): ScratchMatchFields => ({ skills: [], skillsNormalized: true, remote: false, hourlyMax: 0, experienceYears: 0, days: {}, point: { lat: 0, lon: 0 } });

/** Reads match candidates out of one store's columns, with the memos their strings share. */
export class CandidateReader {
  /** Skill names of a shared skill-id set (jobs share few distinct sets), made once per set. */
  private readonly skillNameLists = new WeakMap<Int32Array, string[]>();
  /** Dates and instants as strings, made once per value: jobs share few distinct days and expiry instants. */
  private readonly isoDays = new StringCache((day) => new Date(day * DAY_MS).toISOString().slice(0, 10));
  private readonly isoInstants = new StringCache((ms) => new Date(ms).toISOString());

  constructor(private readonly cols: Columns) {}

  /** The match fields of the job in `slot`. */
  at(slot: number): MatchCandidate {
    const c = this.cols;
    const lat = c.lat[slot]!;
    const lon = c.lon[slot]!;
    const start = c.startDay[slot]!;
    const end = c.endDay[slot]!;
    const expires = c.expires[slot]!;
    const job: MatchCandidate = {
      jobId: c.jobIds[slot]!,
      businessId: c.businesses.values[c.business[slot]!] ?? '',
      status: statusNames[c.status[slot]!] ?? 'draft',
      skills: this.skillNamesOf(c.skills[slot]!),
      skillsNormalized: true,
      remote: c.remote[slot] === 1,
      hourlyMax: c.hourlyMax[slot]!,
      experienceYears: c.experience[slot]!,
      days: start === NO_START_DAY ? (end === NO_END_DAY ? {} : { end }) : end === NO_END_DAY ? { start } : { start, end },
    };
    if (!Number.isNaN(expires)) {
      job.expiresAt = this.isoInstants.of(expires);
      job.expiresMs = expires;
    }
    if (!Number.isNaN(lat)) job.location = { lat, lon };
    if (start !== NO_START_DAY) job.startDate = this.isoDays.of(start);
    if (end !== NO_END_DAY) job.endDate = this.isoDays.of(end);
    return job;
  }

  /**
   * The match fields of the job in `slot` written into `into` (reused from one
   * slot to the next: no allocation per job), for scoring many jobs of which
   * few are kept. Only the fields the score reads: skills, remote, location,
   * hourlyMax, experience and the days.
   */
  matchFieldsInto(slot: number, into: ScratchMatchFields): ScratchMatchFields {
    const c = this.cols;
    const lat = c.lat[slot]!;
    const start = c.startDay[slot]!;
    const end = c.endDay[slot]!;
    into.skills = this.skillNamesOf(c.skills[slot]!);
    into.remote = c.remote[slot] === 1;
    into.hourlyMax = c.hourlyMax[slot]!;
    into.experienceYears = c.experience[slot]!;
    into.days.start = start === NO_START_DAY ? undefined : start;
    into.days.end = end === NO_END_DAY ? undefined : end;
    if (Number.isNaN(lat)) into.location = undefined;
    else {
      into.point.lat = lat;
      into.point.lon = c.lon[slot]!;
      into.location = into.point;
    }
    return into;
  }

  private skillNamesOf(ids: Int32Array): string[] {
    let names = this.skillNameLists.get(ids);
    if (!names) this.skillNameLists.set(ids, (names = Array.from(ids, (id) => this.cols.skillNames.values[id]!)));
    return names;
  }
}

/** The match fields of jobs by id (undefined: no such job). */
export function matchJobsById(st: EmbeddedState, reader: CandidateReader, jobIds: readonly string[]): Array<MatchCandidate | undefined> {
  return jobIds.map((id) => {
    const slot = st.slotOf.get(id);
    return slot === undefined ? undefined : reader.at(slot);
  });
}

/**
 * `score` of each job by id that is open at `now` (as isOpenAt decides: open,
 * expiring after now), undefined for one missing or not open. The fields go
 * through one reused holder: no candidate, date string or set per job, only
 * the results (a match of 500 jobs).
 */
export function scoreOpenJobs(st: EmbeddedState, reader: CandidateReader, jobIds: readonly string[], now: Date, score: (job: MatchJobFields) => MatchResult): Array<MatchResult | undefined> {
  const c = st.cols;
  const nowMs = now.getTime();
  const scratch = scratchMatchFields();
  return jobIds.map((id) => {
    const slot = st.slotOf.get(id);
    // A missing expiry is NaN: never after now.
    if (slot === undefined || c.status[slot] !== STATUS_OPEN || !(c.expires[slot]! > nowMs)) return undefined;
    return score(reader.matchFieldsInto(slot, scratch));
  });
}
