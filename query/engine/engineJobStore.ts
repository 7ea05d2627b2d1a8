// The search-engine adapter of JobReadStore (Elasticsearch 8 / OpenSearch 2
// API, through the SearchClient seam). Reads and writes go to the alias
// (`jobs`); ensureIndex creates the versioned index behind it when missing.
//
// Writes are idempotent by external versioning: each document is indexed with
// `version = position`, so the engine refuses one that is not newer than the
// stored document (a 409 on that item, which is success here).
import { jobsAliasName, jobsIndexDefinition, jobsIndexName, jobsMappingAdditions, JOBS_INDEX_VERSION, type JobsIndexOptions } from '../../mappings/jobsIndex.ts';
import { createEngineBusinessStore, type EngineBusinessStore } from './engineBusinessStore.ts';
import type { JobDocument } from '../../mappings/jobDocument.ts';
import type { FacetBucket, JobReadStore, MapCluster, MapPoint, MapResult, PayBand, SearchContext, SearchFacets, SearchHit, SearchResult } from '../model/readStore.ts';
import { mapCellCap } from '../model/readStore.ts';
import { geohashPrecisionFor, mapPointsThreshold } from '../model/zoomPrecision.ts';
import { PAY_BANDS } from '../model/payBands.ts';
import { type FacetName, POSTED_WITHIN_DAYS, byCountThenKey as facetOrder, postedWithinKey } from '../model/facets.ts';
import { encodeCursor } from '../model/cursor.ts';
import { missingSortValue } from './dsl/sort.ts';
import { defaultWeights, prepareMatch } from '../match/matchScore.ts';
import { matchScoreParams } from '../match/matchScoreQuery.ts';
import { type MapInput, type SearchInput, mapBody, mapPointsBody, nextExpiryBody, searchBody, suggestBody } from './dsl/search.ts';
import { distanceKmToStored, geohashBounds, quantize } from '../model/geo.ts';
import { type Refresh, type SearchClient, SearchEngineError } from './searchClient.ts';
import { engineJobWriter } from './engineJobWriter.ts';

export { JobWriteError, type JobWriteFailure } from './engineJobWriter.ts';


export interface EngineJobStoreOptions {
  /** Prefix of the alias and index names (tests, side-by-side deployments). Default ''. */
  prefix?: string;
  /** The alias reads and writes go to. Default `<prefix>jobs`. */
  alias?: string;
  /** The concrete index ensureIndex creates behind the alias. Default `<prefix>jobs_v<JOBS_INDEX_VERSION>`. */
  index?: string;
  /** Settings of the index ensureIndex creates. */
  indexOptions?: JobsIndexOptions;
  /**
   * Refresh policy of putJobs. Default 'wait_for': putJobs returns once the
   * documents are searchable, so a projection checkpoint stored after it never
   * runs ahead of what searches see (read-your-writes). A bulk rebuild passes false.
   */
  refresh?: Refresh;
  /** Most documents in one bulk request (default 500). */
  bulkDocs?: number;
  /** Most bytes (roughly) in one bulk request (default 8 MiB). */
  bulkBytes?: number;
  /** Retries of items the engine refused as busy or failing (429, 5xx), with exponential backoff. Default 3. */
  transientRetries?: number;
  /** First backoff in ms (default 200), doubled each retry. */
  retryBackoffMs?: number;
  /** Cells one map answer holds when the request names no cap (default DEFAULT_MAP_MAX_CELLS, at most 65 535); past it `truncated`. */
  mapMaxCells?: number;
  /** Where the business profiles of this read model live (default `<prefix>businesses` behind its alias). */
  businesses?: { alias?: string; index?: string };
}

