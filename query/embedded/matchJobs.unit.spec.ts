// The embedded store scores from its columns (matchJobs / matchCandidates)
// instead of the documents: for any jobs and worker, the score, factors and
// details must be exactly those of the documents, and the candidate fields
// the same values.
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jobArb, NOW, workerArb } from '../../tests/support/matchArbitraries.ts';
import { defaultWeights, prepareMatch } from '../match/matchScore.ts';
import { isOpenAt } from '../match/recommend.ts';
import { openEmbeddedJobStore } from './embeddedJobStore.ts';

describe('match fields from the embedded columns', () => {
  it('score every job exactly as its document does, for any worker', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 30 }), workerArb, async (seeds, worker) => {
        const docs = fc.sample(fc.tuple(...seeds.map((s, i) => jobArb(`j${i}-${s}`))), { numRuns: 1, seed: seeds[0]! })[0]!;
        const store = await openEmbeddedJobStore({ path: ':memory:' });
        try {
          await store.putJobs(docs.map((d, i) => ({ ...d, position: i + 1 })));
          const fromColumns = store.matchJobs([...docs.map((d) => d.jobId), 'no-such-job']);
          expect(fromColumns.at(-1)).toBeUndefined();
          const score = prepareMatch(worker, defaultWeights, NOW);
          docs.forEach((doc, i) => {
            const c = fromColumns[i]!;
            expect(score(c)).toEqual(score(doc));
            expect({ jobId: c.jobId, businessId: c.businessId, status: c.status, open: isOpenAt(c, NOW) }).toEqual({ jobId: doc.jobId, businessId: doc.businessId, status: doc.status, open: isOpenAt(doc, NOW) });
          });
        } finally {
          store.close();
        }
      }),
      { numRuns: 60, seed: 20261128 },
    );
  });

  it('scores each open job by id exactly as its document, and leaves out the missing and the not open', async () => {
    const DAY = 86_400_000;
    let scored = 0;
    const visibility = fc.record({
      status: fc.constantFrom('open', 'open', 'closed', 'draft'),
      expiresIn: fc.option(fc.constantFrom(-2, 0, 1, 40), { nil: undefined, freq: 6 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.integer({ min: 0, max: 1_000_000 }), visibility), { minLength: 1, maxLength: 30 }), workerArb, async (drawn, worker) => {
        const docs = drawn.map(([seed, v], i) => ({
          ...fc.sample(jobArb(`j${i}`), { numRuns: 1, seed })[0]!,
          status: v.status,
          ...(v.expiresIn === undefined ? {} : { expiresAt: new Date(NOW.getTime() + v.expiresIn * DAY).toISOString() }),
        }));
        const store = await openEmbeddedJobStore({ path: ':memory:' });
        try {
          await store.putJobs(docs);
          const score = prepareMatch(worker, defaultWeights, NOW);
          const ids = ['no-such-job', ...docs.map((d) => d.jobId)];
          const expected = [undefined, ...docs.map((d) => (isOpenAt(d, NOW) ? score(d) : undefined))];
          expect(store.scoreOpenJobs(ids, NOW, score)).toEqual(expected);
          scored += expected.filter((m) => m !== undefined).length;
        } finally {
          store.close();
        }
      }),
      { numRuns: 60, seed: 20261207 },
    );
    expect(scored).toBeGreaterThan(40);
  });

  it('keeps experienceYears across a reopen and fills it for a store written before it was a column', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'match-columns-'));
    const path = join(dir, 'read.db');
    try {
      const doc = { ...fc.sample(jobArb('j-old'), { numRuns: 1, seed: 7 })[0]!, experienceYears: 3.5, position: 1 };
      const store = await openEmbeddedJobStore({ path });
      await store.putJobs([doc]);
      store.close();
      // An older store: no experience_years column.
      const db = new Database(path);
      db.exec('ALTER TABLE job_documents DROP COLUMN experience_years');
      db.close();
      const reopened = await openEmbeddedJobStore({ path });
      expect(reopened.matchJobs(['j-old'])[0]?.experienceYears).toBe(3.5);
      reopened.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
