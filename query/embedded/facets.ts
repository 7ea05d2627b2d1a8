// Facet counts of a search, each facet over the jobs matching every filter
// but its own (query/model/facets.ts). Without a filter any facet ignores,
// that is the matches themselves. Otherwise one pass over the jobs matching
// the filters no facet ignores: a job failing none of the facets' filters
// counts in every facet, a job failing exactly one counts in that one facet,
// a job failing two or more counts nowhere. Which facet filters a job passes
// comes from one collect per given facet, each from its cheapest source.

import { facetFilterOf, facetFiltered, facetNames, withoutFacetFilters } from '../model/facets.ts';
import type { SearchFacets } from '../model/readStore.ts';
import type { FilterInput } from '../model/searchRequest.ts';
import { type Matches, collect, collectCost, keepScratch } from './collectMatches.ts';
import type { EmbeddedState } from './embeddedState.ts';
import { FacetCounts, WIDE } from './facetCounts.ts';
import { type Plan, planFilters } from './filterPlan.ts';

const counters = new WeakMap<EmbeddedState, FacetCounts>();

/** The store's facet counters (reset before each use). */
function countsScratch(st: EmbeddedState): FacetCounts {
  let c = counters.get(st);
  if (!c) counters.set(st, (c = new FacetCounts(st.cols)));
  return c;
}

const masks = new WeakMap<EmbeddedState, Uint8Array>();

/** A zeroed byte per slot (left zeroed after use), kept per store. */
function maskScratch(st: EmbeddedState): Uint8Array {
  let m = masks.get(st);
  if (!m || m.length < st.cols.size) masks.set(st, (m = new Uint8Array(Math.max(1024, st.cols.cap))));
  return m;
}

/** Marks bit j of every slot passing facet plan j (those `which` picks), each plan collected from its cheapest source (reuses the match scratch). */
function collectOwn(st: EmbeddedState, plans: readonly Plan[], mask: Uint8Array, which: (j: number) => boolean = () => true): void {
  plans.forEach((plan, j) => {
    if (!which(j)) return;
    const own = collect(st, plan);
    const bit = 1 << j;
    for (let i = 0; i < own.count; i++) mask[own.slots[i]!]! |= bit;
  });
}

/** Marks bit j of every slot of `wide` passing facet plan j (those `which` picks), each tested in turn (the match scratch untouched). */
function testOwn(st: EmbeddedState, plans: readonly Plan[], wide: Matches, mask: Uint8Array, which: (j: number) => boolean = () => true): void {
  plans.forEach((plan, j) => {
    if (!which(j)) return;
    const bit = 1 << j;
    const { slots, count } = wide;
    if (plan.testSlots) {
      const keep = keepScratch(st, count);
      plan.testSlots(st.cols, st.visibility.at(st.cols, plan.now), slots, count, keep);
      for (let i = 0; i < count; i++) mask[slots[i]!]! |= keep[i]! * bit;
      return;
    }
    const pred = plan.pred;
    for (let i = 0; i < count; i++) {
      const s = slots[i]!;
      if (pred(s)) mask[s]! |= bit;
    }
  });
}

/**
 * The facets of a search whose matches are `m`. Reuses the store's match
 * scratch: `m` is not valid afterwards. Which facet filters each job of the
 * wide set passes comes from each facet's own collect when the wide set is
 * large, or from testing each of its jobs when it is small.
 */
export function facetsOf(st: EmbeddedState, request: FilterInput, now: Date, m: Matches): SearchFacets {
  const counts = countsScratch(st).reset(now);
  const size = st.cols.size;
  const given = facetNames.filter((n) => facetFiltered(request, n));
  const all = (1 << given.length) - 1;
  const mask = maskScratch(st);
  const base = withoutFacetFilters(request);
  const basePlan = planFilters(st.cols, base, now);
  // Each facet's own filters over the rest of the base (text aside: the wide set has it).
  const own = given.map((name) => planFilters(st.cols, { ...base, ...facetFilterOf(request, name), text: undefined }, now));
  if (basePlan.visibleOnly && basePlan.terms === undefined) {
    // The wide set is every visible job: read as it is kept, no collect.
    collectOwn(st, own, mask);
    counts.addWide(st.visibility.at(st.cols, basePlan.now), 1, mask, all, given, size);
  } else {
    // Without a given facet the wide set is the matches themselves.
    const wide = given.length === 0 ? m : collect(st, basePlan);
    if (wide.count * st.facetSlotOrderAt < size) {
      testOwn(st, own, wide, mask);
      for (let i = 0; i < wide.count; i++) {
        const s = wide.slots[i]!;
        const missed = all & ~mask[s]!;
        if (missed === 0) counts.addAll(s);
        // One facet's filter failed: the job counts in that facet alone.
        else if ((missed & (missed - 1)) === 0) counts.add(given[31 - Math.clz32(missed)]!, s);
      }
    } else {
      // Marked first: the own collects reuse the scratch the wide set is in. Each facet's filter is
      // tested on every wide job or collected from its own source, whichever visits fewer jobs.
      for (let i = 0; i < wide.count; i++) mask[wide.slots[i]!]! |= WIDE;
      const collected = own.map((plan) => collectCost(st, plan) < wide.count * st.facetTestEachAt);
      testOwn(st, own, wide, mask, (j) => !collected[j]);
      collectOwn(st, own, mask, (j) => collected[j]!);
      counts.addWide(mask, WIDE, mask, all, given, size);
    }
  }
  mask.fill(0, 0, size);
  return counts.result();
}
