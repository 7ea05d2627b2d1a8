// Test data for the embedded store's specs: fast-check arbitraries of job
// documents and filters over a small vocabulary, so queries hit often and ties
// are common.

import fc from 'fast-check';
import { categories, employmentTypes } from '../../eventstore/events/index.ts';
import type { JobDocument } from '../../mappings/jobDocument.ts';
import type { FilterInput } from '../../query/embedded/embeddedJobStore.ts';

export const NOW = new Date('2026-06-15T12:00:00.000Z');
const DAY = 86_400_000;

export const vocabulary = [
  'cook', 'cooking', 'line', 'kitchen', 'server', 'waiter', 'barista', 'coffee', 'farm', 'harvest', 'picker',
  'warehouse', 'forklift', 'driver', 'delivery', 'night', 'weekend', 'cleaning', 'hotel', 'front', 'desk',
  'festival', 'event', 'security', 'summer', 'ski', 'lift', 'operator', 'retail', 'cashier', 'the', 'and',
] as const;
/** Cities a located job records (picked by its point), non-ASCII ones among them. */
export const cityPool = ['Somewhere', 'Lyon', 'Zürich', 'Åre', 'Lyon ', 'İzmir'] as const;
const cityOf = (p: { lat: number; lon: number }): string => cityPool[Math.abs(Math.floor(p.lat * 3 + p.lon * 5)) % cityPool.length]!;
export const skillPool = ['cooking', 'forklift', 'customer service', 'driving', 'cash handling', 'first aid', 'food-safety', 'lifting'] as const;
/** Places, including both sides of the antimeridian and near the poles. */
export const centers: ReadonlyArray<readonly [number, number]> = [
  [48.85, 2.35], [51.5, -0.12], [40.7, -74], [-33.9, 151.2], [64.1, -21.9], [0.5, 179.95], [0.5, -179.95], [-89.5, 10], [89.5, -170],
];
const businesses = ['biz-a', 'biz-b', 'biz-c', 'biz-d'] as const;
const statuses = ['draft', 'open', 'open', 'open', 'closed', 'expired'] as const;
const dates = ['2026-05-01', '2026-06-01', '2026-06-15', '2026-07-01', '2026-08-31'] as const;

const words = (min: number, max: number) => fc.array(fc.constantFrom(...vocabulary), { minLength: min, maxLength: max }).map((w) => w.join(' '));

const point = fc.oneof(
  fc.record({ c: fc.constantFrom(...centers), dLat: fc.double({ min: -0.3, max: 0.3, noNaN: true }), dLon: fc.double({ min: -0.3, max: 0.3, noNaN: true }) }).map(({ c, dLat, dLon }) => {
    const lat = Math.max(-90, Math.min(90, c[0] + dLat));
    let lon = c[1] + dLon;
    if (lon > 180) lon -= 360;
    if (lon < -180) lon += 360;
    return { lat, lon };
  }),
  fc.record({ lat: fc.double({ min: -90, max: 90, noNaN: true }), lon: fc.double({ min: -180, max: 180, noNaN: true }) }),
);

export interface DocBody {
  businessId: string;
  title: string;
  description: string;
  category: JobDocument['category'];
  employmentType: JobDocument['employmentType'];
  hourlyMin: number;
  spread: number;
  location: { lat: number; lon: number } | undefined;
  remote: boolean;
  skills: readonly string[];
  startDate: string | undefined;
  endLen: number | undefined;
  status: JobDocument['status'];
  publishedDaysAgo: number | undefined;
  expiresInDays: number | undefined;
  position: number;
}

