// Every document of one owner's list, page by page to the end, the caller
// keeping only a summary of each (memory bounded by the summaries, not the
// documents). Lists are ordered by a time field, newest first, so a document
// written while the pages are read moves to the front, possibly from beyond
// the page being read to before it: after the last page the front is read
// again, down to the newest sort value the first page saw, and what it finds
// replaces the earlier summaries.
import type { KeyedDocStore, ListQuery, Positioned } from './keyedStore.ts';
import { sortMsOf } from './keyedStore.ts';

export async function everyListed<D extends Positioned, T>(
  store: Pick<KeyedDocStore<D>, 'model' | 'list'>,
  query: Omit<ListQuery, 'size' | 'cursor'>,
  pageSize: number,
  summarise: (doc: D) => T,
): Promise<Map<string, T>> {
  const { model } = store;
  const out = new Map<string, T>();
  let since: number | undefined;
  let cursor: string | undefined;
  do {
    const page = await store.list({ ...query, size: pageSize, ...(cursor !== undefined ? { cursor } : {}) });
    for (const doc of page.items) {
      since ??= sortMsOf(model, doc);
      out.set(model.keyOf(doc), summarise(doc));
    }
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  if (since === undefined) return out;
  // The front again: what was written since the first page.
  for (;;) {
    const page = await store.list({ ...query, size: pageSize, ...(cursor !== undefined ? { cursor } : {}) });
    for (const doc of page.items) {
      if (sortMsOf(model, doc) < since) return out;
      out.set(model.keyOf(doc), summarise(doc));
    }
    cursor = page.nextCursor;
    if (cursor === undefined) return out;
  }
}
