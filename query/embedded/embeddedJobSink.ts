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
    commit: (docs, checkpoint) => store.putJobsAndCheckpoint(docs, JOBS_PROJECTION, checkpoint),
    checkpoint: async () => (await store.getCheckpoint(JOBS_PROJECTION)) ?? 0,
  };
}
