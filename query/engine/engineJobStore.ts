// The search-engine adapter of JobReadStore (Elasticsearch 8 / OpenSearch 2
// API, through the SearchClient seam). Reads and writes go to the alias
// (`jobs`); ensureIndex creates the versioned index behind it when missing.
//
// Writes are idempotent by external versioning: each document is indexed with
// `version = position`, so the engine refuses one that is not newer than the
// stored document (a 409 on that item, which is success here).
import { jobsAliasName, jobsIndexDefinition, jobsIndexName, JOBS_INDEX_VERSION, type JobsIndexOptions } from '../../mappings/jobsIndex.ts';
import type { JobDocument } from '../../mappings/jobDocument.ts';
import type { FacetBucket, JobReadStore, MapCluster, MapPoint, MapResult, PayBand, SearchHit, SearchResult } from '../model/readStore.ts';
import { mapCellCap } from '../model/readStore.ts';
import { geohashPrecisionFor, mapPointsThreshold } from '../model/zoomPrecision.ts';
import { PAY_BANDS } from '../model/payBands.ts';
import { encodeCursor } from '../model/cursor.ts';
import { MISSING_PUBLISHED_AT } from './dsl/sort.ts';
import { type MapInput, type SearchInput, mapBody, mapPointsBody, nextExpiryBody, searchBody, suggestBody } from './dsl/search.ts';
import { distanceKmToStored, geohashBounds, quantize } from '../model/geo.ts';
import { type BulkLine, type Refresh, type SearchClient, SearchEngineError } from './searchClient.ts';


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
}

export interface JobWriteFailure {
  jobId: string;
  status: number;
  type: string;
  reason: string;
  /** The engine was busy or failing (429, 5xx) even after retries: try again later, do not dead-letter. */
  transient: boolean;
}

/**
 * Some documents of a putJobs batch were refused (not version conflicts): the
 * others are stored. `failures` names each refused document, so the projection
 * runner can dead-letter it.
 */
export class JobWriteError extends Error {
  readonly failures: JobWriteFailure[];

  constructor(failures: JobWriteFailure[], total: number) {
    const shown = failures
      .slice(0, 10)
      .map((f) => `${f.jobId} (${f.status} ${f.type}: ${f.reason})`)
      .join('; ');
    super(`${failures.length} of ${total} job documents were not stored: ${shown}${failures.length > 10 ? '; ...' : ''}`);
    this.name = 'JobWriteError';
    this.failures = failures;
  }

  get jobIds(): string[] {
    return this.failures.map((f) => f.jobId);
  }

  /** Documents the engine refused for what they are (mapping, values): dead-letter these. */
  get poisonJobIds(): string[] {
    return this.failures.filter((f) => !f.transient).map((f) => f.jobId);
  }
}

