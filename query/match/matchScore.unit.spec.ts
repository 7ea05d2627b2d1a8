import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WorkerProfile } from '../../eventstore/events/index.ts';
import type { JobDocument } from '../../mappings/jobDocument.ts';
import { haversineKm, quantize } from '../model/geo.ts';
import { matchScoreParams } from './matchScoreQuery.ts';
import { jobArb, NOW, workerArb } from '../../tests/support/matchArbitraries.ts';
import { availabilityRanges, dayNumber, defaultWeights, jobPeriod, matchScore, MatchWeights } from './matchScore.ts';

const PARIS = { lat: 48.85, lon: 2.35 };

const worker: WorkerProfile = {
  name: 'Ana',
  currency: 'EUR',
  skills: ['cooking', 'forklift', 'first aid'],
  location: quantize(PARIS.lat, PARIS.lon),
  maxTravelKm: 50,
  desiredHourlyPay: 20,
  // Adjacent windows: together 2026-07-01 .. 2026-08-10.
  availability: [{ from: '2026-07-01', to: '2026-07-31' }, { from: '2026-08-01', to: '2026-08-10' }],
  experienceYears: 2,
};

function job(jobId: string, over: Partial<JobDocument>): JobDocument {
  return {
    jobId,
    businessId: 'b1',
    title: 'Job',
    description: 'A job.',
    category: 'hospitality',
    employmentType: 'seasonal',
    pay: { min: 10, max: 25, currency: 'EUR', unit: 'hour' },
    hourlyMin: 10,
    hourlyMax: 25,
    remote: false,
    skills: [],
    experienceYears: 0,
    status: 'open',
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
    views: 0,
    saves: 0,
    applications: 0,
    position: 1,
    ...over,
  };
}

// Hand-computed with the default weights (.35 skills, .25 distance, .2 pay, .1 availability, .1 experience).
const jobA = job('A', { skills: ['cooking', 'forklift'], location: PARIS, city: 'Paris', country: 'FR', hourlyMax: 25, startDate: '2026-07-01', endDate: '2026-07-31', experienceYears: 1 });
const jobB = job('B', { skills: ['cooking', 'driving', 'cash handling', 'lifting'], remote: true, hourlyMax: 15, startDate: '2026-08-01', endDate: '2026-08-20', experienceYears: 4 });
const jobC = job('C', { skills: [], hourlyMax: 10, startDate: '2026-09-01', experienceYears: 0 });

describe('matchScore: hand-computed fixture', () => {
  it('job A: every factor 1 (worker at the quantised job point, 0 km) → 100', () => {
    const r = matchScore(worker, jobA, defaultWeights, NOW);
    expect(r.factors).toEqual({ skills: 1, distance: 1, pay: 1, availability: 1, experience: 1 });
    expect(r.details).toMatchObject({ skillsMatched: 2, skillsRequired: 2, distanceKm: 0, payRatio: 1.25, availableDays: 31, jobDays: 31, experienceRatio: 2 });
    expect(r.score).toBe(100);
  });

  it('job B: 1/4 skills, remote, 15/20 pay, 10 of 20 days, 2 of 4 years → 58.75', () => {
    const r = matchScore(worker, jobB, defaultWeights, NOW);
    expect(r.factors).toEqual({ skills: 0.25, distance: 1, pay: 0.75, availability: 0.5, experience: 0.5 });
    expect(r.details).toMatchObject({ skillsMatched: 1, skillsRequired: 4, payRatio: 0.75, availableDays: 10, jobDays: 20 });
    expect(r.details.distanceKm).toBeUndefined();
    // 100 × (.35·.25 + .25·1 + .2·.75 + .1·.5 + .1·.5) = 8.75 + 25 + 15 + 5 + 5
    expect(r.score).toBeCloseTo(58.75, 12);
  });

  it('job C: no skills, no location, 10/20 pay, 90-day open end outside the windows, no experience → 67.5', () => {
    const r = matchScore(worker, jobC, defaultWeights, NOW);
    expect(r.factors).toEqual({ skills: 1, distance: 0.5, pay: 0.5, availability: 0, experience: 1 });
    expect(r.details).toMatchObject({ skillsMatched: 0, skillsRequired: 0, availableDays: 0, jobDays: 90 });
    // 100 × (.35 + .25·.5 + .2·.5 + 0 + .1)
    expect(r.score).toBeCloseTo(67.5, 12);
  });
});

