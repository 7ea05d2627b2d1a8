import type { JobDocument } from '../../projections/jobs/jobDocument.ts';
import type { MapRequest, SearchRequest } from './searchRequest.ts';

export interface SearchHit {
  job: JobDocument;
  /** Text relevance (engine-specific scale) when the sort is relevance and there is text. */
  score?: number;
  /** Exact haversine distance in km from `near`, when given. */
  distanceKm?: number;
  highlights?: { title?: string[]; description?: string[] };
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

export interface SearchResult {
  total: number;
  hits: SearchHit[];
  nextCursor?: string;
  facets?: { category: FacetBucket[]; employmentType: FacetBucket[]; payBands: PayBand[] };
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

export interface MapResult {
  zoom: number;
  precision: number;
  total: number;
  clusters: MapCluster[];
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
  /** Many documents in one round trip, in the order asked (undefined where unknown); stores without it are asked one by one. */
  getJobs?(jobIds: readonly string[]): Promise<Array<JobDocument | undefined>>;
  search(request: SearchRequest, now: Date): Promise<SearchResult>;
  map(request: MapRequest, now: Date): Promise<MapResult>;
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
