import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JobContent, categories, employmentTypes, isoInstant, payUnits } from '../../../eventstore/events/index.ts';
import type { Place } from '../pageQuery.ts';
import type { BusinessJob } from './businessViews.ts';
import type { JobFormField, JobFormFields } from './jobForm.ts';
import { expiresAtOf, expiryChoices, formOfJob, jobContentOf, jobFormChoices, jobFormLabels, paySuggestionText } from './jobForm.ts';

// The towns this lookup knows, as the form's place lookup answers them.
const towns: Record<string, Place> = {
  'truckee, ca': { label: 'Truckee, CA', lat: 39.32796, lon: -120.18325, town: { city: 'Truckee', region: 'CA', country: 'US' } },
  'lyon, fr': { label: 'Lyon, FR', lat: 45.74846, lon: 4.84671, town: { city: 'Lyon', country: 'FR' } },
  // A coordinate the search form understands, but no town: a job cannot be posted "at" it.
  '39.1,-120.05': { label: '39.1, -120.05', lat: 39.1, lon: -120.05 },
};
const places = (name: string): Place | undefined => towns[name.trim().toLowerCase()];

const blank = fc.constantFrom('', ' ', '  ', '\t', ' \n ');
const padded = (core: fc.Arbitrary<string>) => fc.tuple(blank, core, blank).map(([a, s, b]) => `${a}${s}${b}`);
/** Characters as the API counts them: code points, so that an emoji is one. */
const chars = (s: string) => [...s].length;
/** Text a business types: anything, markup and all, of at least `min` characters besides the blanks around it. */
const typed = (min: number, max: number) => fc.string({ unit: 'binary', minLength: min, maxLength: max }).filter((s) => chars(s.trim()) >= min);
const amount = fc.integer({ min: 0, max: 100_000_000 }).chain((cents) => fc.constantFrom(String(cents / 100), (cents / 100).toFixed(2)));
const day = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const halves = (max: number) => fc.integer({ min: 0, max: max * 2 }).map((n) => String(n / 2));
const skill = fc.string({ minLength: 1, maxLength: 40 }).filter((s) => !s.includes(',') && s.trim() !== '');

/** A form as a browser sends it that the form takes: every field within what the API accepts. */
const validForm: fc.Arbitrary<JobFormFields> = fc
  .record({
    title: padded(typed(3, 190)),
    description: padded(typed(1, 400)),
    category: fc.constantFrom(...categories),
    employmentType: fc.constantFrom(...employmentTypes),
    pay: fc.tuple(amount, fc.option(amount, { nil: undefined })),
    currency: fc.constantFrom('USD', 'eur', 'Cad', ''),
    unit: fc.constantFrom(...payUnits, ''),
    where: fc.oneof(
      fc.record({ place: fc.constantFrom('Truckee, CA', ' lyon, FR '), remote: fc.constantFrom<'on' | undefined>('on', undefined) }),
      fc.record({ place: blank, remote: fc.constant<'on'>('on') }),
    ),
    skills: fc.array(skill, { maxLength: 12 }).chain((list) => fc.constantFrom(list.join(','), list.join(', '), ` ${list.join(' ,, ')} `)),
    dates: fc.tuple(fc.option(day, { nil: undefined }), fc.option(day, { nil: undefined })),
    hoursPerWeek: fc.oneof(halves(168), fc.constant('')),
    experienceYears: fc.oneof(halves(60), fc.constant('')),
  })
  .map(({ pay: [a, b], where, dates: [d1, d2], ...rest }) => {
    const [payMin, payMax] = b !== undefined && Number(b) < Number(a) ? [b, a] : [a, b ?? ''];
    const [startDate, endDate] = d1 !== undefined && d2 !== undefined && d2 < d1 ? [d2, d1] : [d1 ?? '', d2 ?? ''];
    return { ...rest, payMin, payMax, place: where.place, ...(where.remote ? { remote: where.remote } : {}), startDate, endDate };
  });

const base: JobFormFields = {
  title: 'Lift operator', description: 'Run the chairlift.', category: 'outdoor', employmentType: 'seasonal', payMin: '18', payMax: '22', currency: 'USD', unit: 'hour',
  place: 'Truckee, CA', skills: 'ropes, First Aid', startDate: '2027-06-01', endDate: '2027-09-15', hoursPerWeek: '30', experienceYears: '1',
};