describe('matchScore: edge cases', () => {
  it('distance decays linearly to 0 at maxTravelKm, on the quantised job point', () => {
    const near = { lat: 48.95, lon: 2.35 };
    const q = quantize(near.lat, near.lon);
    const km = haversineKm(worker.location!.lat, worker.location!.lon, q.lat, q.lon);
    const r = matchScore(worker, job('n', { location: near }), defaultWeights, NOW);
    expect(r.details.distanceKm).toBe(km);
    expect(km).toBeGreaterThan(11);
    expect(km).toBeLessThan(11.2);
    expect(r.factors.distance).toBe(1 - km / 50);
    expect(matchScore(worker, job('far', { location: { lat: 52.52, lon: 13.405 } }), defaultWeights, NOW).factors.distance).toBe(0);
  });

  it('remote beats missing locations; a missing location on either side is neutral (0.5)', () => {
    const { location: _l, ...nowhere } = worker;
    expect(matchScore(nowhere, job('r', { remote: true }), defaultWeights, NOW).factors.distance).toBe(1);
    expect(matchScore(nowhere, job('x', { location: PARIS }), defaultWeights, NOW).factors.distance).toBe(0.5);
    expect(matchScore(worker, job('y', {}), defaultWeights, NOW).factors.distance).toBe(0.5);
  });

  it('pay: no desired pay (or 0) → 1; a job paying 0 → 0', () => {
    const { desiredHourlyPay: _d, ...noPay } = worker;
    expect(matchScore(noPay, job('p', { hourlyMax: 1 }), defaultWeights, NOW).factors.pay).toBe(1);
    expect(matchScore({ ...worker, desiredHourlyPay: 0 }, job('p', { hourlyMax: 0 }), defaultWeights, NOW).factors.pay).toBe(1);
    expect(matchScore(worker, job('p', { hourlyMax: 0 }), defaultWeights, NOW).factors.pay).toBe(0);
  });

  it('availability: no job dates → 1, no windows → 0.5, open-ended window, end-only job from now', () => {
    expect(matchScore(worker, job('d', {}), defaultWeights, NOW).factors.availability).toBe(1);
    expect(matchScore({ ...worker, availability: [] }, job('d', { startDate: '2026-07-01' }), defaultWeights, NOW).factors.availability).toBe(0.5);
    const open = { ...worker, availability: [{ from: '2026-07-11' }] };
    // 2026-07-01 .. 2026-07-20 (20 days), the worker from the 11th on: 10 days.
    expect(matchScore(open, job('d', { startDate: '2026-07-01', endDate: '2026-07-20' }), defaultWeights, NOW).factors.availability).toBe(0.5);
    // End only: from now (2026-06-15) to 2026-07-14, 30 days, worker from 2026-07-01: 14 days.
    const r = matchScore(worker, job('e', { endDate: '2026-07-14' }), defaultWeights, NOW);
    expect(r.details).toMatchObject({ availableDays: 14, jobDays: 30 });
    expect(r.factors.availability).toBe(14 / 30);
    // End already past: the end day alone.
    expect(jobPeriod(undefined, '2026-01-01', dayNumber('2026-06-15'))).toEqual([dayNumber('2026-01-01'), dayNumber('2026-01-01')]);
  });

  it('availability ranges merge overlapping and adjacent windows', () => {
    expect(availabilityRanges([{ from: '2026-01-05', to: '2026-01-10' }, { from: '2026-01-01', to: '2026-01-04' }, { from: '2026-01-08' }, { from: '2026-03-01', to: '2026-03-01' }])).toEqual([
      [dayNumber('2026-01-01'), 1e9],
    ]);
    expect(availabilityRanges([{ from: '2026-01-01', to: '2026-01-02' }, { from: '2026-01-04', to: '2026-01-04' }])).toEqual([
      [dayNumber('2026-01-01'), dayNumber('2026-01-02')],
      [dayNumber('2026-01-04'), dayNumber('2026-01-04')],
    ]);
  });

  it('experience: required 0 → 1, otherwise worker/required capped at 1', () => {
    expect(matchScore({ ...worker, experienceYears: 0 }, job('x', { experienceYears: 0 }), defaultWeights, NOW).factors.experience).toBe(1);
    expect(matchScore({ ...worker, experienceYears: 0 }, job('x', { experienceYears: 3 }), defaultWeights, NOW).factors.experience).toBe(0);
    expect(matchScore({ ...worker, experienceYears: 1.5 }, job('x', { experienceYears: 3 }), defaultWeights, NOW).factors.experience).toBe(0.5);
  });

  it('skills compare case-insensitively and count distinct job skills', () => {
    const r = matchScore({ ...worker, skills: ['Cooking'] }, job('s', { skills: ['COOKING', 'cooking', 'lifting'] }), defaultWeights, NOW);
    expect(r.details).toMatchObject({ skillsMatched: 1, skillsRequired: 2 });
    expect(r.factors.skills).toBe(0.5);
  });

  it('custom weights select factors', () => {
    const onlyPay = { skills: 0, distance: 0, pay: 1, availability: 0, experience: 0 };
    expect(matchScore(worker, jobB, onlyPay, NOW).score).toBe(75);
  });
});

