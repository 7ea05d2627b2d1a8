import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobDocument } from '../../mappings/jobDocument.ts';
import { EmbeddedJobStore } from '../../query/embedded/embeddedJobStore.ts';
import { connectSearch } from '../../query/engine/connect.ts';
import type { SearchClient } from '../../query/engine/searchClient.ts';
import { type FullApp, type Mode, startFullApp } from '../../tests/support/fullApp.ts';
import { seedEventStore } from '../seed/seedEventStore.ts';
import { type DriftDeps, type DriftReport, checkDrift } from './checkDrift.ts';
import type { StoredJob } from './driftTarget.ts';
import { driftTargetOfReadSide } from './openDriftTarget.ts';
import { scheduledDriftCheck } from './scheduledDriftCheck.ts';

/** Writes behind the projector's back, the way each store can be tampered with. */
interface Tamper {
  remove(docs: readonly JobDocument[]): Promise<void>;
  /** Stores the document as given, whatever the stored one's position. */
  force(docs: readonly JobDocument[]): Promise<void>;
  close(): Promise<void>;
}

async function tamperer(app: FullApp): Promise<Tamper> {
  if (app.reads.jobs instanceof EmbeddedJobStore) {
    const store = app.reads.jobs;
    const at = async (id: string) => (await store.getJob(id))?.position;
    return {
      async remove(docs) {
        for (const d of docs) store.deleteJobs([{ jobId: d.jobId, seenPosition: (await at(d.jobId))! }]);
      },
      async force(docs) {
        for (const d of docs) store.replaceJobs([{ doc: d, seenPosition: await at(d.jobId) }]);
      },
      close: async () => undefined,
    };
  }
  const client: SearchClient = await connectSearch(process.env.SEARCH_URL!);
  const alias = `${app.runtime.config.SEARCH_PREFIX}jobs`;
  return {
    async remove(docs) {
      await client.bulk(docs.map((d) => ({ delete: { _index: alias, _id: d.jobId } })), { refresh: 'wait_for' });
    },
    async force(docs) {
      // Internal versioning: overwrites whatever is there (and moves _version past the position, as a careless write would).
      await client.bulk(docs.flatMap((d) => [{ index: { _index: alias, _id: d.jobId } }, d as never]), { refresh: 'wait_for' });
    },
    close: () => client.close(),
  };
}

async function storedDocs(deps: DriftDeps): Promise<StoredJob[]> {
  const all: StoredJob[] = [];
  await deps.target.scan((page) => void all.push(...page));
  return all;
}

const JOBS = 240;

