import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { categories, employmentTypes } from '../../../eventstore/events/index.ts';
import { SearchPageQuery, radiusChoices } from '../pageQuery.ts';
import { describeSavedQuery, runHref, saveSearchForm, savedQueryOf } from './savedSearchForm.ts';

const hoodRiver = { label: 'Hood River, OR', lat: 45.7054, lon: -121.5215 };
const places = (name: string) => (name.toLowerCase() === 'hood river' ? hoodRiver : undefined);

/** The form a browser sends when it follows `href`: repeated fields as arrays, as fastify reads them. */
const formOf = (href: string): SearchPageQuery => {
  const params = new URL(href, 'http://pages.test').searchParams;
  const raw: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const all = params.getAll(key);
    raw[key] = all.length === 1 ? all[0]! : all;
  }
  return SearchPageQuery.parse(raw);
};

/** A coordinate as someone types it: a sign, whole degrees and up to seven decimals (which may be all zeros). */
const coordinate = (maxDegrees: number) =>
  fc.tuple(fc.boolean(), fc.integer({ min: 0, max: maxDegrees - 1 }), fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 9_999_999 })).map(([negative, whole, places, fraction]) => {
    const decimals = places === 0 ? '' : `.${String(fraction).padStart(7, '0').slice(0, places)}`;
    return `${negative ? '-' : ''}${whole}${decimals}`;
  });
const typedText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.constantFrom('barista', '  kayak guide  ', 'x&y=z #1', 'café + crêpes', '“quoted” <b>', '100%'),
);
const payText = fc.oneof(fc.integer({ min: 0, max: 500 }).map(String), fc.integer({ min: 0, max: 50_000 }).map((cents) => (cents / 100).toFixed(2)));

const searchForm = fc.record(
  {
    q: typedText,
    category: fc.array(fc.constantFrom(...categories), { minLength: 1, maxLength: 4 }),
    type: fc.array(fc.constantFrom(...employmentTypes), { minLength: 1, maxLength: 3 }),
    payMin: fc.oneof(payText, fc.constant('')),
    remote: fc.constantFrom('' as const, 'only' as const, 'onsite' as const),
    posted: fc.constantFrom('' as const, '1' as const, '3' as const, '7' as const, '14' as const, '30' as const),
    skill: fc.uniqueArray(fc.constantFrom('espresso', 'cash handling', 'knots & ropes'), { minLength: 1, maxLength: 3 }),
    city: fc.uniqueArray(fc.constantFrom('Reno, NV', 'Tahoe City', 'Lac <b> & "x"'), { minLength: 1, maxLength: 2 }),
    place: fc.oneof(
      fc.tuple(coordinate(90), coordinate(180), fc.constantFrom(',', ', ', ' , ')).map(([lat, lon, comma]) => `${lat}${comma}${lon}`),
      fc.constantFrom('Hood River', 'hood river'),
    ),
    radius: fc.constantFrom(...radiusChoices.map(String), ''),
    sort: fc.constantFrom('' as const, 'relevance' as const, 'newest' as const, 'pay' as const, 'distance' as const),
  },
  { requiredKeys: [] },
);