describe('MatchWeights', () => {
  it('accepts the defaults and weights summing to 1 within 1e-9', () => {
    expect(MatchWeights.safeParse(defaultWeights).success).toBe(true);
    expect(MatchWeights.safeParse({ skills: 0.2, distance: 0.2, pay: 0.2, availability: 0.2, experience: 0.2 + 5e-10 }).success).toBe(true);
  });

  it.each([
    ['a sum off by more than 1e-9', { skills: 0.2, distance: 0.2, pay: 0.2, availability: 0.2, experience: 0.2 + 1e-8 }],
    ['a negative weight', { skills: 1.1, distance: -0.1, pay: 0, availability: 0, experience: 0 }],
    ['a weight above 1', { skills: 1.5, distance: 0, pay: 0, availability: 0, experience: -0.5 }],
    ['a missing factor', { skills: 0.5, distance: 0.5, pay: 0, availability: 0 }],
    ['an unknown factor', { skills: 1, distance: 0, pay: 0, availability: 0, experience: 0, luck: 0 }],
    ['NaN', { skills: Number.NaN, distance: 1, pay: 0, availability: 0, experience: 0 }],
  ])('refuses %s', (_label, weights) => {
    expect(MatchWeights.safeParse(weights).success).toBe(false);
    expect(() => matchScore(worker, jobA, weights as MatchWeights, NOW)).toThrow();
    expect(() => matchScoreParams(worker, weights as MatchWeights, NOW)).toThrow();
  });
});

describe('matchScore: properties', () => {
  it('score in [0, 100], factors in [0, 1], score = 100 × Σ weight × factor', () => {
    fc.assert(
      fc.property(workerArb, jobArb('j'), (w, j) => {
        const r = matchScore(w, j, defaultWeights, NOW);
        expect(r.score).toBeGreaterThanOrEqual(0);
        expect(r.score).toBeLessThanOrEqual(100);
        for (const f of Object.values(r.factors)) {
          expect(f).toBeGreaterThanOrEqual(0);
          expect(f).toBeLessThanOrEqual(1);
        }
        const f = r.factors;
        expect(r.score).toBeCloseTo(100 * (0.35 * f.skills + 0.25 * f.distance + 0.2 * f.pay + 0.1 * f.availability + 0.1 * f.experience), 9);
      }),
      { seed: 5, numRuns: 500 },
    );
  });

  it('is monotone in skills matched: learning one more of the job skills never lowers the score', () => {
    fc.assert(
      fc.property(workerArb, jobArb('j'), fc.nat(), (w, j, pick) => {
        const missing = j.skills.filter((s) => !w.skills.includes(s));
        fc.pre(missing.length > 0);
        const learned = { ...w, skills: [...w.skills, missing[pick % missing.length]!] };
        const before = matchScore(w, j, defaultWeights, NOW);
        const after = matchScore(learned, j, defaultWeights, NOW);
        expect(after.details.skillsMatched).toBe(before.details.skillsMatched + 1);
        expect(after.factors.skills).toBeGreaterThan(before.factors.skills);
        expect(after.score).toBeGreaterThanOrEqual(before.score);
      }),
      { seed: 6, numRuns: 500 },
    );
  });
});
