import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SlotsByValue } from './slotsByValue.ts';

const VALUES = 6;

/** A column of value sets, its index, and the slots a filter must find. */
function setUp(sets: number[][], deltaLimit: number) {
  const column = sets.map((s) => [...s]);
  const index = new SlotsByValue((slot, each) => {
    for (const v of column[slot] ?? []) each(v);
  });
  index.deltaLimit = deltaLimit;
  const matching = (values: number[], all: boolean) =>
    column.flatMap((have, slot) => ((all ? values.every((v) => have.includes(v)) : values.some((v) => have.includes(v))) ? [slot] : []));
  return { column, index, matching };
}

function passed(index: SlotsByValue, values: number[], all: boolean): number[] {
  const out: number[] = [];
  index.forEach(values, all, (s) => out.push(s));
  return out;
}

const valueSet = fc.uniqueArray(fc.integer({ min: 0, max: VALUES - 1 }), { maxLength: 3 });

describe('slots by value', () => {
  it('passes every slot holding the values, each once, through writes, new slots and re-sorts', () => {
    fc.assert(
      fc.property(
        fc.array(valueSet, { minLength: 1, maxLength: 40 }),
        fc.array(fc.tuple(fc.nat(), valueSet), { maxLength: 30 }),
        fc.uniqueArray(fc.integer({ min: 0, max: VALUES }), { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 8 }),
        (sets, writes, values, all, deltaLimit) => {
          const { column, index, matching } = setUp(sets, deltaLimit);
          index.rebuild(column.length, VALUES);
          for (const [at, next] of writes) {
            // Past the end: a new slot; otherwise a rewrite.
            const slot = at % (column.length + 1);
            column[slot] = [...next];
            index.touch(slot);
            if (index.stale) index.rebuild(column.length, VALUES);
            const seen = passed(index, values, all);
            expect(new Set(seen).size).toBe(seen.length);
            for (const s of matching(values, all)) expect(seen).toContain(s);
            expect(index.cost(values, all)).toBeGreaterThanOrEqual(seen.length);
          }
        },
      ),
    );
  });

  it('reads only the rarest value\'s slots when a slot must hold all values', () => {
    const { index } = setUp([[0, 1], [0], [0], [0, 1], [0]], 100);
    index.rebuild(5, 2);
    expect(passed(index, [0, 1], true)).toEqual([0, 3]);
    expect(passed(index, [0, 1], false).sort()).toEqual([0, 1, 2, 3, 4]);
    expect(index.cost([0, 1], true)).toBe(2);
  });

  it('passes a written slot from the delta and not from its stale sorted entry', () => {
    const { column, index } = setUp([[1], [2], [1]], 100);
    index.rebuild(3, 3);
    column[0] = [2];
    index.touch(0);
    expect(passed(index, [1], false)).toEqual([2, 0]);
    expect(passed(index, [2], false)).toEqual([1, 0]);
  });
});
