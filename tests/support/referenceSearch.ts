// A brute-force statement of the `jobs` query semantics over plain documents:
// no indexes, no typed arrays, one document at a time. The tests hold the
// embedded store (and may hold any other store) to it.

import type { WorkerProfile } from '../../eventstore/events/index.ts';
import type { JobDocument } from '../../mappings/jobDocument.ts';
import { type MatchWeights, matchScore } from '../../query/match/matchScore.ts';
import type { FacetBucket, MapCluster, SearchFacets } from '../../query/model/readStore.ts';
import { FACET_TERMS_SIZE, type FacetName, POSTED_WITHIN_DAYS, withoutFacetFilters } from '../../query/model/facets.ts';
import { geohashPrecisionFor } from '../../query/model/zoomPrecision.ts';
import { effectiveStatus } from '../../query/model/effectiveStatus.ts';
import type { FilterInput, MapInput } from '../../query/embedded/embeddedJobStore.ts';
import { PAY_BANDS, payBandIndex } from '../../query/model/payBands.ts';
import { analyzeDocument } from '../../query/embedded/textFields.ts';
import { textFields } from '../../query/model/textFields.ts';
import { geohashBounds, geohashEncode, haversineMeters, inBounds, quantize } from '../../query/model/geo.ts';
import { B, K1, LENGTH_TABLE, bm25Idf, lengthToNorm } from '../../query/embedded/bm25.ts';
import { tokenize } from '../../query/embedded/analysis/analyzer.ts';

const DAY_MS = 86_400_000;

export function referenceMatches(doc: JobDocument, f: FilterInput, now: Date, allDocs: readonly JobDocument[] = []): boolean {
  const nowMs = now.getTime();
  if (f.includeClosed && f.businessId !== undefined) {
    if (doc.businessId !== f.businessId) return false;
  } else {
    if (doc.status !== 'open' || !doc.expiresAt || !(Date.parse(doc.expiresAt) > nowMs)) return false;
    if (f.businessId !== undefined && doc.businessId !== f.businessId) return false;
  }
  if (f.status !== undefined && effectiveStatus(doc, now) !== f.status) return false;
  if (f.category && !f.category.includes(doc.category)) return false;
  if (f.employmentType && !f.employmentType.includes(doc.employmentType)) return false;
  if (f.payMin !== undefined && !(doc.hourlyMax >= f.payMin)) return false;
  if (f.payMax !== undefined && !(doc.hourlyMin <= f.payMax)) return false;
  if (f.availableFrom !== undefined || f.availableTo !== undefined) {
    const from = f.availableFrom ?? '0000-01-01';
    const to = f.availableTo ?? '9999-12-31';
    if ((doc.startDate ?? '0000-01-01') > to || (doc.endDate ?? '9999-12-31') < from) return false;
  }
  if (f.skills && f.skills.length > 0) {
    const have = new Set(doc.skills.map((s) => s.toLowerCase()));
    const want = f.skills.map((s) => s.toLowerCase());
    if (f.skillsMode === 'all' ? !want.every((s) => have.has(s)) : !want.some((s) => have.has(s))) return false;
  }
  if (f.city !== undefined && (doc.city === undefined || !f.city.includes(doc.city))) return false;
  if (f.remote !== undefined && doc.remote !== f.remote) return false;
  if (f.postedWithinDays !== undefined && (!doc.publishedAt || !(Date.parse(doc.publishedAt) >= nowMs - f.postedWithinDays * DAY_MS))) return false;
  if (f.postedSince !== undefined && (!doc.publishedAt || !(Date.parse(doc.publishedAt) >= Date.parse(f.postedSince)))) return false;
  if (f.near || f.bbox) {
    if (!doc.location) return false;
    const p = quantize(doc.location.lat, doc.location.lon);
    if (f.bbox && !inBounds(f.bbox, p.lat, p.lon)) return false;
    if (f.near && !(haversineMeters(f.near.lat, f.near.lon, p.lat, p.lon) <= f.near.radiusKm * 1000)) return false;
  }
  if (f.text !== undefined && Number.isNaN(referenceScore(doc, tokenize(f.text), allDocs))) return false;
  return true;
}

