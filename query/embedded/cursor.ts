// Opaque page cursors: base64url JSON of the last hit's sort value and jobId,
// the way search_after carries them. A cursor names its sort, so one from
// another sort order is refused rather than misread.

export type CursorSort = 'score' | 'newest' | 'pay' | 'distance';

export interface Cursor {
  sort: CursorSort;
  /** The primary sort value of the last hit; null for a missing publishedAt. */
  value: number | null;
  jobId: string;
}

import { InvalidCursorError } from '../model/invalidCursorError.ts';

export { InvalidCursorError };

const sorts: readonly CursorSort[] = ['score', 'newest', 'pay', 'distance'];

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.sort, c.value, c.jobId]), 'utf8').toString('base64url');
}

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
  if (typeof sort !== 'string' || !sorts.includes(sort as CursorSort)) throw new InvalidCursorError('cursor has an unknown sort');
  if (sort !== expected) throw new InvalidCursorError(`cursor belongs to another sort order (${sort}, not ${expected})`);
  if (!(value === null || (typeof value === 'number' && Number.isFinite(value)))) throw new InvalidCursorError('cursor has a bad sort value');
  if (value === null && sort !== 'newest') throw new InvalidCursorError('cursor has a bad sort value');
  if (typeof jobId !== 'string' || jobId.length === 0) throw new InvalidCursorError('cursor has a bad job id');
  return { sort, value, jobId };
}
