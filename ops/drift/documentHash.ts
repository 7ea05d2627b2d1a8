import { createHash } from 'node:crypto';
import type { JobDocument } from '../../projections/jobs/jobDocument.ts';

/**
 * JSON with object keys sorted at every level and undefined members left out,
 * so the same content gives the same text whichever store it round-tripped
 * through (SQLite columns + JSON, or an engine's _source).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** Hash of what the projection writes into a document, position aside (positions are compared on their own). */
export function documentHash(doc: JobDocument): string {
  const { position: _position, ...content } = doc;
  return createHash('sha1').update(canonicalJson(content)).digest('base64url');
}
