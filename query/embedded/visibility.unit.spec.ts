import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Visibility, type VisibilityColumns } from './visibility.ts';

type Step = { write: { slot: number; open: boolean; expires: number } } | { at: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ write: fc.record({ slot: fc.integer({ min: 0, max: 40 }), open: fc.boolean(), expires: fc.oneof(fc.integer({ min: 0, max: 100 }), fc.constant(NaN)) }) }),
  fc.record({ at: fc.integer({ min: 0, max: 100 }) }),
);

describe('visibility', () => {
  it('marks exactly the open, unexpired slots at every instant asked, with their count, through writes, new slots and time going either way', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const cols: VisibilityColumns = { size: 0, cap: 0, openUntil: new Float64Array(0) };
        const visibility = new Visibility();
        for (const s of steps) {
          if ('write' in s) {
            const { slot, open, expires } = s.write;
            // A slot past the end is appended (and every one between): as Columns grows.
            if (slot >= cols.cap) {
              const grown = new Float64Array(slot * 2 + 1).fill(-Infinity);
              grown.set(cols.openUntil.subarray(0, cols.size));
              cols.openUntil = grown;
              cols.cap = grown.length;
            }
            for (let n = cols.size; n < slot; n++) {
              cols.openUntil[n] = -Infinity;
              visibility.touch(cols, n);
            }
            cols.size = Math.max(cols.size, slot + 1);
            cols.openUntil[slot] = open ? expires : -Infinity;
            visibility.touch(cols, slot);
          } else {
            const bytes = visibility.at(cols, s.at);
            const expected = Array.from(cols.openUntil.subarray(0, cols.size), (e) => (e > s.at ? 1 : 0));
            expect(Array.from(bytes.subarray(0, cols.size))).toEqual(expected);
            expect(visibility.count).toBe(expected.filter((v) => v === 1).length);
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});
