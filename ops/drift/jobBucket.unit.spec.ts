import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JOBS_PER_PASS, jobBucket, passesFor } from './jobBucket.ts';

describe('job buckets of a drift check in passes', () => {
  it('puts every job in exactly one pass, the same one each time', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ unit: 'binary', maxLength: 40 }), { maxLength: 60 }), fc.integer({ min: 1, max: 50 }), (ids, passes) => {
        for (const id of ids) {
          const b = jobBucket(id, passes);
          expect(Number.isInteger(b) && b >= 0 && b < passes).toBe(true);
          expect(jobBucket(id, passes)).toBe(b);
        }
        const perPass = Array.from({ length: passes }, (_, p) => ids.filter((id) => jobBucket(id, passes) === p));
        expect(perPass.flat().sort()).toEqual([...ids].sort());
      }),
    );
  });

  it('is the 32-bit FNV-1a of the id, so any process or store agrees on it', () => {
    // Reference values of FNV-1a 32: "" → 0x811c9dc5, "a" → 0xe40c292c, "foobar" → 0xbf9cf968.
    expect(jobBucket('', 0x7fffffff)).toBe(0x811c9dc5 % 0x7fffffff);
    expect(jobBucket('a', 1_000_003)).toBe(0xe40c292c % 1_000_003);
    expect(jobBucket('foobar', 97)).toBe(0xbf9cf968 % 97);
    expect(jobBucket('foobar', 1)).toBe(0);
  });

  it('spreads uuid job ids evenly over the passes', () => {
    const passes = 4;
    const sizes = new Array<number>(passes).fill(0);
    for (let i = 0; i < 20_000; i++) sizes[jobBucket(crypto.randomUUID(), passes)]!++;
    for (const n of sizes) expect(Math.abs(n - 5000)).toBeLessThan(400);
  });

  it('sizes the passes at about JOBS_PER_PASS jobs each, at least one', () => {
    expect(passesFor(0)).toBe(1);
    expect(passesFor(JOBS_PER_PASS)).toBe(1);
    expect(passesFor(JOBS_PER_PASS + 1)).toBe(2);
    expect(passesFor(1_000_000)).toBe(5);
    // A smaller pass (the serving process's worker) splits the same jobs into more of them.
    expect(passesFor(1_000_000, 100_000)).toBe(10);
    expect(passesFor(100_001, 100_000)).toBe(2);
  });
});
