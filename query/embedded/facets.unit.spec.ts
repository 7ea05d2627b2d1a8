// The embedded store's facets against the brute-force reference: each facet
// over the jobs matching every filter but its own, for random combinations of
// the facets' filters (with text, a place, availability or a business now and
// then); the city column across a reopen and for a store written before it
// was a column.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JobDocument } from '../../mappings/jobDocument.ts';
import { NOW, type DocBody, docBody, docsArb, singleFilters, toDoc } from '../../tests/support/jobFixtures.ts';
import { referenceFacets, referenceMatches } from '../../tests/support/referenceSearch.ts';
import { type FilterInput, openEmbeddedJobStore } from './embeddedJobStore.ts';

const runs = Number(process.env.FC_RUNS ?? 60);
const facetKeys = ['category', 'employmentType', 'payMin', 'payMax', 'skills', 'city', 'remote', 'postedWithinDays', 'postedSince'];
const otherKeys = ['text', 'near', 'availability', 'businessId'];

/** One to three of the facets' filters, and at most one other filter. */
const comboArb: fc.Arbitrary<FilterInput> = fc
  .record({ facet: fc.subarray(facetKeys, { minLength: 1, maxLength: 3 }), other: fc.subarray(otherKeys, { maxLength: 1 }), values: fc.record(singleFilters) })
  .map(({ facet, other, values }) => Object.assign({}, ...[...facet, ...other].map((k) => values[k])) as FilterInput);

/** Mostly visible jobs, so that counts are not all zero. */
const visibleDocsArb = docsArb(20, 60).map((docs) => docs.map((d, i) => (i % 5 === 0 ? d : { ...d, status: 'open' as const, expiresAt: new Date(NOW.getTime() + 10 * 86_400_000).toISOString() })));

/** Which way wide sets are counted (in slot order, or each job in turn) and facet filters marked (tested on each job, or collected): forced, or chosen by size. */
const regimeArb = fc.record({ facetSlotOrderAt: fc.constantFrom(0, 32, Infinity), facetTestEachAt: fc.constantFrom(0, 2, Infinity) });

describe('embedded facets', () => {
  it('count each facet over the jobs matching every filter but its own, equal to the reference, for any combination of filters', async () => {
    let wider = 0;
    await fc.assert(
      fc.asyncProperty(visibleDocsArb, comboArb, regimeArb, async (docs, f, regime) => {
        const store = await openEmbeddedJobStore({ path: ':memory:', ...regime });
        try {
          await store.putJobs(docs);
          const r = await store.search({ ...f, facets: true, size: 5 }, NOW);
          expect(r.facets).toEqual(referenceFacets(docs, f, NOW));
          // The counters serve every search in turn: another search's counts leave nothing behind.
          expect((await store.search({ facets: true, size: 1 }, NOW)).facets).toEqual(referenceFacets(docs, {}, NOW));
          expect((await store.search({ ...f, facets: true, size: 5 }, NOW)).facets).toEqual(r.facets);
          // The hits and total are still those of every filter.
          expect(r.total).toBe(docs.filter((d) => referenceMatches(d, f, NOW, docs)).length);
          const plain = await store.search({ ...f, size: 5 }, NOW);
          expect(r.hits.map((h) => h.job.jobId)).toEqual(plain.hits.map((h) => h.job.jobId));
          const sums = [r.facets?.category, r.facets?.remote, r.facets?.payBands].map((bs) => (bs ?? []).reduce((s, b) => s + b.count, 0));
          if (sums.some((s) => s > r.total)) wider++;
        } finally {
          store.close();
        }
      }),
      { numRuns: runs * 2 },
    );
    // Not vacuous: many runs have a facet counting jobs the filters leave out.
    expect(wider).toBeGreaterThan(runs / 4);
  });

  it('leave out a facet’s own filter but keep the others: picking a category shows the other categories, types only of the picked one', async () => {
    const body = fc.sample(docBody, { numRuns: 1, seed: 3 })[0]!;
    const job = (id: string, over: Partial<DocBody>): JobDocument => toDoc(id, { ...body, status: 'open', expiresInDays: 10, publishedDaysAgo: 3, location: { lat: 45.76, lon: 4.84 }, ...over });
    const docs = [
      job('a', { category: 'hospitality', employmentType: 'part_time', remote: false, skills: ['cooking'] }),
      job('b', { category: 'hospitality', employmentType: 'full_time', remote: true, skills: ['cooking', 'lifting'], publishedDaysAgo: 0 }),
      job('c', { category: 'retail', employmentType: 'part_time', remote: false, skills: ['lifting'], publishedDaysAgo: 30 }),
      job('d', { category: 'retail', employmentType: 'full_time', remote: false, skills: [], status: 'closed' }),
    ];
    const store = await openEmbeddedJobStore({ path: ':memory:' });
    try {
      await store.putJobs(docs);
      const r = await store.search({ category: ['hospitality'], remote: false, facets: true }, NOW);
      expect(r.hits.map((h) => h.job.jobId)).toEqual(['a']);
      expect(r.facets?.category).toEqual([{ key: 'hospitality', count: 1 }, { key: 'retail', count: 1 }]); // a, c (remote false)
      expect(r.facets?.remote).toEqual([{ key: 'true', count: 1 }, { key: 'false', count: 1 }]); // b, a (hospitality)
      expect(r.facets?.employmentType).toEqual([{ key: 'part_time', count: 1 }]);
      expect(r.facets?.skills).toEqual([{ key: 'cooking', count: 1 }]);
      expect(r.facets?.postedWithin).toEqual([{ key: '1d', days: 1, count: 0 }, { key: '7d', days: 7, count: 1 }, { key: '30d', days: 30, count: 1 }]);
    } finally {
      store.close();
    }
  });

  it('keep cities across a reopen and fill them for a store written before city was a column', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'facet-city-'));
    const path = join(dir, 'read.db');
    try {
      const docs = fc.sample(visibleDocsArb, { numRuns: 1, seed: 11 })[0]!;
      const store = await openEmbeddedJobStore({ path });
      await store.putJobs(docs);
      const cities = [...new Set(docs.flatMap((d) => (d.city !== undefined ? [d.city] : [])))].slice(0, 2);
      expect(cities.length).toBeGreaterThan(0);
      const query = { city: cities, facets: true, size: 100 };
      const before = await store.search(query, NOW);
      expect(before.total).toBe(docs.filter((d) => referenceMatches(d, query, NOW)).length);
      expect(before.total).toBeGreaterThan(0);
      store.close();
      const db = new Database(path);
      db.exec('ALTER TABLE job_documents DROP COLUMN city');
      db.close();
      const reopened = await openEmbeddedJobStore({ path });
      try {
        expect(await reopened.search(query, NOW)).toEqual(before);
      } finally {
        reopened.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
