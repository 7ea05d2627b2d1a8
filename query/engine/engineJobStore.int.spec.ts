// The search-engine JobReadStore against a real engine (SEARCH_URL, and
// ELASTICSEARCH_URL when set), on a small hand-made dataset with expected ids.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobDocument } from '../../mappings/jobDocument.ts';
import { engineTargets } from '../../tests/support/engines.ts';
import { MapRequest, SearchRequest } from '../model/searchRequest.ts';
import type { SearchResult } from '../model/readStore.ts';
import { connectSearch } from './connect.ts';
import { InvalidCursorError } from '../model/invalidCursorError.ts';
import { JobWriteError, createEngineJobStore, type EngineJobStore } from './engineJobStore.ts';
import { haversineMeters, quantize } from '../model/geo.ts';
import type { SearchClient } from './searchClient.ts';
import { referenceGeohash } from '../../tests/support/referenceGeohash.ts';

const NOW = new Date('2026-06-15T12:00:00.000Z');
const DAY = 86_400_000;
const ago = (days: number): string => new Date(NOW.getTime() - days * DAY).toISOString();
const inDays = (days: number): string => new Date(NOW.getTime() + days * DAY).toISOString();

let positionSeq = 100;
function job(jobId: string, over: Partial<JobDocument> & { title: string }): JobDocument {
  return {
    jobId,
    businessId: 'b1',
    description: `${over.title}: a job.`,
    category: 'hospitality',
    employmentType: 'seasonal',
    pay: { min: 12, max: 14, currency: 'EUR', unit: 'hour' },
    hourlyMin: 12,
    hourlyMax: 14,
    remote: false,
    skills: [],
    experienceYears: 0,
    status: 'open',
    createdAt: ago(60),
    updatedAt: ago(30),
    publishedAt: ago(30),
    expiresAt: inDays(30),
    views: 0,
    saves: 0,
    applications: 0,
    position: positionSeq++,
    ...over,
  };
}

const BERLIN = { lat: 52.52, lon: 13.405 };
const at = (lat: number, lon: number, city: string, country: string) => ({ location: { lat, lon }, city, country });

