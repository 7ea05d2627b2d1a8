// BM25 as Lucene scores it, per field: idf = ln(1 + (N - df + 0.5) / (df + 0.5))
// with N the documents that have the field, tf part = tf / (tf + k1 * (1 - b +
// b * dl / avgdl)), where dl is the field length quantised to one byte
// (SmallFloat.intToByte4, Lucene's norm) and avgdl = total terms / N.

export const K1 = 1.2;
export const B = 0.75;

// ---- Lucene SmallFloat norms -------------------------------------------------
function longToInt4(i: number): number {
  const numBits = i === 0 ? 0 : 32 - Math.clz32(i);
  if (numBits < 4) return i;
  const shift = numBits - 4;
  let encoded = i >>> shift;
  encoded &= 0x07;
  encoded |= (shift + 1) << 3;
  return encoded;
}
function int4ToLong(i: number): number {
  const bits = i & 0x07;
  const shift = (i >>> 3) - 1;
  return shift === -1 ? bits : (bits | 0x08) * 2 ** shift;
}
const MAX_INT4 = longToInt4(2147483647);
const NUM_FREE_VALUES = 255 - MAX_INT4;

/** Lucene SmallFloat.intToByte4: the one-byte norm of a field length. */
export function lengthToNorm(length: number): number {
  const i = Math.min(length, 2147483647);
  return i < NUM_FREE_VALUES ? i : NUM_FREE_VALUES + longToInt4(i - NUM_FREE_VALUES);
}
/** Lucene SmallFloat.byte4ToInt: the length a norm stands for. */
export function normToLength(norm: number): number {
  return norm < NUM_FREE_VALUES ? norm : NUM_FREE_VALUES + int4ToLong(norm - NUM_FREE_VALUES);
}
export const LENGTH_TABLE: Float64Array = Float64Array.from({ length: 256 }, (_, i) => normToLength(i));

export function bm25Idf(docCount: number, docFreq: number): number {
  return Math.log(1 + (docCount - docFreq + 0.5) / (docFreq + 0.5));
}

/** The tf-denominator part k1 (1 - b + b dl / avgdl) of every norm, indexed by norm. */
export function tfDenominators(avgdl: number): Float64Array {
  const cache = new Float64Array(256);
  for (let i = 0; i < 256; i++) cache[i] = K1 * (1 - B + (B * (LENGTH_TABLE[i] ?? 0)) / avgdl);
  return cache;
}
