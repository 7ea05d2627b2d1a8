// The jobs matching any of a few filters, scored for one worker and handed out
// best first (score desc, jobId asc) one at a time, for a caller that stops
// after a handful (recommendations). Scores come from the columns
// (columnMatch.ts: bit for bit the reference score, no object per job); only
// the jobs handed out are read in full, and scored again by the reference.
// Exact with less work:
// - the candidates go in tiers by skills factor, each with the most its jobs
//   can score (ColumnMatch.bound); a tier is scored only once the walk reaches
//   its bound (a tie there may come first by jobId, so not before);
// - of a remote-only filter (every remote job is a candidate) only the jobs
//   with a skill of the worker, or asking none, are gathered up front (the
//   state's remoteBySkill); the others (factor 0) when the walk reaches bound(0);
// - the order is lazy (rankPool.ts): only the best few are heaped up front.
// The per-job buffers are the state's, reused by the next ranking (tens of
// thousands of jobs a request: fresh buffers would mostly feed the collector).

import type { MatchCandidate, MatchJobFields, MatchResult } from '../match/matchScore.ts';
import { collect } from './collectMatches.ts';
import type { ColumnMatch } from './columnMatch.ts';
import type { EmbeddedState } from './embeddedState.ts';
import type { FilterInput } from '../model/searchRequest.ts';
import { type Plan, planFilters } from './filterPlan.ts';
import type { CandidateReader } from './matchCandidates.ts';
import { RankPool } from './rankPool.ts';

export interface RankedMatch {
  job: MatchCandidate;
  match: MatchResult;
}

/** How many of the best scores are heaped first by default (a recommendations page walks a few dozen). */
const HEAD = 128;

const grown = <T extends Int32Array | Float64Array>(a: T, cap: number, keep: number): T => {
  if (a.length >= cap) return a;
  const b = new (a.constructor as new (n: number) => T)(Math.max(1024, cap, a.length * 2));
  b.set(a.subarray(0, keep));
  return b;
};

/** One state's ranking buffers, grown to the largest ranking seen; `lease` names the ranking that owns them now. */
class RankScratch {
  /** The candidates' slots, and each one's skills factor until it is scored, then its score (by candidate index). */
  slots = new Int32Array(0);
  scores = new Float64Array(0);
  values = new Float64Array(0);
  order = new Int32Array(0);
  order2 = new Int32Array(0);
  /** 1 for a slot already gathered (cleared after each gathering). */
  taken = new Uint8Array(0);
  lease = 0;

  /** Room for n candidates, the first `keep` slots and scores kept. */
  fit(n: number, keep: number): void {
    this.slots = grown(this.slots, n, keep);
    this.scores = grown(this.scores, n, keep);
    this.values = grown(this.values, n, 0);
    this.order = grown(this.order, n, 0);
    this.order2 = grown(this.order2, n, 0);
  }
}

const scratchOf = new WeakMap<EmbeddedState, RankScratch>();

/** A remote-only filter without text: its pred alone decides, so candidates may come from any superset of its slots. */
const remoteOnly = (plan: Plan): boolean => plan.remote && plan.terms === undefined;

/** Appends to scratch.slots from n the slots `each` passes that are not taken yet (marking them); returns the new n. */
function gather(scratch: RankScratch, n: number, count: number, each: (take: (slot: number) => void) => void): number {
  scratch.fit(n + count, n);
  const { slots, taken } = scratch;
  each((s) => {
    if (taken[s] === 1) return;
    taken[s] = 1;
    slots[n++] = s;
  });
  return n;
}

/** The matches of the plans, each once, appended to scratch.slots from `from`; of a remote-only plan only `skilled` (when given) slots. */
function gatherAll(st: EmbeddedState, scratch: RankScratch, plans: readonly Plan[], from: number, skilled: readonly number[] | undefined): number {
  if (scratch.taken.length < st.cols.size) scratch.taken = new Uint8Array(st.cols.cap);
  const taken = scratch.taken;
  // What is gathered already counts as taken.
  for (let i = 0; i < from; i++) taken[scratch.slots[i]!] = 1;
  let n = from;
  for (const plan of plans) {
    if (skilled && remoteOnly(plan)) {
      const index = st.remoteBySkill;
      if (index.stale) index.rebuild(st.cols.size, st.cols.skillNames.values.length + 1);
      const start = n;
      n = gather(scratch, n, index.cost(skilled, false), (take) => index.forEach(skilled, false, take));
      // Ascending (the postings come skill after skill), so the filter and the scores read the columns in order, not at random.
      const slots = scratch.slots;
      slots.subarray(start, n).sort();
      const pred = plan.pred;
      let kept = start;
      for (let i = start; i < n; i++) {
        const s = slots[i]!;
        if (pred(s)) slots[kept++] = s;
        else taken[s] = 0;
      }
      n = kept;
    } else {
      const m = collect(st, plan);
      n = gather(scratch, n, m.count, (take) => {
        for (let i = 0; i < m.count; i++) take(m.slots[i]!);
      });
    }
  }
  for (let i = 0; i < n; i++) taken[scratch.slots[i]!] = 0;
  return n;
}

/**
 * The union of the filters' matches in exact reference order: `rank` scores
 * slots from the columns, each equal to `score` of the slot's fields. The
 * walk reads the columns and the state's buffers as it goes: consume it
 * synchronously, before any write or other ranking (resuming it after another
 * ranking began throws).
 */
