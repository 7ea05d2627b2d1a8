import type { RecordedEvent } from '../../eventstore/port.ts';
import type { DeadLetterStore } from '../deadLetters.ts';
import type { Projection } from '../projection.ts';
import { PoisonEventError } from '../projection.ts';
import type { BusinessDocument, JobDocument } from '../../mappings/jobDocument.ts';
import { applyToJobDocument, jobIdOf } from './applyToJobDocument.ts';
import { applyToBusiness, businessIdOf, withBusinessName } from './businessProfiles.ts';

/** Where the `jobs` projection keeps its documents and checkpoint (one adapter per read store). */
export interface JobDocumentSink {
  getJobs(ids: readonly string[]): Promise<Map<string, JobDocument>>;
  /** The business profiles the projection has stored (real-time: sees the last commit). */
  getBusinesses(ids: readonly string[]): Promise<Map<string, BusinessDocument>>;
  /** Ids of every job document of a business the store holds (real-time: sees the last commit). */
  jobIdsOfBusiness(businessId: string): Promise<string[]>;
  /**
   * Stores the documents and profiles, removes the documents of discarded
   * jobs (each unless the stored one is newer than its removal), then the
   * checkpoint (atomically where the store can).
   */
  commit(docs: readonly JobDocument[], checkpoint: number, businesses: readonly BusinessDocument[], removed: readonly RemovedJob[]): Promise<void>;
  checkpoint(): Promise<number>;
  /** Ids of documents the store refused for good, if `commit` failed for them. */
  poisonJobIds?(error: unknown): readonly string[];
}

/** A job document to remove, at the log position that removed it. */
export interface RemovedJob {
  jobId: string;
  position: number;
}

export const JOBS_PROJECTION = 'jobs';

/** The jobs and businesses one batch reads before it applies its events. */
async function loadBatch(sink: JobDocumentSink, events: readonly RecordedEvent[]): Promise<{ docs: Map<string, JobDocument>; businesses: Map<string, BusinessDocument> }> {
  const jobIds = new Set<string>();
  const businessIds = new Set<string>();
  const renamed = new Set<string>();
  for (const event of events) {
    const id = jobIdOf(event);
    if (id !== undefined) jobIds.add(id);
    if (event.type === 'JobDrafted') businessIds.add(event.data.businessId);
    const business = businessIdOf(event);
    if (business !== undefined) {
      businessIds.add(business);
      renamed.add(business);
    }
  }
  for (const business of renamed) for (const id of await sink.jobIdsOfBusiness(business)) jobIds.add(id);
  const docs = jobIds.size > 0 ? await sink.getJobs([...jobIds]) : new Map<string, JobDocument>();
  const businesses = businessIds.size > 0 ? await sink.getBusinesses([...businessIds]) : new Map<string, BusinessDocument>();
  return { docs, businesses };
}

/**
 * The `jobs` read model: loads the documents a batch touches, applies the
 * events in order (skipping any event the stored document already includes,
 * which makes a replay after a crash idempotent), and commits them with the
 * batch's last position as checkpoint. Business profiles are part of it: a
 * job takes its business's name when drafted, and a profile change renames
 * every job of the business at that position.
 */
export function jobsProjection(sink: JobDocumentSink, deadLetters: DeadLetterStore): Projection {
  return {
    name: JOBS_PROJECTION,
    checkpoint: () => sink.checkpoint(),
    deadLetter: (event, error) => deadLetters.record(JOBS_PROJECTION, event, error instanceof Error ? error.message : String(error)),
    async apply(events: readonly RecordedEvent[]) {
      const { docs, businesses } = await loadBatch(sink, events);
      const nameOf = (businessId: string): string | undefined => businesses.get(businessId)?.name;
      const changed = new Map<string, RecordedEvent>();
      const changedBusinesses = new Map<string, BusinessDocument>();
      const removed = new Map<string, number>();
      const set = (doc: JobDocument, event: RecordedEvent): void => {
        docs.set(doc.jobId, doc);
        if (!changed.has(doc.jobId)) changed.set(doc.jobId, event);
      };
      for (const event of events) {
        const business = businessIdOf(event);
        if (business !== undefined) {
          let next: BusinessDocument | undefined;
          try {
            next = applyToBusiness(businesses.get(business), event);
          } catch (err) {
            throw new PoisonEventError(event, err);
          }
          if (!next) continue;
          businesses.set(business, next);
          changedBusinesses.set(business, next);
          for (const doc of docs.values()) {
            const renamedJob = doc.businessId === business ? withBusinessName(doc, next.name, event.position) : undefined;
            if (renamedJob) set(renamedJob, event);
          }
          continue;
        }
        const id = jobIdOf(event);
        if (id === undefined) continue;
        const current = docs.get(id);
        if (current && event.position <= current.position) continue;
        if (event.type === 'JobDiscarded') {
          // A discarded draft leaves the read model; its stream stays in the log.
          if (!current) continue;
          docs.delete(id);
          changed.delete(id);
          removed.set(id, event.position);
          continue;
        }
        let next: JobDocument | undefined;
        try {
          next = applyToJobDocument(current, event, nameOf);
        } catch (err) {
          throw new PoisonEventError(event, err);
        }
        if (next) set(next, event);
      }
      const last = events.at(-1);
      if (!last) return;
      try {
        await sink.commit(
          [...changed.keys()].map((id) => docs.get(id)!),
          last.position,
          [...changedBusinesses.values()],
          [...removed].map(([jobId, position]) => ({ jobId, position })),
        );
      } catch (err) {
        const poison = sink.poisonJobIds?.(err) ?? [];
        const first = poison.map((id) => changed.get(id)).find((e) => e !== undefined);
        if (first) throw new PoisonEventError(first, err);
        throw err;
      }
    },
  };
}
