// The in-process percolator of embedded mode: which active saved searches
// match a job document. Each search is filed under one anchor, its most
// selective constraint (a geo cell of its place, one of its text terms, its
// business, its categories, its pay band, or none), so a job looks up only the
// anchors it can meet: its cells, its terms, its business and category, the
// pay bands below and above its pay. Every candidate found is then checked
// exactly (savedQueryPredicate.ts), deciding as the embedded search decides.
import { categories } from '../../../eventstore/events/index.ts';
import type { JobDocument } from '../../../mappings/jobDocument.ts';
import type { SavedSearchDocument } from '../../../projections/lists/listDocuments.ts';
import { alertSettingsOf, savedSearchKey } from '../../../projections/lists/listDocuments.ts';
import type { StoredEntry } from '../../lists/keyedStore.ts';
import type { Bounds } from '../../model/geo.ts';
import { PAY_BANDS, payBandIndex } from '../../model/payBands.ts';
import type { CompiledSavedQuery } from './savedQueryPredicate.ts';
import { compileSavedQuery, matchesSavedQuery, percolatedJobOf } from './savedQueryPredicate.ts';

/** Finest geo cell level: 2^16 x 2^16 cells over the globe (about 300 m of latitude). */
const MAX_LEVEL = 16;
/** Guesses of the share of jobs a constraint lets through, to pick an anchor. */
const TEXT_SHARE = 0.02;
const BUSINESS_SHARE = 0.001;
const PAY_SHARE = 0.5;

interface Entry {
  readonly key: string;
  readonly doc: SavedSearchDocument;
  readonly query: CompiledSavedQuery;
  /** The buckets the search is filed in (several geo cells at most), and their geo level. */
  readonly buckets: readonly string[];
  readonly level: number | undefined;
  seen: number;
}

const cellOf = (value: number, span: number, offset: number, level: number): number => {
  const n = 2 ** level;
  return Math.min(n - 1, Math.max(0, Math.floor(((value + offset) / span) * n)));
};
const cellKey = (level: number, y: number, x: number): string => `g${level}:${y}:${x}`;

/** The cells of one level covering a box (split at the antimeridian when it wraps). */
function geoBuckets(b: Bounds): { level: number; keys: string[] } {
  const wraps = b.minLon > b.maxLon;
  const latSpan = Math.max(0, b.maxLat - b.minLat);
  const lonSpan = wraps ? 180 - b.minLon + (b.maxLon + 180) : Math.max(0, b.maxLon - b.minLon);
  // The finest level whose cells are at least as large as the box: at most 2 cells a side (per part).
  const fit = Math.min(latSpan > 0 ? 180 / latSpan : Infinity, lonSpan > 0 ? 360 / lonSpan : Infinity);
  const level = Math.max(0, Math.min(MAX_LEVEL, Math.floor(Math.log2(fit))));
  const ys = [cellOf(b.minLat, 180, 90, level), cellOf(b.maxLat, 180, 90, level)] as const;
  const lonRanges: Array<[number, number]> = wraps ? [[b.minLon, 180], [-180, b.maxLon]] : [[b.minLon, b.maxLon]];
  const keys = new Set<string>();
  for (const [from, to] of lonRanges) {
    const x0 = cellOf(from, 360, 180, level);
    const x1 = cellOf(to, 360, 180, level);
    for (let y = ys[0]; y <= ys[1]; y++) for (let x = x0; x <= x1; x++) keys.add(cellKey(level, y, x));
  }
  return { level, keys: [...keys] };
}

const geoShare = (b: Bounds): number => {
  const lonSpan = b.minLon > b.maxLon ? 360 - (b.minLon - b.maxLon) : b.maxLon - b.minLon;
  return ((b.maxLat - b.minLat) / 180) * (lonSpan / 360);
};

interface Anchor {
  share: number;
  buckets: string[];
}

/**
 * The buckets a search is filed under: those of its most selective
 * constraint. A place is combined with a text term or the categories (a job
 * looks those up per cell), since many searches share the busy cells.
 */
function bucketsOf(q: CompiledSavedQuery): { buckets: string[]; level?: number } {
  const secondary: Anchor[] = [];
  if (q.terms && q.terms.length > 0) {
    // The longest term: a crude stand-in for the rarest.
    const term = [...q.terms].sort((a, b) => b.length - a.length || (a < b ? -1 : 1))[0]!;
    secondary.push({ share: TEXT_SHARE, buckets: [`t:${term}`] });
  }
  if (q.categories) secondary.push({ share: q.categories.size / categories.length, buckets: [...q.categories].map((c) => `c:${c}`) });
  const others: Anchor[] = [...secondary];
  if (q.businessId !== undefined) others.push({ share: BUSINESS_SHARE, buckets: [`b:${q.businessId}`] });
  if (q.payMin !== undefined) others.push({ share: PAY_SHARE, buckets: [`pmin:${payBandIndex(q.payMin)}`] });
  if (q.payMax !== undefined) others.push({ share: PAY_SHARE, buckets: [`pmax:${payBandIndex(q.payMax)}`] });
  const best = (list: readonly Anchor[]): Anchor | undefined => list.reduce<Anchor | undefined>((a, o) => (a === undefined || o.share < a.share ? o : a), undefined);
  const places = [q.near?.bounds, q.bbox].filter((b): b is Bounds => b !== undefined).sort((a, b) => geoShare(a) - geoShare(b));
  const place = places[0];
  const other = best(others);
  if (place && (other === undefined || geoShare(place) < other.share)) {
    const cells = geoBuckets(place);
    const with2 = best(secondary);
    const buckets = with2 ? cells.keys.flatMap((cell) => with2.buckets.map((b) => `${cell}|${b}`)) : cells.keys;
    return { buckets, level: cells.level };
  }
  return { buckets: other ? other.buckets : ['all'] };
}

