// The seam between the read side and an Elasticsearch-API engine. Everything
// above it (read store, rebuild, drift check, tests) talks to SearchClient and
// gets plain JSON bodies; the two adapters (opensearch.ts, elasticsearch.ts)
// wrap the official clients, whose response shapes differ ({ body } vs body)
// and which refuse each other's servers. connect.ts picks one from GET /.

import type { IndexDefinition, JsonObject } from '../../mappings/indexDefinition.ts';
import { withEngineSpan } from './engineSpan.ts';

export type EngineName = 'opensearch' | 'elasticsearch';

export interface EngineInfo {
  engine: EngineName;
  /** Server version, e.g. "2.19.1" or "8.15.0". */
  version: string;
  clusterName: string;
  luceneVersion?: string;
}

export type Refresh = boolean | 'wait_for';

/**
 * Bulk body as the NDJSON lines of the _bulk API, in order: an action line
 * (`{ index: { _index, _id, version?, version_type? } }`, `create`, `update`,
 * `delete`) followed by its document line (none for `delete`).
 */
export type BulkLine = JsonObject;

export type BulkAction = 'index' | 'create' | 'update' | 'delete';

export interface BulkItem {
  action: BulkAction;
  _index: string;
  _id: string;
  status: number;
  result?: string;
  _version?: number;
  error?: { type: string; reason: string };
}

export interface BulkResponse {
  took: number;
  errors: boolean;
  items: BulkItem[];
}

export interface SearchHit<TSource = JsonObject> {
  _index: string;
  _id: string;
  _score: number | null;
  _source?: TSource;
  _version?: number;
  sort?: unknown[];
  fields?: Record<string, unknown[]>;
  highlight?: Record<string, string[]>;
  matched_queries?: string[];
}

export interface SearchResponse<TSource = JsonObject> {
  took: number;
  timed_out: boolean;
  hits: {
    /** Absent when the request set track_total_hits: false. */
    total?: { value: number; relation: 'eq' | 'gte' };
    max_score: number | null;
    hits: SearchHit<TSource>[];
  };
  aggregations?: Record<string, unknown>;
}

export interface GetResponse<TSource = JsonObject> {
  _index: string;
  _id: string;
  _version?: number;
  _seq_no?: number;
  _primary_term?: number;
  _source: TSource;
}

export type AliasAction =
  | { add: { index: string; alias: string; is_write_index?: boolean; filter?: JsonObject } }
  | { remove: { index: string; alias: string } }
  | { remove_index: { index: string } };

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE';

export interface EngineRequest {
  method: HttpMethod;
  path: string;
  querystring?: Record<string, string | number | boolean>;
  body?: unknown;
  /** NDJSON lines (the client serializes them); used instead of body. */
  bulkBody?: readonly unknown[];
  /** Status codes answered normally instead of thrown (e.g. [404]). */
  ignore?: number[];
}

export interface EngineResponse {
  statusCode: number;
  body: unknown;
}

export interface SearchClient {
  readonly engine: EngineName;
  info(): Promise<EngineInfo>;
  createIndex(name: string, body?: IndexDefinition): Promise<void>;
  /** Deletes one index (or several); a missing index is not an error when ignoreMissing. */
  deleteIndex(name: string | readonly string[], options?: { ignoreMissing?: boolean }): Promise<void>;
  indexExists(name: string): Promise<boolean>;
  bulk(lines: readonly BulkLine[], options?: { refresh?: Refresh }): Promise<BulkResponse>;
  search<TSource = JsonObject>(index: string | readonly string[], body: JsonObject): Promise<SearchResponse<TSource>>;
  count(index: string | readonly string[], query?: JsonObject): Promise<number>;
  /** null when the document (or the index) does not exist. */
  get<TSource = JsonObject>(index: string, id: string): Promise<GetResponse<TSource> | null>;
  refresh(index?: string | readonly string[]): Promise<void>;
  /** index name -> alias names; only the given alias when named; {} when it does not exist. */
  getAliases(alias?: string): Promise<Record<string, string[]>>;
  /** All actions are applied atomically in one cluster-state update (the blue/green swap). */
  updateAliases(actions: readonly AliasAction[]): Promise<void>;
  deleteByQuery(index: string | readonly string[], query: JsonObject, options?: { refresh?: boolean }): Promise<{ deleted: number }>;
  /** Escape hatch for an API the interface does not cover; returns the plain JSON body. */
  request(req: EngineRequest): Promise<EngineResponse>;
  close(): Promise<void>;
}

