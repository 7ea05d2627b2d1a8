// Match candidates straight from the in-memory columns: no document is read
// or parsed (a match of 500 jobs needs none). The same values the documents
// hold: skills as their distinct lowercase names (the score lowercases
// anyway), the quantised point (the score quantises, and quantising is
// idempotent), dates as days.

import type { JobDocument } from '../../mappings/jobDocument.ts';
import type { MatchCandidate } from '../match/matchScore.ts';
import { collect } from './collectMatches.ts';
import { type Columns, NO_END_DAY, NO_START_DAY, statusCodes } from './columns.ts';
import { DAY_MS } from '../model/units.ts';
import type { EmbeddedState } from './embeddedState.ts';
import type { FilterInput } from '../model/searchRequest.ts';
import { planFilters } from './filterPlan.ts';

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
 * Every match of the filters at once (one pass, not a query per page), the
 * newest `limit` (ties: jobId), as match candidates from the columns: what a
 * recommendation's candidate set needs.
 */
export function matchCandidatesOf(st: EmbeddedState, reader: CandidateReader, filters: FilterInput, now: Date, limit: number): MatchCandidate[] {
  const m = collect(st, planFilters(st.cols, filters, now));
  const { published, jobIds } = st.cols;
  const slots = Array.from(m.slots.subarray(0, m.count));
  if (slots.length > limit) slots.sort((a, b) => published[b]! - published[a]! || (jobIds[a]! < jobIds[b]! ? -1 : 1)).length = limit;
  return slots.map((s) => reader.at(s));
}