const DOCS: JobDocument[] = [
  job('j01', { title: 'Barista', description: 'Make espresso drinks in a busy cafe near the station.', employmentType: 'part_time', hourlyMin: 11, hourlyMax: 13, ...at(52.52, 13.405, 'Berlin', 'DE'), skills: ['coffee', 'customer service'], startDate: '2026-07-01', endDate: '2026-08-31', publishedAt: ago(1) }),
  job('j02', { title: 'Kitchen porter', description: 'Wash dishes and keep the kitchen clean.', hourlyMin: 12, hourlyMax: 14, ...at(52.51, 13.39, 'Berlin', 'DE'), skills: ['cleaning'], publishedAt: ago(2) }),
  job('j03', { title: 'Grape picker', description: 'Harvest grapes in the vineyards during the vendange.', category: 'agriculture', hourlyMin: 9, hourlyMax: 9.99, ...at(44.84, -0.58, 'Bordeaux', 'FR'), skills: ['harvest', 'outdoor'], startDate: '2026-09-01', endDate: '2026-10-15', publishedAt: ago(3) }),
  job('j04', { title: 'Warehouse picker', description: 'Pick and pack orders, forklift licence a plus.', category: 'warehouse', employmentType: 'full_time', hourlyMin: 15, hourlyMax: 18, ...at(53.55, 9.99, 'Hamburg', 'DE'), skills: ['forklift'], startDate: '2026-06-01', publishedAt: ago(10) }),
  job('j05', { title: 'Delivery rider', description: 'Deliver food by bike across the city.', category: 'delivery', employmentType: 'gig', hourlyMin: 14, hourlyMax: 22, ...at(48.8566, 2.3522, 'Paris', 'FR'), skills: ['cycling'], endDate: '2026-06-30', publishedAt: ago(40) }),
  job('j06', { title: 'Remote customer support agent', description: 'Answer customer emails and chats from home.', category: 'customer_service', employmentType: 'part_time', hourlyMin: 16, hourlyMax: 20, remote: true, skills: ['customer service', 'english'], publishedAt: ago(5) }),
  job('j07', { title: 'Festival steward', description: 'Guide visitors and keep gates safe at a summer festival.', category: 'events', employmentType: 'temporary', hourlyMin: 13, hourlyMax: 15, ...at(48.137, 11.575, 'Munich', 'DE'), skills: ['security'], startDate: '2026-08-01', endDate: '2026-08-03', publishedAt: ago(0.5) }),
  job('j08', { title: 'Ski instructor', description: 'Teach skiing to beginners and children.', category: 'tourism', hourlyMin: 25, hourlyMax: 35, ...at(47.26, 11.39, 'Innsbruck', 'AT'), skills: ['skiing', 'teaching'], startDate: '2026-12-01', endDate: '2027-03-31', publishedAt: ago(20) }),
  job('j09', { title: 'Head chef', description: 'Run the kitchen of a busy restaurant and lead the team.', employmentType: 'full_time', hourlyMin: 20, hourlyMax: 25, ...at(52.53, 13.41, 'Berlin', 'DE'), skills: ['cooking', 'leadership'], publishedAt: ago(7) }),
  job('j10', { title: 'Barista trainee', description: 'Learn to make coffee in our roastery cafe.', employmentType: 'hourly', hourlyMin: 10, hourlyMax: 10, ...at(52.5, 13.42, 'Berlin', 'DE'), skills: ['coffee'], publishedAt: ago(1) }),
  job('j11', { title: 'Barista trainee', businessId: 'b2', status: 'closed', closedReason: 'filled', ...at(52.52, 13.4, 'Berlin', 'DE'), skills: ['coffee'], publishedAt: ago(9) }),
  job('j12', { title: 'Barista', businessId: 'b2', status: 'draft', ...at(52.52, 13.4, 'Berlin', 'DE'), skills: ['coffee'], publishedAt: undefined, expiresAt: undefined }),
  job('j13', { title: 'Barista trainee', ...at(52.52, 13.41, 'Berlin', 'DE'), skills: ['coffee'], publishedAt: ago(45), expiresAt: ago(1) }),
  job('j14', { title: 'Lifeguard', description: 'Watch swimmers on the beach.', category: 'outdoor', hourlyMin: 15, hourlyMax: 15, ...at(-17.7, 178.0, 'Nadi', 'FJ'), skills: ['swimming', 'first aid'], publishedAt: ago(12) }),
  job('j15', { title: 'Dive boat crew', description: 'Help divers on a boat near the reef.', category: 'tourism', hourlyMin: 14, hourlyMax: 15, ...at(-13.83, -171.76, 'Apia', 'WS'), skills: ['swimming'], publishedAt: ago(14) }),
  job('j16', { title: 'Night security guard', description: 'Patrol an office building at night.', category: 'security', employmentType: 'full_time', hourlyMin: 18, hourlyMax: 19, ...at(40.7128, -74.006, 'New York', 'US'), skills: ['security', 'night shifts'], publishedAt: ago(100), expiresAt: inDays(1) }),
  job('j17', { title: 'Nanny', description: 'Look after two children after school.', category: 'childcare', employmentType: 'part_time', hourlyMin: 14, hourlyMax: 16, ...at(51.5074, -0.1278, 'London', 'GB'), skills: ['childcare', 'first aid'], publishedAt: new Date(NOW.getTime() - 2 * DAY - 1000).toISOString() }),
  job('j18', { title: 'Coffee roaster', description: 'Roast specialty coffee beans in small batches.', category: 'manufacturing', employmentType: 'full_time', hourlyMin: 17, hourlyMax: 21, ...at(52.49, 13.38, 'Berlin', 'DE'), skills: ['coffee'], publishedAt: ago(3) }),
  job('j19', { title: 'Event bartender', description: 'Mix cocktails at weddings and parties.', businessId: 'b2', category: 'events', employmentType: 'gig', hourlyMin: 12, hourlyMax: 16, ...at(53.56, 10.0, 'Hamburg', 'DE'), skills: ['cocktails', 'customer service'], publishedAt: ago(4) }),
  job('j20', { title: 'Harvest helper', businessId: 'b2', status: 'expired', closedReason: 'expired', category: 'agriculture', ...at(44.8, -0.6, 'Bordeaux', 'FR'), publishedAt: ago(50), expiresAt: ago(20) }),
  job('j21', { title: 'Barista', description: 'Serve coffee and cakes.', employmentType: 'part_time', hourlyMin: 11, hourlyMax: 12, ...at(48.14, 11.58, 'Munich', 'DE'), skills: ['coffee'], publishedAt: ago(6), region: 'Bavaria', hoursPerWeek: 20 }),
].map((d) => JSON.parse(JSON.stringify(d)) as JobDocument); // drop undefined keys, as a stored document has none

const byId = new Map(DOCS.map((d) => [d.jobId, d]));
const doc = (id: string): JobDocument => {
  const d = byId.get(id);
  if (!d) throw new Error(id);
  return d;
};
const VISIBLE = ['j01', 'j02', 'j03', 'j04', 'j05', 'j06', 'j07', 'j08', 'j09', 'j10', 'j14', 'j15', 'j16', 'j17', 'j18', 'j19', 'j21'];
const LOCATED_VISIBLE = VISIBLE.filter((id) => doc(id).location);

