// The embedded percolator decides as the embedded search decides: for
// generated jobs and generated saved searches, the searches it returns for a
// job are exactly those whose saved query, run by the embedded store (the one
// /v1/search uses), returns that job. postedWithinDays is the one filter a
// percolator leaves out (it is relative to when a search runs), so the store
// runs the query without it; sort and paging change no membership.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EmbeddedJobStore } from '../../query/embedded/embeddedJobStore.ts';
import { EmbeddedPercolator } from '../../query/embedded/percolator/embeddedPercolator.ts';
import { SearchRequest } from '../../query/model/searchRequest.ts';
import type { SavedSearchDocument } from '../../projections/lists/listDocuments.ts';
import { savedSearchKey } from '../../projections/lists/listDocuments.ts';
import { openEmbeddedListStores } from '../../query/lists/embeddedListStore.ts';
import { jobArb, now, savedQueryArb, savedSearch, visible } from './percolatorCases.ts';

/** The ids of every job the embedded store's search returns for the saved query, all pages. */
function searchAll(store: EmbeddedJobStore, query: Record<string, unknown>): Set<string> {
  const { postedWithinDays: _relative, ...rest } = query;
  const parsed = SearchRequest.safeParse({ ...rest, size: 100 });
  if (!parsed.success) return new Set();
  const ids = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = store.searchSync({ ...parsed.data, ...(cursor !== undefined ? { cursor } : {}) }, now);
    for (const h of page.hits) ids.add(h.job.jobId);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return ids;
}

const keysOf = (found: readonly SavedSearchDocument[]): string[] => found.map((s) => savedSearchKey(s.workerId, s.searchId)).sort();

describe('embedded percolator conforms to the embedded search', () => {
  it('returns for each job exactly the saved searches whose query finds it (fast-check, seeded)', () => {
    let matchedPairs = 0;
    let jobsChecked = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 20, max: 120 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => jobArb(i)))),
        fc.array(savedQueryArb, { minLength: 1, maxLength: 40 }),
        (jobs, queries) => {
          const store = EmbeddedJobStore.open({ path: ':memory:' });
          try {
            void store.putJobs(jobs);
            const searches = queries.map((q, i) => savedSearch(q, i));
            const percolator = new EmbeddedPercolator();
            for (const s of searches) percolator.put(s);
            const expected = new Map<string, string[]>(jobs.map((j) => [j.jobId, []]));
            for (const s of searches) for (const id of searchAll(store, s.query)) expected.get(id)?.push(savedSearchKey(s.workerId, s.searchId));
            for (const job of jobs) {
              const want = (expected.get(job.jobId) ?? []).sort();
              matchedPairs += want.length;
              jobsChecked++;
              expect(keysOf(percolator.percolate(job)), `${job.jobId}: ${JSON.stringify(job)}`).toEqual(want);
            }
          } finally {
            store.close();
          }
        },
      ),
      { seed: 20_261_202, numRuns: 60 },
    );
    // The property says something only when many pairs match.
    expect(matchedPairs).toBeGreaterThan(500);
    expect(jobsChecked).toBeGreaterThan(1000);
  });

  it('on the seeded dataset, a saved search of each kind alerts on exactly the visible jobs its search returns', () => {
    const store = EmbeddedJobStore.open({ path: ':memory:' });
    try {
      void store.putJobs(visible);
      const sample = fc.sample(savedQueryArb, { seed: 7, numRuns: 60 });
      const searches = sample.map((q, i) => savedSearch(q, i));
      const percolator = new EmbeddedPercolator();
      for (const s of searches) percolator.put(s);
      const expected = new Map<string, string[]>();
      for (const s of searches) {
        for (const id of searchAll(store, s.query)) expected.set(id, [...(expected.get(id) ?? []), savedSearchKey(s.workerId, s.searchId)]);
      }
      let pairs = 0;
      for (const job of visible) {
        const want = (expected.get(job.jobId) ?? []).sort();
        pairs += want.length;
        expect(keysOf(percolator.percolate(job)), job.jobId).toEqual(want);
      }
      expect(pairs).toBeGreaterThan(100);
    } finally {
      store.close();
    }
  });
});