export interface EngineJobStore extends JobReadStore {
  readonly kind: 'search-engine';
  getJobs(jobIds: readonly string[]): Promise<Array<JobDocument | undefined>>;
  readonly alias: string;
  readonly index: string;
  /** Creates the index behind the alias when the alias does not exist. Returns whether it created it. */
  ensureIndex(): Promise<boolean>;
  /** Makes every write so far searchable. */
  refresh(): Promise<void>;
  /** Stored documents, every status. */
  count(): Promise<number>;
  /** As JobReadStore.putJobs, with the refresh policy of this call (a bulk catch-up passes false and refreshes once). */
  putJobs(docs: readonly JobDocument[], options?: { refresh?: Refresh }): Promise<void>;
  /** As JobReadStore.search, but zod defaults may be left out. */
  search(request: SearchInput, now: Date): Promise<SearchResult>;
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
interface GridAgg {
  buckets: Array<{ key: string; doc_count: number; centroid?: { location?: { lat: number; lon: number }; count?: number } }>;
}

/** Most titles one suggest answers (a terms aggregation's buckets count against search.max_buckets). */
export const MAX_SUGGESTIONS = 1000;

/** Item statuses worth retrying: the engine is busy (429) or failing (5xx), the document is not at fault. */
const isTransient = (status: number): boolean => status === 429 || status >= 500;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const byCountThenKey = (a: { key: string; count: number }, b: { key: string; count: number }): number =>
  b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

export function createEngineJobStore(client: SearchClient, options: EngineJobStoreOptions = {}): EngineJobStore {
  const prefix = options.prefix ?? '';
  const alias = options.alias ?? jobsAliasName(prefix);
  const index = options.index ?? jobsIndexName(JOBS_INDEX_VERSION, prefix);
  const refreshPolicy: Refresh = options.refresh ?? 'wait_for';
  const bulkDocs = Math.max(1, options.bulkDocs ?? 500);
  const bulkBytes = Math.max(1, options.bulkBytes ?? 8 * 1024 * 1024);
  const retries = Math.max(0, options.transientRetries ?? 3);
  const backoffMs = Math.max(0, options.retryBackoffMs ?? 200);

  async function ensureIndex(): Promise<boolean> {
    if (alias !== index && Object.keys(await client.getAliases(alias)).length > 0) return false;
    if (await client.indexExists(index)) {
      if (alias !== index) await client.updateAliases([{ add: { index, alias } }]);
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

  async function sendBulk(docs: readonly JobDocument[], failures: JobWriteFailure[], refresh: Refresh): Promise<void> {
    let pending = docs;
    for (let attempt = 0; pending.length > 0; attempt++) {
      const lines: BulkLine[] = [];
      for (const doc of pending) {
        lines.push({ index: { _index: alias, _id: doc.jobId, version: doc.position, version_type: 'external' } }, doc as unknown as BulkLine);
      }
      const res = await client.bulk(lines, { refresh });
      if (!res.errors) return;
      const retry: JobDocument[] = [];
      res.items.forEach((item, i) => {
        if (!item.error || item.status === 409) return; // 409: the stored document is as new or newer
        const doc = pending[i];
        const transient = isTransient(item.status);
        if (transient && doc && attempt < retries) retry.push(doc);
        else failures.push({ jobId: doc?.jobId ?? item._id, status: item.status, type: item.error.type, reason: item.error.reason, transient });
      });
      if (retry.length > 0) await sleep(backoffMs * 2 ** attempt);
      pending = retry;
    }
  }

  async function putJobs(docs: readonly JobDocument[], options: { refresh?: Refresh } = {}): Promise<void> {
    const refresh = options.refresh ?? refreshPolicy;
    const failures: JobWriteFailure[] = [];
    let chunk: JobDocument[] = [];
    let bytes = 0;
    for (const doc of docs) {
      if (typeof doc.jobId !== 'string' || doc.jobId.length === 0 || doc.jobId.length > 512) {
        failures.push({ jobId: String(doc.jobId), status: 400, type: 'invalid_job_id', reason: 'jobId must be a non-empty string of at most 512 characters', transient: false });
        continue;
      }
      if (!Number.isSafeInteger(doc.position) || doc.position < 0) {
        failures.push({ jobId: doc.jobId, status: 400, type: 'invalid_position', reason: `position ${String(doc.position)} is not a non-negative integer`, transient: false });
        continue;
      }
      const size = JSON.stringify(doc).length + 128;
      if (chunk.length > 0 && (chunk.length >= bulkDocs || bytes + size > bulkBytes)) {
        await sendBulk(chunk, failures, refresh);
        chunk = [];
        bytes = 0;
      }
      chunk.push(doc);
      bytes += size;
    }
    if (chunk.length > 0) await sendBulk(chunk, failures, refresh);
    if (failures.length > 0) throw new JobWriteError(failures, docs.length);
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

  async function search(request: SearchInput, now: Date): Promise<SearchResult> {
    const plan = searchBody(request, now);
    const res = await client.search<JobDocument>(alias, plan.body);
    const near = request.near;
    const page = res.hits.hits.slice(0, plan.size);
    const hits: SearchHit[] = [];
    for (const h of page) {
      const job = h._source;
      if (!job) continue;
      const hit: SearchHit = { job };
      if (plan.kind === 'score' && typeof h._score === 'number') hit.score = h._score;
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
      result.nextCursor = encodeCursor({ sort: plan.kind, value: value === MISSING_PUBLISHED_AT ? null : value, jobId });
    }
    if (request.facets === true) result.facets = facetsOf(res.aggregations);
    return result;
  }

  function facetsOf(aggs: Record<string, unknown> | undefined): NonNullable<SearchResult['facets']> {
    const terms = (name: string): FacetBucket[] => {
      const agg = aggs?.[name] as TermsAgg | undefined;
      return (agg?.buckets ?? []).filter((b) => b.doc_count > 0).map((b) => ({ key: String(b.key), count: b.doc_count })).sort(byCountThenKey);
    };
    const ranges = (aggs?.payBands as RangeAgg | undefined)?.buckets ?? [];
    const counts = new Map(ranges.map((b) => [b.key, b.doc_count]));
    return {
      category: terms('category'),
      employmentType: terms('employmentType'),
      payBands: PAY_BANDS.map((b): PayBand => ({ ...b, count: counts.get(b.key) ?? 0 })),
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
    ensureIndex,
    putJobs,
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