/** One field made wrong in a way the form itself catches, and the field it must name. */
const breakers: Array<[JobFormField, Partial<JobFormFields>]> = [
  ['title', { title: '   ' }], ['title', { title: ' ab ' }], ['title', { title: '🍕🍕' }],
  ['description', { description: ' \n ' }],
  ['category', { category: '' }], ['category', { category: 'astronaut' }],
  ['employmentType', { employmentType: '' }], ['employmentType', { employmentType: 'sometimes' }],
  ['payMin', { payMin: '' }], ['payMin', { payMin: 'lots' }], ['payMin', { payMin: '-1' }],
  ['payMax', { payMin: '20', payMax: '19.99' }], ['payMax', { payMax: 'more' }],
  ['currency', { currency: 'US' }], ['currency', { currency: '€€€' }],
  ['unit', { unit: 'fortnight' }],
  ['place', { place: 'Atlantis' }], ['place', { place: '39.1,-120.05' }], ['place', { place: '' }],
  ['startDate', { startDate: '1 June' }], ['startDate', { startDate: '2027-13-01' }],
  ['endDate', { startDate: '2027-06-02', endDate: '2027-06-01' }], ['endDate', { endDate: '2027/09/15' }],
  ['hoursPerWeek', { hoursPerWeek: '168.5' }], ['hoursPerWeek', { hoursPerWeek: 'many' }],
  ['experienceYears', { experienceYears: '-0.5' }],
];

const jobOf = (content: JobContent, extra: Partial<BusinessJob> = {}): BusinessJob => {
  const { location, ...rest } = content;
  return {
    jobId: 'j-1', businessId: 'b-1', ...rest,
    ...(location ? { location: location.point, city: location.city, ...(location.region !== undefined ? { region: location.region } : {}), country: location.country } : {}),
    hourlyMin: content.pay.min, hourlyMax: content.pay.max, status: 'open', createdAt: '2027-03-01T00:00:00Z', updatedAt: '2027-03-01T00:00:00Z',
    views: 0, saves: 0, applications: 0, position: 1, ...extra,
  };
};

/** Job content as the API takes it that the form can show: a town the lookup knows (or remote), skills without commas. */
const formableContent: fc.Arbitrary<JobContent> = fc
  .record({
    title: typed(3, 200).map((s) => s.trim()),
    description: typed(1, 300).map((s) => s.trim()),
    category: fc.constantFrom(...categories),
    employmentType: fc.constantFrom(...employmentTypes),
    pay: fc.tuple(fc.integer({ min: 0, max: 100_000_000 }), fc.integer({ min: 0, max: 100_000_000 }), fc.constantFrom('USD', 'EUR', 'JPY'), fc.constantFrom(...payUnits))
      .map(([a, b, currency, unit]) => ({ min: Math.min(a, b) / 100, max: Math.max(a, b) / 100, currency, unit })),
    town: fc.constantFrom('truckee, ca', 'lyon, fr', undefined),
    remote: fc.boolean(),
    skills: fc.array(skill.map((s) => s.trim().toLowerCase()), { maxLength: 10 }),
    startDate: fc.option(day, { nil: undefined }),
    hoursPerWeek: fc.option(fc.integer({ min: 0, max: 336 }).map((n) => n / 2), { nil: undefined }),
    experienceYears: fc.integer({ min: 0, max: 120 }).map((n) => n / 2),
  })
  .map(({ town, remote, startDate, hoursPerWeek, ...rest }) => {
    const place = town ? towns[town]! : undefined;
    return {
      ...rest,
      ...(place ? { location: { point: { lat: place.lat, lon: place.lon }, ...place.town! } } : {}),
      remote: place ? remote : true,
      ...(startDate ? { startDate, endDate: startDate } : {}),
      ...(hoursPerWeek !== undefined ? { hoursPerWeek } : {}),
    };
  });

