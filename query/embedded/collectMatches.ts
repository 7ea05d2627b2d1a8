// Every match of a plan, from the cheapest source the plan allows: the text
// postings or the place's points when there is text, the place's points, the
// category runs for column-only filters, else every slot.

import type { EmbeddedState } from './embeddedState.ts';
import type { Plan } from './filterPlan.ts';
import { coverRanges } from '../model/geo.ts';
import { filterKeys } from './writeJobs.ts';

/** Matching slots in the state's scratch (valid until the next collect). */
export interface Matches {
  slots: Int32Array;
  scores: Float64Array;
  count: number;
  /**
   * Column-only matches come in runs, each newest first (one per category):
   * [start, end) pairs into `slots`; the matches from `runs` end on (moved
   * since the sort) are in no order.
   */
  runs?: number[];
}

function ensureScratch(st: EmbeddedState): void {
  if (st.matchSlots.length >= st.cols.size) return;
  const cap = Math.max(1024, st.cols.cap);
  st.matchSlots = new Int32Array(cap);
  st.matchScores = new Float64Array(cap);
}

const keeps = new WeakMap<EmbeddedState, Uint8Array>();

/** A byte per candidate for Plan.testSlots, kept per store (valid until the next use). */
export function keepScratch(st: EmbeddedState, count: number): Uint8Array {
  let k = keeps.get(st);
  if (!k || k.length < count) keeps.set(st, (k = new Uint8Array(Math.max(1024, st.cols.cap, count))));
  return k;
}

export function refreshGeo(st: EmbeddedState): void {
  if (st.geo.stale) st.geo.rebuild(st.cols, st.cols.size);
}

function refreshByCategory(st: EmbeddedState): void {
  if (st.byCategory.stale) st.byCategory.rebuild(st.cols, st.cols.size, filterKeys(st));
}

/** The slots of the plan's skills, cities or remote jobs (whichever fewest), when it filters by them: the predicate decides each. */
function byValue(st: EmbeddedState, plan: Plan): { cost: number; forEach: (each: (slot: number) => void) => void } | undefined {
  const { skills, cities, remote } = plan;
  let best: { cost: number; forEach: (each: (slot: number) => void) => void } | undefined;
  if (skills) {
    if (st.bySkill.stale) st.bySkill.rebuild(st.cols.size, st.cols.skillNames.values.length);
    best = { cost: st.bySkill.cost(skills.ids, skills.all), forEach: (each) => st.bySkill.forEach(skills.ids, skills.all, each) };
  }
  if (cities) {
    if (st.byCity.stale) st.byCity.rebuild(st.cols.size, st.cols.cityNames.values.length);
    const cost = st.byCity.cost(cities, false);
    if (!best || cost < best.cost) best = { cost, forEach: (each) => st.byCity.forEach(cities, false, each) };
  }
  if (remote) {
    if (st.byRemote.stale) st.byRemote.rebuild(st.cols.size, 1);
    const cost = st.byRemote.cost([0], false);
    if (!best || cost < best.cost) best = { cost, forEach: (each) => st.byRemote.forEach([0], false, each) };
  }
  return best;
}

/** The geo index's sorted ranges of a box's cover, and how many points they and the delta hold. */
function place(st: EmbeddedState, box: NonNullable<Plan['geo']>): { ranges: Array<readonly [number, number]>; size: number } {
  refreshGeo(st);
  const g = st.geo;
  const ranges = coverRanges(box).map(([from, to]) => [g.lowerBound(from), g.lowerBound(to)] as const);
  return { ranges, size: ranges.reduce((sum, [a, b]) => sum + (b - a), 0) + g.delta.length };
}

/** About how many candidates collect(plan) visits: the size of the source it would take (a plan with text: the store). */
export function collectCost(st: EmbeddedState, plan: Plan): number {
  if (plan.terms !== undefined) return st.cols.size;
  const values = byValue(st, plan);
  const inPlace = plan.geo ? place(st, plan.geo).size : Infinity;
  if (values && values.cost < inPlace) return values.cost;
  if (plan.geo) return inPlace;
  if (plan.columnOnly) {
    refreshByCategory(st);
    const x = st.byCategory;
    return plan.categoryRuns.reduce((sum, [from, to]) => sum + x.lowerBound(to) - x.lowerBound(from), x.delta.length);
  }
  return st.cols.size;
}

/** The plan's test by slot; a public plan reads visibility from the small byte array first. */
function keeperOf(st: EmbeddedState, plan: Plan): (s: number) => boolean {
  if (!plan.publicOnly) return plan.pred;
  const visible = st.visibility.at(st.cols, plan.now);
  const rest = plan.rest;
  return plan.visibleOnly ? (s) => visible[s] === 1 : (s) => visible[s] === 1 && rest(s);
}

