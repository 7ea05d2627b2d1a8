// The embedded adapter of JobReadStore. Documents and projection checkpoints
// are durable in SQLite; queries run on in-memory structures rebuilt from
// SQLite at open and kept current by every write: typed-array columns
// (columns.ts), an inverted index with BM25 (textIndex.ts) and a geohash-sorted
// point index (geoIndex.ts). Hits are read back from SQLite by id.
//
// SQLite tables: job_documents (the indexed fields as columns, the analyzed
// text as term ids, the rest of the document as JSON; a write is refused unless
// its position is newer), text_terms (the term dictionary those ids point
// into), projection_checkpoints, store_meta (the analyzer version the stored
// term ids were made with). Opening reads columns and term ids, parses no JSON
// and tokenizes nothing unless the analyzer changed.
//
// Semantics follow the search-engine adapter (same analyzer, same BM25 norms,
// same Lucene point quantisation and geohashes) so that both answer alike.

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { categories, employmentTypes } from '../../eventstore/events/index.ts';
import type { JobDocument } from '../../mappings/jobDocument.ts';
import type { FacetBucket, JobReadStore, MapCap, MapCluster, MapPoint, MapResult, PayBand, SearchHit, SearchResult } from '../model/readStore.ts';
import { mapCellCap } from '../model/readStore.ts';
import type { BBox, JobFilters, MapRequest, Near, SearchRequest } from '../model/searchRequest.ts';
import { geohashPrecisionFor, mapPointsThreshold } from '../model/zoomPrecision.ts';
import { Columns, type IndexedDoc, NO_END_DAY, NO_START_DAY, STATUS_OPEN, categoryCode, dayNumber, employmentTypeCode, statusCodes } from './columns.ts';
import type { MatchCandidate } from '../match/matchScore.ts';
import { type Cursor, type CursorSort, decodeCursor, encodeCursor } from './cursor.ts';
import { type Bounds, KEY_BITS, LAT_DECODE, LON_DECODE, circleBounds, coverRanges, geohashBounds, haversineMeters, keyToGeohash } from './geo.ts';
import { type ColumnView, GeoIndex } from './geoIndex.ts';
import { MapPyramid, pyramidFilter } from './mapPyramid.ts';
import { highlightFragments, highlightWhole } from './highlight.ts';
import { TextIndex } from './textIndex.ts';
import { ANALYZER_VERSION, tokenize } from './analysis/analyzer.ts';
import { embeddedJobsSchema } from '../../mappings/embeddedJobsSchema.ts';

export { InvalidCursorError } from './cursor.ts';

/** Searchable text fields and their boosts. */
export const textFields = [
  { name: 'title', boost: 3 },
  { name: 'skills', boost: 2 },
  { name: 'description', boost: 1 },
] as const;

/** The analyzed terms of a document, per text field (in `textFields` order). */
export function analyzeDocument(doc: Pick<JobDocument, 'title' | 'skills' | 'description'>): string[][] {
  return [tokenize(doc.title), doc.skills.flatMap((s) => tokenize(s)), tokenize(doc.description)];
}

/** Hourly pay bands of the facets, by hourlyMax: [from, to). */
export const payBands: ReadonlyArray<{ key: string; from?: number; to?: number }> = [
  { key: 'lt10', to: 10 },
  { key: '10-15', from: 10, to: 15 },
  { key: '15-20', from: 15, to: 20 },
  { key: '20-25', from: 20, to: 25 },
  { key: '25-35', from: 25, to: 35 },
  { key: 'gte35', from: 35 },
];

export function payBandIndex(hourlyMax: number): number {
  if (hourlyMax < 10) return 0;
  if (hourlyMax < 15) return 1;
  if (hourlyMax < 20) return 2;
  if (hourlyMax < 25) return 3;
  if (hourlyMax < 35) return 4;
  return 5;
}

/** The filters as callers may give them (zod defaults optional). */
export type FilterInput = Omit<JobFilters, 'skillsMode' | 'includeClosed'> & { skillsMode?: 'any' | 'all'; includeClosed?: boolean };
export type SearchInput = FilterInput & Partial<Pick<SearchRequest, 'sort' | 'size' | 'cursor' | 'facets' | 'highlight'>>;
export type MapInput = FilterInput & { bbox: BBox; zoom: number; maxCells?: number };

export interface EmbeddedJobStoreOptions {
  /** SQLite file, or ':memory:'. */
  path: string;
  /** Tuning: unsorted geo writes tolerated before a re-sort (default 4096); tests make it tiny. */
  geoDeltaLimit?: number;
  /**
   * Tuning: text with a place is served from the place's points (each scored)
   * when points × this < the postings the text would walk (default 16; 0:
   * always when there is a place; Infinity: never).
   */
  geoFirstRatio?: number;
  /** Parsed documents kept for hits and getJob, most recently used first out last (default 20 000; 0: none). */
  docCacheSize?: number;
  /**
   * Bulk load of a fresh file nothing reads before it is closed and reopened
   * (an offline rebuild): writes rows and term ids only, not the in-memory
   * indexes (count() and reads see nothing written). Each document once.
   */
  writeOnly?: boolean;
  /** Map aggregates per coarse geohash cell (mapPyramid.ts; default true; false: every map scans, the reference). */
  mapPyramid?: boolean;
  /** Cells one map answer holds when the request names no cap (default DEFAULT_MAP_MAX_CELLS, at most 65 535, as the engine); past it `truncated`. */
  mapMaxCells?: number;
}

const DAY_MS = 86_400_000;

const statusNames = Object.fromEntries(Object.entries(statusCodes).map(([name, code]) => [code, name])) as Record<number, JobDocument['status']>;
/** A bounded memo of number → string (cleared when full: a cache, not a store). */
class StringCache {
  private readonly map = new Map<number, string>();
  constructor(private readonly make: (n: number) => string, private readonly max = 200_000) {}
  of(n: number): string {
    let s = this.map.get(n);
    if (s === undefined) {
      if (this.map.size >= this.max) this.map.clear();
      this.map.set(n, (s = this.make(n)));
    }
    return s;
  }
}

const PUBLISHED_SPAN = 2 ** 40;
/**
 * The byCategory order: category code, then newest first (seconds, clamped;
 * never published last). Below 2^45 like a geohash key, so the geo index's
 * radix sort orders it.
 */
export function filterKey(categoryCode: number, publishedMs: number): number {
  const seconds = Number.isFinite(publishedMs) ? Math.min(PUBLISHED_SPAN - 1, Math.max(0, Math.floor(publishedMs / 1000))) : publishedMs > 0 ? PUBLISHED_SPAN - 1 : 0;
  // Codes beyond 31 (a category this build does not know) share the last run.
  return Math.min(31, categoryCode) * PUBLISHED_SPAN + (PUBLISHED_SPAN - 1 - seconds);
}

/**
 * A stored document: the fields the indexes need in plain columns (read at
 * open without parsing any JSON), the description once, and the rest of the
 * document as JSON, parsed only for hits and getJob.
 */
type StoredRow = [description: string, doc: string];

const indexColumns = [
  'job_id', 'position', 'business_id', 'title', 'description', 'skills', 'category', 'employment_type', 'hourly_min',
  'hourly_max', 'lat', 'lon', 'remote', 'start_date', 'end_date', 'status', 'published_at', 'expires_at', 'experience_years',
] as const;
type IndexRow = [
  jobId: string, position: number, businessId: string, title: string, description: string, skills: string,
  category: string, employmentType: string, hourlyMin: number, hourlyMax: number, lat: number | null, lon: number | null,
  remote: number, startDate: string | null, endDate: string | null, status: string, publishedAt: string | null, expiresAt: string | null,
  experienceYears: number,
];
type LoadRow = [...IndexRow, terms: Buffer | null];
type UpsertRow = [...IndexRow, terms: Buffer, doc: string];

