import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SearchPageQuery, searchHref, toSearchRequest, toggled } from './pageQuery.ts';

const places = (name: string) => (name.toLowerCase() === 'reno, nv' ? { label: 'Reno, NV', lat: 39.53, lon: -119.81 } : undefined);
const formOf = (qs: string) => {
  const params = new URLSearchParams(qs);
  const raw: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const all = params.getAll(key);
    raw[key] = all.length === 1 ? all[0]! : all;
  }
  return SearchPageQuery.parse(raw);
};

const fieldValue = fc.record(
  {
    q: fc.constantFrom('barista', 'kayak guide', 'x&y=z'),
    category: fc.subarray(['hospitality', 'retail', 'events'], { minLength: 1 }),
    type: fc.subarray(['seasonal', 'hourly'], { minLength: 1 }),
    payMin: fc.constantFrom('12', '17.5'),
    remote: fc.constantFrom('only' as const, 'onsite' as const),
    posted: fc.constantFrom('1' as const, '7' as const),
    place: fc.constantFrom('Reno, NV', '39.1,-120.05'),
    radius: fc.constantFrom('10', '250'),
    sort: fc.constantFrom('newest' as const, 'pay' as const),
  },
  { requiredKeys: [] },
);

describe('the search form', () => {
  it('reads a blank field as not given (property)', () => {
    fc.assert(
      fc.property(fieldValue, fc.subarray(['q', 'payMin', 'place', 'radius', 'remote', 'posted', 'sort'] as const), fc.constantFrom('', '  '), (form, blanks, blank) => {
        const withBlanks = { ...form, ...Object.fromEntries(blanks.filter((k) => !(k in form)).map((k) => [k, ['remote', 'posted', 'sort'].includes(k) ? '' : blank])) };
        expect(toSearchRequest(SearchPageQuery.parse(withBlanks), places)).toEqual(toSearchRequest(SearchPageQuery.parse(form), places));
      }),
    );
  });

  it('builds links that read back as the same form, whatever the values hold (property)', () => {
    fc.assert(
      fc.property(fieldValue, (form) => {
        expect(formOf(searchHref(form).slice(2))).toEqual(form);
      }),
    );
  });

  it('turns the fields into the query model: place and radius become near, blank text sorts newest, a place sorts nearest', () => {
    expect(toSearchRequest({ q: ' barista ', place: 'Reno, NV', radius: '25', category: ['hospitality'], payMin: '15', remote: 'onsite', posted: '7' }, places)).toMatchObject({
      request: { text: 'barista', near: { lat: 39.53, lon: -119.81, radiusKm: 25 }, category: ['hospitality'], payMin: 15, remote: false, postedWithinDays: 7, sort: 'relevance', facets: true, highlight: true, size: 20 },
      problems: [],
      place: { label: 'Reno, NV' },
    });
    expect(toSearchRequest({}, places).request).toMatchObject({ sort: 'newest' });
    expect(toSearchRequest({ place: '39.1, -120.05' }, undefined).request).toMatchObject({ sort: 'distance', near: { lat: 39.1, lon: -120.05, radiusKm: 50 } });
  });

  it('names the field at fault as the form names it', () => {
    expect(toSearchRequest({ payMin: 'abc' }, places).problems).toEqual([{ field: 'payMin', message: 'must be a number' }]);
    expect(toSearchRequest({ payMin: '-3' }, places).problems.map((p) => p.field)).toEqual(['payMin']);
    expect(toSearchRequest({ place: 'Atlantis' }, places).problems.map((p) => p.field)).toEqual(['place']);
    expect(toSearchRequest({ place: '95,10' }, places).problems.map((p) => p.field)).toEqual(['place']);
    expect(toSearchRequest({ place: 'Reno, NV', radius: 'far' }, places).problems.map((p) => p.field)).toEqual(['radius']);
    expect(toSearchRequest({ sort: 'distance' }, places).problems).toEqual([{ field: 'sort', message: 'sorting by distance needs a place' }]);
    expect(toSearchRequest({ sort: 'match' }, places).problems).toEqual([{ field: 'sort', message: 'this page does not sort by match: see your recommendations' }]);
    expect(toSearchRequest({ sort: 'expiring' }, places).request).toMatchObject({ sort: 'expiring' });
    expect(toSearchRequest({ category: ['nope'] }, places).problems.map((p) => p.field)).toEqual(['category']);
    expect(SearchPageQuery.safeParse({ q: 'x', admin: '1' }).success).toBe(false);
  });

  it('toggles a repeated value on and off', () => {
    expect(toggled(undefined, 'a')).toEqual(['a']);
    expect(toggled(['a', 'b'], 'a')).toEqual(['b']);
  });
});
