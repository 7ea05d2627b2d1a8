// The jobs matching any of a few filters, scored for one worker by the
// reference match function and handed out best first (score desc, jobId asc)
// one at a time, for a caller that stops after a handful (recommendations).
// Every job is scored once from the columns (into a reused holder, so no
// object per job) before the first is handed out; the order is a binary heap
// popped lazily, so stopping early costs O(n + k log n) and not a full sort;
// only the jobs handed out are read in full (and scored again, identically).

import type { MatchCandidate, MatchJobFields, MatchResult } from '../match/matchScore.ts';
import { collect } from './collectMatches.ts';
import type { EmbeddedState } from './embeddedState.ts';
import type { FilterInput } from '../model/searchRequest.ts';
import { planFilters } from './filterPlan.ts';
import { type CandidateReader, scratchMatchFields } from './matchCandidates.ts';

export interface RankedMatch {
  job: MatchCandidate;
  match: MatchResult;
}

/**
 * The union of the filters' matches in exact reference order. Materialises the
 * slots and scores at once (the state's scratch is shared), then pops lazily:
 * the caller must consume synchronously (a write in between could reuse a slot).
 */
export function rankedMatchesOf(st: EmbeddedState, reader: CandidateReader, filters: readonly FilterInput[], now: Date, score: (job: MatchJobFields) => MatchResult): Iterable<RankedMatch> {
  const slots: number[] = [];
  const taken = new Set<number>();
  for (const f of filters) {
    const m = collect(st, planFilters(st.cols, f, now));
    for (let i = 0; i < m.count; i++) {
      const s = m.slots[i]!;
      if (filters.length > 1) {
        if (taken.has(s)) continue;
        taken.add(s);
      }
      slots.push(s);
    }
  }
  const n = slots.length;
  // Scores from a reused holder (no object per job); the few handed out are read in full and scored again.
  const scores = new Float64Array(n);
  const scratch = scratchMatchFields();
  for (let i = 0; i < n; i++) scores[i] = score(reader.matchFieldsInto(slots[i]!, scratch)).score;
  const ids = st.cols.jobIds;
  const idOf = slots.map((s) => ids[s]!);
  // Max-heap of indices: `better(a, b)` when a comes first (score desc, jobId asc).
  const better = (a: number, b: number): boolean => scores[a]! > scores[b]! || (scores[a] === scores[b] && idOf[a]! < idOf[b]!);
  const heap = Int32Array.from({ length: n }, (_, i) => i);
  let size = n;
  const siftDown = (start: number): void => {
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let b = i;
      if (l < size && better(heap[l]!, heap[b]!)) b = l;
      if (r < size && better(heap[r]!, heap[b]!)) b = r;
      if (b === i) return;
      const t = heap[i]!;
      heap[i] = heap[b]!;
      heap[b] = t;
      i = b;
    }
  };
  for (let i = (n >> 1) - 1; i >= 0; i--) siftDown(i);
  return {
    *[Symbol.iterator]() {
      while (size > 0) {
        const top = heap[0]!;
        heap[0] = heap[--size]!;
        siftDown(0);
        const job = reader.at(slots[top]!);
        yield { job, match: score(job) };
      }
    },
  };
}
