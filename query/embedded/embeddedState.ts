// What every part of the embedded store reads and writes: the SQLite
// connection with its statements, the in-memory structures rebuilt from it,
// and the scratch the queries reuse. One object, passed explicitly.

import { Visibility } from './visibility.ts';
import type Database from 'better-sqlite3';
import type { JobDocument } from '../../mappings/jobDocument.ts';
import { embeddedJobsMigrations, embeddedJobsSchema } from '../../mappings/embeddedJobsSchema.ts';
import { Columns } from './columns.ts';
import { GeoIndex } from './geoIndex.ts';
import { type JobStatements, prepareJobStatements } from './jobRows.ts';
import { MapPyramid } from './mapPyramid.ts';
import type { TitleCounts } from './suggest.ts';
import { SlotsByValue } from './slotsByValue.ts';
import { TextIndex } from './textIndex.ts';
import { WriteStamp } from './writeStamp.ts';
import { textFields } from '../model/textFields.ts';

export interface EmbeddedJobStoreOptions {
  /** SQLite file, or ':memory:'. */
  path: string;
  /** Tuning: unsorted geo writes (and category, skill and city writes) tolerated before a re-sort (default 4096); tests make it tiny. */
  geoDeltaLimit?: number;
  /**
   * Tuning: text with a place is served from the place's points (each scored)
   * when points × this < the postings the text would walk (default 16; 0:
   * always when there is a place; Infinity: never).
   */
  geoFirstRatio?: number;
  /**
   * Tuning of facets: a wide set with more than 1/facetSlotOrderAt of the
   * store is counted in slot order, else each job in turn (default 32); in
   * the first case a facet filter is collected from its own source when
   * that visits fewer jobs than wide × facetTestEachAt, else tested on each
   * wide job (default 2). 0 and Infinity force one way; tests use them.
   */
  facetSlotOrderAt?: number;
  facetTestEachAt?: number;
  /** Parsed documents kept for hits and getJob, most recently used first out last (default 20 000; 0: none). */
  docCacheSize?: number;
  /**
   * Bulk load of a fresh file nothing reads before it is closed and reopened
   * (an offline rebuild): writes rows and term ids only, not the in-memory
   * indexes (count() and reads see nothing written). Each document once.
   */
  writeOnly?: boolean;
  /**
   * A fresh file nothing else opens before it is closed (an offline rebuild
   * that keeps the in-memory indexes): no journal, no syncs, as writeOnly; the
   * indexes are kept by every write and saved as segments at close, so no
   * open has to load the rows again.
   */
  bulkLoad?: boolean;
  /** Tuning: how many of the best scores a ranked match (rankedMatches.ts) heaps before the rest (default 128); tests make it tiny. */
  rankHead?: number;
  /** Map aggregates per coarse geohash cell (mapPyramid.ts; default true; false: every map scans, the reference). */
  mapPyramid?: boolean;
  /** Cells one map answer holds when the request names no cap (default DEFAULT_MAP_MAX_CELLS, at most 65 535, as the engine); past it `truncated`. */
  mapMaxCells?: number;
  /**
   * Persisted in-memory segments beside the file (`<path>.segments`, see
   * saveSegments.ts): opening takes them when they describe exactly the rows,
   * close writes them (default true; false: always the full load, never written).
   */
  segments?: boolean;
}

