// Facet counters over slots. A job that counts in every facet adds one to
// its packed column code (Columns.facetCode), its skill set and its city;
// the codes and sets are split into their facets once, at the end: one
// small-array increment per column instead of one per facet and per skill.

import { categories, employmentTypes } from '../../eventstore/events/index.ts';
import { FACET_TERMS_SIZE, type FacetName, POSTED_WITHIN_DAYS, byCountThenKey, compareKeys, postedWithinKey } from '../model/facets.ts';
import { PAY_BANDS, payBandIndex } from '../model/payBands.ts';
import type { FacetBucket, PayBand, SearchFacets } from '../model/readStore.ts';
import { DAY_MS } from '../model/units.ts';
import type { Columns } from './columns.ts';

/** Marks a slot of the wide set in a facet mask's top bit (the low bits: the given facets' filters passed). */
export const WIDE = 0x80;

export class FacetCounts {
  private readonly category = new Int32Array(32);
  private readonly etype = new Int32Array(32);
  private readonly bands = new Int32Array(PAY_BANDS.length);
  private skills: Int32Array = new Int32Array(0);
  private city: Int32Array = new Int32Array(0);
  /** [on-site, remote] */
  private readonly remote = new Int32Array(2);
  private readonly posted = new Int32Array(POSTED_WITHIN_DAYS.length);
  /** Jobs counted in every facet by facet code; in the skills facet (all of them, or it alone) by skill set. */
  private readonly codes = new Int32Array(1 << 14);
  private sets: Int32Array = new Int32Array(0);
  /** The earliest publishedAt (ms) of each postedWithin bucket, as the postedWithinDays filter computes it. */
  private readonly since = new Float64Array(POSTED_WITHIN_DAYS.length);

  constructor(private readonly cols: Columns) {}

  /**
   * Zero counters for a search at `now`: one set of counters serves every
   * search of a store in turn (counting is synchronous), so a search does not
   * allocate a few hundred kilobytes that only a full collection gives back.
   */
  reset(now: Date): this {
    const c = this.cols;
    for (const a of [this.category, this.etype, this.bands, this.remote, this.posted, this.codes]) a.fill(0);
    this.skills = zeroed(this.skills, c.skillNames.values.length);
    this.city = zeroed(this.city, c.cityNames.values.length);
    this.sets = zeroed(this.sets, c.skillSetTable.length);
    POSTED_WITHIN_DAYS.forEach((d, k) => (this.since[k] = now.getTime() - d * DAY_MS));
    return this;
  }

  /** The job in `s` counts in `facet` alone. */
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
      case 'skills':
        this.sets[c.skillSetId[s]!]!++;
        return;
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

  /** The job in `s` counts in every facet. */
  addAll(s: number): void {
    const c = this.cols;
    this.codes[c.facetCode[s]!]!++;
    this.sets[c.skillSetId[s]!]!++;
    const city = c.city[s]!;
    if (city >= 0) this.city[city]!++;
    const p = c.published[s]!;
    for (let k = 0; k < this.since.length; k++) if (p >= this.since[k]!) this.posted[k]!++;
  }

  /**
   * Counts the wide set (`wide[s] & bit`) in one pass in slot order (the
   * columns read front to back): a slot whose mask has every `all` bit counts
   * in every facet (addAll, inlined with locals), one missing exactly bit j
   * counts in given[j] alone, one missing more counts nowhere.
   */
  addWide(wide: Uint8Array, bit: number, mask: Uint8Array, all: number, given: readonly FacetName[], size: number): void {
    const { facetCode, skillSetId, city, published } = this.cols;
    const [codes, sets, cCity, cPosted, since] = [this.codes, this.sets, this.city, this.posted, this.since];
    const n = since.length;
    for (let s = 0; s < size; s++) {
      if ((wide[s]! & bit) === 0) continue;
      const missed = all & ~mask[s]!;
      if (missed === 0) {
        codes[facetCode[s]!]!++;
        sets[skillSetId[s]!]!++;
        const c = city[s]!;
        if (c >= 0) cCity[c]!++;
        const p = published[s]!;
        for (let k = 0; k < n; k++) cPosted[k]! += p >= since[k]! ? 1 : 0;
      } else if ((missed & (missed - 1)) === 0) this.add(given[31 - Math.clz32(missed)]!, s);
    }
  }

  result(): SearchFacets {
    for (let code = 0; code < this.codes.length; code++) {
      const n = this.codes[code]!;
      if (n === 0) continue;
      this.category[code & 31]! += n;
      this.etype[(code >>> 5) & 31]! += n;
      this.bands[(code >>> 10) & 7]! += n;
      this.remote[(code >>> 13) & 1]! += n;
    }
    const table = this.cols.skillSetTable;
    for (let id = 0; id < this.sets.length; id++) {
      const n = this.sets[id]!;
      if (n === 0) continue;
      const ids = table[id]!;
      for (let k = 0; k < ids.length; k++) this.skills[ids[k]!]! += n;
    }
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

/** `a` zeroed, or a new zeroed array when the length changed. */
function zeroed(a: Int32Array, length: number): Int32Array {
  if (a.length !== length) return new Int32Array(length);
  a.fill(0);
  return a;
}

/**
 * The buckets with a count, count desc then key asc, the first `limit`: kept
 * in a bounded sorted list as the counts are read (a city facet has tens of
 * thousands of values, and only the first few are answered).
 */
function terms(names: readonly string[], counts: Int32Array, limit = Infinity): FacetBucket[] {
  const out: FacetBucket[] = [];
  for (let i = 0; i < counts.length; i++) {
    const count = counts[i]!;
    if (count === 0) continue;
    const worst = out[out.length - 1];
    if (out.length >= limit && worst && (count < worst.count || (count === worst.count && compareKeys(names[i]!, worst.key) > 0))) continue;
    const bucket = { key: names[i]!, count };
    let at = out.length;
    while (at > 0 && byCountThenKey(bucket, out[at - 1]!) < 0) at--;
    out.splice(at, 0, bucket);
    if (out.length > limit) out.length = limit;
  }
  return out;
}
