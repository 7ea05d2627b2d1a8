// Recommendations are the exact top-k: for random datasets and random workers,
// the embedded store's ranked walk (and the walk over any store's sort `match`
// search) gives the brute force's page: every open eligible job scored by the
// reference, sorted (score desc, jobId asc) and diversified.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JobDocument } from '../../mappings/jobDocument.ts';
import { openEmbeddedJobStore } from '../embedded/embeddedJobStore.ts';
import { jobArb, NOW, workerArb } from '../../tests/support/matchArbitraries.ts';
import { type CandidateSource, type Recommendation, rankCandidates, recommend } from './recommend.ts';
import { storeCandidates } from './recommendEmbedded.ts';
import { defaultWeights, type MatchCandidate, prepareMatch } from './matchScore.ts';

const DAY = 86_400_000;
const iso = (days: number): string => new Date(NOW.getTime() + days * DAY).toISOString();

/** A job of the match arbitraries with a business, a status, an expiry and a publication instant drawn too. */
const datasetJob = (i: number): fc.Arbitrary<JobDocument> =>
  fc
    .record({
      job: jobArb(`job-${String(i).padStart(3, '0')}`),
      business: fc.integer({ min: 0, max: 4 }),
      status: fc.constantFrom('open', 'open', 'open', 'open', 'closed', 'draft'),
      expiresIn: fc.option(fc.constantFrom(-3, 1, 30), { nil: undefined, freq: 8 }),
      publishedAgo: fc.integer({ min: 0, max: 400 }),
    })
    .map(({ job, business, status, expiresIn, publishedAgo }): JobDocument => ({
      ...job,
      businessId: `biz-${business}`,
      status,
      publishedAt: iso(-publishedAgo),
      ...(expiresIn === undefined ? {} : { expiresAt: iso(expiresIn) }),
    }));

const datasetArb = fc.integer({ min: 0, max: 90 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => datasetJob(i))));

const view = (page: ReadonlyArray<Recommendation<MatchCandidate>>) => page.map((r) => ({ jobId: r.job.jobId, score: r.score, factors: r.factors, details: r.details, reason: r.reason }));

describe('exact recommendations (embedded store)', () => {
  it('equal the brute force over every open eligible job, for random datasets, workers, sizes and caps', async () => {
    let nonEmpty = 0;
    let thinned = 0;
    await fc.assert(
      fc.asyncProperty(datasetArb, workerArb, fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 4 }), async (jobs, worker, size, cap) => {
        const store = await openEmbeddedJobStore({ path: ':memory:' });
        try {
          await store.putJobs(jobs);
          const options = { size, cap, now: NOW };
          const expected = view(rankCandidates(worker, jobs, options));
          // The store's own ranked walk (exact order), and the walk over its public search with sort `match`.
          expect(view(await recommend(storeCandidates(store), worker, options))).toEqual(expected);
          expect(view(await recommend(storeCandidates({ search: store.search.bind(store) }), worker, options))).toEqual(expected);
          if (expected.length > 0) nonEmpty++;
          if (expected.length < size && rankCandidates(worker, jobs, { ...options, cap: size }).length > expected.length) thinned++;
        } finally {
          store.close();
        }
      }),
      { seed: 20_261_207, numRuns: 80 },
    );
    // The runs exercised real pages, some thinned by the business cap.
    expect(nonEmpty).toBeGreaterThan(30);
    expect(thinned).toBeGreaterThan(3);
  }, 120_000);

  it('a source ranking within its tolerance of the reference, leaving out the businesses the walk calls full, gives the exact page too', async () => {
    const tolerance = 20;
    await fc.assert(
      fc.asyncProperty(datasetArb, workerArb, fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 4 }), fc.array(fc.double({ min: -0.5, max: 0.5, noNaN: true }), { minLength: 1, maxLength: 20 }), async (jobs, worker, size, cap, noise) => {
        const score = prepareMatch(worker, defaultWeights, NOW);
        // Ranks off the reference by up to half the tolerance: an order that differs from the exact one.
        const ranked = jobs.map((job, i) => ({ job, rank: score(job).score + noise[i % noise.length]! * tolerance })).sort((a, b) => b.rank - a.rank || (a.job.jobId < b.job.jobId ? -1 : 1));
        const source: CandidateSource = {
          kind: 'noisy',
          tolerance,
          async *ranked(_w, _n, _ws, full) {
            for (let i = 0; i < ranked.length; i += 4) yield ranked.slice(i, i + 4).filter((c) => !full?.has(c.job.businessId));
          },
        };
        const options = { size, cap, now: NOW };
        expect(view(await recommend(source, worker, options))).toEqual(view(rankCandidates(worker, jobs, options)));
      }),
      { seed: 7_2026, numRuns: 150 },
    );
  });

  it('stops walking once the page is full: an exact source is read no further than the page needs', async () => {
    const jobs = fc.sample(fc.tuple(...Array.from({ length: 60 }, (_, i) => datasetJob(i))), { seed: 9, numRuns: 1 })[0]!.map((j) => ({ ...j, status: 'open' as const, expiresAt: iso(30), remote: true }));
    const worker = fc.sample(workerArb, { seed: 3, numRuns: 1 })[0]!;
    const store = await openEmbeddedJobStore({ path: ':memory:' });
    try {
      await store.putJobs(jobs);
      const inner = storeCandidates(store);
      let read = 0;
      const counting = {
        ...inner,
        async *ranked(...args: Parameters<typeof inner.ranked>) {
          for await (const batch of inner.ranked(...args)) {
            yield (function* () {
              for (const c of batch) {
                read++;
                yield c;
              }
            })();
          }
        },
      };
      const page = await recommend(counting, { ...worker, availability: [] }, { size: 5, cap: 100, now: NOW });
      expect(page).toHaveLength(5);
      expect(read).toBe(5);
    } finally {
      store.close();
    }
  });
});
