import type { EmbeddedJobStore } from '../../query/embedded/embeddedJobStore.ts';
import type { JobDocument } from './jobDocument.ts';
import type { JobDocumentSink } from './jobsProjection.ts';
import { JOBS_PROJECTION } from './jobsProjection.ts';

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
