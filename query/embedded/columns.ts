// Columnar, typed-array storage of the fields queries filter, sort and
// aggregate on: one slot per job, growing by a quarter. Strings are interned.

import { categories, employmentTypes } from '../../eventstore/events/index.ts';
import type { JobDocument, JobDocumentStatus } from '../../mappings/jobDocument.ts';
import { decodeLatitude, decodeLongitude, encodeLatitude, encodeLongitude, geohashKeyOfEncoded } from '../model/geo.ts';
import { DAY_MS } from '../model/units.ts';
import { payBandIndex } from '../model/payBands.ts';

export const statusCodes: Readonly<Record<JobDocumentStatus, number>> = { draft: 0, open: 1, closed: 2, expired: 3 };
export const STATUS_OPEN = statusCodes.open;
export const categoryCode: ReadonlyMap<string, number> = new Map(categories.map((c, i) => [c, i]));
export const employmentTypeCode: ReadonlyMap<string, number> = new Map(employmentTypes.map((c, i) => [c, i]));

/** The fields of a document that the in-memory structures hold or index. */
export type IndexedDoc = Pick<
  JobDocument,
  | 'jobId' | 'businessId' | 'title' | 'description' | 'skills' | 'category' | 'employmentType' | 'hourlyMin' | 'hourlyMax'
  | 'location' | 'remote' | 'startDate' | 'endDate' | 'status' | 'publishedAt' | 'expiresAt' | 'position' | 'experienceYears'
  | 'city'
>;

export const NO_START_DAY = -2147483648;
export const NO_END_DAY = 2147483647;

/** Days since 1970-01-01 of a YYYY-MM-DD date. */
export function dayNumber(date: string): number {
  const ms = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
  return Math.floor(ms / DAY_MS);
}

/** Interns strings to dense ids. */
export class Interner {
  private readonly ids = new Map<string, number>();
  readonly values: string[] = [];
  intern(s: string): number {
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.values.length;
      this.ids.set(s, id);
      this.values.push(s);
    }
    return id;
  }
  get(s: string): number | undefined {
    return this.ids.get(s);
  }
}

const EMPTY = new Int32Array(0);

/** Columns.facetCode of a slot's values. */
export const facetCodeOf = (category: number, etype: number, hourlyMax: number, remote: number): number =>
  (category & 31) | ((etype & 31) << 5) | (payBandIndex(hourlyMax) << 10) | ((remote & 1) << 13);

/** Every per-slot typed array of Columns with its type: what persisted segments hold and restore. */
export const typedColumns = {
  position: Float64Array, status: Uint8Array, expires: Float64Array, published: Float64Array, category: Uint8Array, etype: Uint8Array,
  hourlyMin: Float64Array, hourlyMax: Float64Array, experience: Float64Array, remote: Uint8Array, startDay: Int32Array, endDay: Int32Array,
  business: Int32Array, lat: Float64Array, lon: Float64Array, latE: Int32Array, lonE: Int32Array, geoKey: Float64Array, city: Int32Array,
} as const;
export type TypedColumnName = keyof typeof typedColumns;
export type TypedColumns = { [K in TypedColumnName]: InstanceType<(typeof typedColumns)[K]> };

/** Persisted columns (Columns.restore): the typed arrays, and titles and skill sets as tables slots index. */
export interface RestoredColumns {
  size: number;
  arrays: TypedColumns;
  jobIds: string[];
  titleTable: readonly string[];
  titleOf: ArrayLike<number>;
  skillSets: readonly Int32Array[];
  skillSetOf: ArrayLike<number>;
  businesses: readonly string[];
  skillNames: readonly string[];
  cityNames: readonly string[];
}

