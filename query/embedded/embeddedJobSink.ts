import type { JobDocument } from '../../mappings/jobDocument.ts';
import type { JobDocumentSink } from '../../projections/jobs/jobsProjection.ts';
import { JOBS_PROJECTION } from '../../projections/jobs/jobsProjection.ts';
import type { EmbeddedJobStore } from './embeddedJobStore.ts';

/** The embedded store commits documents and checkpoint in one SQLite transaction. */
export function embeddedJobSink(store: EmbeddedJobStore): JobDocumentSink {
  return {
    async getJobs(ids) {
      const out = new Map<string, JobDocument>();
      for (const id of ids) {
        const doc = await store.getJob(id);
        if (doc) out.set(id, doc);
      }
      return out;
    },
    getBusinesses: (ids) => store.getBusinesses(ids),
    jobIdsOfBusiness: (businessId) => store.jobIdsOfBusiness(businessId),
    async commit(docs, checkpoint, businesses, removed) {
      // Removals first, in their own transaction: a crash before the checkpoint replays them harmlessly (the documents are gone).
      await store.removeJobs(removed);
      await store.putJobsAndCheckpoint(docs, JOBS_PROJECTION, checkpoint, businesses);
    },
    checkpoint: async () => (await store.getCheckpoint(JOBS_PROJECTION)) ?? 0,
  };
}