describe('the job form', () => {
  it('turns every form it takes into job content the API’s own schema accepts unchanged (property)', () => {
    fc.assert(
      fc.property(validForm, (form) => {
        const outcome = jobContentOf(form, places);
        expect(outcome.problems).toEqual([]);
        const content = outcome.content!;
        const checked = JobContent.safeParse(content);
        expect(checked.error?.issues).toBeUndefined();
        expect(checked.data).toEqual(content);
        const job = checked.data!;
        expect(job.title).toBe(form.title!.trim());
        expect(job.description).toBe(form.description!.trim());
        expect(job.pay).toEqual({ min: Number(form.payMin), max: Number(form.payMax || form.payMin), currency: (form.currency || 'USD').toUpperCase(), unit: form.unit || 'hour' });
        expect(job.remote).toBe(form.remote === 'on');
        expect(job.location?.city).toBe(form.place!.trim() ? places(form.place!)!.town!.city : undefined);
        expect(job.skills).toEqual(form.skills!.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean));
        expect(job.experienceYears).toBe(Number(form.experienceYears || 0));
      }),
      { numRuns: 300 },
    );
  });

  it('names the one field at fault, in the form’s words, and gives no content (property)', () => {
    fc.assert(
      fc.property(validForm, fc.constantFrom(...breakers), (form, [field, change]) => {
        const broken: JobFormFields = { ...form, ...change };
        if (field === 'place' && change.place === '') delete broken.remote;
        const outcome = jobContentOf(broken, places);
        expect(outcome.content).toBeUndefined();
        expect(outcome.problems.map((p) => p.field)).toEqual([field]);
        expect(outcome.problems[0]!.message).not.toBe('');
      }),
      { numRuns: 300 },
    );
  });

  it('names every required field of an empty form, with its label', () => {
    const outcome = jobContentOf({ title: '', description: '', category: '', employmentType: '', payMin: '', payMax: '', currency: '', place: '', skills: '', startDate: '', endDate: '', hoursPerWeek: '', experienceYears: '' }, places);
    expect(outcome.content).toBeUndefined();
    expect(outcome.problems.map((p) => [jobFormLabels[p.field], p.message])).toEqual([
      ['Title', 'a title is required'],
      ['Description', 'a description is required'],
      ['Category', 'a category is required'],
      ['Type of work', 'a type of work is required'],
      ['Pay from', 'the lowest pay is required'],
      ['Town', 'give the town where the work is, or tick “Remote”'],
    ]);
  });

  it('says which town it does not know, and takes the content of a remote job without one', () => {
    expect(jobContentOf({ ...base, place: 'Atlantis' }, places).problems).toEqual([
      { field: 'place', message: 'no town called "Atlantis" is known; try "town", "town, state" or "town, country code"' },
    ]);
    // Without a place lookup no town is known at all.
    expect(jobContentOf(base, undefined).problems.map((p) => p.field)).toEqual(['place']);
    const remote = jobContentOf({ ...base, place: '', remote: 'on', payMax: '', currency: 'eur', unit: 'day', skills: ' , ', hoursPerWeek: '', experienceYears: '' }, places).content;
    expect(remote).toEqual({
      title: 'Lift operator', description: 'Run the chairlift.', category: 'outdoor', employmentType: 'seasonal',
      pay: { min: 18, max: 18, currency: 'EUR', unit: 'day' }, remote: true, skills: [], startDate: '2027-06-01', endDate: '2027-09-15', experienceYears: 0,
    });
  });

  it('labels every field for the list of problems', () => {
    const fields: JobFormField[] = ['title', 'description', 'category', 'employmentType', 'payMin', 'payMax', 'currency', 'unit', 'place', 'remote', 'skills', 'startDate', 'endDate', 'hoursPerWeek', 'experienceYears'];
    expect(Object.keys(jobFormLabels).sort()).toEqual([...fields].sort());
    expect([jobFormLabels.payMin, jobFormLabels.payMax, jobFormLabels.place]).toEqual(['Pay from', 'Pay to', 'Town']);
  });

  it('fills the form from a job so that sending it unchanged gives the job’s content back (property)', () => {
    fc.assert(
      fc.property(formableContent, (content) => {
        const form = formOfJob(jobOf(content));
        const again = jobContentOf(form, places);
        expect(again.problems).toEqual([]);
        expect(again.content).toEqual(content);
      }),
      { numRuns: 300 },
    );
  });

  it('fills the town as "town, state" or "town, country", and the other fields as the inputs show them', () => {
    const job = jobOf({
      title: 'Lift operator', description: 'Run the chairlift.', category: 'outdoor', employmentType: 'seasonal', pay: { min: 18, max: 22.5, currency: 'USD', unit: 'hour' },
      location: { point: { lat: 39.32796, lon: -120.18325 }, city: 'Truckee', region: 'CA', country: 'US' }, remote: false, skills: ['ropes', 'first aid'], experienceYears: 1.5,
    });
    expect(formOfJob(job)).toEqual({
      title: 'Lift operator', description: 'Run the chairlift.', category: 'outdoor', employmentType: 'seasonal', payMin: '18', payMax: '22.5', currency: 'USD', unit: 'hour',
      place: 'Truckee, CA', skills: 'ropes, first aid', startDate: '', endDate: '', hoursPerWeek: '', experienceYears: '1.5',
    });
    const { region: _region, ...inLyon } = { ...job, city: 'Lyon', region: undefined, country: 'FR', remote: true };
    expect(formOfJob(inLyon)).toMatchObject({ place: 'Lyon, FR', remote: 'on' });
  });

  it('selects the form’s values in its lists, and pay per hour when none is given', () => {
    const choices = jobFormChoices({ category: 'food_service', employmentType: 'part_time' });
    expect(choices.category.filter((c) => c.selected)).toEqual([{ value: 'food_service', label: 'Food service', selected: true }]);
    expect(choices.employmentType.filter((c) => c.selected).map((c) => c.value)).toEqual(['part_time']);
    expect(choices.unit.filter((c) => c.selected).map((c) => c.value)).toEqual(['hour']);
    expect(choices.category.map((c) => c.value)).toEqual([...categories]);
    expect(jobFormChoices({}).category.some((c) => c.selected)).toBe(false);
  });

  it('asks for an expiry a whole number of days from now, as an instant the API takes', () => {
    const now = new Date('2027-03-01T12:00:00.000Z');
    expect(expiresAtOf(30, now)).toBe('2027-03-31T12:00:00.000Z');
    expect(expiresAtOf(7, new Date('2027-12-28T23:30:00Z'))).toBe('2028-01-04T23:30:00.000Z');
    for (const days of expiryChoices) {
      const at = expiresAtOf(days, now);
      expect(isoInstant.safeParse(at).success, at).toBe(true);
      expect(Date.parse(at) - now.getTime()).toBe(days * 86_400_000);
    }
  });

  it('words the pay of comparable jobs, too few of them, or what to choose first', () => {
    const suggestion = { hourly: { p25: 16.25, p50: 18, p75: 20.5 }, sampleSize: 1234, currency: { code: 'USD', excluded: 0, note: '' } };
    expect(paySuggestionText({ statusCode: 200, body: suggestion })).toBe('Comparable jobs pay $16.25–$20.50 per hour (median $18, from 1,234 jobs).');
    expect(paySuggestionText({ statusCode: 200, body: { ...suggestion, sampleSize: 1, currency: { code: 'EUR' } } })).toBe('Comparable jobs pay €16.25–€20.50 per hour (median €18, from 1 job).');
    // The API's 422 carries the count in its details.
    const tooFew = { statusCode: 422, code: 'insufficient_data', message: 'only 3 comparable jobs, at least 10 needed for a suggestion', details: { sampleSize: 3, minSample: 10 } };
    expect(paySuggestionText({ statusCode: 422, body: tooFew })).toBe('Too few comparable jobs for a pay suggestion (3 found).');
    expect(paySuggestionText({ statusCode: 422, body: { ...tooFew, details: { sampleSize: 0, minSample: 10 } } })).toBe('Too few comparable jobs for a pay suggestion (0 found).');
    const choose = 'Choose a category, a type of work and a place to see what comparable jobs pay.';
    expect(paySuggestionText({ statusCode: 0, body: {} })).toBe(choose);
    expect(paySuggestionText({ statusCode: 400, body: { code: 'validation_failed', message: 'querystring.category: invalid' } })).toBe(choose);
    // An answer that lacks a percentile is no suggestion.
    expect(paySuggestionText({ statusCode: 200, body: { ...suggestion, hourly: { p25: 16, p50: 18 } } })).toBe(choose);
  });
});
