// The search-engine adapter of the list stores: one index per model behind an
// alias (`<prefix><model>` -> `<prefix><model>_v1`). Writes are idempotent by
// external versioning (version = position): the engine refuses a document
// that is not newer than the stored one (a 409 on that item, success here).
// Removals are tombstones (`deleted: true`) indexed the same way.
import type { JsonObject } from '../../mappings/indexDefinition.ts';
import type { JobDocument } from '../../mappings/jobDocument.ts';
import type { ListModelName } from '../../mappings/listIndexes.ts';
import { listAliasName, listIndexDefinition, listIndexName, listMappingAdditions, LIST_INDEX_VERSION } from '../../mappings/listIndexes.ts';
import type { JobStatsDocument } from '../../projections/lists/jobStats.ts';
import type { ApplicationDocument, SavedJobDocument, SavedSearchDocument } from '../../projections/lists/listDocuments.ts';
import { checkpointIndex } from '../engine/engineJobSink.ts';
import type { BulkLine, Refresh, SearchClient } from '../engine/searchClient.ts';
import { SearchEngineError } from '../engine/searchClient.ts';
import type { KeyedDocStore, ListModel, ListPage, ListSink, Positioned, StoredEntry } from './keyedStore.ts';
import {
  applicationsModel,
  jobStatsModel,
  checkListQuery,
  decodeListCursor,
  encodeListCursor,
  ListWriteError,
  savedJobsModel,
  savedSearchesModel,
} from './keyedStore.ts';
import { percolatedDocument, percolatorQueryOf, savedQueryCircle } from './savedSearchQuery.ts';
import { withinRadius } from '../model/geo.ts';
import { jobTextValues, needsAnalyzedTerms, percolatorPrefilterClause, PREFILTER_FIELDS, prefilterFieldsOf } from './percolatorPrefilter.ts';

type Source = JsonObject & { key?: string; deleted?: boolean; position?: number; percolator?: unknown };

/** Fields the engine stores beside a list document for its own use (keys, tombstones, percolation); never part of the document. */
export const LIST_BOOKKEEPING_FIELDS = ['key', 'deleted', 'percolator', ...Object.values(PREFILTER_FIELDS)] as const;

function docOf<D>(source: Source): D {
  const out: JsonObject = { ...source };
  for (const f of LIST_BOOKKEEPING_FIELDS) delete out[f];
  return out as D;
}

const isTransient = (status: number): boolean => status === 429 || status >= 500;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface EngineKeyedStore<D extends Positioned> extends KeyedDocStore<D> {
  readonly alias: string;
  readonly index: string;
  ensureIndex(): Promise<boolean>;
}

interface KeyedOptions<D> {
  prefix: string;
  refresh: Refresh;
  /** Extra indexed fields derived from the document (e.g. the percolator query). */
  enrich?: (doc: D) => JsonObject;
  transientRetries?: number;
  /** Read and write this concrete index instead of the alias (a rebuild or replay target). */
  target?: string;
}

