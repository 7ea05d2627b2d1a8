// What a map query asks the map pyramid (mapPyramid.ts), and whether a map
// request is one the pyramid can answer at all.

import { categoryCode } from './columns.ts';
import type { Bounds } from '../model/geo.ts';

/** What a map query asks the pyramid for. */
export interface PyramidQuery {
  precision: number;
  box: Bounds;
  /** Category buckets wanted (bit c: category code c; codes past 30 share bit 31), or undefined for all. */
  catMask: number | undefined;
  now: number;
  /** The key ranges (45-bit) covering the box. */
  ranges: ReadonlyArray<readonly [number, number]>;
  /** The full public predicate at a sorted position (for the scanned entries). */
  at: (i: number) => boolean;
  /** Adds to a cluster: key at `precision`, count, integer coordinate sums. */
  add: (key: number, count: number, sumLatE: number, sumLonE: number) => void;
}

/** Request fields the pyramid answers; any other filter given takes the scan. */
const PLAIN_FIELDS = new Set(['bbox', 'zoom', 'category', 'includeClosed', 'skillsMode']);

/**
 * The category mask of a map request the pyramid can answer (undefined mask:
 * every category), or undefined when it has another filter (owner views
 * need businessId, so they never qualify). The mask is built as the scan's
 * plan builds it.
 */
export function pyramidFilter(request: object): { mask: number | undefined } | undefined {
  for (const [k, v] of Object.entries(request)) {
    if (v === undefined || PLAIN_FIELDS.has(k)) continue;
    if (k === 'skills' && Array.isArray(v) && v.length === 0) continue;
    return undefined;
  }
  const cats = (request as { category?: readonly string[] }).category;
  if (cats === undefined) return { mask: undefined };
  let mask = 0;
  for (const x of cats) mask |= 1 << (categoryCode.get(x) ?? 31);
  return { mask };
}
