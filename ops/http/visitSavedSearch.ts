import { execute } from '../../command/execute.ts';
import type { SavedSearch, WorkerCommand } from '../../command/deciders/workerDecider.ts';
import { newSinceOf, workerDecider, workerStream } from '../../command/deciders/workerDecider.ts';
import { contextOf } from '../../command/http/routeSupport.ts';
import type { EventStore } from '../../eventstore/port.ts';
import type { VisitSavedSearch } from '../../query/http/savedSearchResultsRoutes.ts';

/**
 * Runs of a saved search read it from the worker's stream (not the lists read
 * model, which may not have it yet) and record the visit through the decider,
 * which keeps one `SavedSearchViewed` per visit.
 */
export function visitSavedSearch(store: EventStore): VisitSavedSearch {
  return async (request, workerId, searchId, now) => {
    let seen: SavedSearch | undefined;
    await execute({
      store,
      streamId: workerStream(workerId),
      id: workerId,
      decider: workerDecider,
      ctx: contextOf(request, request.principal, now),
      command: (state): WorkerCommand => {
        seen = state.savedSearches.get(searchId);
        return { type: 'ViewSavedSearch', workerId, searchId, now: now.toISOString() };
      },
    });
    // execute answered 404 for a search never saved or deleted.
    if (seen === undefined || seen.status === 'deleted') throw new Error(`saved search ${searchId} was not found after its view was decided`);
    return { name: seen.name, query: seen.query, status: seen.status, newSince: newSinceOf(seen, now.getTime()) };
  };
}
