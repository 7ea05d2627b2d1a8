// Running one request against both jobs read stores and listing every way the
// two answers differ. A comparison returns its differences as plain sentences
// (empty: the stores agree), so a failing test names the query, the field, what
// one store gave and what the other gave.
import type { MapResult, SearchContext, SearchResult } from '../../query/model/readStore.ts';
import type { MapInput, SearchInput } from '../../query/engine/dsl/search.ts';
import { facetNames } from '../../query/model/facets.ts';

/** The part of JobReadStore the suite uses, with zod defaults optional as both adapters accept. */
export interface ComparedStore {
  readonly kind: 'search-engine' | 'embedded';
  search(request: SearchInput, now: Date, context?: SearchContext): Promise<SearchResult>;
  map(request: MapInput, now: Date): Promise<MapResult>;
}

/** Distances and centroids agree to this (km, degrees). */
export const GEO_TOLERANCE = 1e-6;

/** Pages a query may take before the suite calls it a cursor loop. */
export const MAX_PAGES = 400;

export interface Paged {
  pages: SearchResult[];
  /** Every hit's jobId, page after page. */
  ids: string[];
}

/** Follows nextCursor from the first page to the last (`context`: the worker of a `match` sort). */
export async function pageThrough(store: ComparedStore, request: SearchInput, now: Date, context?: SearchContext): Promise<Paged> {
  const pages: SearchResult[] = [];
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.search({ ...request, ...(cursor !== undefined ? { cursor } : {}) }, now, context);
    pages.push(page);
    for (const h of page.hits) ids.push(h.job.jobId);
    cursor = page.nextCursor;
    if (pages.length > MAX_PAGES) throw new Error(`${store.kind}: more than ${MAX_PAGES} pages (cursor loop?) for ${JSON.stringify(request)}`);
  } while (cursor !== undefined);
  return { pages, ids };
}

const show = (v: unknown): string => JSON.stringify(v);

/** The first position where two id lists part, with a few ids of context. */
export function firstDivergence(a: readonly string[], b: readonly string[], labels: readonly [string, string] = ['engine', 'embedded']): string {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) return `at #${i}: ${labels[0]} ${show(a.slice(i, i + 5))} vs ${labels[1]} ${show(b.slice(i, i + 5))}`;
  }
  return 'none';
}

/** Differences of one page (same request, same cursor position) of the engine (`e`) and the embedded store (`m`). */
export function pageDifferences(e: SearchResult, m: SearchResult, where: string): string[] {
  const out: string[] = [];
  if (e.total !== m.total) out.push(`${where}: total engine ${e.total} vs embedded ${m.total}`);
  const ei = e.hits.map((h) => h.job.jobId);
  const mi = m.hits.map((h) => h.job.jobId);
  if (show(ei) !== show(mi)) out.push(`${where}: hit ids differ ${firstDivergence(ei, mi)}`);
  else {
    e.hits.forEach((eh, i) => {
      const mh = m.hits[i]!;
      if ((eh.distanceKm === undefined) !== (mh.distanceKm === undefined)) {
        out.push(`${where}: ${eh.job.jobId} distanceKm engine ${show(eh.distanceKm)} vs embedded ${show(mh.distanceKm)}`);
      } else if (eh.distanceKm !== undefined && mh.distanceKm !== undefined && !(Math.abs(eh.distanceKm - mh.distanceKm) <= GEO_TOLERANCE)) {
        out.push(`${where}: ${eh.job.jobId} distanceKm engine ${eh.distanceKm} vs embedded ${mh.distanceKm}`);
      }
      if (show(sortKeys(eh.job)) !== show(sortKeys(mh.job))) out.push(`${where}: ${eh.job.jobId} document differs: engine ${show(eh.job)} vs embedded ${show(mh.job)}`);
    });
  }
  if ((e.nextCursor === undefined) !== (m.nextCursor === undefined)) {
    out.push(`${where}: nextCursor engine ${e.nextCursor === undefined ? 'absent' : 'present'} vs embedded ${m.nextCursor === undefined ? 'absent' : 'present'}`);
  }
  if ((e.facets === undefined) !== (m.facets === undefined)) out.push(`${where}: facets engine ${e.facets ? 'present' : 'absent'} vs embedded ${m.facets ? 'present' : 'absent'}`);
  else if (e.facets && m.facets) {
    for (const k of facetNames) {
      if (show(e.facets[k]) !== show(m.facets[k])) out.push(`${where}: facets.${k} engine ${show(e.facets[k])} vs embedded ${show(m.facets[k])}`);
    }
  }
  return out;
}

