import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JobDocument } from '../../mappings/jobDocument.ts';
import { EmbeddedJobStore } from '../../query/embedded/embeddedJobStore.ts';
import { NOW, centers, docBody, docsArb, filtersArb, skillPool, toDoc, vocabulary } from '../../tests/support/jobFixtures.ts';
import { embeddedDriftTarget } from './embeddedDriftTarget.ts';

/** What the store answers, in a form two stores can be compared by. */
function answers(store: EmbeddedJobStore, filters: Filters) {
  const search = store.searchSync({ ...filters, size: 100, facets: true }, NOW);
  const map = store.mapSync({ ...filters, bbox: { minLat: -90, maxLat: 90, minLon: -180, maxLon: 180 }, zoom: 2 }, NOW);
  return {
    total: search.total,
    hits: search.hits.map((h) => [h.job.jobId, h.job.position, h.score === undefined ? undefined : Math.round(h.score * 1e9)]),
    facets: search.facets,
    map: { total: map.total, clusters: map.clusters.map((c) => [c.key, c.count]) },
  };
}

type Filters = Parameters<EmbeddedJobStore['searchSync']>[0];

/** Broad queries that see every kind of document: public, each owner's (drafts and closed too), each word, each skill, each place. */
const broadQueries: Filters[] = [
  {},
  ...['biz-a', 'biz-b', 'biz-c', 'biz-d'].map((businessId) => ({ businessId, includeClosed: true })),
  ...vocabulary.map((text) => ({ text })),
  ...skillPool.map((s) => ({ skills: [s] })),
  ...centers.map(([lat, lon]) => ({ near: { lat, lon, radiusKm: 100 } })),
];

describe('embedded store repairs for the drift check', () => {
  it('after deleting and replacing documents, answers exactly as a store built with the result', async () => {
    await fc.assert(
      fc.asyncProperty(
        docsArb(2, 40),
        fc.infiniteStream(fc.constantFrom('keep', 'delete', 'replace')),
        fc.array(docBody, { minLength: 40, maxLength: 40 }),
        filtersArb,
        async (generated, plan, bodies, filters) => {
          const docs = generated;
          const repaired = EmbeddedJobStore.open({ path: ':memory:', geoDeltaLimit: 2 });
          await repaired.putJobs(docs);
          const deletes: Array<{ jobId: string; seenPosition: number }> = [];
          const replaces: Array<{ doc: JobDocument; seenPosition: number }> = [];
          const survivors: JobDocument[] = [];
          docs.forEach((d, i) => {
            const what = plan.next().value;
            if (what === 'delete') deletes.push({ jobId: d.jobId, seenPosition: d.position });
            else if (what === 'replace') {
              // Same or lower position on purpose: a repair may put back an older document.
              const doc = { ...toDoc(d.jobId, bodies[i]!), position: Math.min(d.position, bodies[i]!.position) };
              replaces.push({ doc, seenPosition: d.position });
              survivors.push(doc);
            } else survivors.push(d);
          });
          expect(repaired.deleteJobs(deletes).sort()).toEqual(deletes.map((d) => d.jobId).sort());
          expect(repaired.replaceJobs(replaces).sort()).toEqual(replaces.map((r) => r.doc.jobId).sort());
          const fresh = EmbeddedJobStore.open({ path: ':memory:' });
          await fresh.putJobs(survivors);
          for (const q of [...broadQueries, filters]) expect(answers(repaired, q), JSON.stringify(q)).toEqual(answers(fresh, q));
          expect(await repaired.suggest('a', 1000)).toEqual(await fresh.suggest('a', 1000));
          for (const d of deletes) expect(await repaired.getJob(d.jobId)).toBeUndefined();
          repaired.close();
          fresh.close();
        },
      ),
      { numRuns: 60 },
    );
  });

  it('leaves a document alone when its stored position is no longer the one the check saw', async () => {
    const store = EmbeddedJobStore.open({ path: ':memory:' });
    const [a, b] = fc.sample(docsArb(2, 2), { numRuns: 1, seed: 3 })[0]!;
    await store.putJobs([a!, b!]);
    expect(store.replaceJobs([{ doc: { ...a!, title: 'changed' }, seenPosition: a!.position + 1 }])).toEqual([]);
    expect(store.replaceJobs([{ doc: { ...b!, jobId: 'new-one' }, seenPosition: 3 }])).toEqual([]);
    expect(store.deleteJobs([{ jobId: b!.jobId, seenPosition: b!.position - 1 }])).toEqual([]);
    expect(await store.getJob(a!.jobId)).toEqual(a);
    expect(await store.getJob(b!.jobId)).toEqual(b);
    expect(await store.getJob('new-one')).toBeUndefined();
    store.close();
  });

  it('keeps repairs across a reopen and scans documents in id order, page by page, above a position', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'drift-embedded-'));
    try {
      const path = join(dir, 'read.db');
      const docs = Array.from({ length: 2500 }, (_, i) => toDoc(`job-${String(i).padStart(5, '0')}`, { ...fc.sample(docBody, { numRuns: 1, seed: i })[0]!, position: i + 1 }));
      const store = EmbeddedJobStore.open({ path });
      await store.putJobs(docs);
      store.deleteJobs([{ jobId: 'job-00007', seenPosition: 8 }]);
      store.replaceJobs([{ doc: { ...docs[9]!, title: 'Repaired title' }, seenPosition: 10 }]);
      const target = embeddedDriftTarget(store);
      const pages: number[] = [];
      const seen: string[] = [];
      await target.scan((page) => {
        pages.push(page.length);
        seen.push(...page.map((s) => s.doc.jobId));
      });
      expect(pages).toEqual([1000, 1000, 499]);
      expect(seen).toEqual(docs.map((d) => d.jobId).filter((id) => id !== 'job-00007'));
      const above: number[] = [];
      await target.scan((page) => void above.push(...page.map((s) => s.doc.position)), { abovePosition: 2490 });
      expect(above).toEqual([2491, 2492, 2493, 2494, 2495, 2496, 2497, 2498, 2499, 2500]);
      expect(await store.count()).toBe(2499);
      store.close();

      const reopened = EmbeddedJobStore.open({ path });
      expect(await reopened.count()).toBe(2499);
      expect(await reopened.getJob('job-00007')).toBeUndefined();
      expect((await reopened.getJob('job-00009'))?.title).toBe('Repaired title');
      reopened.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
