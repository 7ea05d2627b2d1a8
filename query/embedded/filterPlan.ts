// A filter compiled into what the scans need: a predicate by slot, the same
// over the sorted copies of the columns, branch-free run loops for counts and
// column-only matches, and the candidate hints (text terms, a place, category
// runs). The flags are computed once so the loops test only the data.

import type { Near } from '../model/searchRequest.ts';
import { tokenize } from './analysis/analyzer.ts';
import { type Columns, STATUS_OPEN, categoryCode, dayNumber, employmentTypeCode, statusCodes } from './columns.ts';
import { storedConditionsOf } from '../model/effectiveStatus.ts';
import { DAY_MS } from '../model/units.ts';
import type { FilterInput } from '../model/searchRequest.ts';
import { filterKey } from './filterKey.ts';
import { type Bounds, circleBounds, haversineMeters } from '../model/geo.ts';
import type { ColumnView } from './geoIndex.ts';

export interface Plan {
  /** The filters, by slot. */
  pred: (s: number) => boolean;
  /** The same filters over other columns (the geo index's sorted copies, by sorted position). */
  predicateOver: (view: ColumnView) => (i: number) => boolean;
  /** Count and integer (Lucene) coordinate sums of the passing, live positions [from, to) of a view, into out[0..2]. */
  sumRun: (view: ColumnView, dead: Uint8Array, openUntil: Float64Array, boxInside: boolean, from: number, to: number, out: Float64Array) => void;
  /**
   * For a public plan whose filters are all column values (a box allowed; no
   * radius, skills or city): writes keep[i] = 1 when slots[i] passes, else 0,
   * for i < count, in one branch-free pass (`visible` is the store's
   * visibility bytes at the plan's instant); undefined for any other plan,
   * which the predicate decides.
   */
  testSlots: ((view: ColumnView, visible: Uint8Array, slots: Int32Array, count: number, keep: Uint8Array) => void) | undefined;
  /** Filters with no place, text, skills or city: collectRun can answer them from the column values alone. */
  columnOnly: boolean;
  /** Appends the slots of the passing, live positions [from, to) of a view to out from n; returns the new n. */
  collectRun: (view: ColumnView, slots: Int32Array, dead: Uint8Array, openUntil: Float64Array, from: number, to: number, out: Int32Array, n: number) => number;
  /** filterKey ranges [from, to) of the categories asked for (every category without the filter), one per category: each newest first. */
  categoryRuns: Array<[number, number]>;
  terms: string[] | undefined;
  /** Only open, unexpired jobs can pass (not an owner's listing): Columns.openUntil > now is a cheap first test. */
  publicOnly: boolean;
  /** Nothing but that test: it alone decides. */
  visibleOnly: boolean;
  /** The filters but that test, by slot (for a public plan whose slots passed it). */
  rest: (s: number) => boolean;
  /** The instant (ms) the plan tests expiry against. */
  now: number;
  /** The skill ids asked for (a slot must hold all of them, or any) and the city ids, when filtered by them: candidates by value (slotsByValue.ts). */
  skills: { ids: number[]; all: boolean } | undefined;
  cities: number[] | undefined;
  /** Only remote jobs asked for: candidates from the remote slots (slotsByValue.ts). */
  remote: boolean;
  /** A box every match lies in, when the filters confine matches to one. */
  geo: Bounds | undefined;
  near: Near | undefined;
}