/**
 * BM25 of a document for query terms, over the collection `allDocs` (every
 * stored document, any status); NaN when a term is in none of its fields.
 */
const analyzedCache = new WeakMap<readonly JobDocument[], string[][][]>();

function analyzedAll(allDocs: readonly JobDocument[]): string[][][] {
  let a = analyzedCache.get(allDocs);
  if (!a) analyzedCache.set(allDocs, (a = allDocs.map((d) => analyzeDocument(d))));
  return a;
}

/**
 * BM25 of a document for query terms, over the collection `allDocs` (every
 * stored document, any status); NaN when a term is in none of its fields.
 * Terms are summed rarest first (document frequency over all fields, then the
 * term), fields in `textFields` order: the store's order, so floats agree bit
 * for bit and ties stay ties.
 */
export function referenceScore(doc: JobDocument, terms: readonly string[], allDocs: readonly JobDocument[]): number {
  if (terms.length === 0) return NaN;
  const analyzed = analyzedAll(allDocs);
  const mine = analyzeDocument(doc);
  const counts = new Map<string, number>();
  for (const t of terms) counts.set(t, (counts.get(t) ?? 0) + 1);
  const dfAll = (term: string): number => textFields.reduce((sum, _, f) => sum + analyzed.filter((a) => (a[f] ?? []).includes(term)).length, 0);
  const ordered = [...counts.keys()].map((t) => ({ t, df: dfAll(t) })).sort((a, b) => a.df - b.df || (a.t < b.t ? -1 : 1));
  let total = 0;
  for (const { t: term } of ordered) {
    const mult = counts.get(term) ?? 1;
    let any = false;
    textFields.forEach((field, f) => {
      const tf = (mine[f] ?? []).filter((t) => t === term).length;
      if (tf === 0) return;
      any = true;
      const withField = analyzed.filter((a) => (a[f] ?? []).length > 0);
      const n = withField.length;
      const df = withField.filter((a) => (a[f] ?? []).includes(term)).length;
      const avgdl = withField.reduce((sum, a) => sum + (a[f] ?? []).length, 0) / n;
      const dl = LENGTH_TABLE[lengthToNorm((mine[f] ?? []).length)] ?? 0;
      total += (field.boost * bm25Idf(n, df) * mult * tf) / (tf + K1 * (1 - B + (B * dl) / avgdl));
    });
    if (!any) return NaN;
  }
  return total;
}

export type ReferenceSort = 'relevance' | 'distance' | 'newest' | 'pay' | 'expiring' | 'match';

/**
 * Matching documents in the order of a sort, each with its sort value:
 * `expiring` soonest expiresAt first (none: last), `match` the reference match
 * score of `match.worker` (required then), best first. Every order breaks ties
 * by jobId ascending (for `match` the order of recommendations, byScoreThenId).
 */
export function referenceSearch(
  docs: readonly JobDocument[],
  f: FilterInput & { sort?: ReferenceSort },
  now: Date,
  match?: { worker: WorkerProfile; weights?: MatchWeights },
): Array<{ doc: JobDocument; value: number }> {
  const terms = f.text !== undefined ? tokenize(f.text) : undefined;
  const sort = f.sort ?? 'relevance';
  const matches = docs.filter((d) => referenceMatches(d, { ...f, text: undefined }, now) && (terms === undefined || !Number.isNaN(referenceScore(d, terms, docs))));
  const value = (d: JobDocument): number => {
    if (sort === 'relevance' && terms) return referenceScore(d, terms, docs);
    if (sort === 'relevance' || sort === 'newest') return d.publishedAt ? Date.parse(d.publishedAt) : -Infinity;
    if (sort === 'expiring') return d.expiresAt ? -Date.parse(d.expiresAt) : -Infinity;
    if (sort === 'match') {
      if (!match) throw new RangeError('sort by match needs a worker');
      return matchScore(match.worker, d, match.weights, now).score;
    }
    if (sort === 'pay') return d.hourlyMax;
    const p = quantize(d.location?.lat ?? 0, d.location?.lon ?? 0);
    return -haversineMeters(f.near?.lat ?? 0, f.near?.lon ?? 0, p.lat, p.lon) / 1000;
  };
  return matches
    .map((doc) => ({ doc, value: value(doc) }))
    .sort((a, b) => (a.value !== b.value ? (a.value > b.value ? -1 : 1) : a.doc.jobId < b.doc.jobId ? -1 : a.doc.jobId > b.doc.jobId ? 1 : 0));
}