export class Columns {
  size = 0;
  cap = 0;
  jobIds: string[] = [];
  titles: string[] = [];
  position = new Float64Array(0);
  status = new Uint8Array(0);
  expires = new Float64Array(0);
  /** expires when open, else -Infinity: "open and not expired at t" is one read, openUntil > t (derived, not persisted). */
  openUntil = new Float64Array(0);
  /** publishedAt in ms; -Infinity when missing (sorts last, never within a window). */
  published = new Float64Array(0);
  category = new Uint8Array(0);
  etype = new Uint8Array(0);
  hourlyMin = new Float64Array(0);
  hourlyMax = new Float64Array(0);
  /** Years of experience the job asks for (the match score reads it). */
  experience = new Float64Array(0);
  remote = new Uint8Array(0);
  startDay = new Int32Array(0);
  endDay = new Int32Array(0);
  business = new Int32Array(0);
  /** Decoded (quantised) coordinates; NaN without a location. */
  lat = new Float64Array(0);
  lon = new Float64Array(0);
  /** The same coordinates as Lucene's 32-bit integers (0 without a location): map sums add these, exactly, in any order. */
  latE = new Int32Array(0);
  lonE = new Int32Array(0);
  /** 45-bit geohash key of the quantised point; -1 without a location. */
  geoKey = new Float64Array(0);
  /** Interned skill ids per slot, sorted: the shared set skillSetTable[skillSetId[slot]]. */
  skills: Int32Array[] = [];
  skillSetId = new Int32Array(0);
  /** The distinct skill-id sets by id (facets count sets, then their skills). */
  readonly skillSetTable: Int32Array[] = [];
  /**
   * Per slot, the facet values of one column each, packed: category (bits
   * 0-4), employment type (5-9), pay band (10-12), remote (13). Derived, not
   * persisted: facets count codes, then split them.
   */
  facetCode = new Uint16Array(0);
  /** Interned city (cityNames) per slot, as the document records it; -1 without one. */
  city = new Int32Array(0);
  readonly businesses = new Interner();
  readonly skillNames = new Interner();
  readonly cityNames = new Interner();

  private grow(min: number): void {
    // By a quarter (amortised O(1) still): doubling a million slots' columns left a hundred megabytes unused.
    const cap = Math.max(1024, this.cap + (this.cap >>> 2), min);
    const g = <T extends Float64Array | Uint8Array | Uint16Array | Int32Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    this.position = g(this.position, (n) => new Float64Array(n));
    this.status = g(this.status, (n) => new Uint8Array(n));
    this.expires = g(this.expires, (n) => new Float64Array(n));
    this.openUntil = g(this.openUntil, (n) => new Float64Array(n));
    this.published = g(this.published, (n) => new Float64Array(n));
    this.category = g(this.category, (n) => new Uint8Array(n));
    this.etype = g(this.etype, (n) => new Uint8Array(n));
    this.hourlyMin = g(this.hourlyMin, (n) => new Float64Array(n));
    this.hourlyMax = g(this.hourlyMax, (n) => new Float64Array(n));
    this.experience = g(this.experience, (n) => new Float64Array(n));
    this.remote = g(this.remote, (n) => new Uint8Array(n));
    this.startDay = g(this.startDay, (n) => new Int32Array(n));
    this.endDay = g(this.endDay, (n) => new Int32Array(n));
    this.business = g(this.business, (n) => new Int32Array(n));
    this.lat = g(this.lat, (n) => new Float64Array(n));
    this.lon = g(this.lon, (n) => new Float64Array(n));
    this.latE = g(this.latE, (n) => new Int32Array(n));
    this.lonE = g(this.lonE, (n) => new Int32Array(n));
    this.geoKey = g(this.geoKey, (n) => new Float64Array(n));
    this.city = g(this.city, (n) => new Int32Array(n));
    this.skillSetId = g(this.skillSetId, (n) => new Int32Array(n));
    this.facetCode = g(this.facetCode, (n) => new Uint16Array(n));
    this.cap = cap;
  }

  /** Ids of the distinct skill-id sets by key: every slot holding the same skills shares one array (most jobs repeat a few combinations). */
  private readonly skillSetIds = new Map<string, number>();
  /** Distinct titles, shared likewise. */
  private readonly titleStrings = new Map<string, string>();

  private skillSetIdOf(ids: Int32Array): number {
    const key = ids.join(',');
    let id = this.skillSetIds.get(key);
    if (id === undefined) {
      id = this.skillSetTable.length;
      this.skillSetTable.push(ids);
      this.skillSetIds.set(key, id);
    }
    return id;
  }

  private skillSet(skills: readonly string[]): number {
    if (skills.length === 0) return this.skillSetIdOf(EMPTY);
    return this.skillSetIdOf(Int32Array.from(new Set(skills.map((s) => this.skillNames.intern(s.toLowerCase())))).sort());
  }

