// The expiry sweep walks the table in windows (a pass of the event loop
// between them); its answer must be the one a single scan gives: open jobs
// expired by `now` (whatever offset the instant was written with), in job id
// order after the given one, at most `size`.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JobDocument } from '../../mappings/jobDocument.ts';
import { NOW, docBody, toDoc } from '../../tests/support/jobFixtures.ts';
import { openEmbeddedJobStore } from './embeddedJobStore.ts';

const HOUR = 3_600_000;
const [body] = fc.sample(docBody, { numRuns: 1, seed: 7 });

/** An instant written at a UTC offset of `offsetHours` (as a client may send it). */
const withOffset = (ms: number, offsetHours: number): string => {
  const local = new Date(ms + offsetHours * HOUR).toISOString().slice(0, 19);
  const sign = offsetHours < 0 ? '-' : '+';
  return `${local}${sign}${String(Math.abs(offsetHours)).padStart(2, '0')}:00`;
};

const row = fc.record({
  status: fc.constantFrom<JobDocument['status']>('open', 'open', 'closed', 'draft', 'expired'),
  expiresInHours: fc.option(fc.integer({ min: -48, max: 48 }), { nil: undefined, freq: 6 }),
  offsetHours: fc.integer({ min: -11, max: 12 }),
});

describe('expiredOpenJobIds (embedded)', () => {
  it('answers what one scan over every row would, across windows, for any size and starting id', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 5000, size: 'max' }), fc.integer({ min: 1, max: 3000 }), fc.nat(), async (rows, size, start) => {
        const docs = rows.map((r, i): JobDocument => {
          const { expiresAt: _e, ...doc } = toDoc(`job-${String(i).padStart(5, '0')}`, { ...body!, status: r.status, position: i + 1 });
          return r.expiresInHours === undefined ? doc : { ...doc, expiresAt: withOffset(NOW.getTime() + r.expiresInHours * HOUR, r.offsetHours) };
        });
        const store = await openEmbeddedJobStore({ path: ':memory:' });
        try {
          await store.putJobs(docs);
          const after = docs.length === 0 ? '' : docs[start % docs.length]!.jobId;
          const expected = docs
            .filter((d) => d.jobId > after && d.status === 'open' && d.expiresAt !== undefined && Date.parse(d.expiresAt) <= NOW.getTime())
            .map((d) => d.jobId)
            .slice(0, size);
          expect(await store.expiredOpenJobIds(NOW, size, after)).toEqual(expected);
        } finally {
          store.close();
        }
      }),
      // No shrinking: thousands of rows shrink for minutes; the failing case is printed as found.
      { numRuns: 8, endOnFailure: true },
    );
  });

  it('goes on past a window with too few matches, and stops at `size`', async () => {
    // One expired open job per 1,000 rows: the 5 matches lie in three windows.
    const docs = Array.from({ length: 5000 }, (_, i) => ({ ...toDoc(`job-${String(i).padStart(5, '0')}`, { ...body!, position: i + 1 }), status: 'open' as const, expiresAt: new Date(NOW.getTime() + (i % 1000 === 999 ? -HOUR : HOUR)).toISOString() }));
    const store = await openEmbeddedJobStore({ path: ':memory:' });
    try {
      await store.putJobs(docs);
      expect(await store.expiredOpenJobIds(NOW, 10)).toEqual(['job-00999', 'job-01999', 'job-02999', 'job-03999', 'job-04999']);
      expect(await store.expiredOpenJobIds(NOW, 3, 'job-00999')).toEqual(['job-01999', 'job-02999', 'job-03999']);
    } finally {
      store.close();
    }
  });
});
