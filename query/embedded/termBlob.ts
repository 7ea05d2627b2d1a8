// The analyzed text of a document as stored in job_documents.terms: term ids
// into text_terms, so opening a store does not tokenize again.

import { textFields } from '../model/textFields.ts';

/** Term ids of the text fields as stored: [n0, n1, n2, ids of field 0, of field 1, of field 2] as int32. */
export function encodeTermIds(fields: ReadonlyArray<ArrayLike<number>>): Buffer {
  let total = fields.length;
  for (const f of fields) total += f.length;
  const a = new Int32Array(total);
  let at = fields.length;
  fields.forEach((f, i) => {
    a[i] = f.length;
    for (let j = 0; j < f.length; j++) a[at++] = f[j]!;
  });
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/** The term ids of a stored blob; undefined when it is not one encodeTermIds wrote. */
export function decodeTermIds(blob: Buffer): Int32Array[] | undefined {
  if (blob.byteLength % 4 !== 0 || blob.byteLength < 4 * textFields.length) return undefined;
  const a = blob.byteOffset % 4 === 0 ? new Int32Array(blob.buffer, blob.byteOffset, blob.byteLength / 4) : new Int32Array(new Uint8Array(blob).buffer);
  const out: Int32Array[] = [];
  let at = textFields.length;
  for (let f = 0; f < textFields.length; f++) {
    const n = a[f]!;
    if (n < 0 || at + n > a.length) return undefined;
    out.push(a.subarray(at, at + n));
    at += n;
  }
  return at === a.length ? out : undefined;
}
