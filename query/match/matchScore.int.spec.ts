// Agreement of the painless match score (mappings/matchScoreScript.ts) with the
// reference (matchScore.ts) on a real engine: 1,000 random job documents in a
// fresh `jobs` index, many random workers, every (worker, job) pair compared.
// `_score` is a 32-bit float in Lucene, so it is compared with the reference
// rounded to float32; the same script in `script_fields` returns the exact
// double, compared with the reference to 1e-6.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkerProfile } from '../../eventstore/events/index.ts';
import { jobsIndexDefinition } from '../../mappings/jobsIndex.ts';
import { matchScoreParams, matchScoreQuery } from './matchScoreQuery.ts';
import { MATCH_SCORE_SCRIPT } from '../../mappings/matchScoreScript.ts';
import type { JobDocument } from '../../mappings/jobDocument.ts';
import { engineTargets } from '../../tests/support/engines.ts';
import { connectSearch } from '../engine/connect.ts';
import type { SearchClient } from '../engine/searchClient.ts';
import { jobArb, NOW, skillPool, workerArb } from '../../tests/support/matchArbitraries.ts';
import { defaultWeights, matchScore, MatchWeights } from './matchScore.ts';

const JOBS = 1_000;
const WORKERS = 12;

const jobs: JobDocument[] = fc.sample(fc.tuple(...Array.from({ length: JOBS }, (_, i) => jobArb(`job-${String(i).padStart(4, '0')}`))), { seed: 20261128, numRuns: 1 })[0]!;
const sampled: WorkerProfile[] = fc.sample(workerArb, { seed: 5150, numRuns: WORKERS - 2 });
const { location: _l, desiredHourlyPay: _p, ...bare } = sampled[0]!;
const workers: WorkerProfile[] = [
  ...sampled,
  // The neutral cases the sample may miss: no location, no desired pay, no availability windows.
  { ...bare, availability: [] },
  // Every skill of the pool, an open-ended window, a small travel radius.
  { ...sampled[1]!, skills: [...skillPool], availability: [{ from: '2026-07-01' }], maxTravelKm: 30 },
];
const otherWeights = MatchWeights.parse({ skills: 0.1, distance: 0.4, pay: 0.05, availability: 0.3, experience: 0.15 });

describe.each(engineTargets())('match score agreement on $label', ({ url }) => {
  let client: SearchClient;
  const index = `t${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}_match_jobs`;

  beforeAll(async () => {
    client = await connectSearch(url);
    await client.createIndex(index, jobsIndexDefinition());
    const lines = jobs.flatMap((j) => [{ index: { _index: index, _id: j.jobId } }, j as unknown as Record<string, unknown>]);
    const res = await client.bulk(lines, { refresh: true });
    expect(res.items.filter((i) => i.error)).toEqual([]);
    expect(await client.count(index)).toBe(JOBS);
  });

  afterAll(async () => {
    await client.deleteIndex(index, { ignoreMissing: true });
    await client.close();
  });

  it(`painless agrees with the reference on ${WORKERS * 2} workers × ${JOBS} jobs`, async () => {
    const byId = new Map(jobs.map((j) => [j.jobId, j]));
    let pairs = 0;
    let exactFloat = 0;
    let maxFloatDiff = 0;
    let maxDoubleDiff = 0;
    let bitExactDouble = 0;
    for (const [wi, worker] of workers.entries()) {
      for (const weights of [defaultWeights, otherWeights]) {
        const res = await client.search(index, {
          size: JOBS,
          _source: false,
          query: matchScoreQuery(worker, weights, NOW),
          script_fields: { match: { script: { lang: 'painless', source: MATCH_SCORE_SCRIPT, params: matchScoreParams(worker, weights, NOW) } } },
        });
        expect(res.hits.hits).toHaveLength(JOBS);
        for (const hit of res.hits.hits) {
          const job = byId.get(hit._id)!;
          const ref = matchScore(worker, job, weights, NOW).score;
          const exact = hit.fields?.match?.[0];
          expect(typeof exact, `script_fields of ${hit._id}`).toBe('number');
          const dDiff = Math.abs((exact as number) - ref);
          const fDiff = Math.abs((hit._score ?? Number.NaN) - ref);
          if (!(dDiff <= 1e-6) || !(fDiff <= 1e-4)) {
            throw new Error(`worker ${wi} job ${hit._id}: painless ${String(exact)} / _score ${String(hit._score)} vs reference ${ref}\n${JSON.stringify({ worker, job, weights })}`);
          }
          pairs++;
          if (Math.fround(hit._score ?? Number.NaN) === Math.fround(ref)) exactFloat++;
          if (exact === ref) bitExactDouble++;
          maxFloatDiff = Math.max(maxFloatDiff, fDiff);
          maxDoubleDiff = Math.max(maxDoubleDiff, dDiff);
        }
      }
    }
    console.info(
      `match score agreement: ${pairs} pairs; script_fields double max |diff| ${maxDoubleDiff.toExponential(2)} (${bitExactDouble} bit-exact); ` +
        `_score float32 max |diff| ${maxFloatDiff.toExponential(2)} (${exactFloat} equal to fround(reference))`,
    );
    expect(pairs).toBeGreaterThanOrEqual(1_000);
    expect(maxDoubleDiff).toBeLessThanOrEqual(1e-6);
    expect(maxFloatDiff).toBeLessThanOrEqual(1e-4);
    // Float32 rounding of a double that is at most an ulp or two off: equal in all but rare boundary cases.
    expect(exactFloat).toBeGreaterThanOrEqual(pairs - Math.ceil(pairs / 1000));
  });
});
