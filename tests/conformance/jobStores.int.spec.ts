// Conformance of the two `jobs` read stores: the search-engine adapter on a
// real node (SEARCH_URL, and ELASTICSEARCH_URL when set) and the embedded
// in-memory store, both loaded with one seeded dataset of 6,000 jobs
// (conformanceDataset), must give exactly the same answer to every non-text
// query: totals, ordered ids and documents page by page and over all pages,
// distanceKm (1e-6), facets, and map cells, counts, centroids (1e-6), bounds and
// points at zoom 0..20, with map counts summing to the search total in both.
//
// Text relevance is engine-specific (the engine's cross_fields query takes the
// best field per term; the embedded store sums the fields), so text queries on
// rare title words must match the same jobs, share the top hit (one of the jobs
// tied for the best score, where a store has a tie) and 80 % of the top 20
// (counting a tie at the 20th place as shared). Broad text queries are measured
// and printed only. Single-word queries check that both analyzers match the
// same jobs for the same words.
//
// A difference fails with the query and the field, what the engine gave and
// what the embedded store gave, and, for searches, which of the two agrees with
// the brute-force statement of the semantics (tests/support/referenceSearch.ts).
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { categories, employmentTypes } from '../../eventstore/events/index.ts';
import { openEmbeddedJobStore, type EmbeddedJobStore } from '../../query/embedded/embeddedJobStore.ts';
import { referenceFacets, referenceSearch } from '../support/referenceSearch.ts';
import { connectSearch } from '../../query/engine/connect.ts';
import type { MapInput, SearchInput } from '../../query/engine/dsl/search.ts';
import { createEngineJobStore, type EngineJobStore } from '../../query/engine/engineJobStore.ts';
import type { SearchClient } from '../../query/engine/searchClient.ts';
import type { BBox, Near } from '../../query/model/searchRequest.ts';
import { engineTargets } from '../support/engines.ts';
import { type ComparedStore, type TextAgreement, firstDivergence, mapDifferences, matchDifferences, pageThrough, pagedDifferences, selfCheck, textAgreement } from './compare.ts';
import { conformanceDataset, DATASET_NOW, DATASET_SEED, datasetFacts } from './dataset.ts';
import { mapFilterSets, matchCases, matchWorkers, searchCases, textCases, textSortedCases, userTextInputs, viewports, vocabulary } from './queries.ts';
import type { WorkerProfile } from '../../eventstore/events/index.ts';
import { DEFAULT_BUSINESS_CAP, rankCandidates, recommend } from '../../query/match/recommend.ts';
import { storeCandidates } from '../../query/match/recommendEmbedded.ts';
import { engineCandidates } from '../../query/match/recommendEngine.ts';
import { defaultWeights, prepareMatch } from '../../query/match/matchScore.ts';

const { docs } = conformanceDataset();
const facts = datasetFacts(docs);
const SEARCH_CASES = searchCases(docs, facts);
const TEXT_CASES = textCases(docs, facts);
const TEXT_SORTED_CASES = textSortedCases(docs, facts);
const VIEWPORTS = viewports(facts);
const MAP_FILTERS = mapFilterSets(facts);
const ZOOMS = Array.from({ length: 21 }, (_, z) => z);
const VOCABULARY = vocabulary(docs);
const MATCH_CASES = matchCases(docs, facts);
const MATCH_WORKERS = matchWorkers(facts);
const docById = new Map(docs.map((d) => [d.jobId, d]));

/** Documents per putJobs call. */
const BATCH = 500;
/** fast-check: fixed seed, bounded runs. */
const PROPERTY_SEED = 20_261_128;
const PAGING_RUNS = 40;
const MAP_RUNS = 50;
const MATCH_RUNS = 15;
/** Random paging keeps to about this many pages (the drawn page size is raised when needed). */
const PROPERTY_MAX_PAGES = 40;

const uid = `conf${process.pid.toString(36)}${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}_`;

interface Summary {
  target: string;
  searchQueries: number;
  searchPages: number;
  textSorted: number;
  text: Array<{ name: string; total: number; broad: boolean } & TextAgreement>;
  maps: number;
  pagingRuns: number;
  pagingNonEmpty: number;
  analyzerWords: number;
  analyzerDisagreements: string[];
  mapRuns: number;
  mapNonEmpty: number;
  mapCells: number;
  mapWithPoints: number;
}
const summaries: Summary[] = [];