/** Every match of a plan (unordered), with text scores when there is text. */
export function collect(st: EmbeddedState, plan: Plan): Matches {
  ensureScratch(st);
  const out = st.matchSlots;
  const outScores = st.matchScores;
  const pred = keeperOf(st, plan);
  let n = 0;
  const values = byValue(st, plan);
  if (plan.terms !== undefined) {
    // Only a skill, city or place can offer fewer candidates than the postings.
    const scorer = values || plan.geo ? st.text.prepare(plan.terms) : undefined;
    // A rare skill or city: take its slots, score each.
    if (values && scorer && scorer.cost > 0 && values.cost * st.geoFirstRatio < scorer.cost) {
      values.forEach((s) => {
        if (!pred(s)) return;
        const score = scorer.score(s);
        if (Number.isNaN(score)) return;
        out[n] = s;
        outScores[n] = score;
        n++;
      });
      return { slots: out, scores: outScores, count: n };
    }
    // Few points in the place and common words: take the points, score each.
    if (plan.geo && scorer) {
      const { ranges, size: inPlace } = place(st, plan.geo);
      const g = st.geo;
      if (scorer.cost > 0 && (st.geoFirstRatio === 0 || inPlace * st.geoFirstRatio < scorer.cost)) {
        const { slots, dead } = g;
        const at = plan.predicateOver(g.view);
        const take = (s: number): void => {
          const score = scorer.score(s);
          if (Number.isNaN(score)) return;
          out[n] = s;
          outScores[n] = score;
          n++;
        };
        for (const [from, to] of ranges) for (let i = from; i < to; i++) if (dead[i] === 0 && at(i)) take(slots[i]!);
        for (const s of g.delta) if (pred(s)) take(s);
        return { slots: out, scores: outScores, count: n };
      }
    }
    const t = st.text.search(plan.terms);
    const { slots: ts, scores: tScores, count } = t;
    if (plan.publicOnly) {
      // Many matches fail on visibility alone (closed or expired): one read of a small array decides them without the predicate.
      const visible = st.visibility.at(st.cols, plan.now);
      const { visibleOnly, rest, testSlots } = plan;
      if (testSlots && !visibleOnly) {
        // Column filters: one branch-free pass decides them all, then the kept slots are compacted.
        const keep = keepScratch(st, count);
        testSlots(st.cols, visible, ts, count, keep);
        for (let i = 0; i < count; i++) {
          out[n] = ts[i]!;
          outScores[n] = tScores[i]!;
          n += keep[i]!;
        }
      } else
        for (let i = 0; i < count; i++) {
          const s = ts[i]!;
          out[n] = s;
          outScores[n] = tScores[i]!;
          if (visible[s] === 1 && (visibleOnly || rest(s))) n++;
        }
    } else
      for (let i = 0; i < count; i++) {
        const s = ts[i]!;
        if (pred(s)) {
          out[n] = s;
          outScores[n] = tScores[i]!;
          n++;
        }
      }
    return { slots: out, scores: outScores, count: n };
  }
  if (values && (!plan.geo || values.cost < place(st, plan.geo).size)) {
    values.forEach((s) => {
      if (pred(s)) out[n++] = s;
    });
    return { slots: out, scores: outScores, count: n };
  }
  if (plan.geo) {
    refreshGeo(st);
    const g = st.geo;
    const keys = g.keys;
    const slots = g.slots;
    const dead = g.dead;
    const at = plan.predicateOver(g.view);
    for (const [from, to] of coverRanges(plan.geo)) {
      for (let i = g.lowerBound(from); i < g.size && keys[i]! < to; i++) {
        if (dead[i] === 0 && at(i)) out[n++] = slots[i]!;
      }
    }
    for (const s of g.delta) if (pred(s)) out[n++] = s;
    return { slots: out, scores: outScores, count: n };
  }
  if (plan.columnOnly) {
    // Sequential passes over the category runs asked for (all of them
    // without a category filter), plus the few slots moved since the sort.
    refreshByCategory(st);
    const x = st.byCategory;
    const runs: number[] = [];
    for (const [from, to] of plan.categoryRuns) {
      const start = n;
      n = plan.collectRun(x.view, x.slots, x.dead, x.openUntil, x.lowerBound(from), x.lowerBound(to), out, n);
      if (n > start) runs.push(start, n);
    }
    for (const s of x.delta) if (pred(s)) out[n++] = s;
    return { slots: out, scores: outScores, count: n, runs };
  }
  const size = st.cols.size;
  for (let s = 0; s < size; s++) if (pred(s)) out[n++] = s;
  return { slots: out, scores: outScores, count: n };
}
