// Generated jobs and saved searches for the percolator conformance suites
// (embedded and engine): jobs are real documents of the conformance dataset
// with their searchable fields redrawn around a few places and words, so that
// saved queries drawn from the same pools match often.
import fc from 'fast-check';
import { categories, employmentTypes } from '../../eventstore/events/index.ts';
import { englishStopWords } from '../../query/embedded/analysis/stopWords.ts';
import type { JobDocument } from '../../mappings/jobDocument.ts';
import type { SavedSearchDocument } from '../../projections/lists/listDocuments.ts';
import { conformanceDataset, DATASET_NOW, datasetFacts } from './dataset.ts';
import { vocabulary } from './queries.ts';

export const { docs } = conformanceDataset();
const facts = datasetFacts(docs);
export const visible = docs.filter((d) => d.status === 'open' && d.expiresAt !== undefined && Date.parse(d.expiresAt) > DATASET_NOW.getTime());
export const englishStop = [...englishStopWords];
const words = [...new Set([...vocabulary(docs), ...facts.skills.slice(0, 30), ...englishStop])];
export const now = DATASET_NOW;
const DAY = 86_400_000;

const sometimes = <T>(arb: fc.Arbitrary<T>, absent = 3): fc.Arbitrary<T | undefined> =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: absent }, { arbitrary: arb, weight: 1 });
export const defined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
const cityArb = fc.constantFrom(...facts.cities.slice(0, 12));
/** City names as the visible jobs record them (a generated job keeps its base document's city). */
const recordedCities = [...new Set(visible.flatMap((d) => (d.city !== undefined ? [d.city] : [])))].slice(0, 8);
const dayArb = fc.integer({ min: -30, max: 150 }).map((d) => new Date(now.getTime() + d * DAY).toISOString().slice(0, 10));
const payArb = fc.oneof(fc.integer({ min: 0, max: 40 }), fc.double({ min: 0, max: 40, noNaN: true }));
const textArb = fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 6 }).map((w) => w.join(' '));

/** A job: a real document of the dataset with its searchable fields redrawn around a few places and words. */
export const jobArb = (i: number): fc.Arbitrary<JobDocument> =>
  fc
    .record({
      base: fc.constantFrom(...visible),
      category: fc.constantFrom(...categories),
      employmentType: fc.constantFrom(...employmentTypes),
      pay: fc.tuple(payArb, payArb),
      place: sometimes(fc.record({ c: cityArb, dLat: fc.double({ min: -0.6, max: 0.6, noNaN: true }), dLon: fc.double({ min: -0.6, max: 0.6, noNaN: true }) }), 1),
      remote: fc.boolean(),
      skills: fc.subarray(facts.skills.slice(0, 20), { maxLength: 4 }),
      title: textArb,
      description: textArb,
      start: sometimes(dayArb, 1),
      length: fc.integer({ min: 0, max: 120 }),
      open: sometimes(fc.boolean(), 1),
      business: fc.constantFrom(...facts.businesses.slice(0, 6)),
    })
    .map((r) => {
      const [lo, hi] = r.pay[0] <= r.pay[1] ? r.pay : [r.pay[1], r.pay[0]];
      const { location: _l, startDate: _s, endDate: _e, ...base } = r.base;
      const endDate = r.start !== undefined && r.open !== true ? new Date(Date.parse(r.start) + r.length * DAY).toISOString().slice(0, 10) : undefined;
      return defined({
        ...base,
        jobId: `pj-${i}`,
        businessId: r.business,
        title: r.title,
        description: r.description,
        category: r.category,
        employmentType: r.employmentType,
        hourlyMin: lo,
        hourlyMax: hi,
        location: r.place ? { lat: r.place.c.lat + r.place.dLat, lon: r.place.c.lon + r.place.dLon } : undefined,
        remote: r.remote,
        skills: r.skills,
        startDate: r.start,
        endDate,
        position: i + 1,
      });
    });