export const docBody: fc.Arbitrary<DocBody> = fc.record({
  businessId: fc.constantFrom(...businesses),
  title: words(1, 4).map((t) => (t.length >= 3 ? t : `${t} job`)),
  description: words(0, 25).map((d) => (d.length > 0 ? d : 'work')),
  category: fc.constantFrom(...categories.slice(0, 5)),
  employmentType: fc.constantFrom(...employmentTypes.slice(0, 4)),
  hourlyMin: fc.constantFrom(5, 8, 10, 12.5, 14.99, 15, 20, 25, 35, 40),
  spread: fc.constantFrom(0, 0.01, 2, 5, 10),
  location: fc.option(point, { nil: undefined, freq: 5 }),
  remote: fc.boolean(),
  skills: fc.uniqueArray(fc.constantFrom(...skillPool), { maxLength: 4 }),
  startDate: fc.option(fc.constantFrom(...dates), { nil: undefined }),
  endLen: fc.option(fc.constantFrom(0, 10, 40, 90), { nil: undefined }),
  status: fc.constantFrom(...statuses),
  publishedDaysAgo: fc.option(fc.constantFrom(0, 1, 3, 7, 30, 90), { nil: undefined, freq: 6 }),
  expiresInDays: fc.option(fc.constantFrom(-5, -1, 0, 1, 10, 60), { nil: undefined, freq: 8 }),
  position: fc.integer({ min: 1, max: 1_000_000 }),
});

export function toDoc(jobId: string, b: DocBody): JobDocument {
  const endDate =
    b.endLen === undefined ? undefined : new Date(Date.parse(b.startDate ?? '2026-06-01') + b.endLen * DAY).toISOString().slice(0, 10);
  return {
    jobId,
    businessId: b.businessId,
    title: b.title,
    description: b.description,
    category: b.category,
    employmentType: b.employmentType,
    pay: { min: b.hourlyMin, max: b.hourlyMin + b.spread, currency: 'EUR', unit: 'hour' },
    hourlyMin: b.hourlyMin,
    hourlyMax: Math.round((b.hourlyMin + b.spread) * 100) / 100,
    // (+ 0: JSON has no negative zero, and a stored document comes back through JSON)
    ...(b.location ? { location: { lat: b.location.lat + 0, lon: b.location.lon + 0 }, city: cityOf(b.location), country: 'FR' } : {}),
    remote: b.remote,
    skills: [...b.skills],
    ...(b.startDate ? { startDate: b.startDate } : {}),
    ...(endDate ? { endDate } : {}),
    experienceYears: 0,
    status: b.status,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...(b.publishedDaysAgo !== undefined ? { publishedAt: new Date(NOW.getTime() - b.publishedDaysAgo * DAY - 1000).toISOString() } : {}),
    ...(b.expiresInDays !== undefined ? { expiresAt: new Date(NOW.getTime() + b.expiresInDays * DAY).toISOString() } : {}),
    views: 0,
    saves: 0,
    applications: 0,
    position: b.position,
  };
}

/** Documents with distinct, unordered ids. */
export const docsArb = (min = 1, max = 60) =>
  fc.array(fc.tuple(fc.string({ unit: fc.constantFrom(...'0123456789abcdefXYZ_.:-'), minLength: 1, maxLength: 3 }), docBody), { minLength: min, maxLength: max }).map((xs) => xs.map(([h, b], i) => toDoc(`j-${h}-${i}`, b)));

const bboxArb = fc.oneof(
  fc.record({ c: fc.constantFrom(...centers), h: fc.double({ min: 0.01, max: 3, noNaN: true }), w: fc.double({ min: 0.01, max: 3, noNaN: true }) }).map(({ c, h, w }) => {
    const minLat = Math.max(-90, c[0] - h);
    const maxLat = Math.min(90, c[0] + h);
    let minLon = c[1] - w;
    let maxLon = c[1] + w;
    if (minLon < -180) minLon += 360;
    if (maxLon > 180) maxLon -= 360;
    return { minLat, maxLat, minLon, maxLon };
  }),
  fc.constant({ minLat: -90, maxLat: 90, minLon: -180, maxLon: 180 }),
  fc.record({ a: fc.double({ min: -90, max: 90, noNaN: true }), b: fc.double({ min: -90, max: 90, noNaN: true }), minLon: fc.double({ min: -180, max: 180, noNaN: true }), maxLon: fc.double({ min: -180, max: 180, noNaN: true }) }).map(
    ({ a, b, minLon, maxLon }) => ({ minLat: Math.min(a, b), maxLat: Math.max(a, b), minLon, maxLon }),
  ),
);
export const nearArb = fc.oneof(
  fc.record({ c: fc.constantFrom(...centers), radiusKm: fc.constantFrom(1, 10, 25, 50, 300) }).map(({ c, radiusKm }) => ({ lat: c[0], lon: c[1], radiusKm })),
  fc.record({ lat: fc.double({ min: -90, max: 90, noNaN: true }), lon: fc.double({ min: -180, max: 180, noNaN: true }), radiusKm: fc.double({ min: 0.1, max: 20_000, noNaN: true }) }),
);