/** The predicate and candidate hints of a set of filters. */
export function planFilters(c: Columns, f: FilterInput, now: Date): Plan {
  const nowMs = now.getTime();
  const owner = f.includeClosed === true && f.businessId !== undefined;
  const hasBusiness = f.businessId !== undefined;
  const bid = f.businessId === undefined ? -1 : (c.businesses.get(f.businessId) ?? -2);
  let catMask = 0;
  for (const x of f.category ?? []) catMask |= 1 << (categoryCode.get(x) ?? 31);
  const hasCat = f.category !== undefined;
  let typeMask = 0;
  for (const x of f.employmentType ?? []) typeMask |= 1 << (employmentTypeCode.get(x) ?? 31);
  const hasType = f.employmentType !== undefined;
  const payMin = f.payMin;
  const payMax = f.payMax;
  const hasPayMin = payMin !== undefined;
  const hasPayMax = payMax !== undefined;
  const pMin = payMin ?? 0;
  const pMax = payMax ?? 0;
  const hasAvail = f.availableFrom !== undefined || f.availableTo !== undefined;
  const availFrom = f.availableFrom !== undefined ? dayNumber(f.availableFrom) : -Infinity;
  const availTo = f.availableTo !== undefined ? dayNumber(f.availableTo) : Infinity;
  const hasSkills = f.skills !== undefined && f.skills.length > 0;
  const skillsAll = f.skillsMode === 'all';
  const wanted = [...new Set((f.skills ?? []).map((s) => s.toLowerCase()))];
  const wantedIds = wanted.map((s) => c.skillNames.get(s)).filter((x): x is number => x !== undefined);
  const skillsImpossible = hasSkills && (skillsAll ? wantedIds.length < wanted.length : wantedIds.length === 0);
  // Cities as recorded, exactly; a city no job records matches nothing.
  const hasCity = f.city !== undefined;
  const cityIds = (f.city ?? []).map((x) => c.cityNames.get(x)).filter((x): x is number => x !== undefined);
  const hasRemote = f.remote !== undefined;
  const remoteV = f.remote ? 1 : 0;
  const hasPosted = f.postedWithinDays !== undefined || f.postedSince !== undefined;
  // Both bounds are "published at or after": the later one decides.
  const postedSince = Math.max(f.postedWithinDays !== undefined ? nowMs - f.postedWithinDays * DAY_MS : -Infinity, f.postedSince !== undefined ? Date.parse(f.postedSince) : -Infinity);
  const near = f.near;
  const hasNear = near !== undefined;
  const nLat = near?.lat ?? 0;
  const nLon = near?.lon ?? 0;
  const nMeters = (near?.radiusKm ?? 0) * 1000;
  const bbox = f.bbox;
  const hasBox = bbox !== undefined;
  const bMinLat = bbox?.minLat ?? 0;
  const bMaxLat = bbox?.maxLat ?? 0;
  const bMinLon = bbox?.minLon ?? 0;
  const bMaxLon = bbox?.maxLon ?? 0;
  const boxWraps = bMinLon > bMaxLon;
  const needLoc = hasNear || hasBox;
  // The effective status asked for, as its stored conditions: a bit per status
  // code that matches whatever the expiry, only past it, or only not past it
  // (a NaN expiry, none, is not past).
  const hasStatus = f.status !== undefined;
  let anyExpiry = 0;
  let pastExpiry = 0;
  let notPastExpiry = 0;
  for (const cond of f.status !== undefined ? storedConditionsOf(f.status) : []) {
    const bit = 1 << statusCodes[cond.status];
    if (cond.expiry === undefined) anyExpiry |= bit;
    else if (cond.expiry === 'past') pastExpiry |= bit;
    else notPastExpiry |= bit;
  }
  /** 1 when a stored status code and expiry (ms) give the status asked for. */
  const statusBit = (code: number, expiresMs: number): number => ((anyExpiry | (expiresMs <= nowMs ? pastExpiry : notPastExpiry)) >>> code) & 1;

  const predicateOver = (view: ColumnView, visibilityTested = false) => {
    const { status, expires, published, category, etype, hourlyMin, hourlyMax, remote, startDay, endDay, business, lat, lon, geoKey, skills, city } = view;
    const testVisibility = !visibilityTested;
    return (s: number): boolean => {
      if (owner) {
        if (business[s] !== bid) return false;
      } else {
        if (testVisibility && (status[s] !== STATUS_OPEN || !(expires[s]! > nowMs))) return false;
        if (hasBusiness && business[s] !== bid) return false;
      }
      if (hasStatus && statusBit(status[s]!, expires[s]!) === 0) return false;
      if (hasCat && ((1 << category[s]!) & catMask) === 0) return false;
      if (hasType && ((1 << etype[s]!) & typeMask) === 0) return false;
      if (hasPayMin && !(hourlyMax[s]! >= pMin)) return false;
      if (hasPayMax && !(hourlyMin[s]! <= pMax)) return false;
      if (hasAvail && (startDay[s]! > availTo || endDay[s]! < availFrom)) return false;
      if (hasRemote && remote[s] !== remoteV) return false;
      if (hasPosted && !(published[s]! >= postedSince)) return false;
      if (hasCity && !cityIds.includes(city[s]!)) return false;
      if (needLoc) {
        if (geoKey[s]! < 0) return false;
        const la = lat[s]!;
        const lo = lon[s]!;
        if (hasBox) {
          if (la < bMinLat || la > bMaxLat) return false;
          if (boxWraps ? lo < bMinLon && lo > bMaxLon : lo < bMinLon || lo > bMaxLon) return false;
        }
        if (hasNear && !(haversineMeters(nLat, nLon, la, lo) <= nMeters)) return false;
      }
      if (hasSkills) {
        if (skillsImpossible) return false;
        const have = skills[s]!;
        if (skillsAll) {
          for (const w of wantedIds) if (!have.includes(w)) return false;
        } else {
          let any = false;
          for (const w of wantedIds)
            if (have.includes(w)) {
              any = true;
              break;
            }
          if (!any) return false;
        }
      }
      return true;
    };
  };

  /**
   * Counts and coordinate sums of the positions of [from, to) that pass, in
   * one branch-free pass (the flags are loop-invariant, so only the data
   * varies). Near, skills and city need per-point work: they take the predicate.
   */
  const sumRun = (view: ColumnView, dead: Uint8Array, openUntil: Float64Array, boxInside: boolean, from: number, to: number, out: Float64Array): void => {
    const { status, expires, published, category, etype, hourlyMin, hourlyMax, remote, startDay, endDay, business, lat, lon, latE, lonE } = view;
    let cnt = 0;
    let sLat = 0;
    let sLon = 0;
    if (hasNear || hasSkills || hasCity) {
      const one = predicateOver(view);
      for (let i = from; i < to; i++) {
        if (dead[i] === 1 || !one(i)) continue;
        cnt++;
        sLat += latE[i]!;
        sLon += lonE[i]!;
      }
    } else {
      const checkBox = hasBox && !boxInside;
      for (let i = from; i < to; i++) {
        let ok: number;
        if (owner) ok = (dead[i]! ^ 1) & (business[i] === bid ? 1 : 0);
        else {
          // open, not expired and live (see GeoIndex.openUntil)
          ok = openUntil[i]! > nowMs ? 1 : 0;
          if (hasBusiness) ok &= business[i] === bid ? 1 : 0;
        }
        if (hasStatus) ok &= statusBit(status[i]!, expires[i]!);
        if (hasCat) ok &= (catMask >>> category[i]!) & 1;
        if (hasType) ok &= (typeMask >>> etype[i]!) & 1;
        if (hasPayMin) ok &= hourlyMax[i]! >= pMin ? 1 : 0;
        if (hasPayMax) ok &= hourlyMin[i]! <= pMax ? 1 : 0;
        if (hasAvail) ok &= (startDay[i]! <= availTo ? 1 : 0) & (endDay[i]! >= availFrom ? 1 : 0);
        if (hasRemote) ok &= remote[i] === remoteV ? 1 : 0;
        if (hasPosted) ok &= published[i]! >= postedSince ? 1 : 0;
        if (checkBox) {
          const la = lat[i]!;
          const lo = lon[i]!;
          ok &= (la >= bMinLat ? 1 : 0) & (la <= bMaxLat ? 1 : 0);
          ok &= boxWraps ? (lo >= bMinLon ? 1 : 0) | (lo <= bMaxLon ? 1 : 0) : (lo >= bMinLon ? 1 : 0) & (lo <= bMaxLon ? 1 : 0);
        }
        cnt += ok;
        sLat += ok * latE[i]!;
        sLon += ok * lonE[i]!;
      }
    }
    out[0] = cnt;
    out[1] = sLat;
    out[2] = sLon;
  };

  /**
   * The filter-only scan without a closure call or an early exit per
   * position: every flag is loop-invariant, so the branch predictor settles
   * and the loop is loads and compares; the slot is written unconditionally
   * and kept by advancing n.
   */
  const collectRun = (view: ColumnView, slots: Int32Array, dead: Uint8Array, openUntil: Float64Array, from: number, to: number, out: Int32Array, n: number): number => {
    const { status, expires, published, category, etype, hourlyMin, hourlyMax, remote, startDay, endDay, business } = view;
    // Locals, not captured variables: the loop then reads registers, not the closure's context.
    const [isOwner, byBusiness, business0, now0, byStatus] = [owner, hasBusiness, bid, nowMs, hasStatus];
    const [byCat, cats, byType, types] = [hasCat, catMask, hasType, typeMask];
    const [byPayMin, payMin0, byPayMax, payMax0, byAvail, from0, to0] = [hasPayMin, pMin, hasPayMax, pMax, hasAvail, availFrom, availTo];
    const [byRemote, remote0, byPosted, since0] = [hasRemote, remoteV, hasPosted, postedSince];
    for (let i = from; i < to; i++) {
      let ok: number;
      if (isOwner) ok = (dead[i]! ^ 1) & (business[i] === business0 ? 1 : 0);
      else {
        ok = openUntil[i]! > now0 ? 1 : 0;
        if (byBusiness) ok &= business[i] === business0 ? 1 : 0;
      }
      if (byStatus) ok &= statusBit(status[i]!, expires[i]!);
      if (byCat) ok &= (cats >>> category[i]!) & 1;
      if (byType) ok &= (types >>> etype[i]!) & 1;
      if (byPayMin) ok &= hourlyMax[i]! >= payMin0 ? 1 : 0;
      if (byPayMax) ok &= hourlyMin[i]! <= payMax0 ? 1 : 0;
      if (byAvail) ok &= (startDay[i]! <= to0 ? 1 : 0) & (endDay[i]! >= from0 ? 1 : 0);
      if (byRemote) ok &= remote[i] === remote0 ? 1 : 0;
      if (byPosted) ok &= published[i]! >= since0 ? 1 : 0;
      out[n] = slots[i]!;
      n += ok;
    }
    return n;
  };

  /** collectRun's loop over a list of slots, the visibility test read from its bytes. */
  const testSlots = (view: ColumnView, visible: Uint8Array, slots: Int32Array, count: number, keep: Uint8Array): void => {
    const { status, expires, published, category, etype, hourlyMin, hourlyMax, remote, startDay, endDay, business, lat, lon, geoKey } = view;
    const [byBusiness, business0, byStatus, byCat, cats, byType, types] = [hasBusiness, bid, hasStatus, hasCat, catMask, hasType, typeMask];
    const [byPayMin, payMin0, byPayMax, payMax0, byAvail, from0, to0] = [hasPayMin, pMin, hasPayMax, pMax, hasAvail, availFrom, availTo];
    const [byRemote, remote0, byPosted, since0, byBox, wraps] = [hasRemote, remoteV, hasPosted, postedSince, hasBox, boxWraps];
    const [minLat, maxLat, minLon, maxLon] = [bMinLat, bMaxLat, bMinLon, bMaxLon];
    for (let i = 0; i < count; i++) {
      const s = slots[i]!;
      let ok = visible[s]!;
      if (byBusiness) ok &= business[s] === business0 ? 1 : 0;
      if (byStatus) ok &= statusBit(status[s]!, expires[s]!);
      if (byCat) ok &= (cats >>> category[s]!) & 1;
      if (byType) ok &= (types >>> etype[s]!) & 1;
      if (byPayMin) ok &= hourlyMax[s]! >= payMin0 ? 1 : 0;
      if (byPayMax) ok &= hourlyMin[s]! <= payMax0 ? 1 : 0;
      if (byAvail) ok &= (startDay[s]! <= to0 ? 1 : 0) & (endDay[s]! >= from0 ? 1 : 0);
      if (byRemote) ok &= remote[s] === remote0 ? 1 : 0;
      if (byPosted) ok &= published[s]! >= since0 ? 1 : 0;
      if (byBox) {
        const la = lat[s]!;
        const lo = lon[s]!;
        ok &= geoKey[s]! >= 0 ? 1 : 0;
        ok &= (la >= minLat ? 1 : 0) & (la <= maxLat ? 1 : 0);
        ok &= wraps ? (lo >= minLon ? 1 : 0) | (lo <= maxLon ? 1 : 0) : (lo >= minLon ? 1 : 0) & (lo <= maxLon ? 1 : 0);
      }
      keep[i] = ok;
    }
  };

  let geo: Bounds | undefined;
  if (near) geo = circleBounds(near.lat, near.lon, near.radiusKm);
  if (bbox && !geo) geo = bbox;
  const terms = f.text !== undefined ? tokenize(f.text) : undefined;
  const columnOnly = terms === undefined && geo === undefined && !hasSkills && !hasCity && !needLoc;
  const categoryRuns: Array<[number, number]> = [];
  for (let code = 0; code < 32; code++) {
    if (hasCat && ((catMask >>> code) & 1) === 0) continue;
    const end = code === 31 ? Infinity : filterKey(code + 1, Infinity);
    // Published at or after a bound: a run's newest part, to the bound's second (collectRun decides within it).
    categoryRuns.push([filterKey(code, Infinity), hasPosted ? Math.min(end, filterKey(code, postedSince) + 1) : end]);
  }
  const skills = hasSkills ? { ids: skillsImpossible ? [] : wantedIds, all: skillsAll } : undefined;
  const visibleOnly = !owner && !hasBusiness && !hasStatus && !hasCat && !hasType && !hasPayMin && !hasPayMax && !hasAvail && !hasRemote && !hasPosted && !hasCity && !needLoc && !hasSkills;
  const slotTest = !owner && !hasNear && !hasSkills && !hasCity ? testSlots : undefined;
  return { pred: predicateOver(c), predicateOver, sumRun, testSlots: slotTest, columnOnly, collectRun, categoryRuns, terms, publicOnly: !owner, visibleOnly, rest: predicateOver(c, true), now: nowMs, skills, cities: hasCity ? cityIds : undefined, remote: hasRemote && remoteV === 1, geo, near };
}