/** An engine error with its HTTP status and the engine's error type (e.g. index_not_found_exception). */
export class SearchEngineError extends Error {
  readonly statusCode: number;
  readonly type: string;
  readonly body: unknown;

  constructor(statusCode: number, body: unknown, context: string) {
    const { type, reason } = errorOf(body);
    super(`${context}: ${statusCode} ${type}${reason ? `: ${reason}` : ''}`);
    this.name = 'SearchEngineError';
    this.statusCode = statusCode;
    this.type = type;
    this.body = body;
  }
}

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

function errorOf(body: unknown): { type: string; reason: string } {
  if (isObject(body) && isObject(body.error)) {
    const root = Array.isArray(body.error.root_cause) && isObject(body.error.root_cause[0]) ? body.error.root_cause[0] : undefined;
    const type = typeof body.error.type === 'string' ? body.error.type : 'unknown_error';
    const reason = typeof body.error.reason === 'string' ? body.error.reason : typeof root?.reason === 'string' ? root.reason : '';
    return { type, reason };
  }
  if (isObject(body) && typeof body.error === 'string') return { type: body.error, reason: '' };
  return { type: 'unknown_error', reason: typeof body === 'string' ? body.slice(0, 500) : '' };
}

const joinNames = (names: string | readonly string[]): string =>
  (typeof names === 'string' ? [names] : names).map(encodeURIComponent).join(',');

function normalizeBulk(body: unknown): BulkResponse {
  const raw = body as { took?: number; errors?: boolean; items?: Record<string, JsonObject>[] };
  const items: BulkItem[] = (raw.items ?? []).map((entry) => {
    const [action, r] = Object.entries(entry)[0] ?? ['index', {}];
    const err = isObject(r.error) ? errorOf({ error: r.error }) : undefined;
    return {
      action: action as BulkAction,
      _index: typeof r._index === 'string' ? r._index : '',
      _id: typeof r._id === 'string' ? r._id : '',
      status: Number(r.status ?? 0),
      ...(typeof r.result === 'string' ? { result: r.result } : {}),
      ...(typeof r._version === 'number' ? { _version: r._version } : {}),
      ...(err ? { error: err } : {}),
    };
  });
  return { took: raw.took ?? 0, errors: raw.errors ?? items.some((i) => i.error !== undefined), items };
}

function normalizeSearch<TSource>(body: unknown): SearchResponse<TSource> {
  const raw = body as SearchResponse<TSource> & { hits: { total?: number | { value: number; relation: 'eq' | 'gte' } } };
  const total = raw.hits.total;
  const hits = {
    ...(total === undefined ? {} : { total: typeof total === 'number' ? { value: total, relation: 'eq' as const } : total }),
    max_score: raw.hits.max_score ?? null,
    hits: raw.hits.hits,
  };
  return {
    took: raw.took,
    timed_out: raw.timed_out,
    hits,
    ...(raw.aggregations ? { aggregations: raw.aggregations } : {}),
  };
}

/**
 * The REST paths and response normalization, shared by both adapters. An
 * adapter supplies `send` (its client's transport) and `close`.
 */
export abstract class BaseSearchClient implements SearchClient {
  abstract readonly engine: EngineName;

  protected abstract send(req: EngineRequest): Promise<EngineResponse>;

  abstract close(): Promise<void>;

  async request(req: EngineRequest): Promise<EngineResponse> {
    const res = await withEngineSpan(this.engine, req, () => this.send(req));
    if (res.statusCode >= 400 && !(req.ignore ?? []).includes(res.statusCode)) {
      throw new SearchEngineError(res.statusCode, res.body, `${req.method} ${req.path}`);
    }
    return res;
  }

  private async json(req: EngineRequest): Promise<unknown> {
    return (await this.request(req)).body;
  }

