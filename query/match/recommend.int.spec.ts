// Recommendations from the two candidate sources agree with a brute force over
// every job: the engine's bool filter + script_score (engineCandidates) and the
// embedded store's search (storeCandidates), on the same random documents.
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkerProfile } from '../../eventstore/events/index.ts';
import { jobsIndexDefinition } from '../../mappings/jobsIndex.ts';
import type { JobDocument } from '../../mappings/jobDocument.ts';
import { engineTargets } from '../../tests/support/engines.ts';
import type { EmbeddedJobStore } from '../embedded/embeddedJobStore.ts';
import { openEmbeddedJobStore } from '../embedded/embeddedJobStore.ts';
import { connectSearch } from '../engine/connect.ts';
import type { SearchClient } from '../engine/searchClient.ts';
import { jobArb, NOW, workerArb } from '../../tests/support/matchArbitraries.ts';
import { defaultWeights, matchScore } from './matchScore.ts';
import { rankCandidates, recommend } from './recommend.ts';
import { storeCandidates } from './recommendEmbedded.ts';
import { engineCandidates } from './recommendEngine.ts';

const JOBS = 600;
const later = new Date(NOW.getTime() + 30 * 86_400_000).toISOString();
const earlier = new Date(NOW.getTime() - 86_400_000).toISOString();
const sampled = fc.sample(fc.tuple(...Array.from({ length: JOBS }, (_, i) => jobArb(`job-${String(i).padStart(4, '0')}`))), { seed: 4242, numRuns: 1 })[0]!;
const jobs: JobDocument[] = sampled.map((j, i) => ({
  ...j,
  businessId: `biz-${i % 7}`,
  // Some closed, some expired, some without expiry: never recommended.
  status: i % 23 === 0 ? 'closed' : 'open',
  ...(i % 31 === 0 ? {} : { expiresAt: i % 19 === 0 ? earlier : later }),
}));
const workers: WorkerProfile[] = fc.sample(workerArb, { seed: 777, numRuns: 14 });

describe.each(engineTargets())('recommendation candidates on $label', ({ url }) => {
  let client: SearchClient;
  let embedded: EmbeddedJobStore;
  let dir: string;
  const index = `t${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}_rec_jobs`;

  beforeAll(async () => {
    client = await connectSearch(url);
    await client.createIndex(index, jobsIndexDefinition());
    const res = await client.bulk(jobs.flatMap((j) => [{ index: { _index: index, _id: j.jobId } }, j as unknown as Record<string, unknown>]), { refresh: true });
    expect(res.items.filter((i) => i.error)).toEqual([]);
    dir = mkdtempSync(join(tmpdir(), 'rec-'));
    embedded = await openEmbeddedJobStore({ path: join(dir, 'read.db') });
    await embedded.putJobs(jobs);
  });

  afterAll(async () => {
    await client?.deleteIndex(index, { ignoreMissing: true });
    await client?.close();
    embedded?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('engine, embedded store and brute force give the same pages (scores of the reference, cap honoured)', async () => {
    const engine = engineCandidates(client, index, { topHits: JOBS });
    const store = storeCandidates(embedded);
    let nonEmpty = 0;
    for (const worker of workers) {
      for (const cap of [1, 2, 10]) {
        const options = { size: 50, cap, now: NOW };
        const expected = rankCandidates(worker, jobs, options);
        const fromEngine = await recommend(engine, worker, options);
        const fromStore = await recommend(store, worker, options);
        expect(fromEngine.map((r) => r.job.jobId)).toEqual(expected.map((r) => r.job.jobId));
        expect(fromStore.map((r) => r.job.jobId)).toEqual(expected.map((r) => r.job.jobId));
        if (expected.length > 0) nonEmpty++;
        const perBusiness = new Map<string, number>();
        for (const r of fromEngine) {
          perBusiness.set(r.job.businessId, (perBusiness.get(r.job.businessId) ?? 0) + 1);
          expect(r.score).toBe(matchScore(worker, jobs.find((j) => j.jobId === r.job.jobId)!, defaultWeights, NOW).score);
          expect(r.job.status).toBe('open');
        }
        for (const n of perBusiness.values()) expect(n).toBeLessThanOrEqual(cap);
      }
    }
    expect(nonEmpty).toBeGreaterThan(10);
  });

  it('the engine ranks by the painless score: its top hits are the brute force best, before diversification', async () => {
    for (const worker of workers.slice(0, 6)) {
      const top = await engineCandidates(client, index, { topHits: 20 }).candidates(worker, NOW, defaultWeights);
      const best = rankCandidates(worker, jobs, { size: JOBS, cap: JOBS, now: NOW });
      const got = rankCandidates(worker, top, { size: 10, cap: JOBS, now: NOW }).map((r) => r.score);
      // Scores (not ids: float32 ties may order differently) of the best 10 match.
      best.slice(0, Math.min(10, got.length)).forEach((r, i) => expect(got[i]).toBeCloseTo(r.score, 4));
    }
  });
});
