import type { Matches } from './collectMatches.ts';
import type { Columns } from './columns.ts';
import { filterKey } from './filterKey.ts';

/**
 * The matches that can be on a page sorted newest first, when the matches
 * come in runs each ordered newest first by the second (filterKey): from each
 * run its first `want` eligible matches and every later one of the same
 * second (milliseconds and ids decide among those), then all the unordered
 * rest. Any other match is older than `want` eligible ones of its own run,
 * so it is on no page of `want - 1` past the cursor. Indexes into `m`.
 */
export function newestCandidates(m: Matches, runs: readonly number[], cols: Columns, want: number, eligible: (slot: number) => boolean): Int32Array {
  const out: number[] = [];
  const { category, published } = cols;
  for (let r = 0; r < runs.length; r += 2) {
    const end = runs[r + 1]!;
    let taken = 0;
    let lastKey = NaN;
    for (let i = runs[r]!; i < end; i++) {
      const s = m.slots[i]!;
      const key = filterKey(category[s]!, published[s]!);
      if (taken >= want && key !== lastKey) break;
      if (!eligible(s)) continue;
      out.push(i);
      taken++;
      lastKey = key;
    }
  }
  for (let i = runs.length > 0 ? runs[runs.length - 1]! : 0; i < m.count; i++) if (eligible(m.slots[i]!)) out.push(i);
  return Int32Array.from(out);
}
