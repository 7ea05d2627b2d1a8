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
import { eligibilityFilters, storeCandidates } from './recommendEmbedded.ts';
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

  it('the ranked walk hands out every eligible job in exact reference order whatever its head size, before and after writes', async () => {
    // Writes after the first walk: some jobs rewritten (remote, status, skills, dates drawn anew), some added.
    const rewritesArb = fc.array(fc.tuple(fc.integer({ min: 0, max: 119 }), fc.integer({ min: 0, max: 1_000_000 })), { maxLength: 30 });
    await fc.assert(
      fc.asyncProperty(datasetArb, workerArb, fc.integer({ min: 1, max: 6 }), rewritesArb, async (jobs, worker, head, rewrites) => {
        // A tiny head, so walks go past it into the rest; tiny delta limits, so writes re-sort the remote slots.
        const store = await openEmbeddedJobStore({ path: ':memory:', rankHead: head, geoDeltaLimit: 2 });
        try {
          let current = new Map(jobs.map((j) => [j.jobId, j]));
          await store.putJobs(jobs);
          const check = async (): Promise<void> => {
            const all = [...current.values()];
            const score = prepareMatch(worker, defaultWeights, NOW);
            const walked = [...store.rankedMatches(eligibilityFilters(worker), NOW, worker, defaultWeights)];
            const ids = walked.map((r) => r.job.jobId);
            expect(new Set(ids).size).toBe(ids.length);
            walked.forEach((r, i) => {
              // The reference score of the document itself, and best first (score desc, jobId asc).
              expect(r.match).toEqual(score(current.get(r.job.jobId)!));
              const prev = walked[i - 1];
              if (prev) expect(prev.match.score > r.match.score || (prev.match.score === r.match.score && prev.job.jobId < r.job.jobId)).toBe(true);
            });
            // Every open eligible job is handed out (the brute force with no page limit).
            const eligible = rankCandidates(worker, all, { size: all.length + 1, cap: all.length + 1, now: NOW }).map((r) => r.job.jobId);
            expect(ids).toEqual(expect.arrayContaining(eligible));
            const options = { size: 10, cap: 2, now: NOW };
            expect(view(await recommend(storeCandidates(store), worker, options))).toEqual(view(rankCandidates(worker, all, options)));
          };
          await check();
          const written = rewrites.map(([i, seed]) => {
            const doc = fc.sample(datasetJob(i), { numRuns: 1, seed })[0]!;
            return { ...doc, position: 2 };
          });
          const last = new Map(written.map((d) => [d.jobId, d]));
          await store.putJobs([...last.values()]);
          current = new Map([...current, ...last]);
          await check();
        } finally {
          store.close();
        }
      }),
      { seed: 20_261_208, numRuns: 60 },
    );
  }, 120_000);

  it('a job with none of the worker\'s skills that ties with a skilled one at its bound comes first by jobId', async () => {
    // skills and distance weigh half each; the worker has no place (a remote job: distance 1, any other: 0.5) and no windows.
    const weights = { skills: 0.5, distance: 0.5, pay: 0, availability: 0, experience: 0 };
    const worker = { ...fc.sample(workerArb, { seed: 5, numRuns: 1 })[0]!, skills: ['cooking'], availability: [] };
    delete (worker as { location?: unknown }).location;
    const base = fc.sample(datasetJob(0), { seed: 11, numRuns: 1 })[0]!;
    const job = (jobId: string, skills: string[], remote: boolean): JobDocument => ({ ...base, jobId, skills, remote, status: 'open', expiresAt: iso(30) });
    // b: half its skills, not remote: 0.5 × 0.5 + 0.5 × 0.5 = 0.5; a: none of them, remote: 0 + 0.5 × 1 = 0.5, the bound; c: all, not remote: 0.75.
    const jobs = [job('job-b', ['cooking', 'driving'], false), job('job-a', ['driving'], true), job('job-c', ['cooking'], false)];
    const store = await openEmbeddedJobStore({ path: ':memory:' });
    try {
      await store.putJobs(jobs);
      const walked = [...store.rankedMatches(eligibilityFilters(worker), NOW, worker, weights)].map((r) => [r.job.jobId, r.match.score]);
      expect(walked).toEqual([['job-c', 75], ['job-a', 50], ['job-b', 50]]);
    } finally {
      store.close();
    }
  });

  it('a ranked walk resumed after another ranking began throws instead of handing out another ranking\'s jobs', async () => {
    const jobs = fc.sample(fc.tuple(...Array.from({ length: 20 }, (_, i) => datasetJob(i))), { seed: 4, numRuns: 1 })[0]!.map((j) => ({ ...j, status: 'open' as const, expiresAt: iso(30), remote: true }));
    const worker = { ...fc.sample(workerArb, { seed: 6, numRuns: 1 })[0]!, availability: [] };
    const store = await openEmbeddedJobStore({ path: ':memory:' });
    try {
      await store.putJobs(jobs);
      const first = store.rankedMatches(eligibilityFilters(worker), NOW, worker, defaultWeights)[Symbol.iterator]();
      expect(first.next().done).toBe(false);
      const second = [...store.rankedMatches(eligibilityFilters(worker), NOW, worker, defaultWeights)];
      expect(second).toHaveLength(20);
      expect(() => first.next()).toThrow(/consume it synchronously/);
    } finally {
      store.close();
    }
  });

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
