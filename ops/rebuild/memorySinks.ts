// In-memory read stores for replay: the same projection code folds the log
// into plain maps, which then go to an NDJSON file or a fresh index.
import type { BusinessDocument, JobDocument } from '../../mappings/jobDocument.ts';
import type { JobDocumentSink } from '../../projections/jobs/jobsProjection.ts';
import type { KeyedDocStore, ListModel, ListSink, Positioned, StoredEntry } from '../../query/lists/keyedStore.ts';
import { applicationsModel, jobStatsModel, savedJobsModel, savedSearchesModel } from '../../query/lists/keyedStore.ts';

export function memoryJobSink(): JobDocumentSink & { readonly docs: Map<string, JobDocument>; readonly businesses: Map<string, BusinessDocument> } {
  const docs = new Map<string, JobDocument>();
  const businesses = new Map<string, BusinessDocument>();
  const jobsOf = new Map<string, Set<string>>();
  let checkpoint = 0;
  return {
    docs,
    businesses,
    getJobs: (ids) => Promise.resolve(new Map(ids.flatMap((id) => (docs.has(id) ? [[id, docs.get(id)!] as const] : [])))),
    getBusinesses: (ids) => Promise.resolve(new Map(ids.flatMap((id) => (businesses.has(id) ? [[id, businesses.get(id)!] as const] : [])))),
    jobIdsOfBusiness: (businessId) => Promise.resolve([...(jobsOf.get(businessId) ?? [])]),
    commit(batch, position, changedBusinesses, removed) {
      for (const d of batch) {
        const stored = docs.get(d.jobId);
        if (!stored || stored.position < d.position) docs.set(d.jobId, d);
        if (!stored) jobsOf.set(d.businessId, (jobsOf.get(d.businessId) ?? new Set()).add(d.jobId));
      }
      for (const b of changedBusinesses) {
        const stored = businesses.get(b.businessId);
        if (!stored || stored.position < b.position) businesses.set(b.businessId, b);
      }
      for (const r of removed) {
        const stored = docs.get(r.jobId);
        if (!stored || stored.position >= r.position) continue;
        docs.delete(r.jobId);
        jobsOf.get(stored.businessId)?.delete(r.jobId);
      }
      checkpoint = position;
      return Promise.resolve();
    },
    checkpoint: () => Promise.resolve(checkpoint),
  };
}

export interface MemoryKeyedStore<D extends Positioned> extends KeyedDocStore<D> {
  readonly entries: Map<string, StoredEntry<D>>;
}

function memoryKeyedStore<D extends Positioned>(model: ListModel<D>): MemoryKeyedStore<D> {
  const entries = new Map<string, StoredEntry<D>>();
  return {
    model,
    entries,
    load: (keys) => Promise.resolve(new Map(keys.flatMap((k) => (entries.has(k) ? [[k, entries.get(k)!] as const] : [])))),
    get: (key) => Promise.resolve(entries.get(key)?.doc),
    write(batch) {
      for (const e of batch) {
        const stored = entries.get(e.key);
        if (!stored || stored.position < e.position) entries.set(e.key, e);
      }
      return Promise.resolve();
    },
    list: () => Promise.reject(new Error('a replay store does not answer lists')),
  };
}

export interface MemoryListSink extends ListSink {
  applications: MemoryKeyedStore<ListSink['applications'] extends KeyedDocStore<infer D> ? D : never>;
  savedJobs: MemoryKeyedStore<ListSink['savedJobs'] extends KeyedDocStore<infer D> ? D : never>;
  savedSearches: MemoryKeyedStore<ListSink['savedSearches'] extends KeyedDocStore<infer D> ? D : never>;
  jobStats: MemoryKeyedStore<ListSink['jobStats'] extends KeyedDocStore<infer D> ? D : never>;
}

export function memoryListSink(): MemoryListSink {
  const checkpoints = new Map<string, number>();
  const applications = memoryKeyedStore(applicationsModel);
  const savedJobs = memoryKeyedStore(savedJobsModel);
  const savedSearches = memoryKeyedStore(savedSearchesModel);
  const jobStats = memoryKeyedStore(jobStatsModel);
  return {
    kind: 'embedded',
    applications,
    savedJobs,
    savedSearches,
    jobStats,
    async commit(changes, projection, checkpoint) {
      await applications.write(changes.applications);
      await savedJobs.write(changes.savedJobs);
      await savedSearches.write(changes.savedSearches);
      await jobStats.write(changes.jobStats ?? []);
      checkpoints.set(projection, checkpoint);
    },
    checkpoint: (projection) => Promise.resolve(checkpoints.get(projection) ?? 0),
    close: () => Promise.resolve(),
  };
}
