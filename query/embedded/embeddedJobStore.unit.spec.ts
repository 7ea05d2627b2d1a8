import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { JobDocument } from '../../mappings/jobDocument.ts';
import { SearchRequest } from '../model/searchRequest.ts';
import { mapPointsThreshold } from '../model/zoomPrecision.ts';
import { InvalidCursorError } from '../model/invalidCursorError.ts';
import { type EmbeddedJobStore, type FilterInput, openEmbeddedJobStore } from './embeddedJobStore.ts';
import { NOW, bboxArb, docBody, docsArb, filtersArb, singleFilters, toDoc } from '../../tests/support/jobFixtures.ts';
import { ANALYZER_VERSION } from './analysis/analyzer.ts';
import { workerArb } from '../../tests/support/matchArbitraries.ts';
import { type ReferenceSort, referenceFacets, referenceMap, referenceMatches, referenceSearch } from '../../tests/support/referenceSearch.ts';

const runs = Number(process.env.FC_RUNS ?? 60);
const stores: EmbeddedJobStore[] = [];
afterAll(() => {
  for (const s of stores) s.close();
});

/** A store holding docs; the geo index is re-sorted after the first half so both its sorted run and its delta serve queries. */
async function storeWith(docs: readonly JobDocument[], deltaLimit = 2, geoFirstRatio = 16): Promise<EmbeddedJobStore> {
  const store = await openEmbeddedJobStore({ path: ':memory:', geoDeltaLimit: deltaLimit, geoFirstRatio });
  stores.push(store);
  const half = Math.floor(docs.length / 2);
  await store.putJobs(docs.slice(0, half));
  await store.map({ bbox: { minLat: -1, maxLat: 1, minLon: -1, maxLon: 1 }, zoom: 3 }, NOW);
  await store.putJobs(docs.slice(half));
  return store;
}

async function pageAll(store: EmbeddedJobStore, f: FilterInput, sort: ReferenceSort, size: number) {
  const ids: string[] = [];
  const values: Array<number | undefined> = [];
  let cursor: string | undefined;
  let total = -1;
  for (let guard = 0; guard < 1000; guard++) {
    const r = await store.search({ ...f, sort, size, ...(cursor ? { cursor } : {}) }, NOW);
    if (total === -1) total = r.total;
    expect(r.total).toBe(total);
    for (const h of r.hits) {
      ids.push(h.job.jobId);
      values.push(h.score ?? h.distanceKm);
      if (f.near) expect(h.distanceKm).toBeTypeOf('number');
    }
    if (!r.nextCursor) {
      expect(r.hits.length).toBeLessThanOrEqual(size);
      break;
    }
    expect(r.hits.length).toBe(size);
    cursor = r.nextCursor;
  }
  return { ids, values, total };
}