function engineKeyedStore<D extends Positioned>(client: SearchClient, model: ListModel<D>, options: KeyedOptions<D>): EngineKeyedStore<D> {
  const alias = options.target ?? listAliasName(model.name, options.prefix);
  const index = options.target ?? listIndexName(model.name, LIST_INDEX_VERSION, options.prefix);
  const retries = options.transientRetries ?? 3;

  const addFields = async (): Promise<void> => {
    const properties = listMappingAdditions(model.name);
    if (properties) await client.request({ method: 'PUT', path: `/${encodeURIComponent(alias)}/_mapping`, body: { properties } });
  };

  async function ensureIndex(): Promise<boolean> {
    if (Object.keys(await client.getAliases(alias)).length > 0) {
      await addFields();
      return false;
    }
    if (await client.indexExists(index)) {
      await client.updateAliases([{ add: { index, alias } }]);
      await addFields();
      return false;
    }
    try {
      await client.createIndex(index, listIndexDefinition(model.name, { alias }));
      return true;
    } catch (err) {
      if (err instanceof SearchEngineError && err.type === 'resource_already_exists_exception') return false;
      throw err;
    }
  }

  const toEntry = (key: string, source: Source): StoredEntry<D> => {
    const position = Number(source.position ?? 0);
    return source.deleted === true ? { key, position } : { key, position, doc: docOf<D>(source) };
  };

  async function write(entries: readonly StoredEntry<D>[]): Promise<void> {
    let pending = entries.filter((e) => Number.isSafeInteger(e.position) && e.position > 0);
    const poison: string[] = [];
    const reasons: string[] = [];
    for (const e of entries) {
      if (!pending.includes(e)) {
        poison.push(e.key);
        reasons.push(`${e.key}: position ${String(e.position)} is not a positive integer`);
      }
    }
    for (let attempt = 0; pending.length > 0; attempt++) {
      const lines: BulkLine[] = [];
      for (const e of pending) {
        const source: JsonObject = e.doc
          ? { ...(e.doc as unknown as JsonObject), ...(options.enrich?.(e.doc) ?? {}), key: e.key, deleted: false, position: e.position }
          : { key: e.key, deleted: true, position: e.position };
        lines.push({ index: { _index: alias, _id: e.key, version: e.position, version_type: 'external' } }, source);
      }
      const res = await client.bulk(lines, { refresh: options.refresh });
      if (!res.errors) break;
      const retry: StoredEntry<D>[] = [];
      res.items.forEach((item, i) => {
        if (!item.error || item.status === 409) return;
        const e = pending[i];
        if (!e) return;
        if (isTransient(item.status)) {
          if (attempt < retries) retry.push(e);
          else throw new Error(`${model.name}: the engine is busy (${item.status} ${item.error.type}); retry later`);
        } else {
          poison.push(e.key);
          reasons.push(`${e.key}: ${item.status} ${item.error.type}: ${item.error.reason}`);
        }
      });
      if (retry.length > 0) await sleep(200 * 2 ** attempt);
      pending = retry;
    }
    if (poison.length > 0) throw new ListWriteError(model.name, poison, reasons.slice(0, 5).join('; '));
  }

  return {
    model,
    alias,
    index,
    ensureIndex,
    write,
    async load(keys) {
      const out = new Map<string, StoredEntry<D>>();
      const ids = [...new Set(keys)];
      if (ids.length === 0) return out;
      // _mget is real-time: it sees the previous batch even before a refresh.
      const res = await client.request({ method: 'POST', path: `/${encodeURIComponent(alias)}/_mget`, body: { ids } });
      for (const d of (res.body as { docs: Array<{ _id: string; found?: boolean; _source?: Source }> }).docs) {
        if (d.found && d._source) out.set(d._id, toEntry(d._id, d._source));
      }
      return out;
    },
    async get(key) {
      const res = await client.get<Source>(alias, key);
      if (!res || res._source.deleted === true) return undefined;
      return docOf<D>(res._source);
    },
    async list(q): Promise<ListPage<D>> {
      checkListQuery(model, q);
      const size = Math.max(1, Math.min(1000, Math.trunc(q.size)));
      const filter: JsonObject[] = [{ term: { [q.by]: q.value } }, { term: { deleted: false } }];
      for (const [f, values] of Object.entries(q.filter ?? {})) filter.push({ terms: { [f]: [...values] } });
      const after = q.cursor !== undefined ? decodeListCursor(q.cursor) : undefined;
      const res = await client.search<Source>(alias, {
        query: { bool: { filter } },
        sort: [{ [model.sortField]: { order: 'desc' } }, { key: { order: 'desc' } }],
        size: size + 1,
        track_total_hits: false,
        _source: { excludes: ['percolator'] },
        ...(after ? { search_after: [after.sortMs, after.key] } : {}),
      });
      const hits = res.hits.hits;
      const page = hits.slice(0, size);
      const last = page.at(-1);
      const lastSort = last?.sort;
      return {
        items: page.map((h) => docOf<D>(h._source ?? {})),
        ...(hits.length > size && last ? { nextCursor: encodeListCursor(Number(lastSort?.[0] ?? 0), last._id) } : {}),
      };
    },
  };
}

export interface EngineListStoreOptions {
  prefix?: string;
  /** Refresh policy of writes. Default 'wait_for': the checkpoint never runs ahead of what lists see. */
  refresh?: Refresh;
  /** Per model, a concrete index to read and write instead of the alias (blue/green rebuild, replay). */
  targets?: Partial<Record<ListModelName, string>>;
}

export interface EngineListStores extends ListSink {
  readonly kind: 'search-engine';
  applications: EngineKeyedStore<ApplicationDocument>;
  savedJobs: EngineKeyedStore<SavedJobDocument>;
  savedSearches: EngineKeyedStore<SavedSearchDocument>;
  jobStats: EngineKeyedStore<JobStatsDocument>;
  /** Creates each model's index behind its alias when the alias is missing. */
  ensureIndexes(): Promise<void>;
  refresh(): Promise<void>;
  /** The concrete indexes and aliases, e.g. for cleanup. */
  readonly indexes: readonly string[];
  /**
   * Active saved searches whose stored query matches the job document
   * (with `alertsOnly`, default true, only those whose alerts are not off:
   * instant ones and those with digests).
   */
  percolateJob(job: JobDocument, options?: { alertsOnly?: boolean; size?: number }): Promise<SavedSearchDocument[]>;
  /** Active saved searches saved before `before`, by key after `afterKey`: the archive job's candidates. */
  activeSavedSearchesSavedBefore(before: Date, size: number, afterKey?: string): Promise<SavedSearchDocument[]>;
}