  async info(): Promise<EngineInfo> {
    const body = (await this.json({ method: 'GET', path: '/' })) as {
      cluster_name?: string;
      version?: { number?: string; distribution?: string; lucene_version?: string };
    };
    return {
      engine: body.version?.distribution === 'opensearch' ? 'opensearch' : 'elasticsearch',
      version: body.version?.number ?? 'unknown',
      clusterName: body.cluster_name ?? '',
      ...(body.version?.lucene_version ? { luceneVersion: body.version.lucene_version } : {}),
    };
  }

  async createIndex(name: string, body: IndexDefinition = {}): Promise<void> {
    await this.json({ method: 'PUT', path: `/${encodeURIComponent(name)}`, body });
  }

  async deleteIndex(name: string | readonly string[], options: { ignoreMissing?: boolean } = {}): Promise<void> {
    await this.json({
      method: 'DELETE',
      path: `/${joinNames(name)}`,
      ...(options.ignoreMissing ? { querystring: { ignore_unavailable: true }, ignore: [404] } : {}),
    });
  }

  async indexExists(name: string): Promise<boolean> {
    const res = await this.request({ method: 'HEAD', path: `/${encodeURIComponent(name)}`, ignore: [404] });
    return res.statusCode === 200;
  }

  async bulk(lines: readonly BulkLine[], options: { refresh?: Refresh } = {}): Promise<BulkResponse> {
    if (lines.length === 0) return { took: 0, errors: false, items: [] };
    const body = await this.json({
      method: 'POST',
      path: '/_bulk',
      bulkBody: lines,
      ...(options.refresh !== undefined ? { querystring: { refresh: String(options.refresh) } } : {}),
    });
    return normalizeBulk(body);
  }

  async search<TSource = JsonObject>(index: string | readonly string[], body: JsonObject): Promise<SearchResponse<TSource>> {
    return normalizeSearch<TSource>(await this.json({ method: 'POST', path: `/${joinNames(index)}/_search`, body }));
  }

  async count(index: string | readonly string[], query?: JsonObject): Promise<number> {
    const body = (await this.json({ method: 'POST', path: `/${joinNames(index)}/_count`, body: query ? { query } : {} })) as { count: number };
    return body.count;
  }

  async get<TSource = JsonObject>(index: string, id: string): Promise<GetResponse<TSource> | null> {
    const res = await this.request({ method: 'GET', path: `/${encodeURIComponent(index)}/_doc/${encodeURIComponent(id)}`, ignore: [404] });
    const body = res.body as (GetResponse<TSource> & { found?: boolean }) | undefined;
    if (res.statusCode === 404 || !body?.found) return null;
    const { found: _found, ...doc } = body;
    return doc;
  }

  async refresh(index?: string | readonly string[]): Promise<void> {
    await this.json({ method: 'POST', path: index === undefined ? '/_refresh' : `/${joinNames(index)}/_refresh` });
  }

  async getAliases(alias?: string): Promise<Record<string, string[]>> {
    const res = await this.request({ method: 'GET', path: alias === undefined ? '/_alias' : `/_alias/${encodeURIComponent(alias)}`, ignore: [404] });
    if (res.statusCode === 404 || !isObject(res.body)) return {};
    const out: Record<string, string[]> = {};
    for (const [index, entry] of Object.entries(res.body)) {
      if (isObject(entry) && isObject(entry.aliases)) out[index] = Object.keys(entry.aliases).sort();
    }
    return out;
  }

  async updateAliases(actions: readonly AliasAction[]): Promise<void> {
    await this.json({ method: 'POST', path: '/_aliases', body: { actions } });
  }

  async deleteByQuery(index: string | readonly string[], query: JsonObject, options: { refresh?: boolean } = {}): Promise<{ deleted: number }> {
    const body = (await this.json({
      method: 'POST',
      path: `/${joinNames(index)}/_delete_by_query`,
      querystring: { conflicts: 'proceed', ...(options.refresh ? { refresh: true } : {}) },
      body: { query },
    })) as { deleted?: number };
    return { deleted: body.deleted ?? 0 };
  }
}