export interface EngineJobStore extends JobReadStore {
  readonly kind: 'search-engine';
  /** The business profiles the jobs projection keeps beside the jobs. */
  readonly businesses: EngineBusinessStore;
  getJobs(jobIds: readonly string[]): Promise<Array<JobDocument | undefined>>;
  readonly alias: string;
  readonly index: string;
  /** Creates the index behind the alias when the alias does not exist. Returns whether it created it. */
  ensureIndex(): Promise<boolean>;
  /** Makes every write so far searchable. */
  refresh(): Promise<void>;
  /** Stored documents, every status. */
  count(): Promise<number>;
  /** Removes documents of discarded jobs, each only while the stored one is older than its removal (external versioning). */
  removeJobs(removed: ReadonlyArray<{ jobId: string; position: number }>, options?: { refresh?: Refresh }): Promise<void>;
  /** As JobReadStore.putJobs, with the refresh policy of this call (a bulk catch-up passes false and refreshes once). */
  putJobs(docs: readonly JobDocument[], options?: { refresh?: Refresh }): Promise<void>;
  /** As JobReadStore.search, but zod defaults may be left out. */
  search(request: SearchInput, now: Date, context?: SearchContext): Promise<SearchResult>;
  map(request: MapInput, now: Date): Promise<MapResult>;
  /** `now` decides expiry (default: the current time). */
  suggest(prefix: string, size: number, now?: Date): Promise<string[]>;
  /** Open jobs whose expiresAt is at or before `now`, by jobId after `afterJobId`: the expiry job's candidates. */
  expiredOpenJobIds(now: Date, size: number, afterJobId?: string): Promise<string[]>;
}

interface TermsAgg {
  buckets: Array<{ key: string; doc_count: number }>;
}
interface RangeAgg {
  buckets: Array<{ key: string; doc_count: number }>;
}
interface FiltersAgg {
  buckets: Record<string, { doc_count: number }>;
}
interface GridAgg {
  buckets: Array<{ key: string; doc_count: number; centroid?: { location?: { lat: number; lon: number }; count?: number } }>;
}

/** Most titles one suggest answers (a terms aggregation's buckets count against search.max_buckets). */
export const MAX_SUGGESTIONS = 1000;


const byCountThenKey = (a: { key: string; count: number }, b: { key: string; count: number }): number =>
  b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);



