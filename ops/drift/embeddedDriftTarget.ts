import type { JobDocument } from '../../mappings/jobDocument.ts';
import type { EmbeddedJobStore } from '../../query/embedded/embeddedJobStore.ts';
import { JOBS_PROJECTION } from '../../projections/jobs/jobsProjection.ts';
import type { DriftTarget, StoredJob } from './driftTarget.ts';
import { DRIFT_MARKER } from './driftTarget.ts';

const PAGE = 1000;

/** What the drift check reads of an embedded file: the live store object, or a read-only reader of its file (EmbeddedDocumentReader). */
export interface EmbeddedDocumentSource {
  scanJobs(afterJobId: string, limit: number, abovePosition: number): JobDocument[];
  getJob(jobId: string): JobDocument | undefined | Promise<JobDocument | undefined>;
  getCheckpoint(name: string): number | undefined | Promise<number | undefined>;
  count(): number | Promise<number>;
}

/** The reading half of an embedded drift target: the same pages, documents and markers whichever source. */
export function embeddedDriftReads(source: EmbeddedDocumentSource): Omit<DriftTarget, 'kind' | 'repair' | 'setLastCheckedPosition'> {
  return {
    checkpoint: async () => (await source.getCheckpoint(JOBS_PROJECTION)) ?? 0,
    count: async () => source.count(),
    async scan(onPage, options = {}) {
      let after = '';
      for (;;) {
        const docs = source.scanJobs(after, PAGE, options.abovePosition ?? -1);
        if (docs.length === 0) return;
        await onPage(docs.map((doc): StoredJob => ({ doc })));
        after = docs[docs.length - 1]!.jobId;
        if (docs.length < PAGE) return;
      }
    },
    async getJobs(ids) {
      const out = new Map<string, StoredJob>();
      for (const id of ids) {
        const doc = await source.getJob(id);
        if (doc) out.set(id, { doc });
      }
      return out;
    },
    lastCheckedPosition: async () => source.getCheckpoint(DRIFT_MARKER),
  };
}

/**
 * The embedded store as a drift target. Repairs go through the store object
 * itself (SQLite transaction + in-memory indexes), so they are live only in
 * the process holding that object: the server's own scheduler (whose worker
 * thread reads the file and sends its repairs here, see checkDriftInWorker.ts),
 * or the CLI on a DATA_DIR no server has open (see driftCommand.ts).
 */
export function embeddedDriftTarget(store: EmbeddedJobStore): DriftTarget {
  return {
    kind: 'embedded',
    ...embeddedDriftReads(store),
    async repair(puts, deletes) {
      const put = store.replaceJobs(puts.map((p) => ({ doc: p.doc, seenPosition: p.seen?.doc.position })));
      const deleted = store.deleteJobs(deletes.map((d) => ({ jobId: d.seen.doc.jobId, seenPosition: d.seen.doc.position })));
      return { put: new Set(put), deleted: new Set(deleted) };
    },
    setLastCheckedPosition: (position) => store.setCheckpoint(DRIFT_MARKER, position),
  };
}
