// The embedded adapter of JobReadStore. Documents and projection checkpoints
// are durable in SQLite; queries run on in-memory structures rebuilt from
// SQLite at open and kept current by every write: typed-array columns
// (columns.ts), an inverted index with BM25 (textIndex.ts) and a geohash-sorted
// point index (geoIndex.ts). Hits are read back from SQLite by id.
//
// SQLite tables (mappings/embeddedJobsSchema.ts): job_documents (the indexed
// fields as columns, the analyzed text as term ids, the rest of the document as
// JSON; a write is refused unless its position is newer), text_terms (the term
// dictionary those ids point into), projection_checkpoints, store_meta (the
// analyzer version the stored term ids were made with). Opening reads columns
// and term ids, parses no JSON and tokenizes nothing unless the analyzer
// changed; faster still, it takes the structures saved at the last clean close
// (`<path>.segments`, saveSegments.ts / loadSegments.ts) when they describe
// exactly the rows.
//
// Semantics follow the search-engine adapter (same analyzer, same BM25 norms,
// same Lucene point quantisation and geohashes) so that both answer alike.
//
// This class only wires the parts together over one EmbeddedState: writes
// (writeJobs.ts), the filter planner (filterPlan.ts) and match collection
// (collectMatches.ts) behind search (searchJobs.ts, facets.ts), map
// (mapJobs.ts), suggest (suggest.ts) and match candidates
// (matchCandidates.ts, rankedMatches.ts), plus the drift repair and expiry sweep that ops/ calls.

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { BusinessDocument, JobDocument } from '../../mappings/jobDocument.ts';
import { type BusinessStatements, jobIdsOfBusiness, prepareBusinessStatements, readBusinesses, writeBusinesses } from './businessProfiles.ts';
import type { MatchCandidate, MatchJobFields, MatchResult, MatchWeights } from '../match/matchScore.ts';
import type { WorkerProfile } from '../../eventstore/events/index.ts';
import { defaultWeights, prepareMatch } from '../match/matchScore.ts';
import type { JobReadStore, MapCap, MapResult, SearchContext, SearchResult } from '../model/readStore.ts';
import type { MapRequest, SearchRequest } from '../model/searchRequest.ts';
import { DriftRepair } from './driftRepair.ts';
import { type EmbeddedJobStoreOptions, type EmbeddedState, createState } from './embeddedState.ts';
import { expiredOpenJobIds } from './expirySweep.ts';
import type { FilterInput } from '../model/searchRequest.ts';
import type { MapInput, SearchInput } from './filterInput.ts';
import { freshness } from './freshness.ts';
import { loadStore } from './loadStore.ts';
import { mapJobs } from './mapJobs.ts';
import type { MapPyramid } from './mapPyramid.ts';
import { CandidateReader, matchJobsById, scoreOpenJobs } from './matchCandidates.ts';
import { type RankedMatch, rankedMatchesOf } from './rankedMatches.ts';
import { prepareColumnMatch } from './columnMatch.ts';
import { readJob, readJobs } from './readJobs.ts';
import { saveSegmentsIfCurrent } from './saveSegments.ts';
import { searchJobs } from './searchJobs.ts';
import { suggestTitles } from './suggest.ts';
import { textFields } from '../model/textFields.ts';
import { writeJobs } from './writeJobs.ts';

export type { EmbeddedJobStoreOptions } from './embeddedState.ts';
export type { FilterInput } from '../model/searchRequest.ts';
export type { MapInput, SearchInput } from './filterInput.ts';

export class EmbeddedJobStore implements JobReadStore {
  readonly kind = 'embedded' as const;
  private readonly st: EmbeddedState;
  private readonly candidates: CandidateReader;
  private readonly rankHead: number | undefined;
  private readonly drift: DriftRepair;
  private readonly businessStmt: BusinessStatements;
  /** The SQLite file this store was opened on (':memory:' or '' for a throwaway one): a reader beside it opens the same file. */
  readonly path: string;
  /** The store file whose segments this store loads and saves; undefined: none (in memory, write-only, or turned off). */
  private readonly segmentsOf: string | undefined;
  /** Whether opening took persisted segments or read every row. */
  readonly openedFrom: 'segments' | 'rows';