describe('embedded job store: filters against brute force', () => {
  for (const [name, arb] of Object.entries(singleFilters)) {
    it(`${name} alone`, async () => {
      await fc.assert(
        fc.asyncProperty(docsArb(), arb, async (docs, f) => {
          const store = await storeWith(docs);
          const r = await store.search({ ...f, size: 100, sort: 'pay' }, NOW);
          const expected = docs.filter((d) => referenceMatches(d, f, NOW, docs)).map((d) => d.jobId).sort();
          expect(r.total).toBe(expected.length);
          expect(r.hits.map((h) => h.job.jobId).sort()).toEqual(expected.slice(0, 100).length === expected.length ? expected : r.hits.map((h) => h.job.jobId).sort());
          store.close();
        }),
        { numRuns: runs },
      );
    });
  }

  it('any combination of filters, every sort, paged by cursors, visits each match once in order', async () => {
    await fc.assert(
      fc.asyncProperty(
        docsArb(1, 80),
        filtersArb,
        fc.constantFrom<ReferenceSort>('relevance', 'newest', 'pay', 'distance', 'expiring'),
        fc.integer({ min: 1, max: 7 }),
        fc.constantFrom(0, 3, 1000),
        fc.constantFrom(0, 16, Infinity),
        async (docs, f, sort, size, deltaLimit, geoFirstRatio) => {
          fc.pre(sort !== 'distance' || f.near !== undefined);
          const store = await storeWith(docs, deltaLimit, geoFirstRatio);
          const expected = referenceSearch(docs, { ...f, sort }, NOW);
          const got = await pageAll(store, f, sort, size);
          expect(got.total).toBe(expected.length);
          expect(got.ids).toEqual(expected.map((e) => e.doc.jobId));
          if (sort === 'relevance' && f.text !== undefined) expect(got.values).toEqual(expected.map((e) => e.value));
          if (sort === 'distance') got.values.forEach((v, i) => expect(v).toBe(-expected[i]!.value));
          store.close();
        },
      ),
      { numRuns: runs * 2 },
    );
  });

  it('sort match: any filters, any worker, paged by cursors, gives the reference score order (ties by jobId) with each hit\'s reference score', async () => {
    await fc.assert(
      fc.asyncProperty(docsArb(1, 80), filtersArb, workerArb, fc.integer({ min: 1, max: 7 }), async (docs, f, worker, size) => {
        const store = await storeWith(docs);
        const expected = referenceSearch(docs, { ...f, sort: 'match' }, NOW, { worker });
        const got: Array<{ id: string; score: number | undefined }> = [];
        let cursor: string | undefined;
        for (let guard = 0; guard < 1000; guard++) {
          const r = await store.search({ ...f, sort: 'match', size, ...(cursor ? { cursor } : {}) }, NOW, { match: { worker } });
          expect(r.total).toBe(expected.length);
          got.push(...r.hits.map((h) => ({ id: h.job.jobId, score: h.match?.score })));
          if (!(cursor = r.nextCursor)) break;
        }
        expect(got).toEqual(expected.map((e) => ({ id: e.doc.jobId, score: e.value })));
        store.close();
      }),
      { numRuns: runs * 2 },
    );
  });

  it('each facet counts the jobs matching every filter but its own, as the reference does', async () => {
    await fc.assert(
      fc.asyncProperty(docsArb(), filtersArb, async (docs, f) => {
        const store = await storeWith(docs);
        const r = await store.search({ ...f, facets: true, size: 1 }, NOW);
        expect(r.facets).toEqual(referenceFacets(docs, f, NOW));
        // The pay bands partition the jobs of every filter but pay; the hits stay those of every filter.
        const { payMin: _min, payMax: _max, ...unpaid } = f;
        expect(r.facets?.payBands.reduce((s, b) => s + b.count, 0)).toBe((await store.search({ ...unpaid, size: 1 }, NOW)).total);
        expect(r.total).toBe(docs.filter((d) => referenceMatches(d, f, NOW, docs)).length);
        store.close();
      }),
      { numRuns: runs },
    );
  });
});