describe('embedded percolator upkeep', () => {
  const job = { ...visible[0]!, title: 'Espresso barista', description: 'Coffee bar', skills: ['coffee'], category: 'hospitality' as const };

  it('adds, replaces and removes saved searches; only active ones with alerts on alert', () => {
    const p = new EmbeddedPercolator();
    p.put(savedSearch({ text: 'barista' }, 1));
    p.put(savedSearch({ text: 'barista', category: ['hospitality'] }, 2, 'daily'));
    p.put(savedSearch({ text: 'barista' }, 3, 'off'));
    p.put(savedSearch({ text: 'welder' }, 4));
    expect(keysOf(p.percolate(job))).toEqual(['w1|s1', 'w2|s2']);
    expect(keysOf(p.percolate(job, { alertsOnly: false }))).toEqual(['w1|s1', 'w2|s2', 'w3|s3']);
    p.put({ ...savedSearch({ text: 'welder' }, 1) });
    expect(keysOf(p.percolate(job))).toEqual(['w2|s2']);
    p.put({ ...savedSearch({ text: 'barista' }, 2), status: 'archived' });
    expect(keysOf(p.percolate(job))).toEqual([]);
    p.apply([{ key: 'w4|s4', position: 9 }, { key: 'w3|s3', position: 10, doc: savedSearch({ category: ['hospitality'] }, 3) }]);
    expect(keysOf(p.percolate(job))).toEqual(['w3|s3']);
    expect(p.size).toBe(2);
  });

  it('percolates through the embedded list store, current with every commit and write after the first call', async () => {
    const lists = openEmbeddedListStores(':memory:');
    const entry = (d: SavedSearchDocument) => ({ key: savedSearchKey(d.workerId, d.searchId), position: d.position, doc: d });
    const commit = (e: Array<ReturnType<typeof entry> | { key: string; position: number }>, at: number) =>
      lists.commit({ applications: [], savedJobs: [], savedSearches: e }, 'lists', at);
    try {
      await commit([entry(savedSearch({ text: 'barista' }, 1)), entry(savedSearch({ text: 'welder' }, 2))], 2);
      expect(keysOf(await lists.percolateJob(job))).toEqual(['w1|s1']);
      await commit([entry({ ...savedSearch({ text: 'barista' }, 1), alertFrequency: 'off', position: 3 }), entry({ ...savedSearch({ text: 'coffee' }, 2), position: 4 })], 4);
      expect(keysOf(await lists.percolateJob(job))).toEqual(['w2|s2']);
      expect(keysOf(await lists.percolateJob(job, { alertsOnly: false }))).toEqual(['w1|s1', 'w2|s2']);
      // A write that is not newer than the stored document changes nothing, in the store or the percolator.
      await lists.savedSearches.write([entry({ ...savedSearch({ text: 'welder' }, 2), position: 4 })]);
      expect(keysOf(await lists.percolateJob(job))).toEqual(['w2|s2']);
      await commit([{ key: 'w2|s2', position: 5 }], 5);
      expect(await lists.percolateJob(job)).toEqual([]);
    } finally {
      await lists.close();
    }
  });

  it('loads the active saved searches of the embedded list store, page by page', async () => {
    const lists = openEmbeddedListStores(':memory:');
    try {
      const docs = Array.from({ length: 25 }, (_, i) => ({ ...savedSearch(i % 2 === 0 ? { text: 'barista' } : { text: 'welder' }, i), ...(i === 4 ? { status: 'deleted' as const } : {}) }));
      await lists.savedSearches.write(docs.map((d) => ({ key: savedSearchKey(d.workerId, d.searchId), position: d.position, doc: d })));
      const p = new EmbeddedPercolator();
      await p.fill(lists, { pageSize: 4 });
      expect(p.size).toBe(24);
      expect(p.percolate(job).map((s) => s.searchId).sort()).toEqual(docs.filter((d, i) => i % 2 === 0 && i !== 4).map((d) => d.searchId).sort());
    } finally {
      await lists.close();
    }
  });

  it('a warm-up between other work ends with the searches stored at its end, whatever was written between its pages', async () => {
    const lists = openEmbeddedListStores(':memory:');
    const entry = (d: SavedSearchDocument) => ({ key: savedSearchKey(d.workerId, d.searchId), position: d.position, doc: d });
    try {
      const docs = Array.from({ length: 700 }, (_, i) => savedSearch(i % 2 === 0 ? { text: 'barista' } : { text: 'welder' }, i));
      await lists.savedSearches.write(docs.map(entry));
      const warming = lists.warmPercolator();
      // A turn later the first pages are in and the rest are not: change searches on both sides of where the load is.
      await new Promise((resolve) => setImmediate(resolve));
      const changed = [
        { ...docs[0]!, status: 'archived' as const, position: 1000 },
        { ...docs[698]!, status: 'archived' as const, position: 1001 },
        { ...docs[1]!, query: { text: 'barista' }, position: 1002 },
        { ...docs[699]!, query: { text: 'barista' }, position: 1003 },
      ];
      await lists.commit({ applications: [], savedJobs: [], savedSearches: changed.map(entry) }, 'lists', 1003);
      await warming;
      const expected = docs
        .map((d) => changed.find((c) => c.searchId === d.searchId) ?? d)
        .filter((d) => d.status === 'active' && d.query.text === 'barista')
        .map((d) => d.searchId)
        .sort();
      expect((await lists.percolateJob(job)).map((s) => s.searchId).sort()).toEqual(expected);
      expect(expected).toHaveLength(350);
    } finally {
      await lists.close();
    }
  });
});
