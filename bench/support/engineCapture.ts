import { AsyncLocalStorage } from 'node:async_hooks';
import { connectSearch } from '../../query/engine/connect.ts';
import { createEngineJobStore } from '../../query/engine/engineJobStore.ts';
import type { SearchClient } from '../../query/engine/searchClient.ts';
import type { LoadRequest } from './loadSpec.ts';
import { mapRequestOf, searchRequestOf } from './requests.ts';

/**
 * The engine requests the service sends for each of a log's paths, captured
 * rather than rebuilt: the bench opens the service's own engine store
 * (query/engine/engineJobStore.ts) on the same alias, through a client that
 * records every `_search` it sends, and asks it each distinct path of the log
 * as the route would (the path parsed by the route's own schemas, requests.ts).
 * So the replay holds what the store really sends: the search body with its
 * cursor's `search_after`, and for a map both the grid and, when the viewport
 * holds few jobs, the points request that follows it. The store's freshness
 * probe (one per read position, not per request) is not part of a request.
 */
export interface CapturedLog {
  /** The engine requests, in the log's order. */
  requests: LoadRequest[];
  /** Engine requests per service request (1 for search; more for map, whose small viewports add a points request). */
  perRequest: number;
}

export async function captureEngineRequests(
  engine: { url: string; alias: string },
  kind: 'search' | 'map',
  paths: readonly string[],
  options: { now?: Date; mapMaxCells: number; concurrency?: number },
): Promise<CapturedLog> {
  const client = await connectSearch(engine.url);
  const sent = new AsyncLocalStorage<LoadRequest[]>();
  const recording = new Proxy(client, {
    get(target, prop, receiver) {
      if (prop !== 'search') return Reflect.get(target, prop, receiver) as unknown;
      const search: SearchClient['search'] = (index, body) => {
        const names = typeof index === 'string' ? index : index.join(',');
        sent.getStore()?.push({ method: 'POST', path: `/${names}/_search`, body: JSON.stringify(body) });
        return target.search(index, body);
      };
      return search;
    },
  });
  const store = createEngineJobStore(recording, { alias: engine.alias, mapMaxCells: options.mapMaxCells });
  const now = options.now ?? new Date();
  const byPath = new Map<string, LoadRequest[]>();
  const distinct = [...new Set(paths)];
  const concurrency = options.concurrency ?? 8;
  try {
    for (let i = 0; i < distinct.length; i += concurrency) {
      await Promise.all(
        distinct.slice(i, i + concurrency).map(async (path) => {
          const out: LoadRequest[] = [];
          await sent.run(out, () =>
            kind === 'search' ? store.search(searchRequestOf(path), now) : store.map({ ...mapRequestOf(path), maxCells: options.mapMaxCells }, now),
          );
          byPath.set(path, out);
        }),
      );
    }
  } finally {
    await client.close();
  }
  const requests = paths.flatMap((p) => byPath.get(p) ?? []);
  return { requests, perRequest: paths.length > 0 ? requests.length / paths.length : 1 };
}
