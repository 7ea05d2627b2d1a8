import { SearchRequest } from './searchRequest.ts';

export interface SavedQueryIssue {
  path: PropertyKey[];
  message: string;
  code: string;
}

/**
 * Why `/v1/search` would refuse this query, as a saved search's query, or
 * nothing when it is fine. Beyond the schema, a saved search runs for its
 * worker over open jobs whenever a job is published: `includeClosed` (owners
 * only), a page `cursor` and the asking worker's `match` order have no
 * meaning there.
 */
export function savedQueryIssues(query: Record<string, unknown>): SavedQueryIssue[] {
  const parsed = SearchRequest.safeParse(query);
  const issues: SavedQueryIssue[] = parsed.success
    ? []
    : parsed.error.issues.flatMap((i) =>
        // One issue per unknown field, at its own path, as the API reports unknown body fields.
        i.code === 'unrecognized_keys'
          ? i.keys.map((k) => ({ path: [...i.path, k], message: 'unknown field', code: 'unknown_field' }))
          : [{ path: [...i.path], message: i.message, code: i.code }],
      );
  if (query.includeClosed === true) issues.push({ path: ['includeClosed'], message: 'a saved search finds open jobs only', code: 'not_allowed' });
  if (query.postedSince !== undefined) issues.push({ path: ['postedSince'], message: 'a saved search keeps what is new itself: use its results', code: 'not_allowed' });
  if (query.cursor !== undefined) issues.push({ path: ['cursor'], message: 'a saved search is not a page: leave out cursor', code: 'not_allowed' });
  // Its results and alerts run with no one signed in to rank for.
  if (query.sort === 'match') issues.push({ path: ['sort'], message: 'a saved search cannot sort by match: choose another sort', code: 'not_allowed' });
  return issues;
}