describe.each<Mode>(['embedded', 'server'])('drift check (%s mode)', (mode) => {
  let app: FullApp;
  let deps: DriftDeps;
  let tamper: Tamper;
  let closeTarget: () => Promise<void>;

  beforeAll(async () => {
    app = await startFullApp(mode);
    await seedEventStore(app.runtime.store, { jobs: JOBS, seed: 11, now: new Date('2027-03-01T00:00:00Z') });
    await app.reads.catchUp();
    const opened = await driftTargetOfReadSide(app.runtime.config, app.reads.jobs);
    closeTarget = () => opened.close();
    deps = { store: app.runtime.store, target: opened.target };
    tamper = await tamperer(app);
  });
  afterAll(async () => {
    await tamper?.close();
    await closeTarget?.();
    await app?.close();
  });

  it('finds no drift in a read model the projector built', async () => {
    const report = await checkDrift(deps, { mode: 'full' });
    expect(report).toMatchObject({ mode: 'full', missing: 0, extra: 0, stale: 0, clean: true, checkedJobs: JOBS, poisonEvents: 0 });
    expect(report.toPosition).toBe(await app.runtime.store.headPosition());
  });

  it('reports exactly the deleted, invented and edited documents, and a repair brings the drift back to zero', async () => {
    const docs = (await storedDocs(deps)).map((s) => s.doc).filter((d) => d.position > 1);
    const to = await app.runtime.store.headPosition();
    const deleted = docs.slice(0, 4);
    const ghosts = [
      { ...docs[10]!, jobId: `ghost-${randomUUID()}` },
      { ...docs[11]!, jobId: `ghost-${randomUUID()}`, position: docs[11]!.position },
      // Claims a position past the log's head: still no job of that id in the log.
      { ...docs[12]!, jobId: `ghost-${randomUUID()}`, position: to + 1_000_000 },
    ];
    const edited = docs.slice(20, 25).map((d) => ({ ...d, title: `${d.title} (edited)` }));
    const older = docs.slice(30, 32).map((d) => ({ ...d, position: d.position - 1 }));
    await tamper.remove(deleted);
    await tamper.force([...ghosts, ...edited, ...older]);

    const found = await checkDrift(deps, { mode: 'full' });
    expect(found).toMatchObject({ missing: 4, extra: 3, stale: 7, clean: false, checkedJobs: JOBS + 3 });
    expect(found.samples.missing).toEqual(deleted.map((d) => d.jobId).sort());
    expect(found.samples.extra).toEqual(ghosts.map((d) => d.jobId).sort());
    expect(found.samples.stale).toEqual([...edited, ...older].map((d) => d.jobId).sort());
    expect(found.repaired).toBeUndefined();

    const repaired = await checkDrift(deps, { mode: 'full', repair: true });
    expect(repaired).toMatchObject({ missing: 4, extra: 3, stale: 7, repaired: { missing: 4, extra: 3, stale: 7 }, clean: true });
    const after = await checkDrift(deps, { mode: 'full' });
    expect(after).toMatchObject({ missing: 0, extra: 0, stale: 0, clean: true, checkedJobs: JOBS });
    expect(await app.reads.jobs.getJob(deleted[0]!.jobId)).toEqual(docs[0]);
    expect(await app.reads.jobs.getJob(ghosts[2]!.jobId)).toBeUndefined();
    expect((await app.reads.jobs.getJob(edited[0]!.jobId))?.title).toBe(docs[20]!.title);
  });

  it('incrementally checks only the jobs changed since the last clean check, plus documents claiming a later position', async () => {
    const clean = await checkDrift(deps, { mode: 'full' });
    expect(clean.clean).toBe(true);
    const docs = (await storedDocs(deps)).map((s) => s.doc);
    const quiet = docs[40]!;
    const viewed = docs[41]!;
    // Drift in a job nothing touched since: only a full check sees it.
    await tamper.force([{ ...quiet, title: 'edited long ago' }]);
    const { position } = await app.runtime.store.append(
      `job-${viewed.jobId}`,
      [{ type: 'JobViewed', data: { jobId: viewed.jobId, viewedAt: '2027-03-02T00:00:00.000Z' }, eventId: randomUUID(), metadata: { actor: { role: 'system', sub: 'drift-test' }, correlationId: 'c', causationId: 'c', occurredAt: '2027-03-02T00:00:00.000Z' } }],
      'any',
    );
    await app.reads.catchUp();
    expect((await app.reads.jobs.getJob(viewed.jobId))?.position).toBe(position);
    await tamper.remove([viewed]);
    const ghost = { ...docs[42]!, jobId: `ghost-${randomUUID()}`, position };
    await tamper.force([ghost]);

    const incremental = await checkDrift(deps, { mode: 'incremental' });
    expect(incremental).toMatchObject({ mode: 'incremental', fromPosition: clean.toPosition, toPosition: position, missing: 1, extra: 1, stale: 0, checkedJobs: 2 });
    expect(incremental.samples).toEqual({ missing: [viewed.jobId], extra: [ghost.jobId], stale: [] });
    const since = await checkDrift(deps, { mode: { since: clean.toPosition } });
    expect(since).toMatchObject({ mode: 'incremental', missing: 1, extra: 1, stale: 0 });

    const full = await checkDrift(deps, { mode: 'full', repair: true });
    expect(full).toMatchObject({ missing: 1, extra: 1, stale: 1, repaired: { missing: 1, extra: 1, stale: 1 }, clean: true });
    // The marker moved to this clean check's position: nothing changed since.
    expect(await checkDrift(deps, { mode: 'incremental' })).toMatchObject({ fromPosition: position, missing: 0, extra: 0, stale: 0, checkedJobs: 0 });
  });

  it("checks incrementally every job of a business whose name changed, and finds one the rename did not reach", async () => {
    const clean = await checkDrift(deps, { mode: 'full', repair: true });
    expect(clean.clean).toBe(true);
    const docs = (await storedDocs(deps)).map((s) => s.doc);
    const byBusiness = new Map<string, JobDocument[]>();
    for (const d of docs) byBusiness.set(d.businessId, [...(byBusiness.get(d.businessId) ?? []), d]);
    const [businessId, jobs] = [...byBusiness].sort((a, b) => b[1].length - a[1].length)[0]!;
    expect(jobs.length).toBeGreaterThan(1);
    const { position } = await app.runtime.store.append(
      `business-${businessId}`,
      [{ type: 'BusinessProfileUpdated', data: { businessId, profile: { name: 'Renamed for the drift check' }, updatedAt: '2027-03-02T00:00:00.000Z' }, eventId: randomUUID(), metadata: { actor: { role: 'business', sub: businessId }, correlationId: 'c', causationId: 'c', occurredAt: '2027-03-02T00:00:00.000Z' } }],
      'any',
    );
    await app.reads.catchUp();
    for (const d of jobs) expect(await app.reads.jobs.getJob(d.jobId)).toMatchObject({ businessName: 'Renamed for the drift check', position });
    expect(await checkDrift(deps, { mode: 'incremental' })).toMatchObject({ mode: 'incremental', stale: 0, missing: 0, extra: 0, checkedJobs: jobs.length });

    // The old document, as if the rename had never been applied to it.
    await tamper.force([jobs[0]!]);
    const found = await checkDrift(deps, { mode: { since: position - 1 } });
    expect(found).toMatchObject({ stale: 1, missing: 0, extra: 0, checkedJobs: jobs.length });
    expect(found.samples.stale).toEqual([jobs[0]!.jobId]);
    const repaired = await checkDrift(deps, { mode: { since: position - 1 }, repair: true });
    expect(repaired).toMatchObject({ stale: 1, repaired: { stale: 1 }, clean: true });
    expect((await app.reads.jobs.getJob(jobs[0]!.jobId))?.businessName).toBe('Renamed for the drift check');
  });

  it('agrees with the projector that a discarded draft has no document, and finds one left behind', async () => {
    const draft = (await storedDocs(deps)).map((s) => s.doc).find((d) => d.status === 'draft' && d.publishedAt === undefined);
    expect(draft).toBeDefined();
    const jobId = draft!.jobId;
    await app.runtime.store.append(
      `job-${jobId}`,
      [{ type: 'JobDiscarded', data: { jobId, discardedAt: '2027-03-02T00:00:00.000Z' }, eventId: randomUUID(), metadata: { actor: { role: 'business', sub: draft!.businessId }, correlationId: 'c', causationId: 'c', occurredAt: '2027-03-02T00:00:00.000Z' } }],
      'any',
    );
    await app.reads.catchUp();
    expect(await app.reads.jobs.getJob(jobId)).toBeUndefined();
    expect(await checkDrift(deps, { mode: 'full' })).toMatchObject({ missing: 0, extra: 0, stale: 0, clean: true });
    // The document back, as if the removal had been lost: extra, and a repair removes it again.
    await tamper.force([draft!]);
    const found = await checkDrift(deps, { mode: 'full', repair: true });
    expect(found).toMatchObject({ extra: 1, repaired: { extra: 1 }, clean: true });
    expect(found.samples.extra).toEqual([jobId]);
    expect(await app.reads.jobs.getJob(jobId)).toBeUndefined();
  });

  it("takes a document written after the position it replays to for the projector's, not for drift", async () => {
    const doc = (await storedDocs(deps))[50]!.doc;
    const head = await app.runtime.store.headPosition();
    // As if the projector had applied events past the check's snapshot.
    await tamper.force([{ ...doc, views: doc.views + 5, position: head + 10 }]);
    expect(await checkDrift(deps, { mode: 'full', repair: true })).toMatchObject({ toPosition: head, missing: 0, extra: 0, stale: 0, repaired: { missing: 0, extra: 0, stale: 0 } });
    expect((await app.reads.jobs.getJob(doc.jobId))?.views).toBe(doc.views + 5);
  });

  it('finds, reports and repairs in several passes exactly what one pass does', async () => {
    const before = (await storedDocs(deps)).map((s) => s.doc);
    const docs = before.filter((d) => d.position > 1 && d.position <= 1_000_000);
    const to = await app.runtime.store.headPosition();
    const ghostIds = [randomUUID(), randomUUID(), randomUUID()].map((u) => `ghost-${u}`);
    const plant = async () => {
      await tamper.remove(docs.slice(60, 66));
      await tamper.force([
        { ...docs[70]!, jobId: ghostIds[0]! },
        { ...docs[71]!, jobId: ghostIds[1]! },
        { ...docs[72]!, jobId: ghostIds[2]!, position: to + 1_000_000 },
        ...docs.slice(80, 85).map((d) => ({ ...d, title: `${d.title} (edited)` })),
        ...docs.slice(90, 93).map((d) => ({ ...d, position: d.position - 1 })),
      ]);
    };
    const essentials = ({ durationMs: _ms, ...rest }: DriftReport) => rest;
    const all = { samples: 1000 };
    await plant();

    const one = await checkDrift(deps, { mode: 'full', passes: 1, ...all });
    expect(one).toMatchObject({ missing: 6, extra: 3, stale: 8, clean: false });
    expect(essentials(await checkDrift(deps, { mode: 'full', passes: 3, ...all }))).toEqual(essentials(one));
    // Only some of the 20 samples kept: the first ones over all passes, not per pass.
    const few = essentials(await checkDrift(deps, { mode: 'full', passes: 3, samples: 2 }));
    expect(few.samples).toEqual({ missing: one.samples.missing.slice(0, 2), extra: one.samples.extra.slice(0, 2), stale: one.samples.stale.slice(0, 2) });
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 40 }), async (passes) => {
        expect(essentials(await checkDrift(deps, { mode: 'full', passes, ...all }))).toEqual(essentials(one));
      }),
      { numRuns: 4 },
    );
    const since = Math.floor(to / 2);
    expect(essentials(await checkDrift(deps, { mode: { since }, passes: 3, ...all }))).toEqual(essentials(await checkDrift(deps, { mode: { since }, passes: 1, ...all })));

    await deps.target.setLastCheckedPosition(0);
    const repairedInPasses = await checkDrift(deps, { mode: 'full', passes: 3, repair: true, ...all });
    expect(repairedInPasses).toMatchObject({ repaired: { missing: 6, extra: 3, stale: 8 }, clean: true });
    expect(await deps.target.lastCheckedPosition()).toBe(one.toPosition);
    const afterPasses = (await storedDocs(deps)).map((s) => s.doc);
    expect(afterPasses).toEqual(before);

    await plant();
    await deps.target.setLastCheckedPosition(0);
    const repairedInOne = await checkDrift(deps, { mode: 'full', passes: 1, repair: true, ...all });
    expect(essentials(repairedInOne)).toEqual(essentials(repairedInPasses));
    expect(await deps.target.lastCheckedPosition()).toBe(one.toPosition);
    expect((await storedDocs(deps)).map((s) => s.doc)).toEqual(afterPasses);
  });
});