  private constructor(db: Database.Database, options: EmbeddedJobStoreOptions) {
    this.path = options.path;
    this.st = createState(db, options);
    this.businessStmt = prepareBusinessStatements(db);
    this.candidates = new CandidateReader(this.st.cols);
    this.rankHead = options.rankHead;
    this.drift = new DriftRepair(this.st);
    const persisted = options.segments !== false && !this.st.writeOnly && options.path !== ':memory:' && options.path !== '';
    this.segmentsOf = persisted ? options.path : undefined;
    this.openedFrom = loadStore(this.st, this.segmentsOf);
  }

  /** Opens (creating when needed) a store and rebuilds its in-memory indexes. */
  static open(options: EmbeddedJobStoreOptions): EmbeddedJobStore {
    if (options.path !== ':memory:' && options.path !== '') mkdirSync(dirname(options.path), { recursive: true });
    return new EmbeddedJobStore(new Database(options.path), options);
  }

  /**
   * Closes the file; a store opened read-write first saves its segments (a
   * clean shutdown: the next open skips the full load). Saving is only an
   * optimisation: when it fails the next open does the full load.
   */
  close(): void {
    try {
      if (this.segmentsOf !== undefined && this.st.db.open) saveSegmentsIfCurrent(this.st, this.segmentsOf);
    } catch {
      // Nothing half-written replaced the last segments (written aside, then renamed); the next open checks what is there.
    }
    this.st.db.close();
  }

  // ---- writes -----------------------------------------------------------------

  async putJobs(docs: readonly JobDocument[]): Promise<void> {
    writeJobs(this.st, docs, undefined);
  }

  /** Writes documents, business profiles and a projection checkpoint in one SQLite transaction. */
  async putJobsAndCheckpoint(docs: readonly JobDocument[], name: string, position: number, businesses: readonly BusinessDocument[] = []): Promise<void> {
    writeJobs(this.st, docs, { name, position }, () => writeBusinesses(this.businessStmt, businesses));
  }

  /**
   * Removes the documents of discarded jobs, each only while the stored one
   * is older than its removal (a replay never removes a newer document).
   */
  async removeJobs(removed: ReadonlyArray<{ jobId: string; position: number }>): Promise<void> {
    if (removed.length === 0) return;
    if (this.st.writeOnly) {
      // No in-memory slots in a write-only build: the rows are all there is.
      const remove = this.st.db.prepare<[string, number]>('DELETE FROM job_documents WHERE job_id = ? AND position < ?');
      this.st.db.transaction(() => {
        this.st.stamp.bump();
        for (const r of removed) remove.run(r.jobId, r.position);
      })();
      return;
    }
    const due = removed.flatMap((r) => {
      const slot = this.st.slotOf.get(r.jobId);
      const seen = slot === undefined ? undefined : this.st.cols.position[slot];
      return seen !== undefined && seen < r.position ? [{ jobId: r.jobId, seenPosition: seen }] : [];
    });
    this.drift.deleteJobs(due);
  }

  /** Business profiles newer than the stored ones (a bulk build's). */
  async putBusinesses(docs: readonly BusinessDocument[]): Promise<void> {
    this.st.db.transaction(() => writeBusinesses(this.businessStmt, docs))();
  }

  async getBusiness(businessId: string): Promise<BusinessDocument | undefined> {
    return readBusinesses(this.businessStmt, [businessId]).get(businessId);
  }

  async getBusinesses(businessIds: readonly string[]): Promise<Map<string, BusinessDocument>> {
    return readBusinesses(this.businessStmt, businessIds);
  }

  /** Ids of every job document of a business. */
  async jobIdsOfBusiness(businessId: string): Promise<string[]> {
    return jobIdsOfBusiness(this.st, this.businessStmt, businessId);
  }

  async getCheckpoint(name: string): Promise<number | undefined> {
    return this.st.stmt.getCheckpoint.get(name);
  }

  async setCheckpoint(name: string, position: number): Promise<void> {
    this.st.stmt.setCheckpoint.run(name, position, new Date().toISOString());
  }

  /** Number of stored documents, every status (a slot deleted by a drift repair no longer counts). */
  async count(): Promise<number> {
    return this.st.slotOf.size;
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
    return freshness(this.st, now);
  }

  async getJob(jobId: string): Promise<JobDocument | undefined> {
    return readJob(this.st, jobId);
  }