export function openEngineListStores(client: SearchClient, options: EngineListStoreOptions = {}): EngineListStores {
  const prefix = options.prefix ?? '';
  const refresh = options.refresh ?? 'wait_for';
  const target = (model: ListModelName) => (options.targets?.[model] !== undefined ? { target: options.targets[model] } : {});
  const applications = engineKeyedStore<ApplicationDocument>(client, applicationsModel, { prefix, refresh, ...target('applications') });
  const savedJobs = engineKeyedStore<SavedJobDocument>(client, savedJobsModel, { prefix, refresh, ...target('saved_jobs') });
  const savedSearches = engineKeyedStore<SavedSearchDocument>(client, savedSearchesModel, {
    prefix,
    refresh,
    ...target('saved_searches'),
    enrich: (doc) => {
      const percolator = percolatorQueryOf(doc.query);
      // With the query, the cheap fields percolateJob narrows the candidates by (see percolatorPrefilter.ts).
      return percolator ? { percolator, ...prefilterFieldsOf(doc.query) } : {};
    },
  });
  const jobStats = engineKeyedStore<JobStatsDocument>(client, jobStatsModel, { prefix, refresh, ...target('job_stats') });
  const stores = [applications, savedJobs, savedSearches, jobStats];
  const checkpoints = checkpointIndex(prefix);
  return {
    kind: 'search-engine',
    applications,
    savedJobs,
    savedSearches,
    jobStats,
    indexes: stores.map((s) => s.index),
    async ensureIndexes() {
      for (const s of stores) await s.ensureIndex();
    },
    async refresh() {
      await client.refresh(stores.map((s) => s.alias));
    },
    async commit(changes, projection, checkpoint) {
      // Documents first (each versioned by position), then the checkpoint: a crash between replays harmlessly.
      await Promise.all([applications.write(changes.applications), savedJobs.write(changes.savedJobs), savedSearches.write(changes.savedSearches), jobStats.write(changes.jobStats ?? [])]);
      await client.request({ method: 'PUT', path: `/${checkpoints}/_doc/${encodeURIComponent(projection)}`, body: { name: projection, position: checkpoint, at: new Date().toISOString() } });
    },
    async checkpoint(projection) {
      const doc = await client.get<{ position: number }>(checkpoints, projection);
      return doc?._source.position ?? 0;
    },
    async percolateJob(job, { alertsOnly = true, size = 1000 } = {}) {
      // A long job text is analyzed first (a `match` on it could pass the engine's clause limit).
      let analyzed: string[] | undefined;
      if (needsAnalyzedTerms(job)) {
        const res = await client.request({ method: 'POST', path: `/${encodeURIComponent(savedSearches.alias)}/_analyze`, body: { field: PREFILTER_FIELDS.text, text: jobTextValues(job) } });
        analyzed = (res.body as { tokens?: Array<{ token: string }> }).tokens?.map((t) => t.token) ?? [];
      }
      const filter: JsonObject[] = [
        // Cheap terms first: percolate verifies only the saved searches they let through.
        percolatorPrefilterClause(job, analyzed),
        { percolate: { field: 'percolator', document: percolatedDocument(job) } },
        { term: { status: 'active' } },
        { term: { deleted: false } },
      ];
      // Documents from before alert frequencies carry only `alerts`.
      const mustNot: JsonObject[] = alertsOnly ? [{ term: { alertFrequency: 'off' } }, { term: { alerts: false } }] : [];
      const out: SavedSearchDocument[] = [];
      // The engine leaves the circle of a `near` search to us (see savedSearchQuery.ts): page until `size` pass it.
      for (let after: string | undefined; ; ) {
        const res = await client.search<Source>(savedSearches.alias, {
          query: { bool: { filter, ...(mustNot.length > 0 ? { must_not: mustNot } : {}) } },
          size,
          track_total_hits: false,
          _source: { excludes: ['percolator'] },
          sort: [{ key: { order: 'asc' } }],
          ...(after !== undefined ? { search_after: [after] } : {}),
        });
        const hits = res.hits.hits;
        for (const h of hits) {
          const doc = docOf<SavedSearchDocument>(h._source ?? {});
          const circle = savedQueryCircle(doc.query);
          if (circle === undefined || withinRadius(circle, job.location)) out.push(doc);
          if (out.length === size) return out;
        }
        const last = hits.at(-1)?._source?.key;
        if (hits.length < size || typeof last !== 'string') return out;
        after = last;
      }
    },
    close: () => Promise.resolve(),
    async activeSavedSearchesSavedBefore(before, size, afterKey) {
      const res = await client.search<Source>(savedSearches.alias, {
        query: { bool: { filter: [{ term: { status: 'active' } }, { term: { deleted: false } }, { range: { savedAt: { lt: before.toISOString() } } }] } },
        sort: [{ key: { order: 'asc' } }],
        size: Math.max(1, Math.trunc(size)),
        track_total_hits: false,
        _source: { excludes: ['percolator'] },
        ...(afterKey !== undefined ? { search_after: [afterKey] } : {}),
      });
      return res.hits.hits.map((h) => docOf<SavedSearchDocument>(h._source ?? {}));
    },
  };
}
