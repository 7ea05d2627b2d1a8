// The one page cursor of both stores: base64url JSON of [sort, value, jobId],
// the last hit's primary sort value and its id (every order ends with jobId),
// the way search_after carries them. A cursor names its sort, so one made for
// another order is a clear 400 rather than a silently wrong page. Both stores
// write and read this one format (a draft's missing publishedAt is null in both).
import { InvalidCursorError } from './invalidCursorError.ts';

/** The order a request resolves to: relevance is `score` with text, else `newest`. */
export type CursorSort = 'score' | 'newest' | 'pay' | 'distance' | 'expiring' | 'match';
export const cursorSorts: readonly CursorSort[] = ['score', 'newest', 'pay', 'distance', 'expiring', 'match'];

/** Orders by an instant (epoch ms, a safe integer), null for a job without it (a draft's publishedAt or expiresAt), last. */
const byInstant = (sort: string): boolean => sort === 'newest' || sort === 'expiring';

export interface Cursor {
  sort: CursorSort;
  /**
   * The primary sort value of the last hit: the text score, publishedAt in
   * epoch ms, hourlyMax, the distance in km, expiresAt in epoch ms, or the
   * match score; null for a job with no publishedAt (`newest`) or no
   * expiresAt (`expiring`): a draft, last in an owner's listing.
   */
  value: number | null;
  jobId: string;
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.sort, c.value, c.jobId]), 'utf8').toString('base64url');
}

/** The cursor in `text`, made for the order `expected`; throws InvalidCursorError otherwise. */
export function decodeCursor(text: string, expected: CursorSort): Cursor {
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(text)) throw new Error('not base64url');
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('cursor is not a cursor of this service');
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) throw new InvalidCursorError('cursor is not a cursor of this service');
  const [sort, value, jobId] = parsed as [unknown, unknown, unknown];
  if (typeof sort !== 'string' || !cursorSorts.includes(sort as CursorSort)) throw new InvalidCursorError('cursor has an unknown sort');
  if (sort !== expected) throw new InvalidCursorError(`cursor belongs to another sort order (${sort}, not ${expected})`);
  const wellFormed = value === null ? byInstant(sort) : typeof value === 'number' && (byInstant(sort) ? Number.isSafeInteger(value) : Number.isFinite(value));
  if (!wellFormed) throw new InvalidCursorError('cursor has a bad sort value');
  if (typeof jobId !== 'string' || jobId.length === 0) throw new InvalidCursorError('cursor has a bad job id');
  return { sort, value: value as number | null, jobId };
}