describe('the scheduled drift check', () => {
  it('checks everything first (no marker yet), then incrementally, fully again a day later, repairing as it goes; a restart resumes incrementally', async () => {
    const app = await startFullApp('embedded');
    try {
      await seedEventStore(app.runtime.store, { jobs: 60, seed: 2, now: new Date('2027-03-01T00:00:00Z') });
      await app.reads.catchUp();
      const { target } = await driftTargetOfReadSide(app.runtime.config, app.reads.jobs);
      const reports: Array<{ mode: string; missing: number }> = [];
      const run = scheduledDriftCheck({ store: app.runtime.store, target }, { onReport: (r) => reports.push({ mode: r.mode, missing: r.missing }) });
      const store = app.reads.jobs as EmbeddedJobStore;
      const [first] = store.scanJobs('', 1);
      store.deleteJobs([{ jobId: first!.jobId, seenPosition: first!.position }]);
      expect(await run(new Date('2027-03-01T00:00:00Z'))).toEqual({ items: 1 });
      expect(await store.getJob(first!.jobId)).toEqual(first);
      expect(await run(new Date('2027-03-01T00:05:00Z'))).toEqual({ items: 0 });
      expect(await run(new Date('2027-03-02T00:00:00Z'))).toEqual({ items: 0 });
      expect(reports).toEqual([
        { mode: 'full', missing: 1 },
        { mode: 'incremental', missing: 0 },
        { mode: 'full', missing: 0 },
      ]);
      // A restarted process (a new schedule) starts from the clean-check marker, not with a full check.
      const restarted = scheduledDriftCheck({ store: app.runtime.store, target }, { onReport: (r) => reports.push({ mode: r.mode, missing: r.missing }) });
      expect(await restarted(new Date('2027-03-02T00:05:00Z'))).toEqual({ items: 0 });
      expect(reports.at(-1)).toEqual({ mode: 'incremental', missing: 0 });
    } finally {
      await app.close();
    }
  });
});
