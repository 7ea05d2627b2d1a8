// Facet counts of a search, each facet over the jobs matching every filter
// but its own (query/model/facets.ts). Without a filter any facet ignores,
// that is the matches themselves. Otherwise one pass over the jobs matching
// the filters no facet ignores: a job failing none of the facets' filters
// counts in every facet, a job failing exactly one counts in that one facet,
// a job failing two or more counts nowhere. Which facet filters a job passes
// comes from one collect per given facet, each from its cheapest source.

import { categories, employmentTypes } from '../../eventstore/events/index.ts';
import { FACET_TERMS_SIZE, type FacetName, POSTED_WITHIN_DAYS, byCountThenKey, facetFilterOf, facetFiltered, facetNames, postedWithinKey, withoutFacetFilters } from '../model/facets.ts';
import { PAY_BANDS, payBandIndex } from '../model/payBands.ts';
import type { FacetBucket, PayBand, SearchFacets } from '../model/readStore.ts';
import type { FilterInput } from '../model/searchRequest.ts';
import { DAY_MS } from '../model/units.ts';
import { type Matches, collect } from './collectMatches.ts';
import type { Columns } from './columns.ts';
import type { EmbeddedState } from './embeddedState.ts';
import { planFilters } from './filterPlan.ts';

/** Per-facet counters over slots. */
class FacetCounts {
  private readonly category = new Int32Array(32);
  private readonly etype = new Int32Array(32);
  private readonly bands = new Int32Array(PAY_BANDS.length);
  private readonly skills: Int32Array;
  private readonly city: Int32Array;
  /** [on-site, remote] */
  private readonly remote = new Int32Array(2);
  private readonly posted = new Int32Array(POSTED_WITHIN_DAYS.length);
  /** The earliest publishedAt (ms) of each postedWithin bucket, as the postedWithinDays filter computes it. */
  private readonly since: number[];

  constructor(
    private readonly cols: Columns,
    now: Date,
  ) {
    this.skills = new Int32Array(cols.skillNames.values.length);
    this.city = new Int32Array(cols.cityNames.values.length);
    this.since = POSTED_WITHIN_DAYS.map((d) => now.getTime() - d * DAY_MS);
  }

  add(facet: FacetName, s: number): void {
    const c = this.cols;
    switch (facet) {
      case 'category':
        this.category[c.category[s]! & 31]!++;
        return;
      case 'employmentType':
        this.etype[c.etype[s]! & 31]!++;
        return;
      case 'payBands':
        this.bands[payBandIndex(c.hourlyMax[s]!)]!++;
        return;
      case 'skills': {
        const ids = c.skills[s]!;
        for (let k = 0; k < ids.length; k++) this.skills[ids[k]!]!++;
        return;
      }
      case 'city': {
        const id = c.city[s]!;
        if (id >= 0) this.city[id]!++;
        return;
      }
      case 'remote':
        this.remote[c.remote[s]! & 1]!++;
        return;
      case 'postedWithin': {
        const p = c.published[s]!;
        for (let k = 0; k < this.since.length; k++) if (p >= this.since[k]!) this.posted[k]!++;
        return;
      }
    }
  }

  /** add() for every facet, unrolled: the facets of every match go through here. */
  addAll(s: number): void {
    const c = this.cols;
    this.category[c.category[s]! & 31]!++;
    this.etype[c.etype[s]! & 31]!++;
    this.bands[payBandIndex(c.hourlyMax[s]!)]!++;
    const ids = c.skills[s]!;
    for (let k = 0; k < ids.length; k++) this.skills[ids[k]!]!++;
    const city = c.city[s]!;
    if (city >= 0) this.city[city]!++;
    this.remote[c.remote[s]! & 1]!++;
    const p = c.published[s]!;
    for (let k = 0; k < this.since.length; k++) if (p >= this.since[k]!) this.posted[k]!++;
  }

  result(): SearchFacets {
    const terms = (names: readonly string[], counts: Int32Array, limit = Infinity): FacetBucket[] => {
      const out: FacetBucket[] = [];
      for (let i = 0; i < counts.length; i++) if (counts[i]! > 0) out.push({ key: names[i]!, count: counts[i]! });
      out.sort(byCountThenKey);
      if (out.length > limit) out.length = limit;
      return out;
    };
    return {
      category: terms(categories, this.category),
      employmentType: terms(employmentTypes, this.etype),
      payBands: PAY_BANDS.map((b, i): PayBand => ({ ...b, count: this.bands[i] ?? 0 })),
      skills: terms(this.cols.skillNames.values, this.skills, FACET_TERMS_SIZE),
      city: terms(this.cols.cityNames.values, this.city, FACET_TERMS_SIZE),
      remote: [
        { key: 'true', count: this.remote[1]! },
        { key: 'false', count: this.remote[0]! },
      ],
      postedWithin: POSTED_WITHIN_DAYS.map((days, k) => ({ key: postedWithinKey(days), days, count: this.posted[k]! })),
    };
  }
}

const masks = new WeakMap<EmbeddedState, Uint8Array>();

/** A zeroed byte per slot (left zeroed after use), kept per store. */
function maskScratch(st: EmbeddedState): Uint8Array {
  let m = masks.get(st);
  if (!m || m.length < st.cols.size) masks.set(st, (m = new Uint8Array(Math.max(1024, st.cols.cap))));
  return m;
}

/**
 * The facets of a search whose matches are `m`. Reuses the store's match
 * scratch: `m` is not valid afterwards.
 */
export function facetsOf(st: EmbeddedState, request: FilterInput, now: Date, m: Matches): SearchFacets {
  const counts = new FacetCounts(st.cols, now);
  const given = facetNames.filter((n) => facetFiltered(request, n));
  if (given.length === 0) {
    for (let i = 0; i < m.count; i++) counts.addAll(m.slots[i]!);
    return counts.result();
  }
  const base = withoutFacetFilters(request);
  // Each given facet's own filters, over the rest of the base (text aside: the wide set has it), collected
  // from its cheapest source and marked as a bit per slot; then one closure-free pass over the wide set.
  const mask = maskScratch(st);
  for (let j = 0; j < given.length; j++) {
    const own = collect(st, planFilters(st.cols, { ...base, ...facetFilterOf(request, given[j]!), text: undefined }, now));
    const bit = 1 << j;
    for (let i = 0; i < own.count; i++) mask[own.slots[i]!]! |= bit;
  }
  const all = (1 << given.length) - 1;
  const wide = collect(st, planFilters(st.cols, base, now));
  for (let i = 0; i < wide.count; i++) {
    const s = wide.slots[i]!;
    const missed = all & ~mask[s]!;
    if (missed === 0) counts.addAll(s);
    // One facet's filter failed: the job counts in that facet alone.
    else if ((missed & (missed - 1)) === 0) counts.add(given[31 - Math.clz32(missed)]!, s);
  }
  mask.fill(0);
  return counts.result();
}
