import { execute, foldStream } from '../../command/execute.ts';
import { CommandError } from '../../command/commandError.ts';
import { workerDecider, workerStream } from '../../command/deciders/workerDecider.ts';
import type { WorkerEvent } from '../../eventstore/events/index.ts';
import type { EventStore } from '../../eventstore/port.ts';
import type { SavedSearchDocument } from '../../projections/lists/listDocuments.ts';
import { schedulerActor } from './expireJobs.ts';
import type { JobRunContext, JobRunResult } from './scheduledJob.ts';
import { DAY_MS } from './scheduledJob.ts';
import { yieldEvery } from '../support/yieldEvery.ts';

/** The list store's side of the sweep (both list stores implement it). */
export interface StaleSavedSearchFinder {
  /** Active saved searches saved before `before`, ordered by key (`workerId|searchId`), after `afterKey`. */
  activeSavedSearchesSavedBefore(before: Date, size: number, afterKey?: string): Promise<SavedSearchDocument[]>;
}

export const isStaleSavedSearchFinder = (store: object): store is StaleSavedSearchFinder =>
  typeof (store as Partial<StaleSavedSearchFinder>).activeSavedSearchesSavedBefore === 'function';

export const ARCHIVE_AFTER_MS = 90 * DAY_MS;

export interface ArchiveLimits {
  unusedForMs?: number;
  pageSize?: number;
  maxSearches?: number;
}

/** When a saved search last alerted its worker (an instant alert or a digest naming it); undefined: never, or not known here. */
export type LastAlertOf = (workerId: string, searchId: string) => Promise<Date | undefined>;

/**
 * Archives saved searches unused for 90 days with `ArchiveSavedSearch` through
 * the decider. "Used" is the latest of the worker state's lastUsedAt (saved,
 * its alerts changed, or run by the worker) and the search's last alert (the outbox's record, when
 * notifications run): the read model nominates by savedAt (never later than
 * either) and the worker's stream decides, so a search used, deleted or
 * archived meanwhile is skipped.
 */
export function archiveSavedSearches(deps: { store: EventStore; lists: object; lastAlertOf?: LastAlertOf }, { unusedForMs = ARCHIVE_AFTER_MS, pageSize = 200, maxSearches = 100_000 }: ArchiveLimits = {}) {
  return async ({ now, slot, signal }: JobRunContext): Promise<JobRunResult> => {
    const finder = deps.lists;
    if (!isStaleSavedSearchFinder(finder)) throw new Error('this list read store cannot list stale saved searches');
    const cutoff = new Date(now.getTime() - unusedForMs);
    const correlationId = `scheduler:archive-saved-searches:${slot.toISOString()}`;
    let archived = 0;
    let seen = 0;
    let after: string | undefined;
    // Most candidates are skipped without a write (used lately): queries get a turn regardless.
    const pause = yieldEvery();
    while (seen < maxSearches && !signal.aborted) {
      const page = await finder.activeSavedSearchesSavedBefore(cutoff, Math.min(pageSize, maxSearches - seen), after);
      for (const doc of page) {
        if (signal.aborted) break;
        await pause();
        if (await archiveOne(deps, doc, cutoff, now, correlationId)) archived++;
      }
      seen += page.length;
      const last = page.at(-1);
      if (last === undefined || page.length < pageSize) break;
      after = `${last.workerId}|${last.searchId}`;
    }
    return { items: archived };
  };
}

async function archiveOne({ store, lastAlertOf }: { store: EventStore; lastAlertOf?: LastAlertOf }, doc: SavedSearchDocument, cutoff: Date, now: Date, correlationId: string): Promise<boolean> {
  const streamId = workerStream(doc.workerId);
  const state = foldStream<WorkerEvent, ReturnType<typeof workerDecider.initialState>>(workerDecider, await store.readStream(streamId));
  const search = state.savedSearches.get(doc.searchId);
  if (search?.status !== 'active' || Date.parse(search.lastUsedAt) >= cutoff.getTime()) return false;
  const lastAlert = await lastAlertOf?.(doc.workerId, doc.searchId);
  if (lastAlert && lastAlert.getTime() >= cutoff.getTime()) return false;
  try {
    const result = await execute({
      store,
      streamId,
      id: doc.workerId,
      decider: workerDecider,
      command: { type: 'ArchiveSavedSearch', workerId: doc.workerId, searchId: doc.searchId, now: now.toISOString() },
      ctx: { actor: schedulerActor, correlationId, now },
    });
    return result.appended > 0;
  } catch (err) {
    if (err instanceof CommandError && (err.code === 'saved_search_not_active' || err.code === 'saved_search_not_found')) return false;
    throw err;
  }
}