/** Differences of a whole paged query, page by page and as one list; also checks each store's own paging. */
export function pagedDifferences(e: Paged, m: Paged): string[] {
  const out: string[] = [];
  out.push(...selfCheck('engine', e), ...selfCheck('embedded', m));
  if (e.pages.length !== m.pages.length) out.push(`pages: engine ${e.pages.length} vs embedded ${m.pages.length}`);
  const n = Math.min(e.pages.length, m.pages.length);
  for (let i = 0; i < n; i++) out.push(...pageDifferences(e.pages[i]!, m.pages[i]!, `page ${i + 1}`));
  if (show(e.ids) !== show(m.ids)) out.push(`full paged list (${e.ids.length} vs ${m.ids.length} ids) differs ${firstDivergence(e.ids, m.ids)}`);
  return out;
}

/** One store's paging: no job twice, every page's total the same, and the pages add up to it. */
export function selfCheck(label: string, p: Paged): string[] {
  const out: string[] = [];
  const total = p.pages[0]?.total ?? 0;
  if (p.pages.some((pg) => pg.total !== total)) out.push(`${label}: total changes while paging: ${show(p.pages.map((pg) => pg.total))}`);
  const seen = new Set<string>();
  const dup = p.ids.filter((id) => (seen.has(id) ? true : (seen.add(id), false)));
  if (dup.length > 0) out.push(`${label}: ${dup.length} jobs on more than one page, e.g. ${show(dup.slice(0, 5))}`);
  if (p.ids.length !== total) out.push(`${label}: pages hold ${p.ids.length} hits, total says ${total}`);
  return out;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (typeof v !== 'object' || v === null) return v;
  return Object.fromEntries(
    Object.entries(v)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, x]) => [k, sortKeys(x)]),
  );
}

/** Differences of a map answer; `searchTotal` is each store's search total for the same filters and bbox. */
export function mapDifferences(e: MapResult, m: MapResult, totals: { engine: number; embedded: number }): string[] {
  const out: string[] = [];
  for (const [label, r, searchTotal] of [['engine', e, totals.engine], ['embedded', m, totals.embedded]] as const) {
    const sum = r.clusters.reduce((s, c) => s + c.count, 0);
    if (sum !== r.total) out.push(`${label}: cluster counts sum to ${sum}, map total ${r.total}`);
    if (r.total !== searchTotal) out.push(`${label}: map total ${r.total}, search total ${searchTotal} for the same filters and bbox`);
    if (r.points && r.points.length !== r.total) out.push(`${label}: ${r.points.length} points for a total of ${r.total}`);
  }
  if (e.zoom !== m.zoom || e.precision !== m.precision) out.push(`zoom/precision engine ${e.zoom}/${e.precision} vs embedded ${m.zoom}/${m.precision}`);
  if (e.total !== m.total) out.push(`total engine ${e.total} vs embedded ${m.total}`);
  const ek = e.clusters.map((c) => `${c.key}:${c.count}`);
  const mk = m.clusters.map((c) => `${c.key}:${c.count}`);
  if (show(ek) !== show(mk)) out.push(`cluster keys:counts differ ${firstDivergence(ek, mk)} (engine ${ek.length} cells, embedded ${mk.length})`);
  else {
    e.clusters.forEach((ec, i) => {
      const mc = m.clusters[i]!;
      const dLat = Math.abs(ec.centroid.lat - mc.centroid.lat);
      const dLon = Math.abs(ec.centroid.lon - mc.centroid.lon);
      if (!(dLat <= GEO_TOLERANCE && dLon <= GEO_TOLERANCE)) out.push(`cell ${ec.key}: centroid engine ${show(ec.centroid)} vs embedded ${show(mc.centroid)}`);
      if (show(ec.bounds) !== show(mc.bounds)) out.push(`cell ${ec.key}: bounds engine ${show(ec.bounds)} vs embedded ${show(mc.bounds)}`);
    });
  }
  if ((e.points === undefined) !== (m.points === undefined)) out.push(`points engine ${e.points ? e.points.length : 'absent'} vs embedded ${m.points ? m.points.length : 'absent'}`);
  else if (e.points && m.points && show(e.points) !== show(m.points)) {
    out.push(`points differ ${firstDivergence(e.points.map((p) => `${p.jobId}@${p.lat},${p.lon}`), m.points.map((p) => `${p.jobId}@${p.lat},${p.lon}`))}`);
  }
  return out;
}

