// A small keyed-document store: the port behind the per-owner list read models
// (applications, saved jobs, saved searches). Writes are guarded by position
// (a write that is not newer than the stored entry is ignored), removals are
// tombstones that keep their position, and lists are by one owner field,
// newest first, with opaque cursors. Adapters: embedded (SQLite) and engine
// (one index per model behind an alias); one contract suite runs on both.
import type { ListModelName } from '../../mappings/listIndexes.ts';
import type { ApplicationDocument, SavedJobDocument, SavedSearchDocument } from '../../projections/lists/listDocuments.ts';
import { savedJobKey, savedSearchKey } from '../../projections/lists/listDocuments.ts';
import type { JobStatsDocument } from '../../projections/lists/jobStats.ts';

export interface Positioned {
  position: number;
}

/** How a model's documents are keyed, listed and ordered. */
export interface ListModel<D extends Positioned> {
  readonly name: ListModelName;
  keyOf(doc: D): string;
  /** Fields a list is asked by (exact match), e.g. workerId. */
  readonly ownerFields: readonly (keyof D & string)[];
  /** Keyword fields a list may be filtered on (any of the values), e.g. status. */
  readonly filterFields: readonly (keyof D & string)[];
  /** ISO-8601 instant field lists are ordered by, newest first (ties: key descending). */
  readonly sortField: keyof D & string;
}

export const applicationsModel: ListModel<ApplicationDocument> = {
  name: 'applications',
  keyOf: (d) => d.applicationId,
  ownerFields: ['workerId', 'jobId', 'businessId'],
  filterFields: ['status'],
  sortField: 'submittedAt',
};

export const savedJobsModel: ListModel<SavedJobDocument> = {
  name: 'saved_jobs',
  keyOf: (d) => savedJobKey(d.workerId, d.jobId),
  ownerFields: ['workerId', 'jobId'],
  filterFields: [],
  sortField: 'savedAt',
};

export const savedSearchesModel: ListModel<SavedSearchDocument> = {
  name: 'saved_searches',
  keyOf: (d) => savedSearchKey(d.workerId, d.searchId),
  ownerFields: ['workerId'],
  filterFields: ['status'],
  sortField: 'savedAt',
};

export const jobStatsModel: ListModel<JobStatsDocument> = {
  name: 'job_stats',
  keyOf: (d) => d.jobId,
  ownerFields: ['jobId', 'businessId'],
  filterFields: [],
  sortField: 'updatedAt',
};

/** A stored entry: the document, or a tombstone (no document) with the position that removed it. */
export interface StoredEntry<D> {
  key: string;
  position: number;
  doc?: D;
}

export interface ListQuery {
  /** The owner field and its value. */
  by: string;
  value: string;
  /** Only documents whose field holds one of the values. */
  filter?: Record<string, readonly string[]>;
  size: number;
  cursor?: string;
}

export interface ListPage<D> {
  items: D[];
  /** Given only when another item follows. */
  nextCursor?: string;
}

export interface KeyedDocStore<D extends Positioned> {
  readonly model: ListModel<D>;
  /** Entries as stored, tombstones included (real-time: sees the last write). */
  load(keys: readonly string[]): Promise<Map<string, StoredEntry<D>>>;
  get(key: string): Promise<D | undefined>;
  /** Upserts each entry unless the stored one is as new or newer; an entry without doc is a tombstone. */
  write(entries: readonly StoredEntry<D>[]): Promise<void>;
  list(query: ListQuery): Promise<ListPage<D>>;
}

/** The three list models in one read store, with the lists projection's checkpoint. */
export interface ListStores {
  readonly kind: 'embedded' | 'search-engine';
  applications: KeyedDocStore<ApplicationDocument>;
  savedJobs: KeyedDocStore<SavedJobDocument>;
  savedSearches: KeyedDocStore<SavedSearchDocument>;
  jobStats: KeyedDocStore<JobStatsDocument>;
}

export interface ListChanges {
  applications: StoredEntry<ApplicationDocument>[];
  savedJobs: StoredEntry<SavedJobDocument>[];
  savedSearches: StoredEntry<SavedSearchDocument>[];
  jobStats?: StoredEntry<JobStatsDocument>[];
}

/** Where the lists projection writes: the stores plus its checkpoint, committed together where the store can. */
export interface ListSink extends ListStores {
  commit(changes: ListChanges, projection: string, checkpoint: number): Promise<void>;
  checkpoint(projection: string): Promise<number>;
  close(): Promise<void>;
}

/** A cursor that is not one this store gave out. */
export class InvalidListCursorError extends Error {
  constructor(message = 'cursor is not valid') {
    super(message);
    this.name = 'InvalidListCursorError';
  }
}

/** Some entries were refused for what they are (not as busy or stale): dead-letter their events. */
export class ListWriteError extends Error {
  constructor(
    readonly model: ListModelName,
    readonly poisonKeys: readonly string[],
    reason: string,
  ) {
    super(`${poisonKeys.length} ${model} documents were not stored: ${reason}`);
    this.name = 'ListWriteError';
  }
}

/** The cursor of a list page: the last item's sort value (epoch ms) and key. */
export function encodeListCursor(sortMs: number, key: string): string {
  return Buffer.from(JSON.stringify([sortMs, key]), 'utf8').toString('base64url');
}

export function decodeListCursor(cursor: string): { sortMs: number; key: string } {
  try {
    if (!/^[A-Za-z0-9_-]{1,2000}$/.test(cursor)) throw new Error('bad characters');
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && Number.isSafeInteger(value[0]) && typeof value[1] === 'string') {
      return { sortMs: value[0] as number, key: value[1] };
    }
  } catch {
    // falls through
  }
  throw new InvalidListCursorError();
}

/** The sort value of a document as epoch ms (0 when the field is missing or not a date). */
export function sortMsOf<D extends Positioned>(model: ListModel<D>, doc: D): number {
  const v = (doc as unknown as Record<string, unknown>)[model.sortField];
  const ms = typeof v === 'string' ? Date.parse(v) : NaN;
  return Number.isFinite(ms) ? ms : 0;
}

export function fieldOf<D extends Positioned>(doc: D, field: string): unknown {
  return (doc as unknown as Record<string, unknown>)[field];
}

/** Checks a list query against the model: a field it does not know is a programming error. */
export function checkListQuery<D extends Positioned>(model: ListModel<D>, q: ListQuery): void {
  if (!(model.ownerFields as readonly string[]).includes(q.by)) throw new Error(`${model.name} cannot be listed by ${q.by}`);
  for (const f of Object.keys(q.filter ?? {})) {
    if (!(model.filterFields as readonly string[]).includes(f)) throw new Error(`${model.name} cannot be filtered on ${f}`);
  }
}
