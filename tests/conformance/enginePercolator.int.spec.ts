// The engine percolator (saved_searches' `percolate` query, built by the same
// DSL as search) decides as the engine search decides: for generated jobs and
// saved searches, percolating a job returns exactly the saved searches whose
// query, run by the engine store (the one /v1/search uses in server mode),
// returns that job. postedWithinDays is left out of the search, as the
// percolator leaves it out.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobDocument } from '../../mappings/jobDocument.ts';
import type { SavedSearchDocument } from '../../projections/lists/listDocuments.ts';
import { savedSearchKey } from '../../projections/lists/listDocuments.ts';
import { connectSearch } from '../../query/engine/connect.ts';
import { createEngineJobStore, type EngineJobStore } from '../../query/engine/engineJobStore.ts';
import type { SearchClient } from '../../query/engine/searchClient.ts';
import { openEngineListStores, type EngineListStores } from '../../query/lists/engineListStore.ts';
import { SearchRequest } from '../../query/model/searchRequest.ts';
import { engineTargets } from '../support/engines.ts';
import { edgeJobArb, edgeSavedQueryArb, jobArb, now, savedQueryArb, savedSearch } from './percolatorCases.ts';

const JOBS = 150;
const SEARCHES = 120;
// Also jobs and places near the antimeridian and the poles, with radii up to most of the globe (the prefilter's geo cover).
const EDGE_JOBS = 80;
const EDGE_SEARCHES = 100;
const jobs: JobDocument[] = [
  ...fc.sample(fc.tuple(...Array.from({ length: JOBS }, (_, i) => jobArb(i))), { seed: 20_261_203, numRuns: 1 })[0]!,
  ...fc.sample(fc.tuple(...Array.from({ length: EDGE_JOBS }, (_, i) => edgeJobArb(JOBS + i))), { seed: 20_261_205, numRuns: 1 })[0]!,
];
const searches: SavedSearchDocument[] = [
  ...fc.sample(savedQueryArb, { seed: 20_261_204, numRuns: SEARCHES }),
  ...fc.sample(edgeSavedQueryArb, { seed: 20_261_206, numRuns: EDGE_SEARCHES }),
].map((q, i) => savedSearch(q, i));

describe.each(engineTargets())('engine percolator conforms to the engine search on $label', ({ url }) => {
  const prefix = `tperc${Math.random().toString(36).slice(2, 8)}_`;
  let client: SearchClient;
  let jobStore: EngineJobStore;
  let lists: EngineListStores;
  beforeAll(async () => {
    client = await connectSearch(url);
    jobStore = createEngineJobStore(client, { prefix, refresh: false });
    await jobStore.ensureIndex();
    await jobStore.putJobs(jobs);
    await jobStore.refresh();
    lists = openEngineListStores(client, { prefix });
    await lists.ensureIndexes();
    await lists.savedSearches.write(searches.map((d) => ({ key: savedSearchKey(d.workerId, d.searchId), position: d.position, doc: d })));
  });
  afterAll(async () => {
    await client.deleteIndex([jobStore.index, jobStore.businesses.index, ...lists.indexes], { ignoreMissing: true });
    await client.close();
  });

  async function searchAll(query: Record<string, unknown>): Promise<string[]> {
    const { postedWithinDays: _relative, ...rest } = query;
    const parsed = SearchRequest.safeParse({ ...rest, size: 100 });
    if (!parsed.success) return [];
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await jobStore.search({ ...parsed.data, ...(cursor !== undefined ? { cursor } : {}) }, now);
      for (const h of page.hits) ids.push(h.job.jobId);
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    return ids;
  }

  it('returns for each job exactly the saved searches whose query finds it', async () => {
    const expected = new Map<string, string[]>(jobs.map((j) => [j.jobId, []]));
    for (const s of searches) for (const id of await searchAll(s.query)) expected.get(id)?.push(savedSearchKey(s.workerId, s.searchId));
    let pairs = 0;
    const wrong: string[] = [];
    for (const job of jobs) {
      const want = (expected.get(job.jobId) ?? []).sort();
      pairs += want.length;
      const got = (await lists.percolateJob(job, { alertsOnly: false })).map((s) => savedSearchKey(s.workerId, s.searchId)).sort();
      if (JSON.stringify(got) !== JSON.stringify(want)) {
        const extra = got.filter((k) => !want.includes(k));
        const missing = want.filter((k) => !got.includes(k));
        const q = (k: string) => JSON.stringify(searches.find((s) => savedSearchKey(s.workerId, s.searchId) === k)?.query);
        wrong.push(`${job.jobId}: extra ${extra.map(q).join(' ')} missing ${missing.map(q).join(' ')}`);
      }
    }
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(pairs).toBeGreaterThan(200);
  });
});