  private internTitle(title: string): string {
    let t = this.titleStrings.get(title);
    if (t === undefined) {
      if (this.titleStrings.size >= 1_000_000) this.titleStrings.clear();
      this.titleStrings.set(title, (t = title));
    }
    return t;
  }

  /** Takes over persisted columns (an empty Columns); the arrays are used as given, exactly `size` long (the next append grows them). */
  restore(r: RestoredColumns): void {
    Object.assign(this, r.arrays);
    this.size = r.size;
    this.cap = r.size;
    this.openUntil = new Float64Array(r.size);
    for (let s = 0; s < r.size; s++) this.openUntil[s] = this.status[s] === STATUS_OPEN ? this.expires[s]! : -Infinity;
    this.jobIds = r.jobIds;
    for (const v of r.businesses) this.businesses.intern(v);
    for (const v of r.skillNames) this.skillNames.intern(v);
    for (const v of r.cityNames) this.cityNames.intern(v);
    // The tables seed the sharing maps, so later writes of the same title or skills share them too.
    const setIds = Int32Array.from(r.skillSets, (set) => this.skillSetIdOf(set));
    for (const t of r.titleTable) this.internTitle(t);
    this.titles = Array.from(r.titleOf, (i) => r.titleTable[i]!);
    this.skillSetId = Int32Array.from(r.skillSetOf, (i) => setIds[i]!);
    this.skills = Array.from(this.skillSetId, (id) => this.skillSetTable[id]!);
    this.facetCode = new Uint16Array(r.size);
    for (let s = 0; s < r.size; s++) this.facetCode[s] = facetCodeOf(this.category[s]!, this.etype[s]!, this.hourlyMax[s]!, this.remote[s]!);
  }

  /** A new slot at the end. */
  append(jobId: string): number {
    const slot = this.size;
    if (slot >= this.cap) this.grow(slot + 1);
    this.size++;
    this.jobIds[slot] = jobId;
    this.skillSetId[slot] = this.skillSetIdOf(EMPTY);
    this.skills[slot] = EMPTY;
    return slot;
  }

  /** Writes a document's values into its slot; returns whether its geohash key changed. */
  set(slot: number, doc: IndexedDoc): boolean {
    this.titles[slot] = this.internTitle(doc.title);
    this.position[slot] = doc.position;
    this.status[slot] = statusCodes[doc.status];
    this.expires[slot] = doc.expiresAt ? Date.parse(doc.expiresAt) : NaN;
    this.openUntil[slot] = doc.status === 'open' ? this.expires[slot] : -Infinity;
    this.published[slot] = doc.publishedAt ? Date.parse(doc.publishedAt) : -Infinity;
    this.category[slot] = categoryCode.get(doc.category) ?? 255;
    this.etype[slot] = employmentTypeCode.get(doc.employmentType) ?? 255;
    this.hourlyMin[slot] = doc.hourlyMin;
    this.hourlyMax[slot] = doc.hourlyMax;
    this.experience[slot] = doc.experienceYears;
    this.remote[slot] = doc.remote ? 1 : 0;
    this.startDay[slot] = doc.startDate ? dayNumber(doc.startDate) : NO_START_DAY;
    this.endDay[slot] = doc.endDate ? dayNumber(doc.endDate) : NO_END_DAY;
    this.business[slot] = this.businesses.intern(doc.businessId);
    this.skillSetId[slot] = this.skillSet(doc.skills);
    this.skills[slot] = this.skillSetTable[this.skillSetId[slot]]!;
    this.facetCode[slot] = facetCodeOf(this.category[slot], this.etype[slot], doc.hourlyMax, this.remote[slot]);
    this.city[slot] = doc.city !== undefined ? this.cityNames.intern(doc.city) : -1;
    const before = this.geoKey[slot];
    if (doc.location) {
      const latE = encodeLatitude(doc.location.lat);
      const lonE = encodeLongitude(doc.location.lon);
      this.lat[slot] = decodeLatitude(latE);
      this.lon[slot] = decodeLongitude(lonE);
      this.latE[slot] = latE;
      this.lonE[slot] = lonE;
      this.geoKey[slot] = geohashKeyOfEncoded(latE, lonE);
    } else {
      this.lat[slot] = NaN;
      this.lon[slot] = NaN;
      this.latE[slot] = 0;
      this.lonE[slot] = 0;
      this.geoKey[slot] = -1;
    }
    return before !== this.geoKey[slot];
  }
}