describe('embedded job store: map', () => {
  it('finds a new job in the corner cell (-90, -180) before the geo index is re-sorted, like after', async () => {
    // Its geohash key is 0, the value a new slot starts with: the write must still file it as moved.
    const [body] = fc.sample(docBody, { numRuns: 1, seed: 5 });
    const doc = { ...toDoc('corner', body!), status: 'open' as const, expiresAt: '2099-01-01T00:00:00.000Z', location: { lat: -89.99999999999983, lon: -179.9999999999998 } };
    const store = await storeWith([], 1000);
    await store.putJobs([doc]);
    const world = { minLon: -180, minLat: -90, maxLon: 180, maxLat: 90 };
    const before = [(await store.map({ bbox: world, zoom: 0 }, NOW)).total, (await store.search({ bbox: world, size: 1 }, NOW)).total];
    const reopened = await storeWith([doc], 1000);
    const after = [(await reopened.map({ bbox: world, zoom: 0 }, NOW)).total, (await reopened.search({ bbox: world, size: 1 }, NOW)).total];
    expect(before).toEqual([1, 1]);
    expect(after).toEqual([1, 1]);
    store.close();
    reopened.close();
  });

  it('clusters equal brute-force geohash cells; counts sum to the search total', async () => {
    await fc.assert(
      fc.asyncProperty(docsArb(1, 80), filtersArb, bboxArb, fc.integer({ min: 0, max: 20 }), fc.constantFrom(0, 3, 1000), async (docs, f, bbox, zoom, deltaLimit) => {
        const store = await storeWith(docs, deltaLimit);
        const req = { ...f, bbox, zoom };
        const r = await store.map(req, NOW);
        const ref = referenceMap(docs, req, NOW);
        expect(r.total).toBe(ref.total);
        expect(r.clusters.map((c) => [c.key, c.count])).toEqual(ref.clusters.map((c) => [c.key, c.count]));
        r.clusters.forEach((c, i) => {
          const e = ref.clusters[i]!;
          expect(Math.abs(c.centroid.lat - e.centroid.lat)).toBeLessThanOrEqual(1e-9);
          expect(Math.abs(c.centroid.lon - e.centroid.lon)).toBeLessThanOrEqual(1e-9);
          expect(c.bounds).toEqual(e.bounds);
        });
        expect(r.clusters.reduce((s, c) => s + c.count, 0)).toBe(r.total);
        const search = await store.search({ ...f, bbox, size: 1 }, NOW);
        expect(search.total).toBe(r.total);
        if (r.total <= mapPointsThreshold) expect(r.points?.map((p) => p.jobId)).toEqual(docs.filter((d) => d.location && referenceMatches(d, req, NOW, docs)).map((d) => d.jobId).sort());
        else expect(r.points).toBeUndefined();
        store.close();
      }),
      { numRuns: runs * 2 },
    );
  });

  it('serves many points in the same cell with one cluster and points under the threshold only', async () => {
    const store = await storeWith([]);
    const base = toDoc('x', { ...fc.sample(docBody, { numRuns: 1, seed: 1 })[0]!, status: 'open', expiresInDays: 10, location: { lat: 48.85, lon: 2.35 } });
    const many = Array.from({ length: mapPointsThreshold + 1 }, (_, i) => ({ ...base, jobId: `p-${String(i).padStart(4, '0')}` }));
    await store.putJobs(many);
    const r = await store.map({ bbox: { minLat: 48, maxLat: 49, minLon: 2, maxLon: 3 }, zoom: 10 }, NOW);
    expect(r.total).toBe(mapPointsThreshold + 1);
    expect(r.clusters).toHaveLength(1);
    expect(r.points).toBeUndefined();
    const r2 = await store.map({ bbox: { minLat: 48, maxLat: 49, minLon: 2, maxLon: 3 }, zoom: 10, businessId: base.businessId, category: [base.category] }, NOW);
    expect(r2.total).toBe(mapPointsThreshold + 1);
  });
});

