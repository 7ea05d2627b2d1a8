import type { RecordedEvent } from '../../eventstore/port.ts';
import type { DeadLetterStore } from '../deadLetters.ts';
import type { Projection } from '../projection.ts';
import { PoisonEventError } from '../projection.ts';
import type { JobDocument } from '../../mappings/jobDocument.ts';
import { applyToJobDocument, jobIdOf } from './applyToJobDocument.ts';

/** Where the `jobs` projection keeps its documents and checkpoint (one adapter per read store). */
export interface JobDocumentSink {
  getJobs(ids: readonly string[]): Promise<Map<string, JobDocument>>;
  /** Stores the documents, then the checkpoint (atomically where the store can). */
  commit(docs: readonly JobDocument[], checkpoint: number): Promise<void>;
  checkpoint(): Promise<number>;
  /** Ids of documents the store refused for good, if `commit` failed for them. */
  poisonJobIds?(error: unknown): readonly string[];
}

export const JOBS_PROJECTION = 'jobs';

/**
 * The `jobs` read model: loads the documents a batch touches, applies the
 * events in order (skipping any event the stored document already includes,
 * which makes a replay after a crash idempotent), and commits them with the
 * batch's last position as checkpoint.
 */
export function jobsProjection(sink: JobDocumentSink, deadLetters: DeadLetterStore): Projection {
  return {
    name: JOBS_PROJECTION,
    checkpoint: () => sink.checkpoint(),
    deadLetter: (event, error) => deadLetters.record(JOBS_PROJECTION, event, error instanceof Error ? error.message : String(error)),
    async apply(events: readonly RecordedEvent[]) {
      const ids = [...new Set(events.map(jobIdOf).filter((id): id is string => id !== undefined))];
      const docs = ids.length > 0 ? await sink.getJobs(ids) : new Map<string, JobDocument>();
      const changed = new Map<string, RecordedEvent>();
      for (const event of events) {
        const id = jobIdOf(event);
        if (id === undefined) continue;
        const current = docs.get(id);
        if (current && event.position <= current.position) continue;
        let next: JobDocument | undefined;
        try {
          next = applyToJobDocument(current, event);
        } catch (err) {
          throw new PoisonEventError(event, err);
        }
        if (next) {
          docs.set(id, next);
          if (!changed.has(id)) changed.set(id, event);
        }
      }
      const last = events.at(-1);
      if (!last) return;
      try {
        await sink.commit([...changed.keys()].map((id) => docs.get(id)!), last.position);
      } catch (err) {
        const poison = sink.poisonJobIds?.(err) ?? [];
        const first = poison.map((id) => changed.get(id)).find((e) => e !== undefined);
        if (first) throw new PoisonEventError(first, err);
        throw err;
      }
    },
  };
}
