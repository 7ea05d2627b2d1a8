import { createHash } from 'node:crypto';
import type { JobDocument } from '../../mappings/jobDocument.ts';

/**
 * JSON with object keys sorted at every level and undefined members left out,
 * so the same content gives the same text whichever store it round-tripped
 * through (SQLite columns + JSON, or an engine's _source).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + (value[i] === undefined ? 'null' : canonicalJson(value[i]));
    return `${out}]`;
  }
  const obj = value as Record<string, unknown>;
  let out = '{';
  for (const key of Object.keys(obj).sort()) {
    const v = obj[key];
    if (v === undefined) continue;
    out += `${out.length > 1 ? ',' : ''}${JSON.stringify(key)}:${canonicalJson(v)}`;
  }
  return `${out}}`;
}

/** Hash of what the projection writes into a document, position aside (positions are compared on their own). */
export function documentHash(doc: JobDocument): string {
  const { position: _position, ...content } = doc;
  return createHash('sha1').update(canonicalJson(content)).digest('base64url');
}