describe('saved searches and the search form', () => {
  it('saves the query of a form and runs it again from the link, unchanged and in full (property)', () => {
    fc.assert(
      fc.property(searchForm, (form) => {
        const first = savedQueryOf(form, places);
        // Sorting by distance needs a place: the only form here that cannot be saved.
        if (form.sort === 'distance' && !form.place) {
          expect(first.query).toBeUndefined();
          expect(first.problems.map((p) => p.field)).toEqual(['sort']);
          return;
        }
        expect(first.problems).toEqual([]);
        const query = first.query!;
        const run = runHref(query);
        expect(run.partial).toBe(false);
        expect(run.href.startsWith('/')).toBe(true);
        const again = savedQueryOf(formOf(run.href), places);
        expect(again.problems).toEqual([]);
        expect(again.query).toEqual(query);
      }),
      { numRuns: 500 },
    );
  });

  it('names a saved search by its words and its place (property)', () => {
    fc.assert(
      fc.property(searchForm, (form) => {
        fc.pre(!(form.sort === 'distance' && !form.place));
        const saved = savedQueryOf(form, places);
        const text = form.q?.trim();
        const near = saved.query!.near as { lat: number; lon: number; radiusKm: number } | undefined;
        const label = form.place?.toLowerCase() === 'hood river' ? hoodRiver.label : near ? `${near.lat}, ${near.lon}` : undefined;
        const description = describeSavedQuery(saved.query!, label);
        if (text) expect(description).toContain(`“${text}”`);
        if (near) expect(description).toContain(`within ${near.radiusKm} km of ${label}`);
        expect(saved.name).toBe(description.slice(0, 200));
      }),
    );
  });

  it('keeps only the query of the form: no paging, no page size, no facets or highlights', () => {
    const saved = savedQueryOf({ q: ' barista ', category: ['hospitality'], place: 'Hood River', radius: '25', cursor: 'abc', payMin: '17.5', remote: 'onsite', posted: '7' }, places);
    expect(saved.query).toEqual({
      text: 'barista',
      category: ['hospitality'],
      payMin: 17.5,
      remote: false,
      postedWithinDays: 7,
      near: { lat: hoodRiver.lat, lon: hoodRiver.lon, radiusKm: 25 },
      sort: 'relevance',
    });
    expect(saved.name).toBe('“barista” · Hospitality · within 25 km of Hood River, OR · $17.50+ per hour · on-site · posted in the last 7 days');
  });

  it('names the fields of a form that cannot be saved', () => {
    expect(savedQueryOf({ payMin: 'lots', place: 'Atlantis' }, places).problems.map((p) => p.field).sort()).toEqual(['payMin', 'place']);
    expect(savedQueryOf({ payMin: 'lots' }, places).query).toBeUndefined();
  });

  it('says every open job for an empty query, and the coordinates when no place name is known', () => {
    expect(describeSavedQuery({})).toBe('Every open job');
    expect(describeSavedQuery({ sort: 'newest' })).toBe('Every open job');
    expect(describeSavedQuery({ near: { lat: 39.1, lon: -120.05, radiusKm: 30 }, remote: true, postedWithinDays: 1 })).toBe('within 30 km of 39.1, -120.05 · remote · posted in the last 1 day');
    expect(describeSavedQuery({ employmentType: ['part_time', 'seasonal'] })).toBe('Part time or Seasonal');
    expect(describeSavedQuery({ skills: ['espresso', 'latte art'], city: ['Reno, NV'] })).toBe('skills espresso or latte art · in Reno, NV');
  });

  it('marks a link partial when the saved query holds fields the page cannot show', () => {
    expect(runHref({ text: 'barista', availableFrom: '2027-06-01' }).partial).toBe(true);
    expect(runHref({ skills: ['espresso'], skillsMode: 'all' }).partial).toBe(true);
    expect(runHref({ text: 'barista', skills: ['espresso'], city: ['Reno, NV'] })).toEqual({ href: '/?q=barista&skill=espresso&city=Reno%2C+NV', partial: false });
    expect(runHref({ text: 'barista', payMax: 30 }).partial).toBe(true);
    // The page offers some posted-within choices only.
    const posted = runHref({ postedWithinDays: 5 });
    expect(posted).toEqual({ href: '/', partial: true });
    expect(runHref({ text: 'barista', postedWithinDays: 7, sort: 'newest' })).toEqual({ href: '/?q=barista&posted=7&sort=newest', partial: false });
  });

  it('runs a saved query at a radius the form does not offer', () => {
    const { href } = runHref({ text: 'barista', near: { lat: 39.1, lon: -120.05, radiusKm: 30 } });
    expect(href).toBe('/?q=barista&place=39.1%2C-120.05&radius=30');
    expect(savedQueryOf(formOf(href), undefined).query).toMatchObject({ near: { lat: 39.1, lon: -120.05, radiusKm: 30 } });
  });

  it('writes coordinates the form reads back, however small', () => {
    for (const [lat, lon] of [[0.0000001, -0.0000005], [-0, 0], [1e-7, 180]] as const) {
      const form = formOf(runHref({ near: { lat, lon, radiusKm: 10 } }).href);
      expect(savedQueryOf(form, undefined).query?.near).toEqual({ lat, lon, radiusKm: 10 });
    }
  });

  it('carries the shown search into the save form as hidden fields, without the page cursor', () => {
    const form = saveSearchForm({ q: 'barista', category: ['hospitality', 'tourism'], place: '', cursor: 'c1', radius: '50' });
    expect(form.fields).toEqual([
      { name: 'q', value: 'barista' },
      { name: 'category', value: 'hospitality' },
      { name: 'category', value: 'tourism' },
      { name: 'radius', value: '50' },
    ]);
    expect(form.choices.filter((c) => c.selected).map((c) => c.value)).toEqual(['instant']);
    expect(form.choices.map((c) => c.value)).toEqual(['instant', 'hourly', 'daily', 'weekly', 'off']);
  });
});
