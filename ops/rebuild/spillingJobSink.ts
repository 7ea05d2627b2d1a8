// The jobs fold of a bulk rebuild keeps the documents in memory and writes
// each once at the end; on a large log that would hold every document at
// once. This sink holds at most `limit`: past it, it writes what it holds to
// the target (the new, not yet live version) and forgets it, reading a
// document back from there in the rare case a later event touches it again
// (a job's events mostly follow one another in the log).
import type { BusinessDocument, JobDocument } from '../../mappings/jobDocument.ts';
import type { JobDocumentSink, RemovedJob } from '../../projections/jobs/jobsProjection.ts';

export interface SpillTarget {
  write(docs: readonly JobDocument[]): Promise<void>;
  /** Business profiles (few: they stay in memory and are written as they change, at each flush). */
  writeBusinesses(docs: readonly BusinessDocument[]): Promise<void>;
  /** Removes documents already written (a draft discarded after it was spilled). */
  remove(removed: readonly RemovedJob[]): Promise<void>;
  read(ids: readonly string[]): Promise<Map<string, JobDocument>>;
}

export interface SpillingJobSink extends JobDocumentSink {
  /** Writes what is still held; after it, every folded document is in the target. */
  flush(): Promise<void>;
  /** Documents written to the target so far (each job counted once). */
  readonly documents: number;
}

export function spillingJobSink(target: SpillTarget, limit: number): SpillingJobSink {
  const held = new Map<string, JobDocument>();
  const spilled = new Set<string>();
  const businesses = new Map<string, BusinessDocument>();
  const unwritten = new Set<string>();
  const jobsOf = new Map<string, Set<string>>();
  let checkpoint = 0;
  const flush = async () => {
    if (unwritten.size > 0) {
      const changed = [...unwritten].map((id) => businesses.get(id)!);
      unwritten.clear();
      await target.writeBusinesses(changed);
    }
    if (held.size === 0) return;
    const docs = [...held.values()];
    held.clear();
    await target.write(docs);
    for (const d of docs) spilled.add(d.jobId);
  };
  return {
    get documents() {
      return spilled.size;
    },
    async getJobs(ids) {
      const out = new Map<string, JobDocument>();
      const back: string[] = [];
      for (const id of ids) {
        const d = held.get(id);
        if (d) out.set(id, d);
        else if (spilled.has(id)) back.push(id);
      }
      if (back.length > 0) for (const [id, d] of await target.read(back)) out.set(id, d);
      return out;
    },
    getBusinesses: (ids) => Promise.resolve(new Map(ids.flatMap((id) => (businesses.has(id) ? [[id, businesses.get(id)!] as const] : [])))),
    jobIdsOfBusiness: (businessId) => Promise.resolve([...(jobsOf.get(businessId) ?? [])]),
    async commit(batch, position, changedBusinesses, removed) {
      for (const d of batch) {
        const current = held.get(d.jobId);
        if (!current || current.position < d.position) held.set(d.jobId, d);
        const of = jobsOf.get(d.businessId) ?? new Set<string>();
        jobsOf.set(d.businessId, of.add(d.jobId));
      }
      for (const b of changedBusinesses) {
        const current = businesses.get(b.businessId);
        if (!current || current.position < b.position) {
          businesses.set(b.businessId, b);
          unwritten.add(b.businessId);
        }
      }
      const written: RemovedJob[] = [];
      for (const r of removed) {
        const current = held.get(r.jobId);
        if (current && current.position < r.position) held.delete(r.jobId);
        if (spilled.delete(r.jobId)) written.push(r);
        jobsOf.forEach((of) => of.delete(r.jobId));
      }
      if (written.length > 0) await target.remove(written);
      checkpoint = position;
      if (held.size >= limit) await flush();
    },
    checkpoint: () => Promise.resolve(checkpoint),
    flush,
  };
}
