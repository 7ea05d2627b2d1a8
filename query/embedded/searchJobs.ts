// A search page: the matches ranked by the request's order, the best `size`
// past the cursor kept in a bounded heap, then read back as hits.

import type { MatchResult } from '../match/matchScore.ts';
import type { SearchHit, SearchResult } from '../model/readStore.ts';
import type { SearchRequest } from '../model/searchRequest.ts';
import { collect } from './collectMatches.ts';
import { type Cursor, type CursorSort, decodeCursor, encodeCursor } from '../model/cursor.ts';
import type { EmbeddedState } from './embeddedState.ts';
import { facetsOf } from './facets.ts';
import type { SearchInput } from './filterInput.ts';
import { planFilters } from './filterPlan.ts';
import { haversineMeters } from '../model/geo.ts';
import { highlightFragments, highlightWhole } from './highlight.ts';
import { newestCandidates } from './newestCandidates.ts';
import { readJob } from './readJobs.ts';

/**
 * `matchOf` scores the job in a slot for the worker of a `match` sort (the
 * reference function): every match of the filters is scored, so the order is
 * exact at the cost of the filtered set's size.
 */
export function searchJobs(st: EmbeddedState, request: SearchRequest | SearchInput, now: Date, matchOf?: (slot: number) => MatchResult): SearchResult {
  const plan = planFilters(st.cols, request, now);
  const m = collect(st, plan);
  const cols = st.cols;
  const sort = request.sort ?? 'relevance';
  const size = Math.max(1, Math.min(100, request.size ?? 20));
  const kind: CursorSort = sort === 'relevance' ? (plan.terms !== undefined ? 'score' : 'newest') : sort;
  if (kind === 'distance' && !plan.near) throw new RangeError('sort by distance needs near');
  if (kind === 'match' && !matchOf) throw new RangeError('sort by match needs a worker');

  let cursor: Cursor | undefined;
  if (request.cursor !== undefined) cursor = decodeCursor(request.cursor, kind);
  const negated = kind === 'distance' || kind === 'expiring';
  const cp = cursor === undefined ? Infinity : cursor.value === null ? -Infinity : negated ? -cursor.value : cursor.value;
  const cid = cursor?.jobId ?? '';
  const ids = cols.jobIds;
  const hasCursor = cursor !== undefined;

  // Primary sort value per match, larger first (distance negated).
  if (st.primaryScratch.length < m.count) st.primaryScratch = new Float64Array(st.matchSlots.length);
  const primary = st.primaryScratch;
  const nearP = plan.near;
  const slotsM = m.slots;
  // Newest first over runs already in that order: only each run's head can be on the page (and tells whether more follow).
  const order =
    kind === 'newest' && m.runs
      ? newestCandidates(m, m.runs, cols, size + 1, (s) => {
          const p = cols.published[s]!;
          return !hasCursor || p < cp || (p === cp && ids[s]! > cid);
        })
      : undefined;
  if (kind === 'score') primary.set(m.scores.subarray(0, m.count));
  else if (kind === 'newest') {
    const published = cols.published;
    if (order) for (const i of order) primary[i] = published[slotsM[i]!]!;
    else for (let i = 0; i < m.count; i++) primary[i] = published[slotsM[i]!]!;
  } else if (kind === 'pay') {
    const hourlyMax = cols.hourlyMax;
    for (let i = 0; i < m.count; i++) primary[i] = hourlyMax[slotsM[i]!]!;
  } else if (kind === 'expiring') {
    // Soonest first: the instant negated; no expiresAt (a draft in an owner listing) last.
    const expires = cols.expires;
    for (let i = 0; i < m.count; i++) {
      const e = expires[slotsM[i]!]!;
      primary[i] = Number.isNaN(e) ? -Infinity : -e;
    }
  } else if (kind === 'match') {
    for (let i = 0; i < m.count; i++) primary[i] = matchOf!(slotsM[i]!).score;
  } else {
    const nLat = nearP?.lat ?? 0;
    const nLon = nearP?.lon ?? 0;
    for (let i = 0; i < m.count; i++) {
      const s = slotsM[i]!;
      primary[i] = -haversineMeters(nLat, nLon, cols.lat[s]!, cols.lon[s]!) / 1000;
    }
  }

  // Bounded heap of the best `size` eligible matches; the root is the worst kept.
  const heap: number[] = [];
  const worse = (a: number, b: number): boolean => {
    const pa = primary[a]!;
    const pb = primary[b]!;
    return pa < pb || (pa === pb && ids[m.slots[a]!]! > ids[m.slots[b]!]!);
  };
  const siftDown = (i: number): void => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let w = i;
      if (l < heap.length && worse(heap[l]!, heap[w]!)) w = l;
      if (r < heap.length && worse(heap[r]!, heap[w]!)) w = r;
      if (w === i) return;
      [heap[i], heap[w]] = [heap[w]!, heap[i]!];
      i = w;
    }
  };
  let eligible = 0;
  let worstP = -Infinity; // primary of the heap's root once full: anything below cannot enter
  const candidates = order ? order.length : m.count;
  for (let k = 0; k < candidates; k++) {
    const i = order ? order[k]! : k;
    const p = primary[i]!;
    if (hasCursor && !(p < cp || (p === cp && ids[slotsM[i]!]! > cid))) continue;
    eligible++;
    if (p < worstP) continue;
    if (heap.length < size) {
      heap.push(i);
      for (let j = heap.length - 1; j > 0; ) {
        const parent = (j - 1) >> 1;
        if (!worse(heap[j]!, heap[parent]!)) break;
        [heap[j], heap[parent]] = [heap[parent]!, heap[j]!];
        j = parent;
      }
      if (heap.length === size) worstP = primary[heap[0]!]!;
    } else if (worse(heap[0]!, i)) {
      heap[0] = i;
      siftDown(0);
      worstP = primary[heap[0]]!;
    }
  }
  const page = heap.sort((a, b) => (worse(a, b) ? 1 : worse(b, a) ? -1 : 0));

  const termSet = request.highlight && plan.terms ? new Set(plan.terms) : undefined;
  const hits: SearchHit[] = [];
  for (const i of page) {
    const s = m.slots[i]!;
    const job = readJob(st, ids[s]!);
    if (!job) continue;
    const hit: SearchHit = { job };
    if (kind === 'score') hit.score = primary[i]!;
    if (kind === 'match') {
      const r = matchOf!(s);
      hit.match = { score: r.score, factors: r.factors };
    }
    if (plan.near) hit.distanceKm = kind === 'distance' ? -primary[i]! : haversineMeters(plan.near.lat, plan.near.lon, cols.lat[s]!, cols.lon[s]!) / 1000;
    if (termSet) {
      const title = highlightWhole(job.title, termSet);
      const description = highlightFragments(job.description, termSet);
      if (title !== undefined || description.length > 0) hit.highlights = { ...(title !== undefined ? { title: [title] } : {}), ...(description.length > 0 ? { description } : {}) };
    }
    hits.push(hit);
  }

  const result: SearchResult = { total: m.count, hits };
  const last = page[page.length - 1];
  if (eligible > size && last !== undefined) {
    const p = primary[last]!;
    result.nextCursor = encodeCursor({ sort: kind, value: p === -Infinity ? null : negated ? -p : p, jobId: ids[m.slots[last]!]! });
  }
  // Last: it may reuse the match scratch.
  if (request.facets) result.facets = facetsOf(st, request, now, m);
  return result;
}
