import type { RecordedEvent } from '../../eventstore/port.ts';
import type { KeyedDocStore, ListChanges, ListSink, Positioned, StoredEntry } from '../../query/lists/keyedStore.ts';
import { ListWriteError } from '../../query/lists/keyedStore.ts';
import type { DeadLetterStore } from '../deadLetters.ts';
import type { Projection } from '../projection.ts';
import { PoisonEventError } from '../projection.ts';
import { applyToJobStats, jobStatsKeyOf } from './jobStats.ts';
import type { DocChange } from './listDocuments.ts';
import {
  applicationKeyOf,
  applyToApplication,
  applyToSavedJob,
  applyToSavedSearch,
  savedJobKeyOf,
  savedSearchKeyOf,
} from './listDocuments.ts';

export const LISTS_PROJECTION = 'lists';

interface Part<D extends Positioned> {
  keyOf: (event: RecordedEvent) => string | undefined;
  apply: (doc: D | undefined, event: RecordedEvent) => DocChange<D>;
  store: KeyedDocStore<D>;
}

interface PartRun<D extends Positioned> {
  entries: Map<string, StoredEntry<D>>;
  changed: Map<string, RecordedEvent>;
}

/**
 * Applies one model's events of a batch to its entries, in log order,
 * skipping any event the stored entry already includes (replay after a crash
 * is idempotent). Pure apart from the map it updates; returns the changed keys
 * with the first event that changed each (to dead-letter the right event).
 */
export function applyEvents<D extends Positioned>(
  entries: Map<string, StoredEntry<D>>,
  events: readonly RecordedEvent[],
  keyOf: (e: RecordedEvent) => string | undefined,
  apply: (doc: D | undefined, e: RecordedEvent) => DocChange<D>,
): Map<string, RecordedEvent> {
  const changed = new Map<string, RecordedEvent>();
  for (const event of events) {
    const key = keyOf(event);
    if (key === undefined) continue;
    const current = entries.get(key);
    if (current && event.position <= current.position) continue;
    let next: DocChange<D>;
    try {
      next = apply(current?.doc, event);
    } catch (err) {
      throw new PoisonEventError(event, err);
    }
    if (next === undefined) continue;
    entries.set(key, next === null ? { key, position: event.position } : { key, position: event.position, doc: next });
    if (!changed.has(key)) changed.set(key, event);
  }
  return changed;
}

async function run<D extends Positioned>(part: Part<D>, events: readonly RecordedEvent[]): Promise<PartRun<D>> {
  const keys = [...new Set(events.map(part.keyOf).filter((k): k is string => k !== undefined))];
  const entries = keys.length > 0 ? await part.store.load(keys) : new Map<string, StoredEntry<D>>();
  const changed = applyEvents(entries, events, part.keyOf, part.apply);
  return { entries, changed };
}

const changesOf = <D extends Positioned>(r: PartRun<D>): StoredEntry<D>[] => [...r.changed.keys()].map((k) => r.entries.get(k)!);

/**
 * The per-owner lists (`applications`, `saved_jobs`, `saved_searches`) in one
 * projection with one checkpoint: loads the entries a batch touches, applies
 * the events in order and commits the changed entries (tombstones included)
 * with the batch's last position.
 */
export function listsProjection(sink: ListSink, deadLetters: DeadLetterStore, name = LISTS_PROJECTION): Projection {
  return {
    name,
    checkpoint: () => sink.checkpoint(name),
    deadLetter: (event, error) => deadLetters.record(name, event, error instanceof Error ? error.message : String(error)),
    async apply(events) {
      const last = events.at(-1);
      if (!last) return;
      const [applications, savedJobs, savedSearches, jobStats] = await Promise.all([
        run({ keyOf: applicationKeyOf, apply: applyToApplication, store: sink.applications }, events),
        run({ keyOf: savedJobKeyOf, apply: applyToSavedJob, store: sink.savedJobs }, events),
        run({ keyOf: savedSearchKeyOf, apply: applyToSavedSearch, store: sink.savedSearches }, events),
        run({ keyOf: jobStatsKeyOf, apply: applyToJobStats, store: sink.jobStats }, events),
      ]);
      const changes: ListChanges = {
        applications: changesOf(applications),
        savedJobs: changesOf(savedJobs),
        savedSearches: changesOf(savedSearches),
        jobStats: changesOf(jobStats),
      };
      try {
        await sink.commit(changes, name, last.position);
      } catch (err) {
        if (err instanceof ListWriteError) {
          const changed = { applications: applications.changed, saved_jobs: savedJobs.changed, saved_searches: savedSearches.changed, job_stats: jobStats.changed }[err.model];
          const first = err.poisonKeys
            .map((k) => changed.get(k))
            .filter((e): e is RecordedEvent => e !== undefined)
            .sort((a, b) => a.position - b.position)[0];
          if (first) throw new PoisonEventError(first, err);
        }
        throw err;
      }
    },
  };
}