export function createEngineJobStore(client: SearchClient, options: EngineJobStoreOptions = {}): EngineJobStore {
  const prefix = options.prefix ?? '';
  const alias = options.alias ?? jobsAliasName(prefix);
  const index = options.index ?? jobsIndexName(JOBS_INDEX_VERSION, prefix);
  const refreshPolicy: Refresh = options.refresh ?? 'wait_for';

  const businesses = createEngineBusinessStore(client, { prefix, refresh: refreshPolicy, ...options.businesses });
  const { putJobs, removeJobs } = engineJobWriter(client, alias, {
    refresh: refreshPolicy,
    bulkDocs: Math.max(1, options.bulkDocs ?? 500),
    bulkBytes: Math.max(1, options.bulkBytes ?? 8 * 1024 * 1024),
    retries: Math.max(0, options.transientRetries ?? 3),
    backoffMs: Math.max(0, options.retryBackoffMs ?? 200),
  });

  // Fields added to the mapping since an existing index was created (additive: the engine accepts them).
  const addFields = async (): Promise<void> => {
    await client.request({ method: 'PUT', path: `/${encodeURIComponent(alias)}/_mapping`, body: { properties: jobsMappingAdditions } });
  };

  async function ensureIndex(): Promise<boolean> {
    const behind = alias !== index ? Object.keys(await client.getAliases(alias)) : [];
    const version = /_v(\d+)$/.exec(behind[0] ?? index)?.[1];
    await businesses.ensureIndex(version !== undefined ? Number(version) : undefined);
    if (behind.length > 0) {
      await addFields();
      return false;
    }
    if (await client.indexExists(index)) {
      if (alias !== index) await client.updateAliases([{ add: { index, alias } }]);
      await addFields();
      return false;
    }
    try {
      await client.createIndex(index, jobsIndexDefinition({ ...options.indexOptions, ...(alias !== index ? { alias } : {}) }));
      return true;
    } catch (err) {
      // Another process created it first.
      if (err instanceof SearchEngineError && err.type === 'resource_already_exists_exception') return false;
      throw err;
    }
  }

  async function getJob(jobId: string): Promise<JobDocument | undefined> {
    const res = await client.get<JobDocument>(alias, jobId);
    return res?._source;
  }

  async function getJobs(jobIds: readonly string[]): Promise<Array<JobDocument | undefined>> {
    if (jobIds.length === 0) return [];
    const res = await client.request({ method: 'POST', path: `/${encodeURIComponent(alias)}/_mget`, body: { ids: jobIds } });
    const docs = (res.body as { docs: Array<{ found?: boolean; _source?: JobDocument }> }).docs;
    return jobIds.map((_, i) => (docs[i]?.found ? docs[i]._source : undefined));
  }

  async function search(request: SearchInput, now: Date, context?: SearchContext): Promise<SearchResult> {
    const m = request.sort === 'match' ? context?.match : undefined;
    const weights = m?.weights ?? defaultWeights;
    const plan = searchBody(request, now, m && matchScoreParams(m.worker, weights, now));
    const res = await client.search<JobDocument>(alias, plan.body);
    // The hits' scores and factors by the reference function (the script's sort value agrees with it to 1e-6).
    const score = m && prepareMatch(m.worker, weights, now);
    const near = request.near;
    const page = res.hits.hits.slice(0, plan.size);
    const hits: SearchHit[] = [];
    for (const h of page) {
      const job = h._source;
      if (!job) continue;
      const hit: SearchHit = { job };
      if (plan.kind === 'score' && typeof h._score === 'number') hit.score = h._score;
      if (score) {
        const r = score(job);
        hit.match = { score: r.score, factors: r.factors };
      }
      if (near !== undefined && job.location) hit.distanceKm = distanceKmToStored(near, job.location);
      if (h.highlight) {
        const title = h.highlight.title;
        const description = h.highlight.description;
        if ((title && title.length > 0) || (description && description.length > 0)) {
          hit.highlights = { ...(title && title.length > 0 ? { title } : {}), ...(description && description.length > 0 ? { description } : {}) };
        }
      }
      hits.push(hit);
    }
    const result: SearchResult = { total: res.hits.total?.value ?? 0, hits };
    const last = page[page.length - 1];
    if (res.hits.hits.length > plan.size && last?.sort) {
      const [value, jobId] = last.sort as [number, string];
      result.nextCursor = encodeCursor({ sort: plan.kind, value: value === missingSortValue(plan.kind) ? null : value, jobId });
    }
    if (request.facets === true) result.facets = facetsOf(res.aggregations);
    return result;
  }

  /** The facets of facetRequest's aggregations: each facet's buckets under `values`. */
  function facetsOf(aggs: Record<string, unknown> | undefined): SearchFacets {
    const values = (name: FacetName): unknown => (aggs?.[name] as { values?: unknown } | undefined)?.values;
    const terms = (name: FacetName): FacetBucket[] => {
      const agg = values(name) as TermsAgg | undefined;
      return (agg?.buckets ?? []).filter((b) => b.doc_count > 0).map((b) => ({ key: String(b.key), count: b.doc_count })).sort(facetOrder);
    };
    const named = (name: FacetName): Map<string, number> => {
      const buckets = (values(name) as FiltersAgg | undefined)?.buckets ?? {};
      return new Map(Object.entries(buckets).map(([k, b]) => [k, b.doc_count]));
    };
    const ranges = (values('payBands') as RangeAgg | undefined)?.buckets ?? [];
    const counts = new Map(ranges.map((b) => [b.key, b.doc_count]));
    const remote = named('remote');
    const posted = named('postedWithin');
    return {
      category: terms('category'),
      employmentType: terms('employmentType'),
      payBands: PAY_BANDS.map((b): PayBand => ({ ...b, count: counts.get(b.key) ?? 0 })),
      skills: terms('skills'),
      city: terms('city'),
      remote: ['true', 'false'].map((key) => ({ key, count: remote.get(key) ?? 0 })),
      postedWithin: POSTED_WITHIN_DAYS.map((days) => ({ key: postedWithinKey(days), days, count: posted.get(postedWithinKey(days)) ?? 0 })),
    };
  }

  async function map(request: MapInput, now: Date): Promise<MapResult> {
    const precision = geohashPrecisionFor(request.zoom);
    const cap = mapCellCap(request.maxCells ?? options.mapMaxCells);
    // One bucket more than the cap tells a truncated answer (at the engine's ceiling itself, its own limit holds).
    const res = await client.search(alias, mapBody(request, precision, now, cap + 1));
    const grid = res.aggregations?.cells as GridAgg | undefined;
    const buckets = grid?.buckets ?? [];
    const clusters: MapCluster[] = buckets.map((b) => {
      const c = b.centroid?.location;
      const bounds = geohashBounds(b.key);
      return {
        key: b.key,
        count: b.doc_count,
        centroid: c ? { lat: c.lat, lon: c.lon } : { lat: (bounds.minLat + bounds.maxLat) / 2, lon: (bounds.minLon + bounds.maxLon) / 2 },
        bounds,
      };
    });
    clusters.sort(byCountThenKey);
    const truncated = clusters.length > cap;
    if (truncated) clusters.length = cap;
    const total = res.hits.total?.value ?? 0;
    const result: MapResult = { zoom: request.zoom, precision, total, clusters, ...(truncated ? { truncated } : {}) };
    if (total <= mapPointsThreshold) {
      const pts = await client.search<Pick<JobDocument, 'jobId' | 'title' | 'location'>>(alias, mapPointsBody(request, now, mapPointsThreshold));
      const points: MapPoint[] = [];
      for (const h of pts.hits.hits) {
        const s = h._source;
        if (!s?.location) continue;
        const q = quantize(s.location.lat, s.location.lon);
        points.push({ jobId: s.jobId, lat: q.lat, lon: q.lon, title: s.title });
      }
      result.points = points;
    }
    return result;
  }

  // The next expiry as of a read position: asked again when the position moves or the clock passes it (one request for all waiting callers).
  let nextExpiry: { position: number; from: number; until: Promise<number> } | undefined;
  function freshness(now: Date, position: number): Promise<{ generation: number; validUntil: number }> {
    const t = now.getTime();
    const memo = nextExpiry;
    if (!memo || memo.position !== position || t < memo.from) {
      const until = client.search(alias, nextExpiryBody(now)).then((res) => {
        const v = (res.aggregations?.next as { value?: number | null } | undefined)?.value;
        return typeof v === 'number' ? v : Infinity;
      });
      nextExpiry = { position, from: t, until };
      until.catch(() => {
        if (nextExpiry?.until === until) nextExpiry = undefined;
      });
    }
    const current = nextExpiry!;
    return current.until.then((until) => {
      if (t >= until && nextExpiry === current) nextExpiry = undefined;
      return { generation: 0, validUntil: t >= until ? t : until };
    });
  }

  async function suggest(prefix: string, size: number, now: Date = new Date()): Promise<string[]> {
    const p = prefix.trim();
    const n = Math.min(MAX_SUGGESTIONS, Math.trunc(size));
    if (p.length === 0 || !(n > 0)) return [];
    const res = await client.search(alias, suggestBody(p, n, now));
    const agg = res.aggregations?.titles as TermsAgg | undefined;
    return (agg?.buckets ?? []).map((b) => ({ key: String(b.key), count: b.doc_count })).sort(byCountThenKey).map((b) => b.key);
  }

  return {
    kind: 'search-engine',
    alias,
    index,
    businesses,
    getBusiness: (businessId: string) => businesses.get(businessId),
    ensureIndex,
    putJobs,
    removeJobs,
    getJob,
    getJobs,
    search,
    map,
    suggest,
    freshness,
    refresh: () => client.refresh(alias),
    count: () => client.count(alias),
    async expiredOpenJobIds(now: Date, size: number, afterJobId?: string): Promise<string[]> {
      const res = await client.search<Pick<JobDocument, 'jobId'>>(alias, {
        query: { bool: { filter: [{ term: { status: 'open' } }, { range: { expiresAt: { lte: now.toISOString() } } }] } },
        sort: [{ jobId: { order: 'asc' } }],
        size: Math.max(1, Math.trunc(size)),
        track_total_hits: false,
        _source: ['jobId'],
        ...(afterJobId !== undefined ? { search_after: [afterJobId] } : {}),
      });
      return res.hits.hits.flatMap((h) => (h._source ? [h._source.jobId] : []));
    },
  };
}