afterAll(() => {
  for (const s of summaries) {
    const stats = (xs: number[]): string =>
      xs.length === 0 ? 'n/a' : `min ${Math.min(...xs).toFixed(3)} mean ${(xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(3)}`;
    console.info(
      [
        `conformance summary (engine on ${s.target} vs embedded): dataset ${docs.length} jobs (generator seed ${DATASET_SEED}, now ${DATASET_NOW.toISOString()})`,
        `  non-text queries compared exactly: ${s.searchQueries} + ${s.textSorted} text-filtered under newest/pay (${s.searchPages} pages each store, all paged to the end)`,
        `  map requests compared exactly: ${s.maps} (${VIEWPORTS.length} viewports x ${MAP_FILTERS.length} filter sets x zoom 0..20): ${s.mapCells} cells, ${s.mapWithPoints} answers with points`,
        ...[false, true].map((broad) => {
          const ts = s.text.filter((t) => t.broad === broad);
          return (
            `  ${broad ? 'broad text queries (measured only)' : 'rare-word text queries (asserted)'}: ${ts.length}; top-20 overlap raw ${stats(ts.map((t) => t.overlap))}, ` +
            `tie-aware ${stats(ts.map((t) => t.tieAwareOverlap))}; same first id ${ts.filter((t) => t.sameTopHit).length}/${ts.length}, ` +
            `best score tied in the engine ${ts.filter((t) => t.engineTop.length > 1).length}/${ts.length}`
          );
        }),
        `  text analysis: ${s.analyzerWords} single-text queries compared by total; ${s.analyzerDisagreements.length} disagree${s.analyzerDisagreements.length > 0 ? `: ${s.analyzerDisagreements.join('; ')}` : ''}`,
        `  property runs: paging ${s.pagingRuns} (${s.pagingNonEmpty} non-empty), map sums ${s.mapRuns} (${s.mapNonEmpty} non-empty)`,
        `  named queries: ${s.searchQueries + s.textSorted + s.text.length + VIEWPORTS.length * MAP_FILTERS.length} (${s.searchQueries + s.textSorted} exact searches, ${s.text.length} text, ${VIEWPORTS.length * MAP_FILTERS.length} map series)`,
      ].join('\n'),
    );
  }
});

/** Drops undefined-valued keys (as a parsed request has none). */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** Which store agrees with the reference semantics when they differ (diagnostics only). */
function referenceVerdict(request: SearchInput, now: Date, engineIds: readonly string[], embeddedIds: readonly string[]): string {
  if (request.text !== undefined) return 'reference not consulted (text query)';
  const expected = referenceSearch(docs, { ...request, sort: request.sort ?? 'relevance' }, now).map((r) => r.doc.jobId);
  const eOk = JSON.stringify(expected) === JSON.stringify(engineIds);
  const mOk = JSON.stringify(expected) === JSON.stringify(embeddedIds);
  const verdict = (ok: boolean, ids: readonly string[], label: string): string => (ok ? 'agrees' : `differs ${firstDivergence(expected, ids, ['reference', label])}`);
  return `reference (${expected.length} ids): engine ${verdict(eOk, engineIds, 'engine')}; embedded ${verdict(mOk, embeddedIds, 'embedded')}`;
}

