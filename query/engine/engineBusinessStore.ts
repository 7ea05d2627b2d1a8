// The businesses' public profiles in the engine: their own index behind the
// `businesses` alias, part of the `jobs` read model (written by the jobs
// projection, built and swapped with the jobs index by a rebuild). Each
// document is versioned by its position, so a replay cannot regress one.
import { businessesAliasName, businessesIndexDefinition, businessesIndexName } from '../../mappings/businessesIndex.ts';
import type { BusinessDocument } from '../../mappings/jobDocument.ts';
import { type BulkLine, type Refresh, type SearchClient, SearchEngineError } from './searchClient.ts';

export interface EngineBusinessStore {
  readonly alias: string;
  readonly index: string;
  /**
   * Creates the index behind the alias when the alias does not exist, at
   * `version` when given (the jobs index's, so a rebuild finds the read
   * model's aliases at one version).
   */
  ensureIndex(version?: number): Promise<void>;
  put(docs: readonly BusinessDocument[], options?: { refresh?: Refresh }): Promise<void>;
  /** Real-time reads (_mget): they see the last write before a refresh. */
  getMany(ids: readonly string[]): Promise<Map<string, BusinessDocument>>;
  get(id: string): Promise<BusinessDocument | undefined>;
}

export interface EngineBusinessStoreOptions {
  prefix?: string;
  /** Read and write this alias or concrete index (a rebuild's target); default `<prefix>businesses`. */
  alias?: string;
  /** The concrete index ensureIndex creates; default `<prefix>businesses_v1`. */
  index?: string;
  refresh?: Refresh;
}

export function createEngineBusinessStore(client: SearchClient, options: EngineBusinessStoreOptions = {}): EngineBusinessStore {
  const prefix = options.prefix ?? '';
  const alias = options.alias ?? businessesAliasName(prefix);
  const fixedIndex = options.index;
  let index = fixedIndex ?? businessesIndexName(undefined, prefix);
  const refreshPolicy = options.refresh ?? 'wait_for';

  async function getMany(ids: readonly string[]): Promise<Map<string, BusinessDocument>> {
    const out = new Map<string, BusinessDocument>();
    if (ids.length === 0) return out;
    const res = await client.request({ method: 'POST', path: `/${encodeURIComponent(alias)}/_mget`, body: { ids }, ignore: [404] });
    for (const d of (res.body as { docs?: Array<{ _id: string; found?: boolean; _source?: BusinessDocument }> }).docs ?? []) {
      if (d.found && d._source) out.set(d._id, d._source);
    }
    return out;
  }

  return {
    alias,
    get index() {
      return index;
    },
    async ensureIndex(version) {
      if (alias !== index && Object.keys(await client.getAliases(alias)).length > 0) return;
      if (fixedIndex === undefined && version !== undefined) index = businessesIndexName(version, prefix);
      if (await client.indexExists(index)) {
        if (alias !== index) await client.updateAliases([{ add: { index, alias } }]);
        return;
      }
      try {
        await client.createIndex(index, businessesIndexDefinition(alias !== index ? { alias } : {}));
      } catch (err) {
        if (!(err instanceof SearchEngineError && err.type === 'resource_already_exists_exception')) throw err;
      }
    },
    async put(docs, options = {}) {
      if (docs.length === 0) return;
      const lines: BulkLine[] = [];
      for (const d of docs) lines.push({ index: { _index: alias, _id: d.businessId, version: d.position, version_type: 'external' } }, d as unknown as BulkLine);
      const res = await client.bulk(lines, { refresh: options.refresh ?? refreshPolicy });
      // 409: the stored profile is as new or newer.
      const failed = res.items.filter((item) => item.error && item.status !== 409);
      if (failed.length > 0) throw new Error(`${failed.length} business profiles were not stored: ${failed[0]?.error?.reason ?? 'unknown'}`);
    },
    getMany,
    async get(id) {
      return (await getMany([id])).get(id);
    },
  };
}
