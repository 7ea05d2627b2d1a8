// fast-check arbitraries of workers and job documents for the match-score
// specs: a small skill pool (so skills overlap often), places clustered around
// a few centers (so distances fall inside and outside maxTravelKm), dates
// around NOW, and every optional field sometimes absent.
import fc from 'fast-check';
import { categories, employmentTypes, type WorkerProfile } from '../../eventstore/events/index.ts';
import type { JobDocument } from '../../mappings/jobDocument.ts';

export const NOW = new Date('2026-06-15T12:00:00.000Z');
const DAY = 86_400_000;

export const skillPool = ['cooking', 'forklift', 'customer service', 'driving', 'cash handling', 'first aid', 'food-safety', 'lifting', 'english', 'cleaning'] as const;
const centers: ReadonlyArray<readonly [number, number]> = [[48.85, 2.35], [52.52, 13.405], [40.7, -74], [0.5, 179.95], [-33.9, 151.2]];

const isoDay = (offsetDays: number): string => new Date(NOW.getTime() + offsetDays * DAY).toISOString().slice(0, 10);

const point = fc.oneof(
  { weight: 4, arbitrary: fc.record({ c: fc.constantFrom(...centers), dLat: fc.double({ min: -0.8, max: 0.8, noNaN: true }), dLon: fc.double({ min: -0.8, max: 0.8, noNaN: true }) }).map(({ c, dLat, dLon }) => {
    const lat = Math.max(-90, Math.min(90, c[0] + dLat));
    let lon = c[1] + dLon;
    if (lon > 180) lon -= 360;
    if (lon < -180) lon += 360;
    return { lat, lon };
  }) },
  { weight: 1, arbitrary: fc.record({ lat: fc.double({ min: -90, max: 90, noNaN: true }), lon: fc.double({ min: -180, max: 180, noNaN: true }) }) },
);

const skills = fc.uniqueArray(fc.constantFrom(...skillPool), { maxLength: 5 });
const money = fc.oneof(fc.integer({ min: 0, max: 60 }), fc.double({ min: 0, max: 60, noNaN: true }));

export const workerArb: fc.Arbitrary<WorkerProfile> = fc
  .record({
    skills,
    location: fc.option(point, { nil: undefined }),
    maxTravelKm: fc.oneof(fc.integer({ min: 1, max: 200 }), fc.double({ min: 0.5, max: 20_000, noNaN: true })),
    desiredHourlyPay: fc.option(money, { nil: undefined }),
    availability: fc.array(
      fc.record({ from: fc.integer({ min: -60, max: 200 }), len: fc.option(fc.integer({ min: 0, max: 120 }), { nil: undefined }) }).map(({ from, len }) => ({
        from: isoDay(from),
        ...(len === undefined ? {} : { to: isoDay(from + len) }),
      })),
      { maxLength: 4 },
    ),
    experienceYears: fc.oneof(fc.integer({ min: 0, max: 15 }), fc.double({ min: 0, max: 60, noNaN: true })),
  })
  .map((w): WorkerProfile => ({
    name: 'worker',
    currency: 'EUR',
    skills: w.skills,
    maxTravelKm: w.maxTravelKm,
    availability: w.availability,
    experienceYears: w.experienceYears,
    ...(w.location ? { location: w.location } : {}),
    ...(w.desiredHourlyPay !== undefined ? { desiredHourlyPay: w.desiredHourlyPay } : {}),
  }));

export const jobArb = (jobId: string): fc.Arbitrary<JobDocument> =>
  fc
    .record({
      skills,
      location: fc.option(point, { nil: undefined }),
      remote: fc.boolean(),
      hourlyMin: money,
      spread: fc.double({ min: 0, max: 20, noNaN: true }),
      start: fc.option(fc.integer({ min: -60, max: 200 }), { nil: undefined }),
      endLen: fc.option(fc.integer({ min: -10, max: 150 }), { nil: undefined }),
      experienceYears: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 10 }), fc.double({ min: 0, max: 20, noNaN: true })),
      category: fc.constantFrom(...categories),
      employmentType: fc.constantFrom(...employmentTypes),
    })
    .map((r): JobDocument => {
      const start = r.start;
      const end = r.endLen === undefined ? undefined : (start ?? 0) + Math.max(0, r.endLen);
      const hourlyMax = r.hourlyMin + r.spread;
      return {
        jobId,
        businessId: 'biz-a',
        title: 'Job',
        description: 'A job.',
        category: r.category,
        employmentType: r.employmentType,
        pay: { min: r.hourlyMin, max: hourlyMax, currency: 'EUR', unit: 'hour' },
        hourlyMin: r.hourlyMin,
        hourlyMax,
        ...(r.location ? { location: r.location, city: 'City', country: 'FR' } : {}),
        remote: r.remote,
        skills: r.skills,
        ...(start !== undefined ? { startDate: isoDay(start) } : {}),
        ...(end !== undefined ? { endDate: isoDay(end) } : {}),
        experienceYears: r.experienceYears,
        status: 'open',
        createdAt: NOW.toISOString(),
        updatedAt: NOW.toISOString(),
        views: 0,
        saves: 0,
        applications: 0,
        position: 1,
      };
    });
