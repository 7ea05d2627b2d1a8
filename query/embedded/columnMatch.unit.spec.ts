// The columnar twin of the match score (columnMatch.ts) must agree with the
// reference function exactly, tolerance 0: for any jobs written into columns,
// any worker (skills in any case, with or without a place, windows, pay),
// any valid weights and any instant, the score of a slot is the reference
// score of the document, bit for bit.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jobArb, NOW, skillPool, workerArb } from '../../tests/support/matchArbitraries.ts';
import { type MatchWeights, defaultWeights, prepareMatch } from '../match/matchScore.ts';
import { Columns } from './columns.ts';
import { prepareColumnMatch } from './columnMatch.ts';

const DAY = 86_400_000;

/** Five weights summing to 1 (within the schema's 1e-9), zeros included. */
const weightsArb: fc.Arbitrary<MatchWeights> = fc
  .tuple(...Array.from({ length: 5 }, () => fc.oneof(fc.constant(0), fc.double({ min: 0.01, max: 1, noNaN: true }))))
  .filter((w) => w.some((x) => x > 0))
  .map((w) => {
    const total = w.reduce((a, b) => a + b, 0);
    const [skills, distance, pay, availability, experience] = w.map((x) => x / total) as [number, number, number, number, number];
    return { skills, distance, pay, availability, experience };
  })
  .filter((w) => Math.abs(w.skills + w.distance + w.pay + w.availability + w.experience - 1) <= 1e-9);

/** Skills as people type them: any case, sometimes one no job lists. */
const typed = (skills: readonly string[], upper: boolean, extra: boolean): string[] => [...skills.map((s) => (upper ? s.toUpperCase() : s)), ...(extra ? ['underwater welding'] : [])];

describe('the match score from the columns', () => {
  it('is the reference score of the document, bit for bit, for any jobs, worker, weights and instant', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(jobArb('j'), fc.boolean()), { minLength: 1, maxLength: 40 }),
        workerArb,
        fc.oneof(fc.constant(defaultWeights), weightsArb),
        fc.integer({ min: -120, max: 240 }),
        fc.boolean(),
        fc.boolean(),
        fc.array(fc.nat(), { minLength: 1, maxLength: 60 }),
        (jobs, worker0, weights, nowOffset, upper, extra, drawn) => {
          const order = [...jobs.keys(), ...drawn];
          const now = new Date(NOW.getTime() + nowOffset * DAY + 3_600_000);
          const worker = { ...worker0, skills: typed(worker0.skills, upper, extra) };
          const cols = new Columns();
          const docs = jobs.map(([job, shout], i) => ({ ...job, jobId: `j${i}`, skills: shout ? job.skills.map((s) => s.toUpperCase()) : job.skills }));
          for (const doc of docs) cols.set(cols.append(doc.jobId), doc);
          // Every slot, in a drawn order (with repeats): out[i] is the score of slots[i].
          const slots = Int32Array.from(order.map((k) => k % docs.length));
          const out = new Float64Array(slots.length);
          const columns = prepareColumnMatch(cols, worker, weights, now);
          columns.skills(slots, out);
          const reference = prepareMatch(worker, weights, now);
          slots.forEach((slot, i) => expect(Object.is(out[i], reference(docs[slot]!).factors.skills)).toBe(true));
          columns.scores(slots, out);
          slots.forEach((slot, i) => {
            const expected = reference(docs[slot]!);
            expect(Object.is(out[i], expected.score), `${docs[slot]!.jobId}: ${out[i]} vs ${expected.score}`).toBe(true);
            // The bound of the job's skills factor holds, and a higher factor's is no lower.
            expect(expected.score).toBeLessThanOrEqual(columns.bound(expected.factors.skills));
            expect(columns.bound(expected.factors.skills)).toBeLessThanOrEqual(columns.bound(Math.min(1, expected.factors.skills + 0.25)));
          });
        },
      ),
      { numRuns: 400, seed: 20_261_207 },
    );
  });

  it('counts a skill the worker has whatever its case, and one no job lists not at all', () => {
    const cols = new Columns();
    const job = { ...fc.sample(jobArb('j0'), { numRuns: 1, seed: 1 })[0]!, skills: ['Cooking', 'driving'], remote: true, experienceYears: 0 };
    cols.set(cols.append('j0'), job);
    const worker = { ...fc.sample(workerArb, { numRuns: 1, seed: 2 })[0]!, skills: ['COOKING', 'underwater welding'] };
    const out = new Float64Array(1);
    const columns = prepareColumnMatch(cols, worker, { skills: 1, distance: 0, pay: 0, availability: 0, experience: 0 }, NOW);
    columns.skills(Int32Array.of(0), out);
    expect(out[0]).toBe(0.5);
    columns.scores(Int32Array.of(0), out);
    expect(out[0]).toBe(50);
    expect([columns.bound(0), columns.bound(0.5), columns.bound(1)]).toEqual([0, 50, 100]);
    expect(skillPool).toContain('cooking');
  });
});