/**
 * The facets of a search over `docs` (every stored document): each facet
 * over the documents matching every filter but the ones it ignores
 * (query/model/facets.ts), one facet at a time.
 */
export function referenceFacets(docs: readonly JobDocument[], f: FilterInput, now: Date): SearchFacets {
  const over = (name: FacetName): JobDocument[] => docs.filter((d) => referenceMatches(d, withoutFacetFilters(f, [name]), now, docs));
  const count = (matches: readonly JobDocument[], keys: (d: JobDocument) => readonly string[], limit = Infinity): FacetBucket[] => {
    const m = new Map<string, number>();
    for (const d of matches) for (const k of new Set(keys(d))) m.set(k, (m.get(k) ?? 0) + 1);
    // Count desc, then key by code point (as the engine orders keyword bytes).
    const cmp = (a: string, b: string): number => {
      const x = [...a].map((c) => c.codePointAt(0)!);
      const y = [...b].map((c) => c.codePointAt(0)!);
      for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
      return x.length - y.length;
    };
    return [...m.entries()].map(([k, c]) => ({ key: k, count: c })).sort((a, b) => b.count - a.count || cmp(a.key, b.key)).slice(0, limit);
  };
  const bands = PAY_BANDS.map((b) => ({ ...b, count: 0 }));
  for (const d of over('payBands')) bands[payBandIndex(d.hourlyMax)]!.count++;
  const remote = over('remote');
  const posted = over('postedWithin');
  const publishedWithin = (d: JobDocument, days: number): boolean => d.publishedAt !== undefined && Date.parse(d.publishedAt) >= now.getTime() - days * DAY_MS;
  return {
    category: count(over('category'), (d) => [d.category]),
    employmentType: count(over('employmentType'), (d) => [d.employmentType]),
    payBands: bands,
    skills: count(over('skills'), (d) => d.skills.map((s) => s.toLowerCase()), FACET_TERMS_SIZE),
    city: count(over('city'), (d) => (d.city !== undefined ? [d.city] : []), FACET_TERMS_SIZE),
    remote: [
      { key: 'true', count: remote.filter((d) => d.remote).length },
      { key: 'false', count: remote.filter((d) => !d.remote).length },
    ],
    postedWithin: POSTED_WITHIN_DAYS.map((days) => ({ key: `${days}d`, days, count: posted.filter((d) => publishedWithin(d, days)).length })),
  };
}

export function referenceMap(docs: readonly JobDocument[], r: MapInput, now: Date): { total: number; clusters: MapCluster[] } {
  const precision = geohashPrecisionFor(r.zoom);
  const matches = docs.filter((d) => d.location && referenceMatches(d, r, now, docs));
  const cells = new Map<string, { count: number; lat: number; lon: number }>();
  for (const d of matches) {
    const p = quantize(d.location!.lat, d.location!.lon);
    const key = geohashEncode(p.lat, p.lon, precision);
    const c = cells.get(key) ?? { count: 0, lat: 0, lon: 0 };
    c.count++;
    c.lat += p.lat;
    c.lon += p.lon;
    cells.set(key, c);
  }
  const clusters = [...cells.entries()]
    .map(([key, c]) => ({ key, count: c.count, centroid: { lat: c.lat / c.count, lon: c.lon / c.count }, bounds: geohashBounds(key) }))
    .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1));
  return { total: matches.length, clusters };
}