export interface PercolateOptions {
  /** Only searches whose alerts are not off (default true). */
  alertsOnly?: boolean;
}

export class EmbeddedPercolator {
  private readonly entries = new Map<string, Entry>();
  private readonly buckets = new Map<string, Set<Entry>>();
  /** How many searches are filed at each geo level: a job looks up only the levels in use. */
  private readonly levels = new Map<number, number>();
  /** Marks the entries one percolation has seen already (a search may be filed in several buckets). */
  private epoch = 0;

  /**
   * Files every active saved search of the embedded list store, a page at a
   * time. With `pause`, awaited between pages, so that loading tens of
   * thousands of searches (half a second at 25,000) never holds the event loop
   * for more than a page; writes meanwhile `put` straight in, and a page read
   * later holds what they stored. `stop`: the store closed, leave off.
   */
  async fill(
    lists: { activeSavedSearches(size: number, afterKey?: string): SavedSearchDocument[] },
    { pageSize = 2000, pause, stop = () => false }: { pageSize?: number; pause?: () => Promise<void>; stop?: () => boolean } = {},
  ): Promise<void> {
    let after: string | undefined;
    while (!stop()) {
      const page = lists.activeSavedSearches(pageSize, after);
      for (const doc of page) this.put(doc);
      const last = page.at(-1);
      if (page.length < pageSize || !last) return;
      after = savedSearchKey(last.workerId, last.searchId);
      await pause?.();
    }
  }

  /** Saved searches held (active ones, valid or not). */
  get size(): number {
    return this.entries.size;
  }

  /** Adds or replaces a saved search; one that is not active is removed (only active searches alert). */
  put(doc: SavedSearchDocument): void {
    const key = savedSearchKey(doc.workerId, doc.searchId);
    this.remove(key);
    if (doc.status !== 'active') return;
    const query = compileSavedQuery(doc.query);
    // An invalid query, or text without terms, never matches: held (so size counts it) but filed nowhere.
    const filed: { buckets: string[]; level?: number } = query && !query.never ? bucketsOf(query) : { buckets: [] };
    const entry: Entry = { key, doc, query: query ?? { never: true }, buckets: filed.buckets, level: filed.level, seen: 0 };
    for (const b of filed.buckets) {
      let set = this.buckets.get(b);
      if (!set) this.buckets.set(b, (set = new Set()));
      set.add(entry);
    }
    if (filed.level !== undefined) this.levels.set(filed.level, (this.levels.get(filed.level) ?? 0) + 1);
    this.entries.set(key, entry);
  }

  /** Removes a saved search by its list key (`workerId|searchId`); unknown keys are ignored. */
  remove(key: string): void {
    const old = this.entries.get(key);
    if (!old) return;
    this.entries.delete(key);
    for (const b of old.buckets) {
      const set = this.buckets.get(b);
      set?.delete(old);
      if (set?.size === 0) this.buckets.delete(b);
    }
    if (old.level !== undefined) {
      const n = (this.levels.get(old.level) ?? 1) - 1;
      if (n > 0) this.levels.set(old.level, n);
      else this.levels.delete(old.level);
    }
  }

  /** Applies what the lists projection wrote to saved_searches: documents put, tombstones removed. */
  apply(entries: readonly StoredEntry<SavedSearchDocument>[]): void {
    for (const e of entries) {
      if (e.doc) this.put(e.doc);
      else this.remove(e.key);
    }
  }

  /** The active saved searches matching the job, by key. */
  percolate(job: JobDocument, { alertsOnly = true }: PercolateOptions = {}): SavedSearchDocument[] {
    const view = percolatedJobOf(job);
    const epoch = ++this.epoch;
    const out: Entry[] = [];
    const take = (bucket: string): void => {
      const set = this.buckets.get(bucket);
      if (!set) return;
      for (const e of set) {
        if (e.seen === epoch) continue;
        e.seen = epoch;
        if (!matchesSavedQuery(e.query, view)) continue;
        if (alertsOnly && alertSettingsOf(e.doc).alertFrequency === 'off') continue;
        out.push(e);
      }
    };
    take('all');
    take(`b:${view.businessId}`);
    take(`c:${view.category}`);
    for (const t of view.terms) take(`t:${t}`);
    for (let band = payBandIndex(view.hourlyMax); band >= 0; band--) take(`pmin:${band}`);
    for (let band = payBandIndex(view.hourlyMin); band < PAY_BANDS.length; band++) take(`pmax:${band}`);
    if (!Number.isNaN(view.lat)) {
      for (const level of this.levels.keys()) {
        const cell = cellKey(level, cellOf(view.lat, 180, 90, level), cellOf(view.lon, 360, 180, level));
        take(cell);
        take(`${cell}|c:${view.category}`);
        for (const t of view.terms) take(`${cell}|t:${t}`);
      }
    }
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((e) => e.doc);
  }
}
