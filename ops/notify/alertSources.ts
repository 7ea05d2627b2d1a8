import type { SavedSearchDocument } from '../../projections/lists/listDocuments.ts';
import { alertSettingsOf } from '../../projections/lists/listDocuments.ts';
import type { AlertMatch, AlertSource } from '../../projections/notifications/alertSource.ts';
import type { JobDocument } from '../../mappings/jobDocument.ts';
import type { ReadProgress } from '../../query/http/readProgress.ts';
import type { JobReadStore } from '../../query/model/readStore.ts';

/** Finds the saved searches (alerts on) that match a job document. */
export type SavedSearchPercolate = (job: JobDocument) => Promise<SavedSearchDocument[]>;

export interface AlertSourceDeps {
  jobs: Pick<JobReadStore, 'getJob'>;
  /** The read models' progress: a job is percolated only once they include the event that opened it. */
  progress: ReadProgress;
  percolate: SavedSearchPercolate;
  clock?: () => Date;
  waitMs?: number;
}

export class ReadModelsBehindError extends Error {}

/**
 * Percolation over the read models: waits until the jobs and lists models
 * include the event (so a search saved before the job was published is seen),
 * reads the job as search would show it, and percolates it while it is open.
 * A read model still behind after `waitMs` is a transient failure: the
 * projection runner retries the batch.
 */
export function readModelAlertSource({ jobs, progress, percolate, clock = () => new Date(), waitMs = 10_000 }: AlertSourceDeps): AlertSource {
  return {
    async percolate(jobId, position) {
      if (!(await progress.waitFor(position, waitMs))) throw new ReadModelsBehindError(`read models have not reached position ${position} yet`);
      const job = await jobs.getJob(jobId);
      if (!job || job.status !== 'open' || (job.expiresAt !== undefined && Date.parse(job.expiresAt) <= clock().getTime())) return undefined;
      const matches: AlertMatch[] = [];
      for (const s of await percolate(job)) {
        const { alertFrequency } = alertSettingsOf(s);
        if (alertFrequency === 'off' || s.status !== 'active') continue;
        matches.push({ workerId: s.workerId, searchId: s.searchId, name: s.name, alertFrequency });
      }
      return { job: { jobId: job.jobId, title: job.title, ...(job.city !== undefined ? { city: job.city } : {}) }, matches };
    },
  };
}

interface PercolatingLists {
  percolateJob(job: JobDocument, options?: { alertsOnly?: boolean; size?: number }): Promise<SavedSearchDocument[]>;
  /** Loads an in-memory percolator ahead of the first percolation (embedded). */
  warmPercolator?(): Promise<void>;
}
const percolates = (lists: object): lists is PercolatingLists => typeof (lists as Partial<PercolatingLists>).percolateJob === 'function';

/** The alert source the read side offers, or undefined where its saved searches cannot percolate. */
export function alertSourceOfReadSide(reads: { jobs: Pick<JobReadStore, 'getJob'>; lists: object; progress: ReadProgress }, clock?: () => Date): AlertSource | undefined {
  const { lists } = reads;
  if (!percolates(lists)) return undefined;
  // The engine answers at most 10,000 hits per request (index.max_result_window).
  return readModelAlertSource({ jobs: reads.jobs, progress: reads.progress, percolate: (job) => lists.percolateJob(job, { size: 10_000 }), ...(clock ? { clock } : {}) });
}

/**
 * Starts loading what percolation needs before the first new job asks for it
 * (the embedded lists' in-memory percolator; the engine needs nothing). A
 * failed load is not lost: the first percolation awaits the same load and
 * fails the way the alert's delivery handles.
 */
export function warmAlertSource(reads: { lists: object }): void {
  const { lists } = reads;
  if (percolates(lists)) lists.warmPercolator?.().catch(() => undefined);
}