/** |A ∩ B| / min(k, max(|A|, |B|)) of the first k ids: 1 when both tops hold the same jobs. */
export function topOverlap(a: readonly string[], b: readonly string[], k = 20): number {
  const ta = a.slice(0, k);
  const tb = new Set(b.slice(0, k));
  const denom = Math.min(k, Math.max(ta.length, tb.size));
  if (denom === 0) return 1;
  return ta.filter((id) => tb.has(id)).length / denom;
}

export interface TextAgreement {
  /** Raw top-k overlap of the two id lists (ties decided by each store's jobId tie-break). */
  overlap: number;
  /**
   * Top-k overlap counting a job as shared when the other store scores it at
   * least as high as its own k-th hit (a tie at the cut is no disagreement).
   */
  tieAwareOverlap: number;
  /** Both stores put the same job first. */
  sameTopHit: boolean;
  /** The jobs sharing each store's best score (one job unless the top is a tie). */
  engineTop: string[];
  embeddedTop: string[];
}

/**
 * Agreement of two relevance rankings over all matches (each store's full
 * paged list with its scores). Scores are engine-specific, so only each
 * store's own order and ties are used, never a comparison of score values.
 */
export function textAgreement(e: Paged, m: Paged, k = 20): TextAgreement {
  const scored = (p: Paged): Array<{ id: string; score: number }> => p.pages.flatMap((pg) => pg.hits.map((h) => ({ id: h.job.jobId, score: h.score ?? NaN })));
  const es = scored(e);
  const ms = scored(m);
  const n = Math.min(k, Math.max(es.length, ms.length));
  const eligible = (xs: Array<{ id: string; score: number }>): Set<string> => {
    const cut = xs[Math.min(k, xs.length) - 1]?.score ?? -Infinity;
    return new Set(xs.filter((x) => x.score >= cut).map((x) => x.id));
  };
  const top = (xs: Array<{ id: string; score: number }>): string[] => xs.filter((x) => x.score === xs[0]?.score).map((x) => x.id);
  const eEligible = eligible(es);
  const mEligible = eligible(ms);
  const shared = (mine: Array<{ id: string }>, theirs: Set<string>): number => mine.slice(0, k).filter((x) => theirs.has(x.id)).length;
  return {
    overlap: topOverlap(e.ids, m.ids, k),
    tieAwareOverlap: n === 0 ? 1 : Math.min(shared(es, mEligible), shared(ms, eEligible)) / n,
    sameTopHit: es[0]?.id === ms[0]?.id,
    engineTop: top(es),
    embeddedTop: top(ms),
  };
}

/** Match scores agree with the reference to this (the painless script and the reference agree to 1e-6; both stores report the reference's). */
export const MATCH_SCORE_TOLERANCE = 1e-9;

/**
 * Differences of one store's `match`-sorted pages from the brute-force
 * expectation (the reference score over the filtered set, best first, ties by
 * jobId): the order over all pages, and each hit's reported score.
 */
export function matchDifferences(label: string, p: Paged, expected: ReadonlyArray<{ id: string; score: number }>): string[] {
  const out = selfCheck(label, p);
  const ids = expected.map((x) => x.id);
  if (show(ids) !== show(p.ids)) out.push(`${label}: order differs from the reference (${ids.length} vs ${p.ids.length} ids) ${firstDivergence(ids, p.ids, ['reference', label])}`);
  const want = new Map(expected.map((x) => [x.id, x.score]));
  const wrong = p.pages.flatMap((pg) => pg.hits).filter((h) => {
    const s = want.get(h.job.jobId);
    return h.match === undefined || s === undefined || !(Math.abs(h.match.score - s) <= MATCH_SCORE_TOLERANCE);
  });
  if (wrong.length > 0) out.push(`${label}: ${wrong.length} hits with a match score other than the reference's, e.g. ${wrong[0]!.job.jobId}: ${show(wrong[0]!.match)} vs ${want.get(wrong[0]!.job.jobId)}`);
  return out;
}