describe('embedded job store: writes', () => {
  it('applies only newer positions, in any batching, and indexes rewritten documents', async () => {
    await fc.assert(
      fc.asyncProperty(
        docsArb(1, 40),
        fc.array(fc.tuple(fc.nat(), docBody), { maxLength: 40 }),
        fc.integer({ min: 1, max: 10 }),
        filtersArb,
        fc.constantFrom(0, 3, 1000),
        async (initial, rewrites, batch, f, deltaLimit) => {
          const updates = rewrites.map(([i, b]) => toDoc(initial[i % initial.length]!.jobId, b));
          const all = [...initial, ...updates];
          // The expected state: per job, the document with the highest position, the first one on ties.
          const latest = new Map<string, JobDocument>();
          for (const d of all) {
            const cur = latest.get(d.jobId);
            if (!cur || d.position > cur.position) latest.set(d.jobId, d);
          }
          const store = await storeWith([], deltaLimit);
          for (let i = 0; i < all.length; i += batch) {
            await store.putJobs(all.slice(i, i + batch));
            if (i % 3 === 0) await store.search({ near: { lat: 0, lon: 0, radiusKm: 20_000 } }, NOW);
          }
          await store.putJobs(all); // a full replay changes nothing
          const docs = [...latest.values()];
          expect(await store.count()).toBe(docs.length);
          for (const d of docs) expect(await store.getJob(d.jobId)).toEqual(d);
          const expected = referenceSearch(docs, { ...f, sort: 'relevance' }, NOW);
          const got = await pageAll(store, f, 'relevance', 13);
          expect(got.ids).toEqual(expected.map((e) => e.doc.jobId));
          if (f.text !== undefined) expect(got.values).toEqual(expected.map((e) => e.value));
          const bbox = { minLat: -90, maxLat: 90, minLon: -180, maxLon: 180 };
          const m = await store.map({ ...f, bbox, zoom: 2 }, NOW);
          const ref = referenceMap(docs, { ...f, bbox, zoom: 2 }, NOW);
          expect(m.clusters.map((c) => [c.key, c.count])).toEqual(ref.clusters.map((c) => [c.key, c.count]));
          store.close();
        },
      ),
      { numRuns: runs },
    );
  });

  it('keeps the sorted geo copies current when a located job changes in place (status, expiry, pay, category)', async () => {
    const world = { minLat: -90, maxLat: 90, minLon: -180, maxLon: 180 };
    const one = toDoc('x', { ...fc.sample(docBody, { numRuns: 1, seed: 3 })[0]!, status: 'open', expiresInDays: 10, location: { lat: 10, lon: 10 } });
    const s = await storeWith([one], 0);
    expect((await s.map({ bbox: world, zoom: 0 }, NOW)).total).toBe(1);
    await s.putJobs([{ ...one, status: 'closed', position: one.position + 1 }]);
    expect((await s.map({ bbox: world, zoom: 0 }, NOW)).total).toBe(0);
    expect((await s.search({ bbox: world }, NOW)).total).toBe(0);
    await s.putJobs([{ ...one, status: 'open', hourlyMax: 99, position: one.position + 2 }]);
    expect((await s.map({ bbox: world, zoom: 0, payMin: 90 }, NOW)).total).toBe(1);
    await fc.assert(
      fc.asyncProperty(docsArb(1, 60), fc.array(fc.tuple(fc.nat(), docBody), { maxLength: 30 }), filtersArb, async (initial, changes, f) => {
        const store = await storeWith(initial, 0);
        await store.search({ near: { lat: 0, lon: 0, radiusKm: 20_000 } }, NOW); // sort every point
        const latest = new Map(initial.map((d) => [d.jobId, d]));
        const updates = changes.map(([i, b]) => {
          const cur = latest.get(initial[i % initial.length]!.jobId)!;
          const next = toDoc(cur.jobId, { ...b, location: cur.location, position: cur.position + 1 + b.position });
          latest.set(cur.jobId, next);
          return next;
        });
        await store.putJobs(updates);
        const docs = [...latest.values()];
        const bbox = { minLat: -90, maxLat: 90, minLon: -180, maxLon: 180 };
        for (const zoom of [0, 3]) {
          const m = await store.map({ ...f, bbox, zoom }, NOW);
          const ref = referenceMap(docs, { ...f, bbox, zoom }, NOW);
          expect(m.clusters.map((c) => [c.key, c.count])).toEqual(ref.clusters.map((c) => [c.key, c.count]));
        }
        const near = { lat: 48.85, lon: 2.35, radiusKm: 400 };
        expect((await pageAll(store, { ...f, near }, 'distance', 50)).ids).toEqual(referenceSearch(docs, { ...f, near, sort: 'distance' }, NOW).map((e) => e.doc.jobId));
        store.close();
      }),
      { numRuns: runs },
    );
  });

  it('is durable: a reopened store answers the same and keeps its checkpoint', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'embedded-jobs-'));
    try {
      const path = join(dir, 'nested', 'read.db');
      const docs = fc.sample(docsArb(150, 150), { numRuns: 1, seed: 42 })[0]!;
      const a = await openEmbeddedJobStore({ path });
      expect(await a.getCheckpoint('jobs')).toBeUndefined();
      await a.putJobsAndCheckpoint(docs.slice(0, 100), 'jobs', 100);
      await a.putJobsAndCheckpoint(docs.slice(100), 'jobs', 150);
      await a.setCheckpoint('other', 7);
      const queries = [
        { text: 'cook kitchen', facets: true, highlight: true },
        { sort: 'newest' as const, size: 50 },
        { near: { lat: 48.85, lon: 2.35, radiusKm: 300 }, sort: 'distance' as const },
        { category: ['hospitality' as const, 'retail' as const], payMin: 12, facets: true },
        { city: ['Lyon', 'Zürich'], remote: false, facets: true },
      ];
      const before = await Promise.all(queries.map((q) => a.search(q, NOW)));
      const mapBefore = await a.map({ bbox: { minLat: -90, maxLat: 90, minLon: -180, maxLon: 180 }, zoom: 4 }, NOW);
      a.close();
      const d0 = docs[0]!;
      const b = await openEmbeddedJobStore({ path });
      try {
        expect(await b.getCheckpoint('jobs')).toBe(150);
        expect(await b.getCheckpoint('other')).toBe(7);
        expect(await b.count()).toBe(150);
        expect(await Promise.all(queries.map((q) => b.search(q, NOW)))).toEqual(before);
        expect(await b.map({ bbox: { minLat: -90, maxLat: 90, minLon: -180, maxLon: 180 }, zoom: 4 }, NOW)).toEqual(mapBefore);
        // Older positions are still refused after a restart.
        await b.putJobs([{ ...d0, title: 'stale title', position: d0.position - 1 }]);
        expect((await b.getJob(d0.jobId))?.title).toBe(d0.title);
        await b.putJobs([{ ...d0, title: 'Brand new zyzzyva words', position: d0.position + 1 }]);
        before[0] = await b.search(queries[0]!, NOW);
      } finally {
        b.close();
      }
      // Stored term ids are reused at open; a changed analyzer or a row without them is analyzed again.
      const raw = new Database(path);
      raw.prepare("UPDATE store_meta SET value = 'an older analyzer' WHERE key = 'analyzer'").run();
      raw.prepare('UPDATE job_documents SET terms = NULL WHERE rowid % 3 = 0').run();
      raw.close();
      for (let reopen = 0; reopen < 2; reopen++) {
        const c = await openEmbeddedJobStore({ path });
        try {
          expect(await Promise.all(queries.map((q) => c.search(q, NOW)))).toEqual(before);
          expect((await c.search({ text: 'zyzzyva' }, NOW)).hits.map((h) => h.job.jobId)).toEqual(d0.status === 'open' && Date.parse(d0.expiresAt ?? '') > NOW.getTime() ? [d0.jobId] : []);
          expect((await c.search({ text: 'zyzzyva', businessId: d0.businessId, includeClosed: true }, NOW)).total).toBe(1);
        } finally {
          c.close();
        }
      }
      const check = new Database(path);
      expect(check.prepare("SELECT value FROM store_meta WHERE key = 'analyzer'").pluck().get()).toBe(ANALYZER_VERSION);
      expect(check.prepare('SELECT count(*) FROM job_documents WHERE terms IS NULL').pluck().get()).toBe(0);
      check.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('embedded job store: ranking, cursors, highlights, suggest', () => {
  const body = fc.sample(docBody, { numRuns: 1, seed: 7 })[0]!;
  const open = { ...body, status: 'open' as const, expiresInDays: 10, publishedDaysAgo: 1, skills: [] as string[] };
  const docs = [
    toDoc('a-title', { ...open, title: 'Line cook', description: 'Busy restaurant, evening shifts' }),
    toDoc('b-desc', { ...open, title: 'Restaurant helper', description: 'You will help the line cook prepare food' }),
    toDoc('c-skill', { ...open, title: 'Kitchen porter', description: 'Dish washing', skills: ['cooking'] }),
    toDoc('d-none', { ...open, title: 'Barista', description: 'Coffee and smiles' }),
    toDoc('e-closed', { ...open, title: 'Line cook', description: 'closed one', status: 'closed' }),
  ];

  it('ranks a title match above a description-only match', async () => {
    const store = await storeWith(docs);
    const r = await store.search(SearchRequest.parse({ text: 'cook' }), NOW);
    // The skill-only match ranks last: one document has skills, so the term is worth little there (low idf).
    expect(r.hits.map((h) => h.job.jobId)).toEqual(['a-title', 'b-desc', 'c-skill']);
    expect(r.hits[0]!.score!).toBeGreaterThan(r.hits[1]!.score!);
    const both = await store.search(SearchRequest.parse({ text: 'line cooks' }), NOW);
    expect(both.hits.map((h) => h.job.jobId)).toEqual(['a-title', 'b-desc']);
    expect((await store.search(SearchRequest.parse({ text: 'the' }), NOW)).total).toBe(0);
    const owner = await store.search(SearchRequest.parse({ text: 'line cook', businessId: open.businessId, includeClosed: true }), NOW);
    expect(owner.hits.map((h) => h.job.jobId).sort()).toEqual(['a-title', 'b-desc', 'e-closed']);
  });

  it('highlights matching words', async () => {
    const store = await storeWith(docs);
    const r = await store.search(SearchRequest.parse({ text: 'cooking', highlight: true }), NOW);
    const a = r.hits.find((h) => h.job.jobId === 'a-title');
    expect(a?.highlights?.title).toEqual(['Line <em>cook</em>']);
    const b = r.hits.find((h) => h.job.jobId === 'b-desc');
    expect(b?.highlights?.description).toEqual(['You will help the line <em>cook</em> prepare food']);
    const long = toDoc('long', { ...open, title: 'Cook', description: `${'filler words here. '.repeat(20)}a cook is needed. ${'more filler text. '.repeat(20)}cook again` });
    await store.putJobs([long]);
    const l = (await store.search(SearchRequest.parse({ text: 'cook', highlight: true, size: 10 }), NOW)).hits.find((h) => h.job.jobId === 'long');
    expect(l?.highlights?.description).toHaveLength(2);
    for (const frag of l?.highlights?.description ?? []) {
      expect(frag).toContain('<em>cook</em>');
      expect(frag.length).toBeLessThanOrEqual(200);
    }
  });

  it('refuses a bad cursor with a typed error', async () => {
    const store = await storeWith(docs);
    await expect(store.search(SearchRequest.parse({ cursor: 'not a cursor!' }), NOW)).rejects.toBeInstanceOf(InvalidCursorError);
    await expect(store.search(SearchRequest.parse({ cursor: Buffer.from('{"x":1}').toString('base64url') }), NOW)).rejects.toBeInstanceOf(InvalidCursorError);
    const page = await store.search(SearchRequest.parse({ sort: 'pay', size: 1 }), NOW);
    expect(page.nextCursor).toBeDefined();
    await expect(store.search(SearchRequest.parse({ sort: 'newest', cursor: page.nextCursor }), NOW)).rejects.toMatchObject({ name: 'InvalidCursorError' });
  });

  it('suggests distinct titles of open jobs by word prefix, most frequent first', async () => {
    const store = await storeWith([
      ...docs,
      toDoc('f', { ...open, title: 'Line cook' }),
      toDoc('g', { ...open, title: 'Cook assistant' }),
      toDoc('h', { ...open, title: 'Draft cook', status: 'draft' }),
    ]);
    expect(await store.suggest('CO', 10)).toEqual(['Line cook', 'Cook assistant']);
    expect(await store.suggest('li', 10)).toEqual(['Line cook']);
    expect(await store.suggest('ine', 10)).toEqual([]);
    expect(await store.suggest('co', 1)).toEqual(['Line cook']);
    await store.putJobs([{ ...docs[0]!, status: 'closed', position: docs[0]!.position + 1 }, { ...docs[0]!, jobId: 'f', title: 'Line cook', status: 'closed', position: 2_000_000 }]);
    expect(await store.suggest('co', 10)).toEqual(['Cook assistant']);
  });
});
