import type { EmbeddedJobStore } from '../../query/embedded/embeddedJobStore.ts';
import { JOBS_PROJECTION } from '../../projections/jobs/jobsProjection.ts';
import type { DriftTarget, StoredJob } from './driftTarget.ts';
import { DRIFT_MARKER } from './driftTarget.ts';

const PAGE = 1000;

/**
 * The embedded store as a drift target. Repairs go through the store object
 * itself (SQLite transaction + in-memory indexes), so they are live only in
 * the process holding that object: the server's own scheduler, or the CLI on
 * a DATA_DIR no server has open (see driftCommand.ts).
 */
export function embeddedDriftTarget(store: EmbeddedJobStore): DriftTarget {
  return {
    kind: 'embedded',
    checkpoint: async () => (await store.getCheckpoint(JOBS_PROJECTION)) ?? 0,
    count: () => store.count(),
    async scan(onPage, options = {}) {
      let after = '';
      for (;;) {
        const docs = store.scanJobs(after, PAGE, options.abovePosition ?? -1);
        if (docs.length === 0) return;
        await onPage(docs.map((doc): StoredJob => ({ doc })));
        after = docs[docs.length - 1]!.jobId;
        if (docs.length < PAGE) return;
      }
    },
    async getJobs(ids) {
      const out = new Map<string, StoredJob>();
      for (const id of ids) {
        const doc = await store.getJob(id);
        if (doc) out.set(id, { doc });
      }
      return out;
    },
    async repair(puts, deletes) {
      const put = store.replaceJobs(puts.map((p) => ({ doc: p.doc, seenPosition: p.seen?.doc.position })));
      const deleted = store.deleteJobs(deletes.map((d) => ({ jobId: d.seen.doc.jobId, seenPosition: d.seen.doc.position })));
      return { put: new Set(put), deleted: new Set(deleted) };
    },
    lastCheckedPosition: () => store.getCheckpoint(DRIFT_MARKER),
    setLastCheckedPosition: (position) => store.setCheckpoint(DRIFT_MARKER, position),
  };
}
