// The per-owner list read models in a search engine: one versioned index per
// model (`applications_v1`, `saved_jobs_v1`, `saved_searches_v1`) behind an
// alias (`applications`, ...) that every read and write goes through.
//
// Documents are stored whole in `_source` plus two bookkeeping fields: `key`
// (the store key, sorted on as the tie-break) and `deleted` (a tombstone keeps
// its position so a replay cannot bring a removed document back).
//
// `saved_searches` also holds the job fields (the `jobs` mapping and analysis)
// and a `percolator` field: each saved search's query, translated by the jobs
// DSL builders, so a newly opened job document can be percolated against it.
import type { IndexDefinition, JsonObject } from './indexDefinition.ts';
import { jobsMappings, jobsSettings } from './jobsIndex.ts';

/** The list read models, each one index (and one keyed store) of its own. */
export type ListModelName = 'applications' | 'saved_jobs' | 'saved_searches' | 'job_stats';

export const LIST_INDEX_VERSION = 1;

export function listAliasName(model: ListModelName, prefix = ''): string {
  return `${prefix}${model}`;
}

export function listIndexName(model: ListModelName, version: number = LIST_INDEX_VERSION, prefix = ''): string {
  if (!Number.isInteger(version) || version < 1) throw new RangeError(`list index version must be a positive integer, not ${version}`);
  return `${prefix}${model}_v${version}`;
}

const keyword = { type: 'keyword' } as const;
const date = { type: 'date' } as const;
const stored = { type: 'text', index: false } as const;
const bookkeeping = { key: keyword, deleted: { type: 'boolean' }, position: { type: 'long' } } as const;
/** The contact a worker shared with one business: kept in `_source` for that business's list, never indexed, so no query can match on it. */
const applicationContactFields = { contact: { type: 'object', enabled: false } } as const;
const savedSearchAlertFields = { alertFrequency: keyword, alertHour: { type: 'byte' }, alertWeekday: { type: 'byte' }, timeZone: keyword } as const;
/**
 * The percolator's prefilter (query/lists/percolatorPrefilter.ts): keywords
 * derived from each saved query (geo cells of its place, categories,
 * employment types, business, or '*'; its text), matched before the stored queries are.
 */
const savedSearchPrefilterFields = {
  pf_cells: keyword,
  pf_category: keyword,
  pf_employmentType: keyword,
  pf_business: keyword,
  // The saved text, analyzed as the job text it is matched against (title, description, skills.text).
  pf_text: { type: 'text', analyzer: 'english', norms: false, index_options: 'docs' },
  pf_textless: { type: 'boolean' },
} as const;

/**
 * Fields added to a model's mapping since its index version was created: an
 * index made before gets them (adding fields is allowed in place), so new
 * documents are not refused by the strict mapping.
 */
export function listMappingAdditions(model: ListModelName): JsonObject | undefined {
  if (model === 'applications') return { ...applicationContactFields };
  return model === 'saved_searches' ? { ...savedSearchAlertFields, ...savedSearchPrefilterFields } : undefined;
}

const listProperties: Record<ListModelName, JsonObject> = {
  applications: {
    ...bookkeeping,
    applicationId: keyword,
    jobId: keyword,
    workerId: keyword,
    businessId: keyword,
    status: keyword,
    message: stored,
    ...applicationContactFields,
    submittedAt: date,
    updatedAt: date,
  },
  saved_jobs: {
    ...bookkeeping,
    workerId: keyword,
    jobId: keyword,
    savedAt: date,
  },
  saved_searches: {
    // The job fields a percolated job document brings (same types where names meet: status, updatedAt, position).
    ...(jobsMappings.properties as JsonObject),
    ...bookkeeping,
    workerId: keyword,
    searchId: keyword,
    name: stored,
    query: { type: 'object', enabled: false },
    ...savedSearchAlertFields,
    // Documents indexed before alerts had a frequency (a rebuild drops them).
    alerts: { type: 'boolean' },
    status: keyword,
    savedAt: date,
    updatedAt: date,
    percolator: { type: 'percolator' },
    ...savedSearchPrefilterFields,
  },
  job_stats: {
    ...bookkeeping,
    jobId: keyword,
    businessId: keyword,
    days: { type: 'object', enabled: false },
    totals: { properties: { views: { type: 'long' }, saves: { type: 'long' }, applications: { type: 'long' } } },
    updatedAt: date,
  },
};

export function listMappings(model: ListModelName): JsonObject {
  return { dynamic: 'strict', _source: { enabled: true }, properties: listProperties[model] };
}

export interface ListIndexOptions {
  shards?: number;
  replicas?: number;
  alias?: string;
}

/** The create-index body of a list model's index; with `alias`, created behind it. */
export function listIndexDefinition(model: ListModelName, options: ListIndexOptions = {}): IndexDefinition {
  const base = { number_of_shards: options.shards ?? 1, number_of_replicas: options.replicas ?? 0 };
  // saved_searches needs the jobs analysis: percolated job text is analyzed as in `jobs`.
  const settings = model === 'saved_searches' ? { ...jobsSettings({ shards: base.number_of_shards, replicas: base.number_of_replicas }) } : base;
  return {
    settings,
    mappings: listMappings(model),
    ...(options.alias !== undefined ? { aliases: { [options.alias]: {} } } : {}),
  };
}