export function rankedMatchesOf(
  st: EmbeddedState,
  reader: CandidateReader,
  filters: readonly FilterInput[],
  now: Date,
  score: (job: MatchJobFields) => MatchResult,
  rank: ColumnMatch,
  headSize = HEAD,
): Iterable<RankedMatch> {
  let scratch = scratchOf.get(st);
  if (!scratch) scratchOf.set(st, (scratch = new RankScratch()));
  const sc = scratch;
  const lease = ++sc.lease;
  const plans = filters.map((f) => planFilters(st.cols, f, now));
  // Skill id + 1 of each of the worker's skills, and 0: the remote jobs asking no skills (their skills factor is 1).
  const skilled = [0, ...rank.skillIds.map((id) => id + 1)];
  let n = gatherAll(st, sc, plans, 0, skilled);
  // The remote-only filters' other jobs (none of the worker's skills) are gathered when the walk reaches bound(0).
  let ungathered = plans.some(remoteOnly);
  const tiers = tiersOf(sc, n, rank);
  const ids = st.cols.jobIds;
  // `better(a, b)` when a comes first (score desc, jobId asc); reads the buffers as they are (they grow when the rest is gathered).
  const better = (a: number, b: number): boolean => {
    const { scores, slots } = sc;
    return scores[a]! > scores[b]! || (scores[a] === scores[b] && ids[slots[a]!]! < ids[slots[b]!]!);
  };
  let pool = new RankPool(sc.scores, better, headSize, sc.order.subarray(0, 0), sc.values);
  let poolInOrder2 = false;
  /** The pool's candidates left plus [from, to), in a new pool. */
  const merge = (from: number, to: number): void => {
    const left = pool.remaining();
    const into = poolInOrder2 ? sc.order : sc.order2;
    let m = 0;
    for (const part of left) {
      into.set(part, m);
      m += part.length;
    }
    for (let i = from; i < to; i++) into[m++] = i;
    pool = new RankPool(sc.scores, better, headSize, into.subarray(0, m), sc.values);
    poolInOrder2 = !poolInOrder2;
  };
  let next = 0;
  const owned = (): void => {
    if (sc.lease !== lease) throw new Error('a ranked walk was resumed after another ranking began: consume it synchronously');
  };
  return {
    *[Symbol.iterator]() {
      for (;;) {
        owned();
        const top = pool.peek();
        // Candidates not scored yet may score up to their tier's bound: score them before handing out anything not above it.
        const bound = next < tiers.length ? tiers[next]!.bound : ungathered ? rank.bound(0) : -Infinity;
        if (bound !== -Infinity && (top === undefined || !(sc.scores[top]! > bound))) {
          if (next < tiers.length) {
            const { from, to } = tiers[next++]!;
            rank.scores(sc.slots.subarray(from, to), sc.scores.subarray(from, to));
            merge(from, to);
          } else {
            const from = n;
            n = gatherAll(st, sc, plans.filter(remoteOnly), n, undefined);
            // Scored from their own skills factors (0 but for a job the index missed: the score is right whatever).
            rank.skills(sc.slots.subarray(from, n), sc.scores.subarray(from, n));
            rank.scores(sc.slots.subarray(from, n), sc.scores.subarray(from, n));
            merge(from, n);
            ungathered = false;
          }
          continue;
        }
        if (top === undefined) return;
        pool.pop();
        const job = reader.at(sc.slots[top]!);
        yield { job, match: score(job) };
      }
    },
  };
}

/**
 * Orders candidates [0, n) by skills factor, highest first, into tiers of one
 * factor each ([from, to), with the most its jobs can score); scores[i] holds
 * candidate i's skills factor until its tier is scored.
 */
function tiersOf(sc: RankScratch, n: number, rank: ColumnMatch): Array<{ from: number; to: number; bound: number }> {
  const { slots, scores } = sc;
  rank.skills(slots.subarray(0, n), scores);
  // The distinct factors (a dozen or so: ratios of small counts), found by a linear search from the last one, and each candidate's.
  let factors = new Float64Array(32);
  let counts = new Int32Array(32);
  let distinct = 0;
  const which = sc.order;
  let last = -1;
  for (let i = 0; i < n; i++) {
    const f = scores[i]!;
    if (last < 0 || factors[last] !== f) {
      last = 0;
      while (last < distinct && factors[last] !== f) last++;
      if (last === distinct) {
        if (distinct === factors.length) [factors, counts] = [grown(factors, distinct * 2, distinct), grown(counts, distinct * 2, distinct)];
        factors[distinct++] = f;
      }
    }
    counts[last]!++;
    which[i] = last;
  }
  const byFactor = Array.from({ length: distinct }, (_, k) => k).sort((a, b) => factors[b]! - factors[a]!);
  const at = new Int32Array(distinct);
  const tiers: Array<{ from: number; to: number; bound: number }> = [];
  let from = 0;
  for (const k of byFactor) {
    at[k] = from;
    tiers.push({ from, to: from + counts[k]!, bound: rank.bound(factors[k]!) });
    from += counts[k]!;
  }
  // A counting sort by tier through the spare buffers (a slot's order within its tier is kept: ascending stays ascending).
  const [slotsTo, factorsTo] = [sc.order2, sc.values];
  for (let i = 0; i < n; i++) {
    const k = which[i]!;
    const j = at[k]!;
    at[k] = j + 1;
    slotsTo[j] = slots[i]!;
    factorsTo[j] = factors[k]!;
  }
  slots.set(slotsTo.subarray(0, n));
  scores.set(factorsTo.subarray(0, n));
  return tiers;
}