  /** Cached documents first, the rest in one SQLite statement per 500. */
  async getJobs(jobIds: readonly string[]): Promise<Array<JobDocument | undefined>> {
    return readJobs(this.st, jobIds);
  }

  /** The match fields of jobs, from the in-memory columns: no document is read or parsed. */
  matchJobs(jobIds: readonly string[]): Array<MatchCandidate | undefined> {
    return matchJobsById(this.st, this.candidates, jobIds);
  }

  /** `score` of each job by id that is open at `now` (undefined: missing or not open), from the columns with no object per job but the result. */
  scoreOpenJobs(jobIds: readonly string[], now: Date, score: (job: MatchJobFields) => MatchResult): Array<MatchResult | undefined> {
    return scoreOpenJobs(this.st, this.candidates, jobIds, now, score);
  }

  /**
   * Every match of any of the filters, scored from the columns by the reference
   * match function for the worker, best first (score desc, jobId asc), handed
   * out lazily: what an exact top-k of recommendations walks. Consume it
   * synchronously (see rankedMatches.ts).
   */
  rankedMatches(filters: readonly FilterInput[], now: Date, worker: WorkerProfile, weights: MatchWeights = defaultWeights): Iterable<RankedMatch> {
    return rankedMatchesOf(this.st, this.candidates, filters, now, prepareMatch(worker, weights, now), prepareColumnMatch(this.st.cols, worker, weights, now), this.rankHead);
  }

  async search(request: SearchRequest | SearchInput, now: Date, context?: SearchContext): Promise<SearchResult> {
    return this.searchSync(request, now, context);
  }

  searchSync(request: SearchRequest | SearchInput, now: Date, context?: SearchContext): SearchResult {
    const m = request.sort === 'match' ? context?.match : undefined;
    if (!m) return searchJobs(this.st, request, now);
    // The match fields straight from the columns, scored by the reference function.
    const score = prepareMatch(m.worker, m.weights ?? defaultWeights, now);
    return searchJobs(this.st, request, now, (slot) => score(this.candidates.at(slot)));
  }

  async map(request: (MapRequest & MapCap) | MapInput, now: Date): Promise<MapResult> {
    return this.mapSync(request, now);
  }

  mapSync(request: (MapRequest & MapCap) | MapInput, now: Date): MapResult {
    return mapJobs(this.st, request, now);
  }

  async suggest(prefix: string, size: number): Promise<string[]> {
    return suggestTitles(this.st.titleCounts, prefix, size);
  }

  /** Sizes of the in-memory structures, for operators and the benchmark. */
  stats(): { documents: number; located: number; geoDelta: number; terms: number[]; mapPyramid?: ReturnType<MapPyramid['stats']> } {
    const { cols, geo, text, pyramid } = this.st;
    return {
      documents: cols.size,
      located: cols.geoKey.subarray(0, cols.size).filter((k) => k >= 0).length,
      geoDelta: geo.delta.length,
      terms: textFields.map((_, f) => text.stats(f).terms),
      ...(pyramid ? { mapPyramid: pyramid.stats() } : {}),
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
    return this.drift.scanJobs(afterJobId, limit, abovePosition);
  }

  /**
   * Writes each document whatever its position (a repair may need to put back
   * an equal or older one), but only where the stored position is still the one
   * the caller saw (`undefined`: still absent), so a projector write that landed
   * since is never undone. Returns the job ids written.
   */
  replaceJobs(changes: ReadonlyArray<{ doc: JobDocument; seenPosition: number | undefined }>): string[] {
    return this.drift.replaceJobs(changes);
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
    return this.drift.deleteJobs(changes);
  }

  // ---- expiry sweep (ops/scheduler) ---------------------------------------------

  /** Open jobs whose expiresAt is at or before `now`, by jobId after `afterJobId`: the expiry job's candidates. */
  async expiredOpenJobIds(now: Date, size: number, afterJobId = ''): Promise<string[]> {
    return expiredOpenJobIds(this.st.db, now, size, afterJobId);
  }
}

/** Opens the embedded `jobs` read store at `path` (':memory:' for a throwaway one). */
export async function openEmbeddedJobStore(options: EmbeddedJobStoreOptions): Promise<EmbeddedJobStore> {
  return EmbeddedJobStore.open(options);
}