/** One arbitrary per filter, each alone. */
export const singleFilters: Record<string, fc.Arbitrary<FilterInput>> = {
  text: fc.array(fc.constantFrom(...vocabulary), { minLength: 1, maxLength: 3 }).map((w) => ({ text: w.join(' ') })),
  category: fc.uniqueArray(fc.constantFrom(...categories.slice(0, 6)), { minLength: 1, maxLength: 3 }).map((category) => ({ category })),
  employmentType: fc.uniqueArray(fc.constantFrom(...employmentTypes), { minLength: 1, maxLength: 3 }).map((employmentType) => ({ employmentType })),
  payMin: fc.constantFrom(0, 9, 10, 12.5, 15, 20, 35, 50).map((payMin) => ({ payMin })),
  payMax: fc.constantFrom(0, 5, 9, 10, 12.5, 15, 20, 35).map((payMax) => ({ payMax })),
  availability: fc
    .record({ availableFrom: fc.option(fc.constantFrom(...dates, '2026-06-10'), { nil: undefined }), availableTo: fc.option(fc.constantFrom(...dates, '2026-06-20'), { nil: undefined }) })
    .map(({ availableFrom, availableTo }) => ({ ...(availableFrom ? { availableFrom } : {}), ...(availableTo ? { availableTo } : {}) })),
  skills: fc
    .record({ skills: fc.uniqueArray(fc.constantFrom(...skillPool, 'unknown skill'), { minLength: 1, maxLength: 3 }), skillsMode: fc.constantFrom('any' as const, 'all' as const) }),
  remote: fc.boolean().map((remote) => ({ remote })),
  city: fc.uniqueArray(fc.constantFrom(...cityPool, 'Nowhere'), { minLength: 1, maxLength: 2 }).map((city) => ({ city })),
  postedWithinDays: fc.constantFrom(1, 2, 7, 30, 365).map((postedWithinDays) => ({ postedWithinDays })),
  postedSince: fc.integer({ min: 0, max: 40 * 24 }).map((hours) => ({ postedSince: new Date(NOW.getTime() - hours * 3_600_000).toISOString() })),
  businessId: fc.record({ businessId: fc.constantFrom(...businesses, 'biz-none'), includeClosed: fc.boolean() }),
  /** An effective status, mostly in an owner listing (without one it only narrows the open jobs). */
  status: fc.record({
    businessId: fc.constantFrom(...businesses),
    includeClosed: fc.oneof({ arbitrary: fc.constant(true), weight: 3 }, { arbitrary: fc.constant(false), weight: 1 }),
    status: fc.constantFrom('draft' as const, 'open' as const, 'closed' as const, 'expired' as const),
  }),
  near: nearArb.map((near) => ({ near })),
  bbox: bboxArb.map((bbox) => ({ bbox })),
};

/** Any combination of filters. */
export const filtersArb: fc.Arbitrary<FilterInput> = fc
  .record(
    Object.fromEntries(Object.entries(singleFilters).map(([k, a]) => [k, fc.option(a, { nil: undefined, freq: 3 })])) as Record<string, fc.Arbitrary<FilterInput | undefined>>,
  )
  .map((parts) => Object.assign({}, ...Object.values(parts).filter((p) => p !== undefined)) as FilterInput);

export { bboxArb };
