// Page cursors: base64url JSON of [sort kind, ...the last hit's sort values],
// handed back to the engine as search_after. The kind makes a cursor of one
// sort order a clear 400 under another instead of a silently wrong page.
import type { SortKind } from './sort.ts';

import { InvalidCursorError } from '../../model/invalidCursorError.ts';

export { InvalidCursorError };

export type SortValue = string | number;

const kinds: readonly SortKind[] = ['score', 'newest', 'pay', 'distance'];

export function encodeCursor(kind: SortKind, sortValues: readonly unknown[]): string {
  return Buffer.from(JSON.stringify([kind, ...sortValues]), 'utf8').toString('base64url');
}

/** The search_after values of a cursor made for `expected`; throws InvalidCursorError otherwise. */
export function decodeCursor(text: string, expected: SortKind): SortValue[] {
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(text)) throw new Error('not base64url');
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('cursor is not a cursor of this service');
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) throw new InvalidCursorError('cursor is not a cursor of this service');
  const [kind, value, jobId] = parsed as [unknown, unknown, unknown];
  if (typeof kind !== 'string' || !kinds.includes(kind as SortKind)) throw new InvalidCursorError('cursor has an unknown sort');
  if (kind !== expected) throw new InvalidCursorError(`cursor belongs to another sort order (${kind}, not ${expected})`);
  // Sort values are numbers; a distance may come back as "Infinity" only for a job without location, which never matches near.
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new InvalidCursorError('cursor has a bad sort value');
  if (kind === 'newest' && !Number.isSafeInteger(value)) throw new InvalidCursorError('cursor has a bad sort value');
  if (typeof jobId !== 'string' || jobId.length === 0) throw new InvalidCursorError('cursor has a bad job id');
  return [value, jobId];
}