/** A saved query: a few filters at a time, sometimes text that analyzes to nothing, sometimes not a search request at all. */
export const savedQueryArb: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  { arbitrary: fc.constantFrom<Record<string, unknown>>({ colour: 'blue' }, { text: 42 }, { payMin: -1 }), weight: 1 },
  {
    weight: 12,
    arbitrary: fc
      .record({
        text: sometimes(fc.oneof(textArb, fc.constantFrom(...englishStop)), 1),
        category: sometimes(fc.subarray([...categories], { minLength: 1, maxLength: 5 })),
        employmentType: sometimes(fc.subarray([...employmentTypes], { minLength: 1, maxLength: 3 })),
        pay: sometimes(fc.tuple(sometimes(payArb, 1), sometimes(payArb, 1))),
        avail: sometimes(fc.tuple(sometimes(dayArb, 1), sometimes(dayArb, 1))),
        skills: sometimes(fc.record({ list: fc.subarray(facts.skills.slice(0, 20), { minLength: 1, maxLength: 3 }), mode: fc.constantFrom('any', 'all') })),
        remote: sometimes(fc.boolean()),
        city: sometimes(fc.subarray(recordedCities, { minLength: 1, maxLength: 3 })),
        businessId: sometimes(fc.constantFrom(...facts.businesses.slice(0, 6)), 5),
        near: sometimes(fc.record({ c: cityArb, radiusKm: fc.oneof(fc.integer({ min: 1, max: 80 }), fc.integer({ min: 80, max: 9000 })) }), 1),
        bbox: sometimes(
          fc.record({ c: cityArb, h: fc.double({ min: 0.01, max: 30, noNaN: true }), w: fc.double({ min: 0.01, max: 300, noNaN: true }) }),
          4,
        ),
        postedWithinDays: sometimes(fc.integer({ min: 1, max: 30 }), 4),
        sort: sometimes(fc.constantFrom('relevance', 'newest', 'pay')),
        size: sometimes(fc.integer({ min: 1, max: 100 })),
      })
      .map((r) => {
        const [p1, p2] = r.pay ?? [];
        const [d1, d2] = r.avail ?? [];
        const swap = <T extends number | string>(a: T | undefined, b: T | undefined): [T | undefined, T | undefined] => (a !== undefined && b !== undefined && b < a ? [b, a] : [a, b]);
        const [payMin, payMax] = swap(p1, p2);
        const [availableFrom, availableTo] = swap(d1, d2);
        const bbox = r.bbox && (() => {
          const minLat = Math.max(-90, r.bbox.c.lat - r.bbox.h / 2);
          const minLon = r.bbox.c.lon - r.bbox.w / 2;
          const maxLon = r.bbox.c.lon + r.bbox.w / 2;
          // Past ±180 the box crosses the antimeridian: minLon > maxLon.
          return { minLat, maxLat: Math.min(90, minLat + r.bbox.h), minLon: minLon < -180 ? minLon + 360 : minLon, maxLon: maxLon > 180 ? maxLon - 360 : maxLon };
        })();
        return defined({
          text: r.text,
          category: r.category,
          employmentType: r.employmentType,
          payMin,
          payMax,
          availableFrom,
          availableTo,
          skills: r.skills?.list,
          skillsMode: r.skills?.mode,
          remote: r.remote,
          city: r.city,
          businessId: r.businessId,
          near: r.near && { lat: r.near.c.lat, lon: r.near.c.lon, radiusKm: r.near.radiusKm },
          bbox: bbox && (bbox.minLon > 180 || bbox.maxLon < -180 ? undefined : bbox),
          postedWithinDays: r.postedWithinDays,
          sort: r.sort,
          size: r.size,
        });
      }),
  },
);

export const savedSearch = (query: Record<string, unknown>, i: number, alertFrequency: SavedSearchDocument['alertFrequency'] = 'instant'): SavedSearchDocument => ({
  workerId: `w${i % 7}`,
  searchId: `s${i}`,
  name: `search ${i}`,
  query,
  alertFrequency,
  alertHour: 8,
  alertWeekday: 1,
  timeZone: 'UTC',
  status: 'active',
  savedAt: now.toISOString(),
  updatedAt: now.toISOString(),
  position: i + 1,
});


// ---- places at the edges of the map ----------------------------------------
// Around the antimeridian and the poles, and radii up to most of the globe:
// where a geo cover (the engine percolator's prefilter cells) could miss.
const edgeCenterArb = fc.record({
  lat: fc.oneof(fc.constantFrom(90, -90, 89.99, -89.99, 88, -87.5, 80, -75, 60, 0), fc.double({ min: -90, max: 90, noNaN: true })),
  lon: fc.oneof(fc.constantFrom(180, -180, 179.999, -179.999, 179, -178.5, 0), fc.double({ min: -180, max: 180, noNaN: true })),
});
const wrapLon = (lon: number): number => ((((lon + 180) % 360) + 360) % 360) - 180;
/** A point within a few degrees of an edge place (longitude wrapped, latitude clamped). */
const edgePointArb = fc
  .record({ c: edgeCenterArb, dLat: fc.double({ min: -3, max: 3, noNaN: true }), dLon: fc.double({ min: -6, max: 6, noNaN: true }) })
  .map(({ c, dLat, dLon }) => ({ lat: Math.max(-90, Math.min(90, c.lat + dLat)), lon: wrapLon(c.lon + dLon) }));

/** A job of jobArb placed near the antimeridian or a pole (sometimes nowhere). */
export const edgeJobArb = (i: number): fc.Arbitrary<JobDocument> =>
  fc.tuple(jobArb(i), fc.oneof({ arbitrary: fc.constant(undefined), weight: 1 }, { arbitrary: edgePointArb, weight: 6 })).map(([job, location]) => {
    const { location: _l, ...rest } = job;
    return location ? { ...rest, location } : rest;
  });

/** A saved query of savedQueryArb whose place is at an edge: a circle of any radius, or a box across the antimeridian or up to a pole. */
export const edgeSavedQueryArb: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(
    savedQueryArb,
    fc.oneof(
      fc.record({
        near: fc.record({ c: edgePointArb, radiusKm: fc.oneof(fc.constantFrom(1, 20, 150, 400, 1200, 3000, 8000, 15_000, 20_000), fc.double({ min: 0.5, max: 20_000, noNaN: true })) }),
      }),
      fc.record({ bbox: fc.record({ c: edgePointArb, h: fc.double({ min: 0.01, max: 20, noNaN: true }), w: fc.double({ min: 0.01, max: 40, noNaN: true }) }) }),
    ),
  )
  .map(([query, place]) => {
    const { near: _n, bbox: _b, text: _t, ...rest } = query;
    if ('near' in place) return { ...rest, near: { lat: place.near.c.lat, lon: place.near.c.lon, radiusKm: place.near.radiusKm } };
    const { c, h, w } = place.bbox;
    const minLat = Math.max(-90, c.lat - h / 2);
    return { ...rest, bbox: { minLat, maxLat: Math.min(90, c.lat + h / 2), minLon: wrapLon(c.lon - w / 2), maxLon: wrapLon(c.lon + w / 2) } };
  });
