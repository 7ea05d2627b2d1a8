// What saveSegments.ts and loadSegments.ts agree on: where the segments of a
// store file live, the code they were made by, and how string tables are laid
// out (a length per string and the strings' UTF-8 bytes, decoded once).

import { createHash } from 'node:crypto';
import { categories, employmentTypes } from '../../eventstore/events/index.ts';
import { textFields } from '../model/textFields.ts';
import { ANALYZER_VERSION } from './analysis/analyzer.ts';
import { statusCodes, typedColumns } from './columns.ts';
import type { Section } from './segmentFile.ts';

/** Bumped whenever the sections change meaning. */
export const SEGMENT_FORMAT = 1;

export const segmentsPath = (storePath: string): string => `${storePath}.segments`;

/**
 * Everything persisted codes and term ids depend on: a segment made by code
 * with other categories (codes by index), statuses, text fields or analyzer
 * is ignored rather than misread.
 */
export const segmentFingerprint: string = createHash('sha256')
  .update(JSON.stringify([SEGMENT_FORMAT, ANALYZER_VERSION, categories, employmentTypes, statusCodes, textFields, Object.keys(typedColumns)]))
  .digest('hex');

/** A string table as two sections: UTF-16 lengths (Uint32) and the strings' UTF-8 bytes, joined. */
export function stringSections(name: string, strings: readonly string[]): Section[] {
  const lengths = Uint32Array.from(strings, (s) => s.length);
  const bytes = Buffer.from(strings.join(''), 'utf8');
  return [
    { name: `${name}.lengths`, bytes: lengths.byteLength, parts: () => [lengths] },
    { name: `${name}.utf8`, bytes: bytes.byteLength, parts: () => [bytes] },
  ];
}

/** The strings of a table (slices of one decoded string); undefined when the lengths do not add up. */
export function decodeStrings(lengths: Uint32Array, bytes: Uint8Array): string[] | undefined {
  const whole = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  const out = new Array<string>(lengths.length);
  let at = 0;
  for (let i = 0; i < lengths.length; i++) {
    const end = at + lengths[i]!;
    out[i] = whole.slice(at, end);
    at = end;
  }
  return at === whole.length ? out : undefined;
}
