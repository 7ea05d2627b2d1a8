import { describe, expect, it } from 'vitest';
import type { JobDocument } from '../../mappings/jobDocument.ts';
import type { JobReadStore, SearchResult } from '../model/readStore.ts';
import type { SearchRequest } from '../model/searchRequest.ts';
import { DEFAULT_MAX_SEARCHES, collectComparables } from './comparables.ts';

/** A store of `n` matching jobs answering pages of `request.size` with numeric cursors. */
function fakeStore(n: number): { store: JobReadStore; requests: SearchRequest[] } {
  const requests: SearchRequest[] = [];
  const job = (i: number) => ({ jobId: `j${i}`, hourlyMin: i, hourlyMax: i + 1, pay: { min: i, max: i + 1, currency: 'USD', unit: 'hour' } }) as unknown as JobDocument;
  const store: JobReadStore = {
    kind: 'embedded',
    putJobs: () => Promise.resolve(),
    getJob: () => Promise.resolve(undefined),
    getBusiness: () => Promise.resolve(undefined),
    map: () => Promise.reject(new Error('unused')),
    suggest: () => Promise.resolve([]),
    search(request: SearchRequest): Promise<SearchResult> {
      requests.push(request);
      const from = request.cursor === undefined ? 0 : Number(request.cursor);
      const to = Math.min(n, from + request.size);
      const hits = Array.from({ length: to - from }, (_, k) => ({ job: job(from + k) }));
      return Promise.resolve({ total: n, hits, ...(to < n ? { nextCursor: String(to) } : {}) });
    },
  };
  return { store, requests };
}

describe('collectComparables', () => {
  const now = new Date('2027-08-01T00:00:00Z');

  it('pages through every match with the filters, 100 a page, newest first', async () => {
    const { store, requests } = fakeStore(250);
    const out = await collectComparables(store, { category: 'agriculture', employmentType: 'seasonal', near: { lat: 1, lon: 2, radiusKm: 50 } }, now);
    expect(out.truncated).toBe(false);
    expect(out.comparables).toHaveLength(250);
    expect(new Set(out.comparables.map((c) => c.jobId)).size).toBe(250);
    expect(out.comparables[3]).toEqual({ jobId: 'j3', hourly: 3.5, currency: 'USD' });
    expect(requests.map((r) => r.cursor)).toEqual([undefined, '100', '200']);
    expect(requests[0]).toMatchObject({ category: ['agriculture'], employmentType: ['seasonal'], near: { lat: 1, lon: 2, radiusKm: 50 }, postedWithinDays: 180, sort: 'newest', size: 100, includeClosed: false });
  });

  it('stops at the limit and says so', async () => {
    const { store } = fakeStore(250);
    const out = await collectComparables(store, { category: 'retail' }, now, 120);
    expect(out).toMatchObject({ truncated: true });
    expect(out.comparables).toHaveLength(120);
    expect((await collectComparables(store, { category: 'retail' }, now, 250)).truncated).toBe(false);
  });

  it(`runs at most ${DEFAULT_MAX_SEARCHES} searches per call (the newest ${DEFAULT_MAX_SEARCHES * 100} jobs), then says truncated`, async () => {
    const { store, requests } = fakeStore(5_000);
    const out = await collectComparables(store, { category: 'retail' }, now);
    expect(requests).toHaveLength(DEFAULT_MAX_SEARCHES);
    expect(out).toMatchObject({ truncated: true });
    expect(out.comparables).toHaveLength(DEFAULT_MAX_SEARCHES * 100);
    const few = fakeStore(5_000);
    expect((await collectComparables(few.store, { category: 'retail' }, now, 10_000, 2)).comparables).toHaveLength(200);
    expect(few.requests).toHaveLength(2);
    // Exactly as many pages as allowed, the last without a next cursor: complete, not truncated.
    const exact = fakeStore(200);
    expect((await collectComparables(exact.store, { category: 'retail' }, now, 10_000, 2)).truncated).toBe(false);
  });
});