export interface EmbeddedState {
  readonly db: Database.Database;
  readonly stmt: JobStatements;
  /** The file's id and write counter: which rows the in-memory structures reflect (writeStamp.ts). */
  readonly stamp: WriteStamp;
  readonly cols: Columns;
  readonly text: TextIndex;
  readonly geo: GeoIndex;
  readonly pyramid: MapPyramid | undefined;
  /**
   * Every slot ordered by category, then newest first (filterKey): a category
   * filter reads only its categories' runs, not the whole store. The geo
   * index's machinery (sorted column copies, delta of moved slots) with
   * another key; its copies leave out the place, skills and city (only column-only
   * filters read it).
   */
  readonly byCategory: GeoIndex;
  /** Slots by skill id and by city id (built when the store opens, not persisted): a skill or city filter reads its values' slots. */
  readonly bySkill: SlotsByValue;
  readonly byCity: SlotsByValue;
  /** The remote slots (one value, 0), built on first use likewise: a remote filter (every recommendation) reads them, not the whole store. */
  readonly byRemote: SlotsByValue;
  /** The remote slots by skill id + 1 (0: a job asking no skills), likewise: a worker's remote jobs that have any of its skills (rankedMatches.ts). */
  readonly remoteBySkill: SlotsByValue;
  /** Which slots the public sees now (built on first use, kept by writes). */
  readonly visibility: Visibility;
  readonly slotOf: Map<string, number>;
  readonly titleCounts: TitleCounts;
  /** Parsed documents by id, oldest use first (a Map keeps insertion order). Documents are never mutated once stored. */
  readonly docCache: Map<string, JobDocument>;
  readonly docCacheSize: number;
  readonly geoFirstRatio: number;
  readonly facetSlotOrderAt: number;
  readonly facetTestEachAt: number;
  readonly mapMaxCells: number | undefined;
  readonly writeOnly: boolean;
  matchSlots: Int32Array;
  matchScores: Float64Array;
  primaryScratch: Float64Array;
  /** How many dictionary terms text_terms holds. */
  persistedTerms: number;
  generation: number;
  /** The earliest expiry of an open job after `from` (kept by writes: a new one earlier lowers it; a job closing only makes it conservative). */
  nextExpiry: { from: number; until: number } | undefined;
}

/** Every store's content gets numbers from one sequence, so a store swapped in by a rebuild never repeats an old one. */
let lastGeneration = 0;

export function nextGeneration(): number {
  return ++lastGeneration;
}

/** Brings the file's schema up to date and sets up empty in-memory structures (loadStore.ts fills them). */
export function createState(db: Database.Database, options: EmbeddedJobStoreOptions): EmbeddedState {
  const geo = new GeoIndex();
  const cols = new Columns();
  const bySkill = new SlotsByValue((s, each) => {
    const ids = cols.skills[s]!;
    for (let k = 0; k < ids.length; k++) each(ids[k]!);
  });
  const byCity = new SlotsByValue((s, each) => {
    const id = cols.city[s]!;
    if (id >= 0) each(id);
  });
  const byRemote = new SlotsByValue((s, each) => {
    if (cols.remote[s] === 1) each(0);
  });
  const remoteBySkill = new SlotsByValue((s, each) => {
    if (cols.remote[s] !== 1) return;
    const ids = cols.skills[s]!;
    if (ids.length === 0) each(0);
    for (let k = 0; k < ids.length; k++) each(ids[k]! + 1);
  });
  const byCategory = new GeoIndex(false);
  if (options.geoDeltaLimit !== undefined) geo.deltaLimit = byCategory.deltaLimit = bySkill.deltaLimit = byCity.deltaLimit = byRemote.deltaLimit = remoteBySkill.deltaLimit = options.geoDeltaLimit;
  const writeOnly = options.writeOnly ?? false;
  const unjournaled = writeOnly || options.bulkLoad === true;
  // A bulk-loaded file is discarded on a crash, never opened half-written: no journal, no syncs (the next normal open sets WAL again).
  db.pragma(unjournaled ? 'journal_mode = OFF' : 'journal_mode = WAL');
  db.pragma(unjournaled ? 'synchronous = OFF' : 'synchronous = NORMAL');
  db.exec(embeddedJobsSchema);
  const columns = db.prepare<[], { name: string }>('PRAGMA table_info(job_documents)').all();
  for (const m of embeddedJobsMigrations) if (!columns.some((c) => c.name === m.column)) db.exec(m.ddl);
  return {
    db,
    stmt: prepareJobStatements(db),
    stamp: new WriteStamp(db),
    cols,
    text: new TextIndex(textFields),
    geo,
    pyramid: options.mapPyramid === false ? undefined : new MapPyramid(geo),
    byCategory,
    bySkill,
    byCity,
    byRemote,
    remoteBySkill,
    visibility: new Visibility(),
    slotOf: new Map(),
    titleCounts: new Map(),
    docCache: new Map(),
    docCacheSize: options.docCacheSize ?? 20_000,
    geoFirstRatio: options.geoFirstRatio ?? 16,
    facetSlotOrderAt: options.facetSlotOrderAt ?? 32,
    facetTestEachAt: options.facetTestEachAt ?? 2,
    mapMaxCells: options.mapMaxCells,
    writeOnly,
    matchSlots: new Int32Array(0),
    matchScores: new Float64Array(0),
    primaryScratch: new Float64Array(0),
    persistedTerms: 0,
    generation: nextGeneration(),
    nextExpiry: undefined,
  };
}