/** Term ids of the text fields as stored: [n0, n1, n2, ids of field 0, of field 1, of field 2] as int32. */
function encodeTermIds(fields: ReadonlyArray<ArrayLike<number>>): Buffer {
  let total = fields.length;
  for (const f of fields) total += f.length;
  const a = new Int32Array(total);
  let at = fields.length;
  fields.forEach((f, i) => {
    a[i] = f.length;
    for (let j = 0; j < f.length; j++) a[at++] = f[j]!;
  });
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

function decodeTermIds(blob: Buffer): Int32Array[] | undefined {
  if (blob.byteLength % 4 !== 0 || blob.byteLength < 4 * textFields.length) return undefined;
  const a = blob.byteOffset % 4 === 0 ? new Int32Array(blob.buffer, blob.byteOffset, blob.byteLength / 4) : new Int32Array(new Uint8Array(blob).buffer);
  const out: Int32Array[] = [];
  let at = textFields.length;
  for (let f = 0; f < textFields.length; f++) {
    const n = a[f]!;
    if (n < 0 || at + n > a.length) return undefined;
    out.push(a.subarray(at, at + n));
    at += n;
  }
  return at === a.length ? out : undefined;
}

function toUpsertRow(d: JobDocument, terms: Buffer): UpsertRow {
  const { description, ...rest } = d;
  return [
    d.jobId, d.position, d.businessId, d.title, description, JSON.stringify(d.skills), d.category, d.employmentType,
    d.hourlyMin, d.hourlyMax, d.location?.lat ?? null, d.location?.lon ?? null, d.remote ? 1 : 0, d.startDate ?? null,
    d.endDate ?? null, d.status, d.publishedAt ?? null, d.expiresAt ?? null, d.experienceYears, terms, JSON.stringify(rest),
  ];
}

function fromIndexRow(r: IndexRow | LoadRow): IndexedDoc {
  const [jobId, position, businessId, title, description, skills, category, employmentType, hourlyMin, hourlyMax, lat, lon, remote, startDate, endDate, status, publishedAt, expiresAt, experienceYears] = r;
  return {
    jobId,
    position,
    businessId,
    title,
    description,
    skills: JSON.parse(skills) as string[],
    category: category as IndexedDoc['category'],
    employmentType: employmentType as IndexedDoc['employmentType'],
    hourlyMin,
    hourlyMax,
    ...(lat !== null && lon !== null ? { location: { lat, lon } } : {}),
    remote: remote === 1,
    ...(startDate !== null ? { startDate } : {}),
    ...(endDate !== null ? { endDate } : {}),
    status: status as IndexedDoc['status'],
    ...(publishedAt !== null ? { publishedAt } : {}),
    ...(expiresAt !== null ? { expiresAt } : {}),
    experienceYears,
  };
}

function fromRow([description, json]: StoredRow): JobDocument {
  const doc = JSON.parse(json) as JobDocument;
  doc.description = description;
  return doc;
}

interface Plan {
  /** The filters, by slot. */
  pred: (s: number) => boolean;
  /** The same filters over other columns (the geo index's sorted copies, by sorted position). */
  predicateOver: (view: ColumnView) => (i: number) => boolean;
  /** Count and integer (Lucene) coordinate sums of the passing, live positions [from, to) of a view, into out[0..2]. */
  sumRun: (view: ColumnView, dead: Uint8Array, openUntil: Float64Array, boxInside: boolean, from: number, to: number, out: Float64Array) => void;
  /** Filters with no place, text or skills: collectRun can answer them from the column values alone. */
  columnOnly: boolean;
  /** Appends the slots of the passing, live positions [from, to) of a view to out from n; returns the new n. */
  collectRun: (view: ColumnView, slots: Int32Array, dead: Uint8Array, openUntil: Float64Array, from: number, to: number, out: Int32Array, n: number) => number;
  /** filterKey ranges [from, to) of the categories asked for. */
  categoryRuns: Array<[number, number]>;
  terms: string[] | undefined;
  /** A box every match lies in, when the filters confine matches to one. */
  geo: Bounds | undefined;
  near: Near | undefined;
}

interface Matches {
  slots: Int32Array;
  scores: Float64Array;
  count: number;
}

/** Every store's content gets numbers from one sequence, so a store swapped in by a rebuild never repeats an old one. */
let lastGeneration = 0;

export class EmbeddedJobStore implements JobReadStore {
  readonly kind = 'embedded' as const;
  private readonly db: Database.Database;
  private readonly cols = new Columns();
  private readonly text = new TextIndex(textFields);
  private readonly geo = new GeoIndex();
  private readonly pyramid: MapPyramid | undefined;
  /**
   * Every slot ordered by category, then newest first (filterKey): a category
   * filter reads only its categories' runs, not the whole store. The geo
   * index's machinery (sorted column copies, delta of moved slots) with
   * another key; its copies leave out the place and skills (only column-only
   * filters read it).
   */
  private readonly byCategory = new GeoIndex(false);
  private readonly slotOf = new Map<string, number>();
  /** Distinct titles with their lowercase form and how many open jobs carry them. */
  private readonly titleCounts = new Map<string, { lower: string; open: number }>();
  private matchSlots = new Int32Array(0);
  private matchScores = new Float64Array(0);
  private geoFirstRatio = 16;
  /** How many dictionary terms text_terms holds. */
  private persistedTerms = 0;
  private primaryScratch = new Float64Array(0);
  /** Parsed documents by id, oldest use first (a Map keeps insertion order). Documents are never mutated once stored. */
  private readonly docCache = new Map<string, JobDocument>();
  private generation = ++lastGeneration;
  /** The earliest expiry of an open job after `from` (kept by writes: a new one earlier lowers it; a job closing only makes it conservative). */
  private nextExpiry: { from: number; until: number } | undefined;
  private readonly docCacheSize: number;
  private readonly mapMaxCells: number | undefined;
  private readonly writeOnly: boolean;
  private readonly stmt: {
    getDoc: Database.Statement<[string], StoredRow>;
    upsert: Database.Statement<UpsertRow>;
    getIndexed: Database.Statement<[string], LoadRow>;
    insertTerm: Database.Statement<[number, string]>;
    getCheckpoint: Database.Statement<[string], number>;
    setCheckpoint: Database.Statement<[string, number, string]>;
  };

  private constructor(db: Database.Database, options: EmbeddedJobStoreOptions) {
    this.db = db;
    if (options.geoDeltaLimit !== undefined) this.geo.deltaLimit = options.geoDeltaLimit;
    this.pyramid = options.mapPyramid === false ? undefined : new MapPyramid(this.geo);
    if (options.geoFirstRatio !== undefined) this.geoFirstRatio = options.geoFirstRatio;
    this.docCacheSize = options.docCacheSize ?? 20_000;
    this.mapMaxCells = options.mapMaxCells;
    this.writeOnly = options.writeOnly ?? false;
    // A bulk-loaded file is discarded on a crash, never opened half-written: no journal, no syncs (the next normal open sets WAL again).
    db.pragma(this.writeOnly ? 'journal_mode = OFF' : 'journal_mode = WAL');
    db.pragma(this.writeOnly ? 'synchronous = OFF' : 'synchronous = NORMAL');
    db.exec(embeddedJobsSchema);
    const columns = db.prepare<[], { name: string }>('PRAGMA table_info(job_documents)').all();
    if (!columns.some((c) => c.name === 'terms')) db.exec('ALTER TABLE job_documents ADD COLUMN terms BLOB');
    if (!columns.some((c) => c.name === 'experience_years')) {
      // Stores written before the match fields became columns: fill it from each document once.
      db.exec(`ALTER TABLE job_documents ADD COLUMN experience_years REAL NOT NULL DEFAULT 0;
               UPDATE job_documents SET experience_years = coalesce(json_extract(doc, '$.experienceYears'), 0);`);
    }
    this.stmt = {
      getDoc: db.prepare<[string], StoredRow>('SELECT description, doc FROM job_documents WHERE job_id = ?').raw(),
      upsert: db.prepare<UpsertRow>(
        `INSERT INTO job_documents (${indexColumns.join(', ')}, terms, doc) VALUES (${indexColumns.map(() => '?').join(', ')}, ?, ?)
         ON CONFLICT (job_id) DO UPDATE SET ${[...indexColumns.slice(1), 'terms', 'doc'].map((c) => `${c} = excluded.${c}`).join(', ')}
         WHERE excluded.position > job_documents.position`,
      ),
      getIndexed: db.prepare<[string], LoadRow>(`SELECT ${indexColumns.join(', ')}, terms FROM job_documents WHERE job_id = ?`).raw(),
      insertTerm: db.prepare<[number, string]>('INSERT OR REPLACE INTO text_terms (id, term) VALUES (?, ?)'),
      getCheckpoint: db.prepare<[string], number>('SELECT position FROM projection_checkpoints WHERE name = ?').pluck(),
      setCheckpoint: db.prepare<[string, number, string]>(
        `INSERT INTO projection_checkpoints (name, position, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at`,
      ),
    };
    this.load();
  }

  /** Opens (creating when needed) a store and rebuilds its in-memory indexes. */
  static open(options: EmbeddedJobStoreOptions): EmbeddedJobStore {
    if (options.path !== ':memory:' && options.path !== '') mkdirSync(dirname(options.path), { recursive: true });
    return new EmbeddedJobStore(new Database(options.path), options);
  }

  /**
   * Rebuilds the in-memory structures from SQLite. Documents carry their
   * analyzed text as term ids (with the term dictionary in text_terms), so
   * opening does not re-tokenize; when the analyzer changed, or a row lacks
   * them, the text is analyzed again and the stored term ids rewritten.
   */
  private load(): void {
    const db = this.db;
    const version = db.prepare<[string], string>('SELECT value FROM store_meta WHERE key = ?').pluck().get('analyzer');
    const current = version === ANALYZER_VERSION;
    if (current) this.text.dictionary.restore(db.prepare<[], string>('SELECT term FROM text_terms ORDER BY id').pluck().all());
    this.persistedTerms = current ? this.text.dictionary.terms.length : 0;
    const rewrite: Array<[Buffer, string]> = [];
    const rows = db.prepare<[], LoadRow>(`SELECT ${indexColumns.join(', ')}, terms FROM job_documents`).raw();
    for (const row of rows.iterate()) {
      const doc = fromIndexRow(row);
      const blob = row[indexColumns.length];
      let ids: ArrayLike<number>[] | undefined = current && blob ? decodeTermIds(blob) : undefined;
      if (!ids) {
        ids = this.termIds(doc);
        rewrite.push([encodeTermIds(ids), doc.jobId]);
      }
      this.apply(doc, undefined, ids);
    }
    this.geo.rebuild(this.cols, this.cols.size);
    this.byCategory.rebuild(this.cols, this.cols.size, this.filterKeys());
    this.text.trim();
    // Built now rather than by the first map (a second at 1M jobs); a map at another clock rebuilds it.
    this.pyramid?.prepare(Date.now());
    if (!current || rewrite.length > 0) {
      const update = db.prepare<[Buffer, string]>('UPDATE job_documents SET terms = ? WHERE job_id = ?');
      db.transaction(() => {
        if (!current) db.exec('DELETE FROM text_terms');
        this.persistTerms();
        for (const r of rewrite) update.run(...r);
        db.prepare('INSERT OR REPLACE INTO store_meta (key, value) VALUES (?, ?)').run('analyzer', ANALYZER_VERSION);
      })();
      this.persistedTerms = this.text.dictionary.terms.length;
    }
  }

  /** Inserts the dictionary's terms not yet in text_terms (inside a transaction). */
  private persistTerms(): void {
    const terms = this.text.dictionary.terms;
    for (let id = this.persistedTerms; id < terms.length; id++) this.stmt.insertTerm.run(id, terms[id]!);
  }

  close(): void {
    this.db.close();
  }

  // ---- writes -----------------------------------------------------------------

  async putJobs(docs: readonly JobDocument[]): Promise<void> {
    this.write(docs, undefined);
  }

  /** Writes documents and a projection checkpoint in one SQLite transaction. */
  async putJobsAndCheckpoint(docs: readonly JobDocument[], name: string, position: number): Promise<void> {
    this.write(docs, { name, position });
  }

  async getCheckpoint(name: string): Promise<number | undefined> {
    return this.stmt.getCheckpoint.get(name);
  }

  async setCheckpoint(name: string, position: number): Promise<void> {
    this.stmt.setCheckpoint.run(name, position, new Date().toISOString());
  }

  /** Number of stored documents, every status (a slot deleted by a drift repair no longer counts). */
  async count(): Promise<number> {
    return this.slotOf.size;
  }

  private write(docs: readonly JobDocument[], checkpoint: { name: string; position: number } | undefined): void {
    const accepted = new Map<string, JobDocument>();
    for (const d of docs) {
      const slot = this.slotOf.get(d.jobId);
      const current = accepted.get(d.jobId)?.position ?? (slot === undefined ? undefined : this.cols.position[slot]);
      if (current !== undefined && !(d.position > current)) continue;
      accepted.set(d.jobId, d);
    }
    // Analyze first: new terms get ids now and are stored with the documents.
    const writes = [...accepted.values()].map((d) => ({ d, ids: this.termIds(d) }));
    const olds = new Map<string, { doc: IndexedDoc; ids: ArrayLike<number>[] | undefined }>();
    this.db.transaction(() => {
      this.persistTerms();
      for (const { d, ids } of writes) {
        if (this.slotOf.has(d.jobId)) {
          const row = this.stmt.getIndexed.get(d.jobId);
          const blob = row?.[indexColumns.length];
          if (row !== undefined) olds.set(d.jobId, { doc: fromIndexRow(row), ids: blob ? decodeTermIds(blob) : undefined });
        }
        this.stmt.upsert.run(...toUpsertRow(d, encodeTermIds(ids)));
      }
      if (checkpoint) this.stmt.setCheckpoint.run(checkpoint.name, checkpoint.position, new Date().toISOString());
    })();
    this.persistedTerms = this.text.dictionary.terms.length;
    if (this.writeOnly) return;
    for (const { d, ids } of writes) {
      const old = olds.get(d.jobId);
      this.apply(d, old?.doc, ids, old?.ids);
    }
  }

  /** Brings the in-memory structures to `doc`; `old` is the document it replaces. */
  private apply(doc: IndexedDoc, old: IndexedDoc | undefined, ids: ArrayLike<number>[], oldIds?: ArrayLike<number>[]): void {
    this.docCache.delete(doc.jobId);
    const cols = this.cols;
    let slot = this.slotOf.get(doc.jobId);
    const isNew = slot === undefined;
    if (slot === undefined) {
      slot = cols.append(doc.jobId);
      this.slotOf.set(doc.jobId, slot);
      this.text.add(slot, ids);
    } else {
      if (cols.status[slot] === STATUS_OPEN) this.countTitle(cols.titles[slot] ?? '', -1);
      const textChanged = !old || old.title !== doc.title || old.description !== doc.description || old.skills.join('\u0000') !== doc.skills.join('\u0000');
      if (textChanged) {
        if (old) this.text.remove(slot, oldIds ?? this.termIds(old));
        this.text.add(slot, ids);
      }
    }
    this.setColumns(slot, doc, isNew);
    if (doc.status === 'open') this.countTitle(doc.title, 1);
  }

  /** Writes a slot's columns and brings both sorted indexes along (moved: to their delta; else: values copied). */
  private setColumns(slot: number, doc: IndexedDoc, isNew: boolean): void {
    this.generation = ++lastGeneration;
    const cols = this.cols;
    const before = isNew ? -1 : filterKey(cols.category[slot]!, cols.published[slot]!);
    // A new slot always joins the delta: its zeroed key may equal its real one (the cell at -90, -180).
    if (cols.set(slot, doc) || isNew) this.geo.touch(slot);
    else this.geo.sync(slot, cols);
    if (filterKey(cols.category[slot]!, cols.published[slot]!) !== before) this.byCategory.touch(slot);
    else this.byCategory.sync(slot, cols);
    const memo = this.nextExpiry;
    const e = cols.expires[slot]!;
    if (memo && cols.status[slot] === STATUS_OPEN && e > memo.from && e < memo.until) memo.until = e;
  }

  private filterKeys(): Float64Array {
    const cols = this.cols;
    const keys = new Float64Array(cols.size);
    for (let s = 0; s < cols.size; s++) keys[s] = filterKey(cols.category[s]!, cols.published[s]!);
    return keys;
  }

  private termIds(doc: IndexedDoc): number[][] {
    return this.text.analyze([[doc.title], doc.skills, [doc.description]]);
  }

  private countTitle(title: string, delta: number): void {
    let e = this.titleCounts.get(title);
    if (!e) this.titleCounts.set(title, (e = { lower: title.toLowerCase(), open: 0 }));
    e.open += delta;
    if (e.open <= 0) this.titleCounts.delete(title);
  }

  // ---- reads --------------------------------------------------------------------

  /**
   * What an answer depends on besides the request: the content (a generation
   * that changes with every write and differs between stores), and time only
   * where an open job expires — so an answer given at `now` holds until the
   * first expiry after it. (`postedWithinDays` also moves with time: callers
   * that cache must leave it out.)
   */
  freshness(now: Date): { generation: number; validUntil: number } {
    const t = now.getTime();
    const memo = this.nextExpiry;
    if (memo && memo.from <= t && t < memo.until) return { generation: this.generation, validUntil: memo.until };
    const { status, expires, size } = this.cols;
    let until = Infinity;
    for (let s = 0; s < size; s++) {
      const e = expires[s]!;
      if (e > t && e < until && status[s] === STATUS_OPEN) until = e;
    }
    this.nextExpiry = { from: t, until };
    return { generation: this.generation, validUntil: until };
  }

  async getJob(jobId: string): Promise<JobDocument | undefined> {
    return this.getDocSync(jobId);
  }

  /** Cached documents first, the rest in one SQLite statement per 500. */
  async getJobs(jobIds: readonly string[]): Promise<Array<JobDocument | undefined>> {
    const out: Array<JobDocument | undefined> = jobIds.map((id) => this.docCache.get(id));
    const missing = jobIds.filter((_, i) => out[i] === undefined);
    const found = new Map<string, JobDocument>();
    for (let i = 0; i < missing.length; i += 500) {
      const chunk = missing.slice(i, i + 500);
      const rows = this.db.prepare<string[], [string, string, string]>(`SELECT job_id, description, doc FROM job_documents WHERE job_id IN (${chunk.map(() => '?').join(',')})`).raw().all(...chunk);
      for (const [id, description, json] of rows) found.set(id, fromRow([description, json]));
    }
    return out.map((doc, i) => doc ?? found.get(jobIds[i]!));
  }

  private getDocSync(jobId: string): JobDocument | undefined {
    const cached = this.docCache.get(jobId);
    if (cached !== undefined) {
      this.docCache.delete(jobId);
      this.docCache.set(jobId, cached);
      return cached;
    }
    const row = this.stmt.getDoc.get(jobId);
    if (row === undefined) return undefined;
    const doc = fromRow(row);
    if (this.docCacheSize > 0) {
      this.docCache.set(jobId, doc);
      if (this.docCache.size > this.docCacheSize) this.docCache.delete(this.docCache.keys().next().value!);
    }
    return doc;
  }

  /** The predicate and candidate hints of a set of filters. */
  private plan(f: FilterInput, now: Date): Plan {
    const c = this.cols;
    const nowMs = now.getTime();
    const owner = f.includeClosed === true && f.businessId !== undefined;
    const hasBusiness = f.businessId !== undefined;
    const bid = f.businessId === undefined ? -1 : (c.businesses.get(f.businessId) ?? -2);
    let catMask = 0;
    for (const x of f.category ?? []) catMask |= 1 << (categoryCode.get(x) ?? 31);
    const hasCat = f.category !== undefined;
    let typeMask = 0;
    for (const x of f.employmentType ?? []) typeMask |= 1 << (employmentTypeCode.get(x) ?? 31);
    const hasType = f.employmentType !== undefined;
    const payMin = f.payMin;
    const payMax = f.payMax;
    const hasPayMin = payMin !== undefined;
    const hasPayMax = payMax !== undefined;
    const pMin = payMin ?? 0;
    const pMax = payMax ?? 0;
    const hasAvail = f.availableFrom !== undefined || f.availableTo !== undefined;
    const availFrom = f.availableFrom !== undefined ? dayNumber(f.availableFrom) : -Infinity;
    const availTo = f.availableTo !== undefined ? dayNumber(f.availableTo) : Infinity;
    const hasSkills = f.skills !== undefined && f.skills.length > 0;
    const skillsAll = f.skillsMode === 'all';
    const wanted = [...new Set((f.skills ?? []).map((s) => s.toLowerCase()))];
    const wantedIds = wanted.map((s) => c.skillNames.get(s)).filter((x): x is number => x !== undefined);
    const skillsImpossible = hasSkills && (skillsAll ? wantedIds.length < wanted.length : wantedIds.length === 0);
    const hasRemote = f.remote !== undefined;
    const remoteV = f.remote ? 1 : 0;
    const hasPosted = f.postedWithinDays !== undefined || f.postedSince !== undefined;
    // Both bounds are "published at or after": the later one decides.
    const postedSince = Math.max(f.postedWithinDays !== undefined ? nowMs - f.postedWithinDays * DAY_MS : -Infinity, f.postedSince !== undefined ? Date.parse(f.postedSince) : -Infinity);
    const near = f.near;
    const hasNear = near !== undefined;
    const nLat = near?.lat ?? 0;
    const nLon = near?.lon ?? 0;
    const nMeters = (near?.radiusKm ?? 0) * 1000;
    const bbox = f.bbox;
    const hasBox = bbox !== undefined;
    const bMinLat = bbox?.minLat ?? 0;
    const bMaxLat = bbox?.maxLat ?? 0;
    const bMinLon = bbox?.minLon ?? 0;
    const bMaxLon = bbox?.maxLon ?? 0;
    const boxWraps = bMinLon > bMaxLon;
    const needLoc = hasNear || hasBox;

    const predicateOver = (view: ColumnView) => {
      const { status, expires, published, category, etype, hourlyMin, hourlyMax, remote, startDay, endDay, business, lat, lon, geoKey, skills } = view;
      return (s: number): boolean => {
        if (owner) {
          if (business[s] !== bid) return false;
        } else {
          if (status[s] !== STATUS_OPEN || !(expires[s]! > nowMs)) return false;
          if (hasBusiness && business[s] !== bid) return false;
        }
        if (hasCat && ((1 << category[s]!) & catMask) === 0) return false;
        if (hasType && ((1 << etype[s]!) & typeMask) === 0) return false;
        if (hasPayMin && !(hourlyMax[s]! >= pMin)) return false;
        if (hasPayMax && !(hourlyMin[s]! <= pMax)) return false;
        if (hasAvail && (startDay[s]! > availTo || endDay[s]! < availFrom)) return false;
        if (hasRemote && remote[s] !== remoteV) return false;
        if (hasPosted && !(published[s]! >= postedSince)) return false;
        if (needLoc) {
          if (geoKey[s]! < 0) return false;
          const la = lat[s]!;
          const lo = lon[s]!;
          if (hasBox) {
            if (la < bMinLat || la > bMaxLat) return false;
            if (boxWraps ? lo < bMinLon && lo > bMaxLon : lo < bMinLon || lo > bMaxLon) return false;
          }
          if (hasNear && !(haversineMeters(nLat, nLon, la, lo) <= nMeters)) return false;
        }
        if (hasSkills) {
          if (skillsImpossible) return false;
          const have = skills[s]!;
          if (skillsAll) {
            for (const w of wantedIds) if (!have.includes(w)) return false;
          } else {
            let any = false;
            for (const w of wantedIds)
              if (have.includes(w)) {
                any = true;
                break;
              }
            if (!any) return false;
          }
        }
        return true;
      };
    };

    /**
     * Counts and coordinate sums of the positions of [from, to) that pass, in
     * one branch-free pass (the flags are loop-invariant, so only the data
     * varies). Near and skills need per-point work: they take the predicate.
     */
    const sumRun = (view: ColumnView, dead: Uint8Array, openUntil: Float64Array, boxInside: boolean, from: number, to: number, out: Float64Array): void => {
      const { published, category, etype, hourlyMin, hourlyMax, remote, startDay, endDay, business, lat, lon, latE, lonE } = view;
      let cnt = 0;
      let sLat = 0;
      let sLon = 0;
      if (hasNear || hasSkills) {
        const one = predicateOver(view);
        for (let i = from; i < to; i++) {
          if (dead[i] === 1 || !one(i)) continue;
          cnt++;
          sLat += latE[i]!;
          sLon += lonE[i]!;
        }
      } else {
        const checkBox = hasBox && !boxInside;
        for (let i = from; i < to; i++) {
          let ok: number;
          if (owner) ok = (dead[i]! ^ 1) & (business[i] === bid ? 1 : 0);
          else {
            // open, not expired and live (see GeoIndex.openUntil)
            ok = openUntil[i]! > nowMs ? 1 : 0;
            if (hasBusiness) ok &= business[i] === bid ? 1 : 0;
          }
          if (hasCat) ok &= (catMask >>> category[i]!) & 1;
          if (hasType) ok &= (typeMask >>> etype[i]!) & 1;
          if (hasPayMin) ok &= hourlyMax[i]! >= pMin ? 1 : 0;
          if (hasPayMax) ok &= hourlyMin[i]! <= pMax ? 1 : 0;
          if (hasAvail) ok &= (startDay[i]! <= availTo ? 1 : 0) & (endDay[i]! >= availFrom ? 1 : 0);
          if (hasRemote) ok &= remote[i] === remoteV ? 1 : 0;
          if (hasPosted) ok &= published[i]! >= postedSince ? 1 : 0;
          if (checkBox) {
            const la = lat[i]!;
            const lo = lon[i]!;
            ok &= (la >= bMinLat ? 1 : 0) & (la <= bMaxLat ? 1 : 0);
            ok &= boxWraps ? (lo >= bMinLon ? 1 : 0) | (lo <= bMaxLon ? 1 : 0) : (lo >= bMinLon ? 1 : 0) & (lo <= bMaxLon ? 1 : 0);
          }
          cnt += ok;
          sLat += ok * latE[i]!;
          sLon += ok * lonE[i]!;
        }
      }
      out[0] = cnt;
      out[1] = sLat;
      out[2] = sLon;
    };

    /**
     * The filter-only scan without a closure call or an early exit per
     * position: every flag is loop-invariant, so the branch predictor settles
     * and the loop is loads and compares; the slot is written unconditionally
     * and kept by advancing n.
     */
    const collectRun = (view: ColumnView, slots: Int32Array, dead: Uint8Array, openUntil: Float64Array, from: number, to: number, out: Int32Array, n: number): number => {
      const { published, category, etype, hourlyMin, hourlyMax, remote, startDay, endDay, business } = view;
      // Locals, not captured variables: the loop then reads registers, not the closure's context.
      const [isOwner, byBusiness, business0, now0] = [owner, hasBusiness, bid, nowMs];
      const [byCat, cats, byType, types] = [hasCat, catMask, hasType, typeMask];
      const [byPayMin, payMin0, byPayMax, payMax0, byAvail, from0, to0] = [hasPayMin, pMin, hasPayMax, pMax, hasAvail, availFrom, availTo];
      const [byRemote, remote0, byPosted, since0] = [hasRemote, remoteV, hasPosted, postedSince];
      for (let i = from; i < to; i++) {
        let ok: number;
        if (isOwner) ok = (dead[i]! ^ 1) & (business[i] === business0 ? 1 : 0);
        else {
          ok = openUntil[i]! > now0 ? 1 : 0;
          if (byBusiness) ok &= business[i] === business0 ? 1 : 0;
        }
        if (byCat) ok &= (cats >>> category[i]!) & 1;
        if (byType) ok &= (types >>> etype[i]!) & 1;
        if (byPayMin) ok &= hourlyMax[i]! >= payMin0 ? 1 : 0;
        if (byPayMax) ok &= hourlyMin[i]! <= payMax0 ? 1 : 0;
        if (byAvail) ok &= (startDay[i]! <= to0 ? 1 : 0) & (endDay[i]! >= from0 ? 1 : 0);
        if (byRemote) ok &= remote[i] === remote0 ? 1 : 0;
        if (byPosted) ok &= published[i]! >= since0 ? 1 : 0;
        out[n] = slots[i]!;
        n += ok;
      }
      return n;
    };

    let geo: Bounds | undefined;
    if (near) geo = circleBounds(near.lat, near.lon, near.radiusKm);
    if (bbox && !geo) geo = bbox;
    const terms = f.text !== undefined ? tokenize(f.text) : undefined;
    const columnOnly = terms === undefined && geo === undefined && !hasSkills && !needLoc;
    const categoryRuns: Array<[number, number]> = [];
    if (!hasCat) categoryRuns.push([0, Infinity]);
    else for (let code = 0; code < 32; code++) if ((catMask >>> code) & 1) categoryRuns.push([filterKey(code, Infinity), code === 31 ? Infinity : filterKey(code + 1, Infinity)]);
    return { pred: predicateOver(this.cols), predicateOver, sumRun, columnOnly, collectRun, categoryRuns, terms, geo, near };
  }

  private ensureScratch(): void {
    if (this.matchSlots.length >= this.cols.size) return;
    const cap = Math.max(1024, this.cols.cap);
    this.matchSlots = new Int32Array(cap);
    this.matchScores = new Float64Array(cap);
  }

  private refreshGeo(): void {
    if (this.geo.stale) this.geo.rebuild(this.cols, this.cols.size);
  }

  private refreshByCategory(): void {
    if (this.byCategory.stale) this.byCategory.rebuild(this.cols, this.cols.size, this.filterKeys());
  }

  /** Every match of a plan (unordered), with text scores when there is text. */
  private collect(plan: Plan): Matches {
    this.ensureScratch();
    const out = this.matchSlots;
    const outScores = this.matchScores;
    const pred = plan.pred;
    let n = 0;
    if (plan.terms !== undefined) {
      // Few points in the place and common words: take the points, score each.
      if (plan.geo) {
        this.refreshGeo();
        const scorer = this.text.prepare(plan.terms);
        const g = this.geo;
        const ranges = coverRanges(plan.geo).map(([from, to]) => [g.lowerBound(from), g.lowerBound(to)] as const);
        const inPlace = ranges.reduce((sum, [a, b]) => sum + (b - a), 0) + g.delta.length;
        if (scorer.cost > 0 && (this.geoFirstRatio === 0 || inPlace * this.geoFirstRatio < scorer.cost)) {
          const { slots, dead } = g;
          const at = plan.predicateOver(g.view);
          const take = (s: number): void => {
            const score = scorer.score(s);
            if (Number.isNaN(score)) return;
            out[n] = s;
            outScores[n] = score;
            n++;
          };
          for (const [from, to] of ranges) for (let i = from; i < to; i++) if (dead[i] === 0 && at(i)) take(slots[i]!);
          for (const s of g.delta) if (pred(s)) take(s);
          return { slots: out, scores: outScores, count: n };
        }
      }
      const t = this.text.search(plan.terms);
      for (let i = 0; i < t.count; i++) {
        const s = t.slots[i]!;
        if (pred(s)) {
          out[n] = s;
          outScores[n] = t.scores[i]!;
          n++;
        }
      }
      return { slots: out, scores: outScores, count: n };
    }
    if (plan.geo) {
      this.refreshGeo();
      const g = this.geo;
      const keys = g.keys;
      const slots = g.slots;
      const dead = g.dead;
      const at = plan.predicateOver(g.view);
      for (const [from, to] of coverRanges(plan.geo)) {
        for (let i = g.lowerBound(from); i < g.size && keys[i]! < to; i++) {
          if (dead[i] === 0 && at(i)) out[n++] = slots[i]!;
        }
      }
      for (const s of g.delta) if (pred(s)) out[n++] = s;
      return { slots: out, scores: outScores, count: n };
    }
    if (plan.columnOnly) {
      // Sequential passes over the category runs asked for (all of them
      // without a category filter), plus the few slots moved since the sort.
      this.refreshByCategory();
      const x = this.byCategory;
      for (const [from, to] of plan.categoryRuns) n = plan.collectRun(x.view, x.slots, x.dead, x.openUntil, x.lowerBound(from), x.lowerBound(to), out, n);
      for (const s of x.delta) if (pred(s)) out[n++] = s;
      return { slots: out, scores: outScores, count: n };
    }
    const size = this.cols.size;
    for (let s = 0; s < size; s++) if (pred(s)) out[n++] = s;
    return { slots: out, scores: outScores, count: n };
  }

  /**
   * The match fields of jobs, from the in-memory columns: no document is read
   * or parsed (a match of 500 jobs needs none). The same values the documents
   * hold: skills as their distinct lowercase names (the score lowercases
   * anyway), the quantised point (the score quantises, and quantising is
   * idempotent), dates as days.
   */
  matchJobs(jobIds: readonly string[]): Array<MatchCandidate | undefined> {
    return jobIds.map((id) => {
      const slot = this.slotOf.get(id);
      return slot === undefined ? undefined : this.matchCandidateAt(slot);
    });
  }

  /**
   * Every match of the filters at once (one pass, not a query per page), the
   * newest `limit` (ties: jobId), as match candidates from the columns: what a
   * recommendation's candidate set needs.
   */
  async matchCandidates(filters: FilterInput, now: Date, limit: number): Promise<MatchCandidate[]> {
    const m = this.collect(this.plan(filters, now));
    const { published, jobIds } = this.cols;
    const slots = Array.from(m.slots.subarray(0, m.count));
    if (slots.length > limit) slots.sort((a, b) => published[b]! - published[a]! || (jobIds[a]! < jobIds[b]! ? -1 : 1)).length = limit;
    return slots.map((s) => this.matchCandidateAt(s));
  }

  private matchCandidateAt(slot: number): MatchCandidate {
    const c = this.cols;
    const lat = c.lat[slot]!;
    const lon = c.lon[slot]!;
    const start = c.startDay[slot]!;
    const end = c.endDay[slot]!;
    const expires = c.expires[slot]!;
    const job: MatchCandidate = {
      jobId: c.jobIds[slot]!,
      businessId: c.businesses.values[c.business[slot]!] ?? '',
      status: statusNames[c.status[slot]!] ?? 'draft',
      skills: this.skillNamesOf(c.skills[slot]!),
      skillsNormalized: true,
      remote: c.remote[slot] === 1,
      hourlyMax: c.hourlyMax[slot]!,
      experienceYears: c.experience[slot]!,
      days: start === NO_START_DAY ? (end === NO_END_DAY ? {} : { end }) : end === NO_END_DAY ? { start } : { start, end },
    };
    if (!Number.isNaN(expires)) {
      job.expiresAt = this.isoInstants.of(expires);
      job.expiresMs = expires;
    }
    if (!Number.isNaN(lat)) job.location = { lat, lon };
    if (start !== NO_START_DAY) job.startDate = this.isoDays.of(start);
    if (end !== NO_END_DAY) job.endDate = this.isoDays.of(end);
    return job;
  }

  /** Skill names of a shared skill-id set (jobs share few distinct sets), made once per set. */
  private readonly skillNameLists = new WeakMap<Int32Array, string[]>();
  private skillNamesOf(ids: Int32Array): string[] {
    let names = this.skillNameLists.get(ids);
    if (!names) this.skillNameLists.set(ids, (names = Array.from(ids, (id) => this.cols.skillNames.values[id]!)));
    return names;
  }

  /** Dates and instants as strings, made once per value: jobs share few distinct days and expiry instants. */
  private readonly isoDays = new StringCache((day) => new Date(day * DAY_MS).toISOString().slice(0, 10));
  private readonly isoInstants = new StringCache((ms) => new Date(ms).toISOString());

  async search(request: SearchRequest | SearchInput, now: Date): Promise<SearchResult> {
    return this.searchSync(request, now);
  }

  searchSync(request: SearchRequest | SearchInput, now: Date): SearchResult {
    const plan = this.plan(request, now);
    const m = this.collect(plan);
    const cols = this.cols;
    const sort = request.sort ?? 'relevance';
    const size = Math.max(1, Math.min(100, request.size ?? 20));
    const kind: CursorSort = sort === 'relevance' ? (plan.terms !== undefined ? 'score' : 'newest') : sort === 'newest' ? 'newest' : sort === 'pay' ? 'pay' : 'distance';
    if (kind === 'distance' && !plan.near) throw new RangeError('sort by distance needs near');

    // Primary sort value per match, larger first (distance negated).
    if (this.primaryScratch.length < m.count) this.primaryScratch = new Float64Array(this.matchSlots.length);
    const primary = this.primaryScratch;
    const nearP = plan.near;
    const slotsM = m.slots;
    if (kind === 'score') primary.set(m.scores.subarray(0, m.count));
    else if (kind === 'newest') {
      const published = cols.published;
      for (let i = 0; i < m.count; i++) primary[i] = published[slotsM[i]!]!;
    } else if (kind === 'pay') {
      const hourlyMax = cols.hourlyMax;
      for (let i = 0; i < m.count; i++) primary[i] = hourlyMax[slotsM[i]!]!;
    }
    else {
      const nLat = nearP?.lat ?? 0;
      const nLon = nearP?.lon ?? 0;
      for (let i = 0; i < m.count; i++) {
        const s = slotsM[i]!;
        primary[i] = -haversineMeters(nLat, nLon, cols.lat[s]!, cols.lon[s]!) / 1000;
      }
    }

    let cursor: Cursor | undefined;
    if (request.cursor !== undefined) cursor = decodeCursor(request.cursor, kind);
    const cp = cursor === undefined ? Infinity : cursor.value === null ? -Infinity : kind === 'distance' ? -cursor.value : cursor.value;
    const cid = cursor?.jobId ?? '';
    const ids = cols.jobIds;

    // Bounded heap of the best `size` eligible matches; the root is the worst kept.
    const heap: number[] = [];
    const worse = (a: number, b: number): boolean => {
      const pa = primary[a]!;
      const pb = primary[b]!;
      return pa < pb || (pa === pb && ids[m.slots[a]!]! > ids[m.slots[b]!]!);
    };
    const siftDown = (i: number): void => {
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let w = i;
        if (l < heap.length && worse(heap[l]!, heap[w]!)) w = l;
        if (r < heap.length && worse(heap[r]!, heap[w]!)) w = r;
        if (w === i) return;
        [heap[i], heap[w]] = [heap[w]!, heap[i]!];
        i = w;
      }
    };
    let eligible = 0;
    let worstP = -Infinity; // primary of the heap's root once full: anything below cannot enter
    const hasCursor = cursor !== undefined;
    for (let i = 0; i < m.count; i++) {
      const p = primary[i]!;
      if (hasCursor && !(p < cp || (p === cp && ids[slotsM[i]!]! > cid))) continue;
      eligible++;
      if (p < worstP) continue;
      if (heap.length < size) {
        heap.push(i);
        for (let j = heap.length - 1; j > 0; ) {
          const parent = (j - 1) >> 1;
          if (!worse(heap[j]!, heap[parent]!)) break;
          [heap[j], heap[parent]] = [heap[parent]!, heap[j]!];
          j = parent;
        }
        if (heap.length === size) worstP = primary[heap[0]!]!;
      } else if (worse(heap[0]!, i)) {
        heap[0] = i;
        siftDown(0);
        worstP = primary[heap[0]]!;
      }
    }
    const page = heap.sort((a, b) => (worse(a, b) ? 1 : worse(b, a) ? -1 : 0));

    const termSet = request.highlight && plan.terms ? new Set(plan.terms) : undefined;
    const hits: SearchHit[] = [];
    for (const i of page) {
      const s = m.slots[i]!;
      const job = this.getDocSync(ids[s]!);
      if (!job) continue;
      const hit: SearchHit = { job };
      if (kind === 'score') hit.score = primary[i]!;
      if (plan.near) hit.distanceKm = kind === 'distance' ? -primary[i]! : haversineMeters(plan.near.lat, plan.near.lon, cols.lat[s]!, cols.lon[s]!) / 1000;
      if (termSet) {
        const title = highlightWhole(job.title, termSet);
        const description = highlightFragments(job.description, termSet);
        if (title !== undefined || description.length > 0) hit.highlights = { ...(title !== undefined ? { title: [title] } : {}), ...(description.length > 0 ? { description } : {}) };
      }
      hits.push(hit);
    }

    const result: SearchResult = { total: m.count, hits };
    const last = page[page.length - 1];
    if (eligible > size && last !== undefined) {
      const p = primary[last]!;
      result.nextCursor = encodeCursor({ sort: kind, value: kind === 'distance' ? -p : p === -Infinity ? null : p, jobId: ids[m.slots[last]!]! });
    }
    if (request.facets) result.facets = this.facets(m);
    return result;
  }

  private facets(m: Matches): NonNullable<SearchResult['facets']> {
    const cat = new Int32Array(32);
    const typ = new Int32Array(32);
    const bands = new Int32Array(payBands.length);
    const { category, etype, hourlyMax } = this.cols;
    for (let i = 0; i < m.count; i++) {
      const s = m.slots[i]!;
      cat[category[s]! & 31]!++;
      typ[etype[s]! & 31]!++;
      bands[payBandIndex(hourlyMax[s]!)]!++;
    }
    const buckets = (names: readonly string[], counts: Int32Array): FacetBucket[] =>
      names
        .map((key, i) => ({ key, count: counts[i] ?? 0 }))
        .filter((b) => b.count > 0)
        .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return {
      category: buckets(categories, cat),
      employmentType: buckets(employmentTypes, typ),
      payBands: payBands.map((b, i): PayBand => ({ ...b, count: bands[i] ?? 0 })),
    };
  }

  async map(request: (MapRequest & MapCap) | MapInput, now: Date): Promise<MapResult> {
    return this.mapSync(request, now);
  }

  mapSync(request: (MapRequest & MapCap) | MapInput, now: Date): MapResult {
    const precision = geohashPrecisionFor(request.zoom);
    const plan = this.plan(request, now);
    const div = 2 ** (KEY_BITS - 5 * precision);
    const { lat, lon, latE, lonE, geoKey } = this.cols;
    // Sums of integer (Lucene) coordinates: exact, so the pyramid's aggregates and a scan agree bit for bit.
    const cells = new Map<number, { count: number; sumLat: number; sumLon: number }>();
    let total = 0;
    const points: number[] = [];
    const add = (key: number, count: number, sumLat: number, sumLon: number): void => {
      const c = cells.get(key);
      if (c) {
        c.count += count;
        c.sumLat += sumLat;
        c.sumLon += sumLon;
      } else cells.set(key, { count, sumLat, sumLon });
    };
    const one = (s: number): void => {
      total++;
      if (points.length <= mapPointsThreshold) points.push(s);
      add(Math.floor(geoKey[s]! / div), 1, latE[s]!, lonE[s]!);
    };

    if (plan.terms !== undefined) {
      const m = this.collect(plan);
      for (let i = 0; i < m.count; i++) one(m.slots[i]!);
    } else {
      this.refreshGeo();
      const g = this.geo;
      const { keys, slots, dead } = g;
      const pred = plan.pred;
      // Cell by cell: each geohash cell at this precision is one run of the sorted points.
      const sums = new Float64Array(3);
      const box = request.bbox;
      /** Whether a cell lies inside the viewport, so its points need no box test. */
      const cellInside = (key: number): boolean => {
        const c = geohashBounds(keyToGeohash(key, precision));
        if (c.minLat < box.minLat || c.maxLat > box.maxLat) return false;
        if (box.minLon <= box.maxLon) return c.minLon >= box.minLon && c.maxLon <= box.maxLon;
        return c.minLon >= box.minLon || c.maxLon <= box.maxLon;
      };
      const collecting = (from: number, to: number): void => {
        for (let i = from; i < to && points.length <= mapPointsThreshold; i++) if (dead[i] === 0 && at(i)) points.push(slots[i]!);
      };
      const at = plan.predicateOver(g.view);
      const pf = this.pyramid ? pyramidFilter(request) : undefined;
      const fromPyramid: Array<[number, number]> = [];
      const scannedAt: number[] = [];
      const fast = pf !== undefined && this.pyramid!.map({ precision, box: request.bbox, catMask: pf.mask, now: now.getTime(), ranges: coverRanges(request.bbox), at, add }, fromPyramid, scannedAt) !== undefined;
      if (!fast) for (const [fromKey, toKey] of coverRanges(plan.geo ?? request.bbox)) {
        let i = g.lowerBound(fromKey);
        const end = g.lowerBound(toKey);
        while (i < end) {
          const key = Math.floor(keys[i]! / div);
          const runEnd = Math.min(end, g.lowerBound((key + 1) * div));
          plan.sumRun(g.view, dead, g.openUntil, cellInside(key), i, runEnd, sums);
          if (sums[0]! > 0) {
            add(key, sums[0]!, sums[1]!, sums[2]!);
            if (points.length <= mapPointsThreshold) collecting(i, runEnd);
          }
          i = runEnd;
        }
      }
      for (const c of cells.values()) total += c.count;
      for (const s of g.delta) if (pred(s)) one(s);
      if (fast && total <= mapPointsThreshold) {
        const found = scannedAt;
        this.pyramid!.pointsOf(fromPyramid, at, found);
        for (const i of found) points.push(slots[i]!);
      }
    }

    const clusters: MapCluster[] = [...cells.entries()].map(([k, c]) => {
      const key = keyToGeohash(k, precision);
      return { key, count: c.count, centroid: { lat: (c.sumLat / c.count) * LAT_DECODE, lon: (c.sumLon / c.count) * LON_DECODE }, bounds: geohashBounds(key) };
    });
    clusters.sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    // As the engine: the most populated cells up to the cap; `total` still counts every job in the viewport.
    const cap = mapCellCap(request.maxCells ?? this.mapMaxCells);
    const truncated = clusters.length > cap;
    if (truncated) clusters.length = cap;
    const result: MapResult = { zoom: request.zoom, precision, total, clusters, ...(truncated ? { truncated } : {}) };
    if (total <= mapPointsThreshold) {
      const ids = this.cols.jobIds;
      const titles = this.cols.titles;
      result.points = points
        .map((s): MapPoint => ({ jobId: ids[s]!, lat: lat[s]!, lon: lon[s]!, title: titles[s]! }))
        .sort((a, b) => (a.jobId < b.jobId ? -1 : a.jobId > b.jobId ? 1 : 0));
    }
    return result;
  }

  async suggest(prefix: string, size: number): Promise<string[]> {
    const p = prefix.trim().toLowerCase();
    if (p.length === 0 || size <= 0) return [];
    const found: Array<{ title: string; open: number }> = [];
    const isWordChar = (ch: string | undefined): boolean => ch !== undefined && /[\p{L}\p{N}]/u.test(ch);
    for (const [title, e] of this.titleCounts) {
      for (let at = e.lower.indexOf(p); at !== -1; at = e.lower.indexOf(p, at + 1)) {
        if (at === 0 || !isWordChar(e.lower[at - 1])) {
          found.push({ title, open: e.open });
          break;
        }
      }
    }
    found.sort((a, b) => b.open - a.open || (a.title < b.title ? -1 : a.title > b.title ? 1 : 0));
    return found.slice(0, size).map((f) => f.title);
  }

  /** Sizes of the in-memory structures, for operators and the benchmark. */
  stats(): { documents: number; located: number; geoDelta: number; terms: number[]; mapPyramid?: ReturnType<MapPyramid['stats']> } {
    return {
      documents: this.cols.size,
      located: this.cols.geoKey.subarray(0, this.cols.size).filter((k) => k >= 0).length,
      geoDelta: this.geo.delta.length,
      terms: textFields.map((_, f) => this.text.stats(f).terms),
      ...(this.pyramid ? { mapPyramid: this.pyramid.stats() } : {}),
    };
  }

  // ---- drift check and repair (ops/drift) ---------------------------------------

  /**
   * Up to `limit` stored documents in job id order after `afterJobId`, only
   * those whose position is above `abovePosition` when given. Each page is one
   * synchronous read, so a projector writing between pages never meets an
   * open cursor on this connection.
   */
  scanJobs(afterJobId: string, limit: number, abovePosition = -1): JobDocument[] {
    this.driftStmt ??= this.prepareDriftStatements();
    return this.driftStmt.scan.all(afterJobId, abovePosition, limit).map(fromRow);
  }

  /**
   * Writes each document whatever its position (a repair may need to put back
   * an equal or older one), but only where the stored position is still the one
   * the caller saw (`undefined`: still absent), so a projector write that landed
   * since is never undone. Returns the job ids written.
   */
  replaceJobs(changes: ReadonlyArray<{ doc: JobDocument; seenPosition: number | undefined }>): string[] {
    this.driftStmt ??= this.prepareDriftStatements();
    const stmt = this.driftStmt;
    const due = new Map<string, JobDocument>();
    for (const { doc, seenPosition } of changes) {
      const slot = this.slotOf.get(doc.jobId);
      if ((slot === undefined ? undefined : this.cols.position[slot]) === seenPosition) due.set(doc.jobId, doc);
    }
    const writes = [...due.values()].map((d) => ({ d, ids: this.termIds(d) }));
    const olds = new Map<string, { doc: IndexedDoc; ids: ArrayLike<number>[] | undefined }>();
    this.db.transaction(() => {
      this.persistTerms();
      for (const { d, ids } of writes) {
        const row = this.stmt.getIndexed.get(d.jobId);
        const blob = row?.[indexColumns.length];
        if (row !== undefined) olds.set(d.jobId, { doc: fromIndexRow(row), ids: blob ? decodeTermIds(blob) : undefined });
        stmt.replace.run(...toUpsertRow(d, encodeTermIds(ids)));
      }
    })();
    this.persistedTerms = this.text.dictionary.terms.length;
    for (const { d, ids } of writes) {
      const old = olds.get(d.jobId);
      this.apply(d, old?.doc, ids, old?.ids);
    }
    return writes.map((w) => w.d.jobId);
  }

  /**
   * Deletes documents whose stored position is still the one the caller saw.
   * The in-memory slot stays allocated (slots are never reused) but can match
   * nothing any more: no text postings, no place, a draft (hidden from public
   * queries) of no business (owner queries compare interned ids, all ≥ 0).
   * `count()` still counts such slots until the store is reopened. Returns the
   * job ids deleted.
   */
  deleteJobs(changes: ReadonlyArray<{ jobId: string; seenPosition: number }>): string[] {
    this.driftStmt ??= this.prepareDriftStatements();
    const stmt = this.driftStmt;
    const due = changes.filter(({ jobId, seenPosition }) => {
      const slot = this.slotOf.get(jobId);
      return slot !== undefined && this.cols.position[slot] === seenPosition;
    });
    const olds = new Map<string, { doc: IndexedDoc; ids: ArrayLike<number>[] | undefined }>();
    this.db.transaction(() => {
      for (const { jobId } of due) {
        const row = this.stmt.getIndexed.get(jobId);
        const blob = row?.[indexColumns.length];
        if (row !== undefined) olds.set(jobId, { doc: fromIndexRow(row), ids: blob ? decodeTermIds(blob) : undefined });
        stmt.delete.run(jobId);
      }
    })();
    const deleted: string[] = [];
    for (const { jobId } of due) {
      this.docCache.delete(jobId);
      const slot = this.slotOf.get(jobId);
      const old = olds.get(jobId);
      if (slot === undefined || !old) continue;
      if (this.cols.status[slot] === STATUS_OPEN) this.countTitle(this.cols.titles[slot] ?? '', -1);
      this.text.remove(slot, old.ids ?? this.termIds(old.doc));
      const { location: _place, ...rest } = old.doc;
      this.setColumns(slot, { ...rest, status: 'draft' }, false);
      this.cols.business[slot] = -3;
      this.geo.sync(slot, this.cols);
      this.byCategory.sync(slot, this.cols);
      this.slotOf.delete(jobId);
      deleted.push(jobId);
    }
    return deleted;
  }

  private driftStmt: { scan: Database.Statement<[string, number, number], StoredRow>; replace: Database.Statement<UpsertRow>; delete: Database.Statement<[string]> } | undefined;

  private prepareDriftStatements(): NonNullable<EmbeddedJobStore['driftStmt']> {
    return {
      scan: this.db.prepare<[string, number, number], StoredRow>('SELECT description, doc FROM job_documents WHERE job_id > ? AND position > ? ORDER BY job_id LIMIT ?').raw(),
      replace: this.db.prepare<UpsertRow>(
        `INSERT INTO job_documents (${indexColumns.join(', ')}, terms, doc) VALUES (${indexColumns.map(() => '?').join(', ')}, ?, ?)
         ON CONFLICT (job_id) DO UPDATE SET ${[...indexColumns.slice(1), 'terms', 'doc'].map((c) => `${c} = excluded.${c}`).join(', ')}`,
      ),
      delete: this.db.prepare<[string]>('DELETE FROM job_documents WHERE job_id = ?'),
    };
  }

  // ---- expiry sweep (ops/scheduler) ---------------------------------------------

  /** Open jobs whose expiresAt is at or before `now`, by jobId after `afterJobId`: the expiry job's candidates. */
  async expiredOpenJobIds(now: Date, size: number, afterJobId = ''): Promise<string[]> {
    // julianday compares instants whatever offset each was written with.
    return this.db
      .prepare<[string, string, number], string>(
        `SELECT job_id FROM job_documents
          WHERE status = 'open' AND expires_at IS NOT NULL AND julianday(expires_at) <= julianday(?) AND job_id > ?
          ORDER BY job_id LIMIT ?`,
      )
      .pluck()
      .all(now.toISOString(), afterJobId, Math.max(1, Math.trunc(size)));
  }
}

/** Opens the embedded `jobs` read store at `path` (':memory:' for a throwaway one). */
export async function openEmbeddedJobStore(options: EmbeddedJobStoreOptions): Promise<EmbeddedJobStore> {
  return EmbeddedJobStore.open(options);
}
