// The businesses' public profiles in a search engine: part of the `jobs` read
// model (the same projection writes them with the job documents, and a
// rebuild builds both), one versioned index behind the alias `businesses`.
import type { BusinessDocument } from './jobDocument.ts';
import type { IndexDefinition, JsonObject } from './indexDefinition.ts';

export const BUSINESSES_INDEX_VERSION = 1;
export const BUSINESSES_ALIAS = 'businesses';

export function businessesAliasName(prefix = ''): string {
  return `${prefix}${BUSINESSES_ALIAS}`;
}

export function businessesIndexName(version: number = BUSINESSES_INDEX_VERSION, prefix = ''): string {
  if (!Number.isInteger(version) || version < 1) throw new RangeError(`businesses index version must be a positive integer, not ${version}`);
  return `${prefix}${BUSINESSES_ALIAS}_v${version}`;
}

const keyword = { type: 'keyword' } as const;
/** Shown, never searched: kept in `_source` only. */
const shown = { type: 'object', enabled: false } as const;

const businessesProperties = {
  businessId: keyword,
  name: { type: 'keyword', ignore_above: 512 },
  description: { type: 'text', index: false },
  website: { type: 'keyword', index: false },
  logoUrl: { type: 'keyword', index: false },
  locations: shown,
  updatedAt: { type: 'date' },
  position: { type: 'long' },
} satisfies Record<keyof BusinessDocument, JsonObject>;

export function businessesIndexDefinition(options: { alias?: string; replicas?: number } = {}): IndexDefinition {
  return {
    settings: { number_of_shards: 1, number_of_replicas: options.replicas ?? 0 },
    mappings: { dynamic: 'strict', _source: { enabled: true }, properties: businessesProperties },
    ...(options.alias !== undefined ? { aliases: { [options.alias]: {} } } : {}),
  };
}
