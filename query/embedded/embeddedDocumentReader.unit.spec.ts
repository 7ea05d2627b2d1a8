// The read-only reader of an embedded file (the drift check's worker) answers
// scans, documents, checkpoints and the count exactly as the store that
// wrote the file, also while that store keeps writing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { JobDocument } from '../../mappings/jobDocument.ts';
import { docBody, toDoc } from '../../tests/support/jobFixtures.ts';
import { EmbeddedDocumentReader } from './embeddedDocumentReader.ts';
import { openEmbeddedJobStore } from './embeddedJobStore.ts';

const dir = mkdtempSync(join(tmpdir(), 'embedded-reader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const docsArb = fc.uniqueArray(fc.tuple(fc.stringMatching(/^[a-z0-9-]{1,8}$/), docBody), { maxLength: 120, selector: ([id]) => id }).map((rows) => rows.map(([id, b]): JobDocument => toDoc(id, b)));

describe('EmbeddedDocumentReader', () => {
  it('scans (any start, page size and position floor), reads documents, checkpoints and the count as the store does', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(docsArb, fc.string({ maxLength: 4 }), fc.integer({ min: 1, max: 50 }), fc.integer({ min: -1, max: 1_000_000 }), async (docs, after, limit, above) => {
        const path = join(dir, `read-${++n}.db`);
        const store = await openEmbeddedJobStore({ path });
        const reader = EmbeddedDocumentReader.open(path);
        try {
          await store.putJobsAndCheckpoint(docs, 'jobs', 42);
          await store.setCheckpoint('drift:jobs', 7);
          // Written after the reader opened: it reads the committed file, not a snapshot of its own.
          expect(reader.scanJobs(after, limit, above)).toEqual(store.scanJobs(after, limit, above));
          expect(reader.scanJobs('', 1000)).toEqual(store.scanJobs('', 1000));
          for (const d of docs.slice(0, 5)) expect(reader.getJob(d.jobId)).toEqual(await store.getJob(d.jobId));
          expect(reader.getJob('no-such-job')).toBeUndefined();
          expect(reader.getCheckpoint('jobs')).toBe(42);
          expect(reader.getCheckpoint('drift:jobs')).toBe(7);
          expect(reader.getCheckpoint('nothing')).toBeUndefined();
          expect(reader.count()).toBe(await store.count());
        } finally {
          reader.close();
          store.close();
        }
      }),
      { numRuns: 25 },
    );
  });

  it('never writes: a missing file is an error, not a new store', () => {
    expect(() => EmbeddedDocumentReader.open(join(dir, 'absent.db'))).toThrow();
  });
});