const ids = (r: SearchResult): string[] => r.hits.map((h) => h.job.jobId);
const sorted = (xs: string[]): string[] => [...xs].sort();
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const without = (xs: string[], ...drop: string[]): string[] => xs.filter((x) => !drop.includes(x));

const geohash = referenceGeohash;

const uid = `t${process.pid.toString(36)}${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}_`;

describe.each(engineTargets())('engine JobReadStore on $label', ({ url }) => {
  let client: SearchClient;
  let store: EngineJobStore;
  const search = (req: Record<string, unknown>): Promise<SearchResult> => store.search(SearchRequest.parse(req), NOW);

  beforeAll(async () => {
    client = await connectSearch(url);
    store = createEngineJobStore(client, { prefix: uid });
    expect(await store.ensureIndex()).toBe(true);
    expect(await store.ensureIndex()).toBe(false);
    await store.putJobs(DOCS);
  });

  afterAll(async () => {
    // by name: Elasticsearch 8 refuses wildcard deletes (action.destructive_requires_name)
    await client.deleteIndex([`${uid}jobs_v1`, `${uid}a_jobs_v1`, `${uid}b_jobs_v2`, `${uid}c_jobs_v2`], { ignoreMissing: true });
    await client.close();
  });

  it('creates the versioned index behind the alias', async () => {
    expect(store.alias).toBe(`${uid}jobs`);
    expect(store.index).toBe(`${uid}jobs_v1`);
    expect(await client.getAliases(store.alias)).toEqual({ [store.index]: [store.alias] });
    expect(await store.count()).toBe(DOCS.length);
  });

  it('ensureIndex: adds a missing alias to an existing index; leaves an alias that points elsewhere alone', async () => {
    const a = createEngineJobStore(client, { prefix: `${uid}a_` });
    await client.createIndex(a.index, { settings: { number_of_replicas: 0 } });
    expect(await a.ensureIndex()).toBe(false);
    expect(await client.getAliases(a.alias)).toEqual({ [a.index]: [a.alias] });
    // after a blue/green swap the alias points at v2: a store of v1 creates nothing
    const v2 = createEngineJobStore(client, { prefix: `${uid}b_`, index: `${uid}b_jobs_v2` });
    expect(await v2.ensureIndex()).toBe(true);
    const v1 = createEngineJobStore(client, { prefix: `${uid}b_` });
    expect(await v1.ensureIndex()).toBe(false);
    expect(await client.indexExists(v1.index)).toBe(false);
    // an index addressed by its own name, no alias (a rebuild writing jobs_v2 directly)
    const direct = createEngineJobStore(client, { alias: `${uid}c_jobs_v2`, index: `${uid}c_jobs_v2` });
    expect(await direct.ensureIndex()).toBe(true);
    await direct.putJobs([DOCS[0] as JobDocument]);
    expect(await direct.getJob('j01')).toStrictEqual(DOCS[0]);
  });

  describe('writes', () => {
    it('round-trips every document exactly', async () => {
      for (const d of DOCS) expect(await store.getJob(d.jobId)).toStrictEqual(d);
      expect(await store.getJob('nope')).toBeUndefined();
    });

    it('never lets an older position overwrite a newer document; replays are no-ops', async () => {
      const v10 = job('w1', { title: 'Version ten', position: 10, status: 'draft' });
      await store.putJobs([v10]);
      await store.putJobs([{ ...v10, title: 'Version five', position: 5 }]);
      expect(await store.getJob('w1')).toStrictEqual(v10);
      // same position again: still the first write
      await store.putJobs([{ ...v10, title: 'Same position', position: 10 }]);
      expect((await store.getJob('w1'))?.title).toBe('Version ten');
      const batch = [{ ...v10, title: 'Version eleven', position: 11 }, job('w2', { title: 'Other', position: 3, status: 'draft' })];
      await store.putJobs(batch);
      await store.putJobs(batch);
      expect(await store.getJob('w1')).toStrictEqual(batch[0]);
      expect(await store.getJob('w2')).toStrictEqual(batch[1]);
      // two versions of one job in one batch, newest first: the newest wins
      await store.putJobs([{ ...v10, title: 'Version twenty', position: 20 }, { ...v10, title: 'Version fifteen', position: 15 }]);
      expect((await store.getJob('w1'))?.title).toBe('Version twenty');
    });

    it('a poison document fails alone, named in the error; the rest of the batch is stored', async () => {
      const good1 = job('p1', { title: 'Good one', status: 'draft' });
      const badLocation = { ...job('p2', { title: 'Bad location', status: 'draft' }), location: { lat: 200, lon: 13 } };
      const unknownField = { ...job('p3', { title: 'Unknown field', status: 'draft' }), surprise: true } as unknown as JobDocument;
      const badPosition = job('p4', { title: 'Bad position', status: 'draft', position: -1 });
      const good2 = job('p5', { title: 'Good two', status: 'draft' });
      const err = await store.putJobs([good1, badLocation, unknownField, badPosition, good2]).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(JobWriteError);
      const e = err as JobWriteError;
      expect(sorted(e.jobIds)).toEqual(['p2', 'p3', 'p4']);
      expect(sorted(e.poisonJobIds)).toEqual(['p2', 'p3', 'p4']);
      expect(e.message).toMatch(/p2 \(400 /);
      expect(e.message).toMatch(/p3 \(400 \w+: .*strict/); // strict_dynamic_mapping_exception (ES 8: document_parsing_exception)
      expect(e.failures.find((f) => f.jobId === 'p2')?.type).toMatch(/parsing/);
      expect(await store.getJob('p1')).toStrictEqual(good1);
      expect(await store.getJob('p5')).toStrictEqual(good2);
      expect(await store.getJob('p2')).toBeUndefined();
      expect(await store.getJob('p3')).toBeUndefined();
    });
  });

  describe('search filters', () => {
    it('shows open, unexpired jobs only; owners see every status of their business', async () => {
      expect(sorted(ids(await search({ size: 100 })))).toEqual(VISIBLE);
      expect((await search({ size: 1 })).total).toBe(VISIBLE.length);
      expect(sorted(ids(await search({ businessId: 'b2', size: 100 })))).toEqual(['j19']);
      expect(sorted(ids(await search({ businessId: 'b2', includeClosed: true, size: 100 })))).toEqual(['j11', 'j12', 'j19', 'j20']);
      // includeClosed without businessId changes nothing
      expect(sorted(ids(await search({ includeClosed: true, size: 100 })))).toEqual(VISIBLE);
      // j16 expires in a day: gone a day and a bit later
      const later = await store.search(SearchRequest.parse({ size: 100 }), new Date(NOW.getTime() + 1.5 * DAY));
      expect(sorted(ids(later))).toEqual(without(VISIBLE, 'j16'));
    });

    it('text: every word in some field (stemmed), title before description', async () => {
      expect(sorted(ids(await search({ text: 'barista' })))).toEqual(['j01', 'j10', 'j21']);
      expect(sorted(ids(await search({ text: 'baristas' })))).toEqual(['j01', 'j10', 'j21']);
      expect(sorted(ids(await search({ text: 'kitchen' })))).toEqual(['j02', 'j09']);
      expect(sorted(ids(await search({ text: 'kitchen porter' })))).toEqual(['j02']);
      // cross fields: "coffee" (skills/description) and "roaster" (title)
      expect(sorted(ids(await search({ text: 'coffee roaster' })))).toEqual(['j18']);
      // customer service is a skill; "support" is in the title
      expect(sorted(ids(await search({ text: 'customer service support' })))).toEqual(['j06']);
      expect(ids(await search({ text: 'kitchen zebra' }))).toEqual([]);
      const coffee = await search({ text: 'coffee', size: 100 });
      expect(sorted(ids(coffee))).toEqual(['j01', 'j10', 'j18', 'j21']);
      // the title match ranks first
      expect(ids(coffee)[0]).toBe('j18');
      // query syntax is plain text
      expect(ids(await search({ text: 'title:barista OR *' }))).toEqual([]);
      expect(ids(await search({ text: 'the' }))).toEqual([]);
    });

    it('category and employment type: any of', async () => {
      expect(sorted(ids(await search({ category: ['hospitality'], size: 100 })))).toEqual(['j01', 'j02', 'j09', 'j10', 'j21']);
      expect(sorted(ids(await search({ category: ['hospitality', 'agriculture'], size: 100 })))).toEqual(['j01', 'j02', 'j03', 'j09', 'j10', 'j21']);
      expect(sorted(ids(await search({ employmentType: ['seasonal'], size: 100 })))).toEqual(['j02', 'j03', 'j08', 'j14', 'j15']);
      expect(sorted(ids(await search({ employmentType: ['gig', 'temporary'], size: 100 })))).toEqual(['j05', 'j07', 'j19']);
    });

    it('pay: hourlyMax >= payMin, hourlyMin <= payMax (inclusive)', async () => {
      expect(sorted(ids(await search({ payMin: 20, size: 100 })))).toEqual(['j05', 'j06', 'j08', 'j09', 'j18']);
      expect(sorted(ids(await search({ payMax: 10, size: 100 })))).toEqual(['j03', 'j10']);
      expect(sorted(ids(await search({ payMin: 15, payMax: 15, size: 100 })))).toEqual(['j04', 'j05', 'j07', 'j14', 'j15', 'j17', 'j19']);
    });

    it('availability: the job dates overlap the window, open-ended when missing, inclusive', async () => {
      expect(sorted(ids(await search({ availableFrom: '2026-08-02', availableTo: '2026-08-10', size: 100 })))).toEqual(without(VISIBLE, 'j03', 'j05', 'j08'));
      expect(sorted(ids(await search({ availableFrom: '2026-09-05', size: 100 })))).toEqual(without(VISIBLE, 'j01', 'j05', 'j07'));
      expect(sorted(ids(await search({ availableTo: '2026-06-20', size: 100 })))).toEqual(without(VISIBLE, 'j01', 'j03', 'j07', 'j08'));
      // the edges count
      expect(ids(await search({ availableFrom: '2026-08-31', availableTo: '2026-08-31', category: ['hospitality'], employmentType: ['part_time'], size: 100 })).sort()).toEqual(['j01', 'j21']);
      expect(ids(await search({ availableFrom: '2026-09-01', category: ['hospitality'], employmentType: ['part_time'], size: 100 }))).toEqual(['j21']);
      expect(ids(await search({ availableTo: '2026-07-01', category: ['hospitality'], employmentType: ['part_time'], size: 100 })).sort()).toEqual(['j01', 'j21']);
      expect(ids(await search({ availableTo: '2026-06-30', category: ['hospitality'], employmentType: ['part_time'], size: 100 }))).toEqual(['j21']);
    });

    it('skills: any or all, case-insensitive', async () => {
      expect(sorted(ids(await search({ skills: ['coffee', 'forklift'], size: 100 })))).toEqual(['j01', 'j04', 'j10', 'j18', 'j21']);
      expect(sorted(ids(await search({ skills: ['COFFEE', 'Customer Service'], skillsMode: 'all', size: 100 })))).toEqual(['j01']);
      expect(sorted(ids(await search({ skills: ['coffee', 'unicycling'], skillsMode: 'all', size: 100 })))).toEqual([]);
    });

    it('remote, posted within days (absolute instant, inclusive), business', async () => {
      expect(ids(await search({ remote: true }))).toEqual(['j06']);
      expect(sorted(ids(await search({ remote: false, size: 100 })))).toEqual(without(VISIBLE, 'j06'));
      expect(sorted(ids(await search({ postedWithinDays: 2, size: 100 })))).toEqual(['j01', 'j02', 'j07', 'j10']);
      expect(sorted(ids(await search({ postedWithinDays: 3, size: 100 })))).toEqual(['j01', 'j02', 'j03', 'j07', 'j10', 'j17', 'j18']);
      expect(sorted(ids(await search({ businessId: 'b1', size: 100 })))).toEqual(without(VISIBLE, 'j19'));
    });

    it('near: within the radius, each hit with its distance from the stored point', async () => {
      const r = await search({ near: { ...BERLIN, radiusKm: 5 }, size: 100 });
      expect(sorted(ids(r))).toEqual(['j01', 'j02', 'j09', 'j10', 'j18']);
      for (const h of r.hits) {
        const loc = h.job.location;
        if (!loc) throw new Error('no location');
        const q = quantize(loc.lat, loc.lon);
        expect(h.distanceKm).toBe(haversineMeters(BERLIN.lat, BERLIN.lon, q.lat, q.lon) / 1000);
        expect(h.distanceKm).toBeLessThanOrEqual(5);
      }
      expect(sorted(ids(await search({ near: { ...BERLIN, radiusKm: 300 }, size: 100 })))).toEqual(['j01', 'j02', 'j04', 'j09', 'j10', 'j18', 'j19']);
      // a job without location never matches near
      expect(ids(await search({ near: { ...BERLIN, radiusKm: 20_000 }, size: 100 }))).not.toContain('j06');
    });

    it('bbox: inside the box, across the antimeridian too', async () => {
      expect(sorted(ids(await search({ bbox: { minLat: 47, maxLat: 55, minLon: 5, maxLon: 15 }, size: 100 })))).toEqual(['j01', 'j02', 'j04', 'j07', 'j08', 'j09', 'j10', 'j18', 'j19', 'j21']);
      expect(sorted(ids(await search({ bbox: { minLat: -20, maxLat: -10, minLon: 170, maxLon: -170 }, size: 100 })))).toEqual(['j14', 'j15']);
      expect(sorted(ids(await search({ bbox: { minLat: -20, maxLat: -10, minLon: 175, maxLon: 179 }, size: 100 })))).toEqual(['j14']);
    });
  });

  describe('sorts and paging', () => {
    const newestOrder = (list: string[]): string[] =>
      [...list].sort((a, b) => {
        const pa = doc(a).publishedAt;
        const pb = doc(b).publishedAt;
        const ta = pa ? Date.parse(pa) : -Infinity;
        const tb = pb ? Date.parse(pb) : -Infinity;
        return tb - ta || cmp(a, b);
      });

    async function pageAll(req: Record<string, unknown>, size: number): Promise<{ ids: string[]; pages: number; results: SearchResult[] }> {
      const out: string[] = [];
      const results: SearchResult[] = [];
      let cursor: string | undefined;
      for (let pages = 1; pages < 100; pages++) {
        const r = await search({ ...req, size, ...(cursor ? { cursor } : {}) });
        results.push(r);
        out.push(...ids(r));
        if (!r.nextCursor) return { ids: out, pages, results };
        expect(r.hits).toHaveLength(size);
        cursor = r.nextCursor;
      }
      throw new Error('did not end');
    }

    it('newest: publishedAt desc, then jobId; relevance without text is newest', async () => {
      const expected = newestOrder(VISIBLE);
      expect(ids(await search({ sort: 'newest', size: 100 }))).toEqual(expected);
      expect(ids(await search({ size: 100 }))).toEqual(expected);
      // j01 and j10 share publishedAt: jobId decides
      expect(expected.indexOf('j01')).toBe(expected.indexOf('j10') - 1);
    });

    it('pay: hourlyMax desc, then jobId', async () => {
      const expected = [...VISIBLE].sort((a, b) => doc(b).hourlyMax - doc(a).hourlyMax || cmp(a, b));
      expect(ids(await search({ sort: 'pay', size: 100 }))).toEqual(expected);
    });

    it('distance: nearest first, then jobId', async () => {
      const near = { lat: 50, lon: 10, radiusKm: 20_000 };
      const dist = (id: string): number => {
        const l = doc(id).location;
        if (!l) throw new Error(id);
        const q = quantize(l.lat, l.lon);
        return haversineMeters(near.lat, near.lon, q.lat, q.lon);
      };
      const expected = [...LOCATED_VISIBLE].sort((a, b) => dist(a) - dist(b) || cmp(a, b));
      const r = await search({ sort: 'distance', near, size: 100 });
      expect(ids(r)).toEqual(expected);
      const ds = r.hits.map((h) => h.distanceKm ?? NaN);
      expect(ds).toEqual([...ds].sort((a, b) => a - b));
    });

    it('relevance with text: score desc, then jobId; scores are reported', async () => {
      const r = await search({ text: 'coffee', size: 100 });
      const scores = r.hits.map((h) => h.score ?? NaN);
      for (let i = 1; i < r.hits.length; i++) {
        const s0 = scores[i - 1] ?? NaN;
        const s1 = scores[i] ?? NaN;
        expect(s0).toBeGreaterThanOrEqual(s1);
        if (s0 === s1) expect(cmp(ids(r)[i - 1] ?? '', ids(r)[i] ?? '')).toBe(-1);
      }
      expect((await search({ text: 'coffee', sort: 'newest' })).hits[0]?.score).toBeUndefined();
    });

    it('cursor paging visits every hit once, in order, for every sort', async () => {
      const cases: Array<Record<string, unknown>> = [
        {},
        { sort: 'newest' },
        { sort: 'pay' },
        { sort: 'distance', near: { lat: 50, lon: 10, radiusKm: 20_000 } },
        { text: 'coffee' },
        { text: 'coffee', sort: 'pay' },
        { businessId: 'b2', includeClosed: true, sort: 'newest' },
      ];
      for (const req of cases) {
        const all = ids(await search({ ...req, size: 100 }));
        for (const size of [1, 2, 3, 5]) {
          const paged = await pageAll(req, size);
          expect(paged.ids, JSON.stringify({ req, size })).toEqual(all);
          for (const r of paged.results) expect(r.total).toBe(all.length);
        }
      }
    });

    it('a draft without publishedAt sorts last under newest and pages across it', async () => {
      const expected = ['j19', 'j11', 'j20', 'j12'];
      expect(ids(await search({ businessId: 'b2', includeClosed: true, size: 100 }))).toEqual(expected);
      expect((await pageAll({ businessId: 'b2', includeClosed: true }, 1)).ids).toEqual(expected);
    });

    it('no next cursor when the last page is exactly full', async () => {
      // 17 visible: pages of 17 and of 100 end without a cursor; of 16, one more page
      expect((await search({ size: VISIBLE.length })).nextCursor).toBeUndefined();
      expect((await search({ size: VISIBLE.length - 1 })).nextCursor).toBeDefined();
      const paged = await pageAll({ category: ['hospitality'] }, 5);
      expect(paged.pages).toBe(1);
    });

    it('a malformed or foreign cursor is an InvalidCursorError', async () => {
      await expect(search({ cursor: 'garbage!' })).rejects.toBeInstanceOf(InvalidCursorError);
      await expect(search({ cursor: Buffer.from('{"a":1}').toString('base64url') })).rejects.toBeInstanceOf(InvalidCursorError);
      const payCursor = (await search({ sort: 'pay', size: 2 })).nextCursor;
      expect(payCursor).toBeDefined();
      await expect(search({ sort: 'newest', cursor: payCursor })).rejects.toThrow(InvalidCursorError);
    });
  });

  describe('facets and highlights', () => {
    it('counts categories and types of the matches, and all six pay bands', async () => {
      const r = await search({ facets: true, size: 1 });
      const count = (pick: (d: JobDocument) => string) => {
        const m = new Map<string, number>();
        for (const id of VISIBLE) m.set(pick(doc(id)), (m.get(pick(doc(id))) ?? 0) + 1);
        return [...m].map(([key, c]) => ({ key, count: c })).sort((a, b) => b.count - a.count || cmp(a.key, b.key));
      };
      expect(r.facets?.category).toEqual(count((d) => d.category));
      expect(r.facets?.employmentType).toEqual(count((d) => d.employmentType));
      expect(r.facets?.payBands).toEqual([
        { key: 'lt10', to: 10, count: 1 }, // j03 9.99
        { key: '10-15', from: 10, to: 15, count: 4 }, // j10 at 10 is here, j07/j14/j15 at 15 are not
        { key: '15-20', from: 15, to: 20, count: 7 },
        { key: '20-25', from: 20, to: 25, count: 3 },
        { key: '25-35', from: 25, to: 35, count: 1 },
        { key: 'gte35', from: 35, count: 1 }, // j08 at 35
      ]);
      const b = (r.facets?.payBands ?? []).reduce((s, x) => s + x.count, 0);
      expect(b).toBe(VISIBLE.length);
      // each facet ignores its own filter (the categories one could pick instead); the others follow it
      const h = await search({ facets: true, category: ['hospitality'] });
      expect(h.total).toBe(5);
      expect(h.facets?.category).toEqual(r.facets?.category);
      expect(h.facets?.employmentType).toEqual([
        { key: 'part_time', count: 2 },
        { key: 'full_time', count: 1 },
        { key: 'hourly', count: 1 },
        { key: 'seasonal', count: 1 },
      ]);
      expect((await search({})).facets).toBeUndefined();
    });

    it('counts skills and cities (top 20, count desc then key), remote and posted-within buckets; a city filter selects by the facet key', async () => {
      const r = await search({ facets: true, size: 1 });
      const top = (keys: (d: JobDocument) => string[]) => {
        const m = new Map<string, number>();
        for (const id of VISIBLE) for (const k of new Set(keys(doc(id)))) m.set(k, (m.get(k) ?? 0) + 1);
        return [...m].map(([key, c]) => ({ key, count: c })).sort((a, b) => b.count - a.count || cmp(a.key, b.key)).slice(0, 20);
      };
      expect(r.facets?.skills).toEqual(top((d) => d.skills.map((s) => s.toLowerCase())));
      expect(r.facets?.city).toEqual(top((d) => (d.city ? [d.city] : [])));
      const remote = VISIBLE.filter((id) => doc(id).remote).length;
      expect(r.facets?.remote).toEqual([{ key: 'true', count: remote }, { key: 'false', count: VISIBLE.length - remote }]);
      const within = (days: number) => VISIBLE.filter((id) => Date.parse(doc(id).publishedAt ?? '') >= NOW.getTime() - days * DAY).length;
      expect(r.facets?.postedWithin).toEqual([1, 7, 30].map((days) => ({ key: `${days}d`, days, count: within(days) })));
      expect(r.facets?.postedWithin[0]?.count).toBe((await search({ postedWithinDays: 1, size: 1 })).total);
      // city: exactly as recorded; its own facet ignores it, remote follows it
      const berlin = await search({ city: ['Berlin'], facets: true, size: 100 });
      expect(sorted(ids(berlin))).toEqual(VISIBLE.filter((id) => doc(id).city === 'Berlin'));
      expect(berlin.facets?.city).toEqual(r.facets?.city);
      expect(berlin.facets?.remote).toEqual([{ key: 'true', count: 0 }, { key: 'false', count: berlin.total }]);
      expect((await search({ city: ['berlin'], size: 1 })).total).toBe(0);
    });

    it('highlights title and description words in <em>', async () => {
      const r = await search({ text: 'kitchen', highlight: true });
      const j02 = r.hits.find((h) => h.job.jobId === 'j02');
      expect(j02?.highlights?.title).toEqual(['<em>Kitchen</em> porter']);
      expect(j02?.highlights?.description).toEqual(['Wash dishes and keep the <em>kitchen</em> clean.']);
      const j09 = r.hits.find((h) => h.job.jobId === 'j09');
      expect(j09?.highlights?.title).toBeUndefined();
      expect(j09?.highlights?.description?.[0]).toContain('<em>kitchen</em>');
      expect((await search({ text: 'kitchen' })).hits[0]?.highlights).toBeUndefined();
    });
  });

  describe('map', () => {
    const world = { minLat: -90, maxLat: 90, minLon: -180, maxLon: 180 };
    const mapOf = (req: Record<string, unknown>) => store.map(MapRequest.parse(req), NOW);

    function expectedClusters(list: string[], precision: number) {
      const cells = new Map<string, { n: number; lat: number; lon: number }>();
      for (const id of list) {
        const l = doc(id).location;
        if (!l) continue;
        const k = geohash(l.lat, l.lon, precision);
        const c = cells.get(k) ?? { n: 0, lat: 0, lon: 0 };
        c.n++;
        c.lat += l.lat;
        c.lon += l.lon;
        cells.set(k, c);
      }
      return [...cells].map(([key, c]) => ({ key, count: c.n, lat: c.lat / c.n, lon: c.lon / c.n })).sort((a, b) => b.count - a.count || cmp(a.key, b.key));
    }

    it.each([0, 5, 9, 14])('clusters at zoom %i: keys, counts, centroids, bounds', async (zoom) => {
      const r = await mapOf({ bbox: world, zoom });
      const expected = expectedClusters(LOCATED_VISIBLE, r.precision);
      expect(r.zoom).toBe(zoom);
      expect(r.total).toBe(LOCATED_VISIBLE.length);
      expect(r.clusters.map((c) => [c.key, c.count])).toEqual(expected.map((c) => [c.key, c.count]));
      r.clusters.forEach((c, i) => {
        const e = expected[i];
        if (!e) throw new Error('missing');
        expect(Math.abs(c.centroid.lat - e.lat)).toBeLessThan(1e-6);
        expect(Math.abs(c.centroid.lon - e.lon)).toBeLessThan(1e-6);
        expect(c.key).toHaveLength(r.precision);
        expect(c.centroid.lat).toBeGreaterThanOrEqual(c.bounds.minLat);
        expect(c.centroid.lat).toBeLessThanOrEqual(c.bounds.maxLat);
        expect(c.centroid.lon).toBeGreaterThanOrEqual(c.bounds.minLon);
        expect(c.centroid.lon).toBeLessThanOrEqual(c.bounds.maxLon);
        const span = 360 / 2 ** Math.ceil((5 * r.precision) / 2);
        expect(c.bounds.maxLon - c.bounds.minLon).toBeCloseTo(span, 12);
      });
    });

    it('filters and viewport apply; few jobs come with their points', async () => {
      const r = await mapOf({ bbox: { minLat: 47, maxLat: 55, minLon: 5, maxLon: 15 }, zoom: 6, category: ['hospitality'] });
      expect(r.precision).toBe(4);
      expect(r.total).toBe(5);
      expect(r.clusters.reduce((s, c) => s + c.count, 0)).toBe(5);
      expect(r.points?.map((p) => p.jobId)).toEqual(['j01', 'j02', 'j09', 'j10', 'j21']);
      for (const p of r.points ?? []) {
        const l = doc(p.jobId).location;
        if (!l) throw new Error('no location');
        expect(p).toEqual({ jobId: p.jobId, title: doc(p.jobId).title, ...quantize(l.lat, l.lon) });
      }
      const anti = await mapOf({ bbox: { minLat: -20, maxLat: -10, minLon: 170, maxLon: -170 }, zoom: 3 });
      expect(anti.total).toBe(2);
      expect(anti.points?.map((p) => p.jobId)).toEqual(['j14', 'j15']);
    });
  });

  describe('suggest', () => {
    it('distinct titles of visible jobs with a word starting so, most frequent first', async () => {
      const s = (prefix: string, size = 10) => store.suggest(prefix, size, NOW);
      // j11 (closed) and j13 (expired) are "Barista trainee" too: not counted
      expect(await s('bar')).toEqual(['Barista', 'Barista trainee', 'Event bartender']);
      expect(await s('BAR', 1)).toEqual(['Barista']);
      expect(await s('barista tr')).toEqual(['Barista trainee']);
      expect(await s('kitchen po')).toEqual(['Kitchen porter']);
      expect(await s('po')).toEqual(['Kitchen porter']);
      expect(await s('porter kitchen')).toEqual([]);
      expect(await s('pick')).toEqual(['Grape picker', 'Warehouse picker']);
      expect(await s('  ')).toEqual([]);
      expect(await s('zz')).toEqual([]);
      // the engine keeps prefixes of 2 to 20 characters
      expect(await s('b')).toEqual([]);
    });
  });
});
