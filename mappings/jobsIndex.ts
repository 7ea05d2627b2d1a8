// The `jobs` read model in a search engine: one versioned concrete index
// (`jobs_v1`) behind the alias `jobs` that every read and write goes through.
// A change of mapping or analysis is a new version: `jobsctl rebuild-index`
// builds `jobs_v<N+1>` from the log and swaps the alias (blue/green).
//
// The document is stored whole in `_source`, so a read returns the JobDocument
// the projection wrote, byte for byte; the fields below only say how each one is
// searched, filtered, sorted or aggregated. `dynamic: 'strict'` makes a field the
// mapping does not know a write error (a projection bug), never a silent new field.
import type { JobDocument } from './jobDocument.ts';
import type { IndexDefinition, JsonObject } from './indexDefinition.ts';

/** Version of the mapping below; the concrete index is `jobs_v<version>`. */
export const JOBS_INDEX_VERSION = 1;

/** The alias name without prefix. */
export const JOBS_ALIAS = 'jobs';

/** The alias reads and writes go to, e.g. `jobs` or `t1a2b_jobs` in a test. */
export function jobsAliasName(prefix = ''): string {
  return `${prefix}${JOBS_ALIAS}`;
}

/** The concrete index of a mapping version, e.g. `jobs_v1`, `t1a2b_jobs_v2`. */
export function jobsIndexName(version: number = JOBS_INDEX_VERSION, prefix = ''): string {
  if (!Number.isInteger(version) || version < 1) throw new RangeError(`jobs index version must be a positive integer, not ${version}`);
  return `${prefix}${JOBS_ALIAS}_v${version}`;
}

/** Edge n-grams of each title word for suggest (`title.suggest`). */
export const SUGGEST_MIN_GRAM = 2;
export const SUGGEST_MAX_GRAM = 20;

export interface JobsIndexOptions {
  /** Primary shards (default 1: exact terms aggregations and stable scores on one node). */
  shards?: number;
  /** Replicas (default 0; a cluster sets 1 or more). */
  replicas?: number;
  /** e.g. '1s' (the engine's default) or '-1' while a rebuild bulk-loads. */
  refreshInterval?: string;
}

const keyword = { type: 'keyword' } as const;
const date = { type: 'date' } as const;
const day = { type: 'date', format: 'yyyy-MM-dd' } as const;
const double = { type: 'double' } as const;

/**
 * One mapping per JobDocument field, no more, no less: a field added to the
 * document without a mapping (or a mapping left for a removed one) fails to compile.
 */
const jobsProperties = {
  jobId: keyword,
  businessId: keyword,
  businessName: { type: 'keyword', ignore_above: 512 },
  title: {
    type: 'text',
    analyzer: 'english',
    fields: {
      suggest: { type: 'text', analyzer: 'title_suggest', search_analyzer: 'title_suggest_search', norms: false },
      keyword: { type: 'keyword', ignore_above: 512 },
    },
  },
  description: { type: 'text', analyzer: 'english' },
  category: keyword,
  employmentType: keyword,
  pay: {
    type: 'object',
    properties: {
      min: { type: 'double', index: false },
      max: { type: 'double', index: false },
      currency: keyword,
      unit: keyword,
    },
  },
  hourlyMin: double,
  hourlyMax: double,
  location: { type: 'geo_point' },
  city: keyword,
  region: keyword,
  country: keyword,
  remote: { type: 'boolean' },
  skills: {
    type: 'keyword',
    normalizer: 'lowercase_keyword',
    fields: { text: { type: 'text', analyzer: 'english' } },
  },
  startDate: day,
  endDate: day,
  hoursPerWeek: double,
  experienceYears: double,
  status: keyword,
  closedReason: keyword,
  createdAt: date,
  updatedAt: date,
  publishedAt: date,
  expiresAt: date,
  views: { type: 'integer' },
  saves: { type: 'integer' },
  applications: { type: 'integer' },
  position: { type: 'long' },
} satisfies Record<keyof JobDocument, JsonObject>;

/** Field mappings of the `jobs` index (version 1). */
export const jobsMappings: JsonObject = {
  dynamic: 'strict',
  _source: { enabled: true },
  properties: jobsProperties,
};

/**
 * Fields added to the version-1 mapping after indexes were first created:
 * an existing index gets them (a new field is an additive mapping change the
 * engine accepts), so a running deployment needs no rebuild for them.
 */
export const jobsMappingAdditions: JsonObject = {
  businessName: jobsProperties.businessName,
};

/** Index settings: shards, replicas and the analysis the mapping names. */
export function jobsSettings(options: JobsIndexOptions = {}): JsonObject {
  return {
    number_of_shards: options.shards ?? 1,
    number_of_replicas: options.replicas ?? 0,
    ...(options.refreshInterval !== undefined ? { refresh_interval: options.refreshInterval } : {}),
    analysis: {
      filter: {
        title_edge_ngram: { type: 'edge_ngram', min_gram: SUGGEST_MIN_GRAM, max_gram: SUGGEST_MAX_GRAM },
      },
      analyzer: {
        // Index side: every prefix (2..20 characters) of every title word, at the word's position.
        title_suggest: { type: 'custom', tokenizer: 'standard', filter: ['lowercase', 'title_edge_ngram'] },
        // Search side: the typed words as they are.
        title_suggest_search: { type: 'custom', tokenizer: 'standard', filter: ['lowercase'] },
      },
      normalizer: {
        lowercase_keyword: { type: 'custom', filter: ['lowercase'] },
      },
    },
  };
}

/**
 * The create-index body of the `jobs` index; with `alias`, the index is created
 * behind it in the same request.
 */
export function jobsIndexDefinition(options: JobsIndexOptions & { alias?: string } = {}): IndexDefinition {
  return {
    settings: jobsSettings(options),
    mappings: jobsMappings,
    ...(options.alias !== undefined ? { aliases: { [options.alias]: {} } } : {}),
  };
}
