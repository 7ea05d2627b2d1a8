import { type SearchLogEntry, withCursor } from './searchLog.ts';

/**
 * A search log's paths as the service will be asked them: each next page
 * written with the cursor the service answers for the page before (a log
 * cannot know cursors ahead). The pages are fetched once before the run,
 * with `headers` (the bench sends `Cache-Control: no-cache` as the operator,
 * so these fetches leave nothing in the response cache to inflate the hit
 * rate). A next page of a search that has none (its results fit one page) is
 * left out, as no user could ask it. Stops once `want` paths are resolved.
 */
export async function resolvePages(
  readUrl: string,
  entries: readonly SearchLogEntry[],
  want: number,
  headers: Record<string, string>,
  concurrency = 8,
): Promise<{ paths: string[]; dropped: number }> {
  const cursors = new Map<string, Promise<string | undefined>>();
  let running = 0;
  const queue: Array<() => void> = [];
  const limited = async <T>(work: () => Promise<T>): Promise<T> => {
    if (running >= concurrency) await new Promise<void>((resolve) => queue.push(resolve));
    running++;
    try {
      return await work();
    } finally {
      running--;
      queue.shift()?.();
    }
  };
  /** The path of page `page` of `path`, or undefined when the search has no such page. */
  const pathOf = async (path: string, page: number): Promise<string | undefined> => {
    if (page === 1) return path;
    const key = `${page}\n${path}`;
    let cursor = cursors.get(key);
    if (!cursor) {
      cursor = pathOf(path, page - 1).then((before) =>
        before === undefined
          ? undefined
          : limited(async () => {
              const res = await fetch(`${readUrl}${before}`, { headers });
              if (!res.ok) throw new Error(`resolving a next page: ${res.status} for ${before}: ${(await res.text()).slice(0, 300)}`);
              return ((await res.json()) as { nextCursor?: string }).nextCursor;
            }),
      );
      cursors.set(key, cursor);
    }
    const c = await cursor;
    return c === undefined ? undefined : withCursor(path, c);
  };
  const paths: string[] = [];
  let dropped = 0;
  const block = 512;
  for (let i = 0; i < entries.length && paths.length < want; i += block) {
    const resolved = await Promise.all(entries.slice(i, i + block).map((e) => pathOf(e.path, e.page)));
    for (const p of resolved) {
      if (p === undefined) dropped++;
      else if (paths.length < want) paths.push(p);
    }
  }
  return { paths, dropped };
}