describe.each(engineTargets())('jobs read stores agree: engine on $label vs embedded', ({ label, url }) => {
  let client: SearchClient;
  let engine: EngineJobStore;
  let embedded: EmbeddedJobStore;
  const summary: Summary = { target: label, searchQueries: 0, searchPages: 0, textSorted: 0, text: [], maps: 0, pagingRuns: 0, pagingNonEmpty: 0, analyzerWords: 0, analyzerDisagreements: [], mapRuns: 0, mapNonEmpty: 0, mapCells: 0, mapWithPoints: 0 };
  summaries.push(summary);
  const stores = (): { e: ComparedStore; m: ComparedStore } => ({ e: engine, m: embedded });

  beforeAll(async () => {
    client = await connectSearch(url);
    // Bulk load without waiting for a refresh per request; one refresh at the end.
    engine = createEngineJobStore(client, { prefix: `${uid}${label.toLowerCase().replace(/[^a-z0-9]/g, '')}_`, refresh: false });
    await engine.ensureIndex();
    embedded = await openEmbeddedJobStore({ path: ':memory:' });
    for (let i = 0; i < docs.length; i += BATCH) {
      const batch = docs.slice(i, i + BATCH);
      await engine.putJobs(batch);
      await embedded.putJobs(batch);
    }
    await engine.refresh();
    expect(await engine.count()).toBe(docs.length);
    expect(await embedded.count()).toBe(docs.length);
  }, 300_000);

  afterAll(async () => {
    embedded?.close();
    if (client) {
      if (engine) await client.deleteIndex([engine.index, engine.businesses.index], { ignoreMissing: true });
      await client.close();
    }
  });

  it('holds the same documents', async () => {
    // The dataset is what the suite says: enough jobs, every status, located and remote ones.
    expect(docs.length).toBeGreaterThanOrEqual(5_000);
    expect(new Set(docs.map((d) => d.status))).toEqual(new Set(['draft', 'open', 'closed']));
    expect(docs.filter((d) => !d.location).length).toBeGreaterThan(0);
    for (const id of [docs[0]!.jobId, docs[docs.length >> 1]!.jobId, docs[docs.length - 1]!.jobId]) {
      expect(await engine.getJob(id)).toEqual(await embedded.getJob(id));
    }
  });

  it('answers getJobs in the order asked, with undefined for an unknown id, as getJob one by one', async () => {
    const ids = [docs[docs.length - 1]!.jobId, 'no-such-job', ...docs.slice(0, 600).map((d) => d.jobId)];
    const one = await Promise.all(ids.map((id) => embedded.getJob(id)));
    expect(one[1]).toBeUndefined();
    expect(await engine.getJobs(ids)).toEqual(one);
    expect(await embedded.getJobs(ids)).toEqual(one);
  });

  describe('non-text queries: the same pages, ids, distances and facets', () => {
    it.each([...SEARCH_CASES, ...TEXT_SORTED_CASES])('$name', async ({ name, request, now = DATASET_NOW }) => {
      const { e, m } = stores();
      const [pe, pm] = await Promise.all([pageThrough(e, request, now), pageThrough(m, request, now)]);
      const diffs = pagedDifferences(pe, pm);
      if (request.text === undefined) summary.searchQueries++;
      else summary.textSorted++;
      summary.searchPages += pe.pages.length;
      if (diffs.length > 0) diffs.push(referenceVerdict(request, now, pe.ids, pm.ids));
      // Facets (every filter but each facet's own) as the reference counts them; text needs no reference here (the stores agree above).
      if (request.facets === true && request.text === undefined) {
        const expected = referenceFacets(docs, request, now);
        for (const [label, p] of [['engine', pe], ['embedded', pm]] as const) {
          if (!isDeepStrictEqual(p.pages[0]?.facets, expected)) diffs.push(`${label}: facets ${JSON.stringify(p.pages[0]?.facets)} vs the reference ${JSON.stringify(expected)}`);
        }
      }
      expect(diffs, `${name}: ${JSON.stringify(request)} at ${now.toISOString()}`).toEqual([]);
      // Not vacuous: most queries find something (a few are empty on purpose).
      if (!/empty|unknown/.test(name)) expect(pe.ids.length, `${name} finds jobs`).toBeGreaterThan(0);
    });
  });

  describe('text queries: same matches and top hit, top 20 mostly the same', () => {
    it.each(TEXT_CASES)('$name', async ({ name, request, broad }) => {
      const { e, m } = stores();
      // Every match of both stores, in each store's relevance order, with its scores.
      const all: SearchInput = { ...request, size: 100 };
      const [pe, pm] = await Promise.all([pageThrough(e, all, DATASET_NOW), pageThrough(m, all, DATASET_NOW)]);
      const a = textAgreement(pe, pm, 20);
      const total = pe.pages[0]?.total ?? 0;
      summary.text.push({ name, total, broad: broad === true, ...a });
      const tie = (ids: string[]): string => (ids.length > 1 ? `tie of ${ids.length} ${JSON.stringify(ids.slice(0, 6))}` : JSON.stringify(ids[0]));
      console.info(
        `text ${name}: total ${total}/${pm.pages[0]?.total ?? 0}, top-20 overlap ${a.overlap.toFixed(2)} (tie-aware ${a.tieAwareOverlap.toFixed(2)}), ` +
          `top hit engine ${tie(a.engineTop)} embedded ${tie(a.embeddedTop)}${a.sameTopHit ? '' : ' (first ids differ)'}`,
      );
      expect([...selfCheck('engine', pe), ...selfCheck('embedded', pm)], name).toEqual([]);
      expect(total, `${name}: finds jobs`).toBeGreaterThan(0);
      expect(pm.pages[0]?.total, `${name}: total engine ${total} vs embedded ${pm.pages[0]?.total}`).toBe(total);
      expect([...pm.ids].sort(), `${name}: the same jobs match`).toEqual([...pe.ids].sort());
      if (broad) return; // ranking measured above, not asserted (see TextCase.broad)
      // The same top hit; where a store's best score is shared by several jobs, one of them.
      expect(a.engineTop.filter((id) => a.embeddedTop.includes(id)), `${name}: top hit engine ${JSON.stringify(a.engineTop)} embedded ${JSON.stringify(a.embeddedTop)}`).not.toEqual([]);
      expect(a.tieAwareOverlap, `${name}: top-20 overlap engine ${JSON.stringify(pe.ids.slice(0, 20))} vs embedded ${JSON.stringify(pm.ids.slice(0, 20))}`).toBeGreaterThanOrEqual(0.8);
      // distanceKm of text hits with near agree as well
      const md = new Map(pm.pages.flatMap((pg) => pg.hits.map((h) => [h.job.jobId, h.distanceKm] as const)));
      for (const h of pe.pages.flatMap((pg) => pg.hits)) {
        if (h.distanceKm !== undefined) expect(Math.abs(h.distanceKm - (md.get(h.job.jobId) ?? Infinity)), `${h.job.jobId} distanceKm`).toBeLessThanOrEqual(1e-6);
      }
    });
  });

  describe('text analysis: the same jobs match the same words', () => {
    const compareTotals = async (texts: readonly string[]): Promise<string[]> => {
      const { e, m } = stores();
      const out: string[] = [];
      for (const text of texts) {
        const [re, rm] = await Promise.all([e.search({ text, size: 1 }, DATASET_NOW), m.search({ text, size: 1 }, DATASET_NOW)]);
        summary.analyzerWords++;
        if (re.total !== rm.total) out.push(`${JSON.stringify(text)}: engine ${re.total}, embedded ${rm.total}`);
      }
      summary.analyzerDisagreements.push(...out);
      return out;
    };
    it(`a sample of the dataset's words (${VOCABULARY.length}): same totals`, async () => {
      expect(await compareTotals(VOCABULARY)).toEqual([]);
    });
    it.each(userTextInputs)('user input %j: same total', async (text) => {
      expect(await compareTotals([text])).toEqual([]);
    });
  });

  describe('map: the same cells, centroids, bounds and points at every zoom', () => {
    const grid = VIEWPORTS.flatMap((v) => MAP_FILTERS.map((f) => ({ name: `${v.name}, ${f.name}`, bbox: v.bbox, filters: f.filters })));
    it.each(grid)('$name, zoom 0..20', async ({ name, bbox, filters }) => {
      const { e, m } = stores();
      const searchReq: SearchInput = { ...filters, bbox, size: 1 };
      const [se, sm] = await Promise.all([e.search(searchReq, DATASET_NOW), m.search(searchReq, DATASET_NOW)]);
      const diffs: string[] = [];
      for (const zoom of ZOOMS) {
        const req: MapInput = { ...filters, bbox, zoom };
        const [me, mm] = await Promise.all([e.map(req, DATASET_NOW), m.map(req, DATASET_NOW)]);
        summary.maps++;
        summary.mapCells += me.clusters.length;
        if (me.points) summary.mapWithPoints++;
        for (const d of mapDifferences(me, mm, { engine: se.total, embedded: sm.total })) diffs.push(`zoom ${zoom}: ${d}`);
      }
      expect(diffs, `${name}: ${JSON.stringify({ ...filters, bbox })}`).toEqual([]);
    });
  });

  describe('sort match: both stores give the reference order (match score desc, jobId asc) over the filtered set, every page', () => {
    /**
     * The brute-force answer: every match of the query, scored for the worker
     * by the reference function, best first, ties by jobId. With text the
     * filtered set is the stores' own under sort=newest (held equal above; the
     * brute-force BM25 over 6,000 documents is too slow to repeat here).
     */
    const expectedOf = async (request: SearchInput, now: Date, worker: WorkerProfile) => {
      if (request.text === undefined) return referenceSearch(docs, { ...request, sort: 'match' }, now, { worker }).map((r) => ({ id: r.doc.jobId, score: r.value }));
      const filtered = await pageThrough(stores().m, { ...request, sort: 'newest', size: 100 }, now);
      const score = prepareMatch(worker, defaultWeights, now);
      return filtered.ids.map((id) => ({ id, score: score(docById.get(id)!).score })).sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
    };

    it.each(MATCH_CASES)('$name', async ({ name, request, worker, now = DATASET_NOW }) => {
      const { e, m } = stores();
      const context = { match: { worker } };
      const [pe, pm, expected] = await Promise.all([pageThrough(e, request, now, context), pageThrough(m, request, now, context), expectedOf(request, now, worker)]);
      const diffs = [...pagedDifferences(pe, pm), ...matchDifferences('engine', pe, expected), ...matchDifferences('embedded', pm, expected)];
      expect(diffs, `${name}: ${JSON.stringify(request)} at ${now.toISOString()}`).toEqual([]);
      expect(pe.ids.length, `${name} finds jobs`).toBeGreaterThan(0);
      // The ranking of recommendations restricted to the query: the jobs recommendations keep (cap lifted) come in rankCandidates' order.
      const recommended = rankCandidates(worker, pm.ids.map((id) => docById.get(id)!), { size: pm.ids.length, cap: Infinity, now }).map((r) => r.job.jobId);
      const kept = new Set(recommended);
      expect(pm.ids.filter((id) => kept.has(id)), `${name}: the recommendations' order`).toEqual(recommended);
    }, 180_000);

    it('is a sort, not a filter: the same jobs as sort=newest, including jobs recommendations leave out (beyond the travel range, over the per-business cap)', async () => {
      const { e, m } = stores();
      const { worker } = MATCH_WORKERS[0]!;
      const context = { match: { worker } };
      const [pe, pm, newest] = await Promise.all([pageThrough(e, { sort: 'match', size: 100 }, DATASET_NOW, context), pageThrough(m, { sort: 'match', size: 100 }, DATASET_NOW, context), pageThrough(m, { sort: 'newest', size: 100 }, DATASET_NOW)]);
      expect([...pe.ids].sort()).toEqual([...newest.ids].sort());
      expect([...pm.ids].sort()).toEqual([...newest.ids].sort());
      const hits = pe.pages.flatMap((pg) => pg.hits);
      // Beyond the worker's reach (distance factor 0, not remote): recommendations drop these.
      expect(hits.some((h) => !h.job.remote && h.job.location && h.match?.factors.distance === 0)).toBe(true);
      // No per-business cap: one business's jobs fill a page past DEFAULT_BUSINESS_CAP.
      const own = await e.search({ businessId: facts.businesses[0]!, sort: 'match', size: 20 }, DATASET_NOW, context);
      expect(own.hits.length).toBeGreaterThan(DEFAULT_BUSINESS_CAP);
      expect(new Set(own.hits.map((h) => h.job.businessId))).toEqual(new Set([facts.businesses[0]]));
    }, 180_000);

    it('refuses without a worker (RangeError), as distance without near', async () => {
      const { e, m } = stores();
      await expect(e.search({ sort: 'match' }, DATASET_NOW)).rejects.toThrow(RangeError);
      await expect(m.search({ sort: 'match' }, DATASET_NOW)).rejects.toThrow(RangeError);
    });
  });

  describe('recommendations: the exact top-k of every eligible job, as the brute force gives it', () => {
    const view = (page: ReadonlyArray<{ job: { jobId: string }; score: number; reason: string }>) => page.map((r) => ({ jobId: r.job.jobId, score: r.score, reason: r.reason }));
    it.each(MATCH_WORKERS)('$name', async ({ worker }) => {
      const sources = {
        // Small first pages: the walk goes through several search_after pages.
        engine: engineCandidates(client, engine.alias, { firstPage: 10 }),
        embedded: storeCandidates(embedded),
        'engine search': storeCandidates(engine),
      };
      for (const { size, cap } of [{ size: 50, cap: 1 }, { size: 20, cap: DEFAULT_BUSINESS_CAP }, { size: 50, cap: 10 }]) {
        const options = { size, cap, now: DATASET_NOW };
        const expected = view(rankCandidates(worker, docs, options));
        expect(expected.length, 'the workers have pages to compare').toBeGreaterThan(0);
        for (const [label, source] of Object.entries(sources)) {
          expect(view(await recommend(source, worker, options)), `${label}, size ${size}, cap ${cap}`).toEqual(expected);
        }
      }
    }, 180_000);
  });

  describe('properties (fast-check, seeded)', () => {
    const cityArb = fc.constantFrom(...facts.cities.slice(0, 30));
    const nearArb: fc.Arbitrary<Near> = fc.oneof(
      {
        arbitrary: fc.record({ c: cityArb, radiusKm: fc.integer({ min: 1, max: 3000 }) }).map(({ c, radiusKm }) => ({ lat: c.lat, lon: c.lon, radiusKm })),
        weight: 3,
      },
      {
        arbitrary: fc.record({ lat: fc.double({ min: -60, max: 70, noNaN: true }), lon: fc.double({ min: -180, max: 180, noNaN: true }), radiusKm: fc.integer({ min: 1, max: 8000 }) }),
        weight: 1,
      },
    );
    const bboxArb: fc.Arbitrary<BBox> = fc
      .record({
        minLat: fc.double({ min: -80, max: 80, noNaN: true }),
        height: fc.double({ min: 0.05, max: 90, noNaN: true }),
        minLon: fc.double({ min: -180, max: 180, noNaN: true }),
        width: fc.double({ min: 0.05, max: 200, noNaN: true }),
      })
      .map(({ minLat, height, minLon, width }) => {
        let maxLon = minLon + width;
        if (maxLon > 180) maxLon -= 360; // crosses the antimeridian
        return { minLat, maxLat: Math.min(90, minLat + height), minLon, maxLon };
      });
    /** Present once in `1 + absent` draws: a few filters at a time, so that most combinations match something. */
    const sometimes = <T>(arb: fc.Arbitrary<T>, absent = 3): fc.Arbitrary<T | undefined> =>
      fc.oneof({ arbitrary: fc.constant(undefined), weight: absent }, { arbitrary: arb, weight: 1 });
    const exactPays = [...new Set(docs.filter((d) => d.status === 'open').map((d) => d.hourlyMax))].sort((a, b) => a - b);
    const payArb = fc.oneof(fc.integer({ min: 0, max: 25 }), fc.constantFrom(...exactPays));
    const dayArb = fc.integer({ min: -30, max: 150 }).map((d) => new Date(DATASET_NOW.getTime() + d * 86_400_000).toISOString().slice(0, 10));
    const filtersArb = fc
      .record({
        category: sometimes(fc.subarray([...categories], { minLength: 1, maxLength: 6 })),
        employmentType: sometimes(fc.subarray([...employmentTypes], { minLength: 1, maxLength: 3 })),
        pay: sometimes(fc.tuple(sometimes(payArb), sometimes(payArb))),
        avail: sometimes(fc.tuple(sometimes(dayArb), sometimes(dayArb))),
        skills: sometimes(fc.record({ list: fc.subarray(facts.skills.slice(0, 25), { minLength: 1, maxLength: 3 }), mode: fc.constantFrom('any' as const, 'all' as const) }), 4),
        remote: sometimes(fc.boolean()),
        city: sometimes(fc.subarray(facts.cities.slice(0, 12).map((c) => c.name), { minLength: 1, maxLength: 3 }), 4),
        postedWithinDays: sometimes(fc.integer({ min: 1, max: 40 }), 4),
        business: sometimes(fc.record({ id: fc.constantFrom(...facts.businesses.slice(0, 8)), includeClosed: fc.boolean(), status: sometimes(fc.constantFrom('draft' as const, 'open' as const, 'closed' as const, 'expired' as const), 2) })),
        near: sometimes(nearArb, 5),
        bbox: sometimes(bboxArb, 5),
      })
      .map((r): Omit<SearchInput, 'sort' | 'size'> => {
        const [p1, p2] = r.pay ?? [];
        const [d1, d2] = r.avail ?? [];
        const lohi = <T extends number | string>(a: T | undefined, b: T | undefined): [T | undefined, T | undefined] =>
          a !== undefined && b !== undefined && b < a ? [b, a] : [a, b];
        const [payMin, payMax] = lohi(p1, p2);
        const [availableFrom, availableTo] = lohi(d1, d2);
        return defined({
          category: r.category,
          employmentType: r.employmentType,
          payMin,
          payMax,
          availableFrom,
          availableTo,
          skills: r.skills?.list,
          skillsMode: r.skills?.mode,
          remote: r.remote,
          city: r.city,
          postedWithinDays: r.postedWithinDays,
          businessId: r.business?.id,
          includeClosed: r.business?.includeClosed,
          status: r.business?.status,
          near: r.near,
          bbox: r.bbox,
        });
      });

    it(`paging through all pages visits every match once, the same in both stores (${PAGING_RUNS} runs)`, async () => {
      const arb = fc.record({
        filters: filtersArb,
        sort: fc.constantFrom('relevance' as const, 'newest' as const, 'pay' as const, 'distance' as const, 'expiring' as const),
        size: fc.integer({ min: 1, max: 100 }),
        facets: fc.boolean(),
        later: fc.boolean(),
      });
      await fc.assert(
        fc.asyncProperty(arb, async ({ filters, sort, size, facets, later }) => {
          const { e, m } = stores();
          const now = later ? new Date(DATASET_NOW.getTime() + 40 * 86_400_000) : DATASET_NOW;
          const probe = await m.search({ ...filters, size: 1 }, now);
          const request: SearchInput = {
            ...filters,
            sort: sort === 'distance' && !filters.near ? 'pay' : sort,
            size: Math.min(100, Math.max(size, Math.ceil(probe.total / PROPERTY_MAX_PAGES))),
            facets,
          };
          const [pe, pm] = await Promise.all([pageThrough(e, request, now), pageThrough(m, request, now)]);
          summary.pagingRuns++;
          if (pe.ids.length > 0) summary.pagingNonEmpty++;
          const diffs = [...selfCheck('engine', pe), ...selfCheck('embedded', pm), ...pagedDifferences(pe, pm)];
          if (diffs.length > 0) {
            diffs.push(referenceVerdict(request, now, pe.ids, pm.ids));
            throw new Error(`${JSON.stringify(request)} at ${now.toISOString()}:\n${[...new Set(diffs)].slice(0, 12).join('\n')}`);
          }
        }),
        { seed: PROPERTY_SEED, numRuns: PAGING_RUNS, endOnFailure: true },
      );
    }, 600_000);

    it(`sort match: paging through random filters for random workers gives the reference order in both stores (${MATCH_RUNS} runs)`, async () => {
      const workerArb: fc.Arbitrary<WorkerProfile> = fc
        .record({
          skills: fc.subarray(facts.skills.slice(0, 30), { maxLength: 5 }),
          at: sometimes(cityArb, 1),
          maxTravelKm: fc.integer({ min: 1, max: 500 }),
          desiredHourlyPay: sometimes(fc.integer({ min: 1, max: 40 }), 1),
          windows: fc.array(fc.tuple(dayArb, sometimes(fc.integer({ min: 0, max: 60 }), 1)), { maxLength: 3 }),
          experienceYears: fc.integer({ min: 0, max: 10 }),
        })
        .map((w) => defined({
          name: 'W',
          skills: w.skills,
          location: w.at && { lat: w.at.lat, lon: w.at.lon },
          maxTravelKm: w.maxTravelKm,
          desiredHourlyPay: w.desiredHourlyPay,
          currency: 'USD',
          availability: w.windows.map(([from, days]) => defined({ from, to: days === undefined ? undefined : new Date(Date.parse(from) + days * 86_400_000).toISOString().slice(0, 10) })),
          experienceYears: w.experienceYears,
        }));
      const arb = fc.record({ filters: filtersArb, worker: workerArb, size: fc.integer({ min: 1, max: 100 }) });
      await fc.assert(
        fc.asyncProperty(arb, async ({ filters, worker, size }) => {
          const { e, m } = stores();
          const probe = await m.search({ ...filters, size: 1 }, DATASET_NOW);
          const request: SearchInput = { ...filters, sort: 'match', size: Math.min(100, Math.max(size, Math.ceil(probe.total / PROPERTY_MAX_PAGES))) };
          const context = { match: { worker } };
          const [pe, pm] = await Promise.all([pageThrough(e, request, DATASET_NOW, context), pageThrough(m, request, DATASET_NOW, context)]);
          const expected = referenceSearch(docs, request, DATASET_NOW, { worker }).map((r) => ({ id: r.doc.jobId, score: r.value }));
          const diffs = [...pagedDifferences(pe, pm), ...matchDifferences('engine', pe, expected), ...matchDifferences('embedded', pm, expected)];
          if (diffs.length > 0) throw new Error(`${JSON.stringify(request)} for ${JSON.stringify(worker)}:\n${[...new Set(diffs)].slice(0, 12).join('\n')}`);
        }),
        { seed: PROPERTY_SEED + 2, numRuns: MATCH_RUNS, endOnFailure: true },
      );
    }, 600_000);

    it(`map cell counts sum to the search total, the same in both stores (${MAP_RUNS} runs)`, async () => {
      // Viewports: anywhere, or around a busy city (so that most hold jobs); at most a couple of filters.
      const cityBoxArb: fc.Arbitrary<BBox> = fc
        .record({ c: cityArb, h: fc.double({ min: 0.01, max: 20, noNaN: true }), w: fc.double({ min: 0.01, max: 40, noNaN: true }) })
        .map(({ c, h, w }) => {
          const minLon = c.lon - w / 2 < -180 ? c.lon - w / 2 + 360 : c.lon - w / 2;
          const maxLon = c.lon + w / 2 > 180 ? c.lon + w / 2 - 360 : c.lon + w / 2;
          return { minLat: Math.max(-90, c.lat - h / 2), maxLat: Math.min(90, c.lat + h / 2), minLon, maxLon };
        });
      const mapFiltersArb = fc
        .record({ filters: filtersArb, keep: fc.subarray(['category', 'employmentType', 'payMin', 'payMax', 'availableFrom', 'availableTo', 'skills', 'remote', 'postedWithinDays', 'businessId', 'near'], { maxLength: 2 }) })
        .map(({ filters, keep }) => {
          const picked: Omit<SearchInput, 'sort' | 'size'> = Object.fromEntries(Object.entries(filters).filter(([k]) => keep.includes(k) || (k === 'skillsMode' && keep.includes('skills')) || ((k === 'includeClosed' || k === 'status') && keep.includes('businessId'))));
          return picked;
        });
      const arb = fc.record({ filters: mapFiltersArb, bbox: fc.oneof(bboxArb, cityBoxArb), zoom: fc.integer({ min: 0, max: 20 }) });
      await fc.assert(
        fc.asyncProperty(arb, async ({ filters, bbox, zoom }) => {
          const { e, m } = stores();
          const { bbox: _drop, ...rest } = filters;
          const req: MapInput = { ...rest, bbox, zoom };
          const searchReq: SearchInput = { ...rest, bbox, size: 1 };
          const [se, sm, me, mm] = await Promise.all([e.search(searchReq, DATASET_NOW), m.search(searchReq, DATASET_NOW), e.map(req, DATASET_NOW), m.map(req, DATASET_NOW)]);
          summary.mapRuns++;
          if (me.total > 0) summary.mapNonEmpty++;
          const diffs = mapDifferences(me, mm, { engine: se.total, embedded: sm.total });
          if (diffs.length > 0) throw new Error(`${JSON.stringify(req)}:\n${diffs.slice(0, 12).join('\n')}`);
        }),
        { seed: PROPERTY_SEED + 1, numRuns: MAP_RUNS, endOnFailure: true },
      );
    }, 600_000);
  });
});
