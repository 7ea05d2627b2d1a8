import type { WorkerProfile } from '../../eventstore/events/index.ts';
import type { BusinessDocument, JobDocument } from '../../mappings/jobDocument.ts';
import type { MatchFactors, MatchWeights } from '../match/matchScore.ts';
import type { MapRequest, SearchRequest, StatusFilter } from './searchRequest.ts';

export interface SearchHit {
  job: JobDocument;
  /** Text relevance (engine-specific scale) when the sort is relevance and there is text. */
  score?: number;
  /** Exact haversine distance in km from `near`, when given. */
  distanceKm?: number;
  highlights?: { title?: string[]; description?: string[] };
  /** Under sort `match`: the reference match score (0..100) of the asking worker for the job, with its factors. */
  match?: { score: number; factors: MatchFactors };
}

/** Who a search is ranked for: sort `match` needs the worker's profile (and the configured weights). */
export interface SearchContext {
  match?: { worker: WorkerProfile; weights?: MatchWeights };
}

export interface FacetBucket {
  key: string;
  count: number;
}

export interface PayBand {
  key: string;
  /** Hourly pay band [from, to): a job falls in the band of its hourlyMax. */
  from?: number;
  to?: number;
  count: number;
}

/** Jobs published within the last `days` days of the request's `now` (the buckets are cumulative). */
export interface PostedWithinBucket {
  key: string;
  days: number;
  count: number;
}

/**
 * Each facet counts the jobs matching every filter except its own (see
 * query/model/facets.ts): category, employmentType, skills and city by count
 * desc then key (skills and city the 20 most frequent; a city as jobs record
 * it), payBands all six, remote `true` then `false`, postedWithin 1, 7, 30 days.
 */
export interface SearchFacets {
  category: FacetBucket[];
  employmentType: FacetBucket[];
  payBands: PayBand[];
  skills: FacetBucket[];
  city: FacetBucket[];
  remote: FacetBucket[];
  postedWithin: PostedWithinBucket[];
}

export interface SearchResult {
  total: number;
  hits: SearchHit[];
  nextCursor?: string;
  facets?: SearchFacets;
}

export interface MapCluster {
  /** Geohash cell at the precision the zoom maps to. */
  key: string;
  count: number;
  centroid: { lat: number; lon: number };
  /** The cell's bounds. */
  bounds: { minLat: number; minLon: number; maxLat: number; maxLon: number };
}

export interface MapPoint {
  jobId: string;
  lat: number;
  lon: number;
  title: string;
}

/** The search engine's own ceiling on buckets in one answer (its default `search.max_buckets`). */
export const ENGINE_MAX_BUCKETS = 65_535;
/** Cells one map answer holds unless configured otherwise (MAP_MAX_CELLS, at most ENGINE_MAX_BUCKETS). */
export const DEFAULT_MAP_MAX_CELLS = 10_000;

/** The cell cap of one map answer: the given one (or the default) within 1..ENGINE_MAX_BUCKETS. */
export function mapCellCap(maxCells: number | undefined): number {
  const cap = maxCells ?? DEFAULT_MAP_MAX_CELLS;
  return Number.isFinite(cap) ? Math.min(ENGINE_MAX_BUCKETS, Math.max(1, Math.floor(cap))) : DEFAULT_MAP_MAX_CELLS;
}

/** What a map call may add to the request: its cell cap (the route passes the configured one). */
export interface MapCap {
  maxCells?: number;
}

export interface MapResult {
  zoom: number;
  precision: number;
  /** Jobs in the viewport, also when the clusters are truncated. */
  total: number;
  /** The most populated cells (count desc, key asc), at most the cap. */
  clusters: MapCluster[];
  /** More cells than the cap held jobs: only the most populated are in `clusters`. */
  truncated?: boolean;
  /** Individual jobs, when the viewport holds at most `pointsThreshold` jobs. */
  points?: MapPoint[];
}

/** Read side of the `jobs` model, one adapter per engine (search engine, embedded). */
export interface Freshness {
  generation: number;
  validUntil: number;
}

export interface JobReadStore {
  readonly kind: 'search-engine' | 'embedded';
  /** Upserts documents; a document whose position is not newer than the stored one is ignored. */
  putJobs(docs: readonly JobDocument[]): Promise<void>;
  getJob(jobId: string): Promise<JobDocument | undefined>;
  /** A business's public profile as the jobs projection keeps it. */
  getBusiness(businessId: string): Promise<BusinessDocument | undefined>;
  /** Many documents in one round trip, in the order asked (undefined where unknown); stores without it are asked one by one. */
  getJobs?(jobIds: readonly string[]): Promise<Array<JobDocument | undefined>>;
  /** Sort `match` needs `context.match` (a RangeError without it, as `distance` without `near`). */
  search(request: SearchRequest & StatusFilter, now: Date, context?: SearchContext): Promise<SearchResult>;
  /** Clusters of at most `maxCells` (default DEFAULT_MAP_MAX_CELLS) cells, `truncated` past it. */
  map(request: MapRequest & MapCap, now: Date): Promise<MapResult>;
  suggest(prefix: string, size: number): Promise<string[]>;
  /**
   * For caching whole answers: a content generation (changes with every write
   * the store sees; a store that only reads, the engine's, answers 0 and
   * leaves it to the read position) and the next instant an open job expires
   * after `now` (answers change with time only then). `position` is the read
   * models' position the caller stamps its answer with.
   */
  freshness?(now: Date, position: number): Freshness | Promise<Freshness>;
}
