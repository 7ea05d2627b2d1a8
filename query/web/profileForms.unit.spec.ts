import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { BusinessProfile, WorkerProfile } from '../../eventstore/events/index.ts';
import type { Place } from './pageQuery.ts';
import type { BusinessProfileFields, WorkerProfileFields, WorkerProfileView } from './profileForms.ts';
import { AVAILABILITY_ROWS, businessProfileLabels, businessProfileOf, formOfWorkerProfile, pointOf, workerProfileLabels, workerProfileOf } from './profileForms.ts';

// The towns this lookup knows, as the page's place lookup answers them.
const towns: Record<string, Place> = {
  'portland, or': { label: 'Portland, OR', lat: 45.52345, lon: -122.67621, town: { city: 'Portland', region: 'OR', country: 'US' } },
  'lyon, fr': { label: 'Lyon, FR', lat: 45.74846, lon: 4.84671, town: { city: 'Lyon', country: 'FR' } },
};
const places = (name: string): Place | undefined => towns[name.trim().toLowerCase()];
const nowhere = (): Place | undefined => undefined;

const blank = fc.constantFrom('', ' ', '  ', '\t', ' \n ');
const padded = (core: fc.Arbitrary<string>) => fc.tuple(blank, core, blank).map(([a, s, b]) => `${a}${s}${b}`);
/** Text a worker types: anything, markup and all, with something besides blanks. */
const typed = (max: number) => fc.string({ unit: 'binary', minLength: 1, maxLength: max }).filter((s) => s.trim() !== '');
const day = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
// -0 is written "0" in a form: a profile keeps +0.
const within = (min: number, max: number) => fc.double({ min, max, noNaN: true }).map((x) => x + 0);
const email = fc.stringMatching(/^[a-z0-9]{1,10}([._+-][a-zA-Z0-9]{1,8}){0,2}@[a-z0-9]{1,10}(-[a-z0-9]{1,5})?\.[a-z]{2,6}$/);
/** A skill as the API keeps it (trimmed, lower case, at most 60 characters), with no comma: the form separates skills by commas. */
const skill = fc.string({ minLength: 1, maxLength: 60 }).map((s) => s.trim().toLowerCase()).filter((s) => s !== '' && s.length <= 60 && !s.includes(','));
const window = fc.tuple(day, fc.option(day, { nil: undefined })).map(([a, b]) => (b === undefined ? { from: a } : { from: a < b ? a : b, to: a < b ? b : a }));

/** A form as a browser sends it, every field within what the API accepts. */
const validForm: fc.Arbitrary<WorkerProfileFields> = fc
  .record({
    name: padded(typed(190)),
    email: fc.oneof(blank, email),
    skills: fc.array(skill, { maxLength: 50 }).chain((list) => fc.constantFrom(list.join(','), list.join(', '), ` ${list.join(' ,, ')} `)),
    place: fc.oneof(
      blank,
      fc.constantFrom('Portland, OR', ' lyon, FR '),
      fc.tuple(within(-90, 90), within(-180, 180), fc.integer({ min: 0, max: 6 }), fc.constantFrom(',', ', ', ' , ')).map(([lat, lon, digits, comma]) => `${lat.toFixed(digits)}${comma}${lon.toFixed(digits)}`),
    ),
    maxTravelKm: fc.oneof(blank, fc.integer({ min: 1, max: 20_000 }).map(String), within(0.001, 20_000).map(String)),
    desiredHourlyPay: fc.oneof(blank, fc.integer({ min: 0, max: 1_000_000 }).map((cents) => String(cents / 100))),
    currency: fc.oneof(blank, fc.stringMatching(/^[A-Za-z]{3}$/)),
    experienceYears: fc.oneof(blank, fc.integer({ min: 0, max: 120 }).map((n) => String(n / 2))),
    windows: fc.array(fc.option(window, { nil: undefined }), { minLength: AVAILABILITY_ROWS, maxLength: AVAILABILITY_ROWS }),
  })
  .map(({ windows, ...rest }) => {
    const form: WorkerProfileFields = { ...rest };
    windows.forEach((w, i) => Object.assign(form, { [`from${i}`]: w?.from ?? '', [`to${i}`]: w?.to ?? '' }));
    return form;
  });

/** A field a worker may get wrong in ways that look right: what the API would refuse, or what is not a number at all. */
const oddValue = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.constantFrom(
    'a@b.c', 'a..b@example.com', '.a@example.com', 'a b@example.com', '"a"@example.com', 'a@example', 'jo@exa_mple.com',
    '2027-02-30', '2027-04-31', '2027-13-01', '0000-01-01', '2027-6-1', '2027-06-01T00:00:00Z', '+2027-06-01',
    '0x10', '1e3', '1e-400', '-0', ' 5 ', 'Infinity', '-1', '20000.5', '60.01', '10000.001',
    '91, 0', '0, 181', '-90, -180', '1e-7, 5', '45.5,-122.6', 'Portland, OR', 'Atlantis',
    'usd', 'US', 'EURO', '€€€',
    `${'İ'.repeat(40)}, ok`, `${'x'.repeat(61)}`, Array.from({ length: 51 }, (_, i) => `s${i}`).join(','),
  ),
);
const fieldNames = Object.keys(workerProfileLabels) as Array<keyof WorkerProfileFields>;

describe('the worker profile form', () => {
  it('turns every form within the API’s rules into a profile the API’s own schema accepts unchanged (property)', () => {
    fc.assert(
      fc.property(validForm, (form) => {
        const outcome = workerProfileOf(form, places);
        expect(outcome.problems).toEqual([]);
        const checked = WorkerProfile.safeParse(outcome.profile);
        expect(checked.error?.issues).toBeUndefined();
        expect(checked.data).toEqual(outcome.profile);
        const p = checked.data!;
        expect(p.name).toBe(form.name!.trim());
        expect(p.email).toBe(form.email!.trim() || undefined);
        expect(p.skills).toEqual(form.skills!.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean));
        expect(p.maxTravelKm).toBe(form.maxTravelKm!.trim() ? Number(form.maxTravelKm) : 50);
        expect(p.desiredHourlyPay).toBe(form.desiredHourlyPay!.trim() ? Number(form.desiredHourlyPay) : undefined);
        expect(p.currency).toBe(form.currency!.trim().toUpperCase() || 'USD');
        expect(p.experienceYears).toBe(form.experienceYears!.trim() ? Number(form.experienceYears) : 0);
        const rows = Array.from({ length: AVAILABILITY_ROWS }, (_, i) => ({ from: form[`from${i}` as 'from0'], to: form[`to${i}` as 'to0'] })).filter((w) => w.from);
        expect(p.availability).toEqual(rows.map((w) => (w.to ? { from: w.from, to: w.to } : { from: w.from })));
        const town = places(form.place!);
        if (town) expect(p.location).toEqual({ lat: town.lat, lon: town.lon });
        else if (form.place!.trim()) expect(p.location).toEqual(pointOf(form.place!.trim(), undefined));
        else expect(p.location).toBeUndefined();
      }),
      { numRuns: 400 },
    );
  });

  it('never lets through a profile the API would refuse: what it takes the API takes, what it refuses it names by label (property)', () => {
    fc.assert(
      fc.property(validForm, fc.subarray(fieldNames, { minLength: 1, maxLength: 3 }), fc.array(oddValue, { minLength: 3, maxLength: 3 }), (form, fields, values) => {
        const changed: WorkerProfileFields = { ...form };
        fields.forEach((f, i) => (changed[f] = values[i]));
        const outcome = workerProfileOf(changed, places);
        if (outcome.profile) {
          expect(outcome.problems).toEqual([]);
          const checked = WorkerProfile.safeParse(outcome.profile);
          expect(checked.error?.issues, JSON.stringify(changed)).toBeUndefined();
          expect(checked.data).toEqual(outcome.profile);
        } else {
          expect(outcome.problems.length).toBeGreaterThan(0);
          // A window's first day is at fault when only its last day is given.
          const named = fields.flatMap((f) => [f, f.replace(/^to/, 'from')]);
          for (const p of outcome.problems) {
            expect(named, JSON.stringify(p)).toContain(p.field);
            expect(p.label).toBe(workerProfileLabels[p.field]);
            expect(p.message).not.toBe('');
          }
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('names each field at fault with its label and gives no profile', () => {
    const base: WorkerProfileFields = { name: 'Alex', email: 'alex@example.com', skills: 'espresso', place: 'Portland, OR', maxTravelKm: '50', desiredHourlyPay: '20', currency: 'USD', experienceYears: '2', from0: '2027-06-01', to0: '2027-09-15' };
    const cases: Array<[Partial<WorkerProfileFields>, string, string]> = [
      [{ name: '  ' }, 'Your name', 'your name is required'],
      [{ email: 'alex@' }, 'E-mail', 'an e-mail address like alex@example.com'],
      [{ email: 'a@b.c' }, 'E-mail', 'an e-mail address like alex@example.com'],
      [{ place: 'Atlantis' }, 'Where you live', 'no town called "Atlantis" is known; try "town", "town, state", "town, country code" or "lat, lon"'],
      [{ place: '91, 0' }, 'Where you live', 'no town called "91, 0" is known; try "town", "town, state", "town, country code" or "lat, lon"'],
      [{ maxTravelKm: '0' }, 'How far you travel (km)', 'a number above 0, at most 20,000'],
      [{ maxTravelKm: '20001' }, 'How far you travel (km)', 'a number above 0, at most 20,000'],
      [{ maxTravelKm: 'far' }, 'How far you travel (km)', 'a number above 0, at most 20,000'],
      [{ desiredHourlyPay: '-1' }, 'Pay you ask per hour', 'a number, 0 or more, at most 10,000'],
      [{ desiredHourlyPay: '10000.01' }, 'Pay you ask per hour', 'a number, 0 or more, at most 10,000'],
      [{ currency: 'US' }, 'Currency', 'a three-letter currency code, such as USD or EUR'],
      [{ experienceYears: '61' }, 'Years of experience', 'a number, 0 or more, at most 60'],
      [{ experienceYears: 'Infinity' }, 'Years of experience', 'a number, 0 or more, at most 60'],
      [{ from0: 'June 1' }, 'Available from (1)', 'a first day like 2027-06-01'],
      [{ from0: '2027-02-30' }, 'Available from (1)', 'a first day like 2027-06-01'],
      [{ from0: '' }, 'Available from (1)', 'a first day like 2027-06-01'],
      [{ to0: '2027-05-31' }, 'Available until (1)', 'the last day must not be before the first'],
      [{ to0: '15/09/2027' }, 'Available until (1)', 'a last day like 2027-09-15, or nothing for open-ended'],
      [{ from2: '2027-07-02', to2: '2027-07-01' }, 'Available until (3)', 'the last day must not be before the first'],
      [{ skills: Array.from({ length: 51 }, (_, i) => `s${i}`).join(',') }, 'Skills', 'at most 50 skills'],
      [{ skills: `espresso, ${'x'.repeat(61)}` }, 'Skills', 'each skill at most 60 characters'],
      // Counted as the API counts it, in lower case: "İ" is two characters then.
      [{ skills: 'İ'.repeat(31) }, 'Skills', 'each skill at most 60 characters'],
    ];
    expect(workerProfileOf(base, places).problems).toEqual([]);
    for (const [change, label, message] of cases) {
      const outcome = workerProfileOf({ ...base, ...change }, places);
      expect(outcome.profile, JSON.stringify(change)).toBeUndefined();
      expect(outcome.problems.map((p) => [p.label, p.message]), JSON.stringify(change)).toEqual([[label, message]]);
    }
    // Everything at fault at once: each named once, in the order of the form.
    const all = workerProfileOf({ name: '', email: 'x', skills: '', place: 'Atlantis', maxTravelKm: '-5', desiredHourlyPay: 'lots', currency: '$', experienceYears: '99', from0: 'soon', from1: '2027-06-02', to1: '2027-06-01' }, places);
    expect(all.problems.map((p) => p.field)).toEqual(['name', 'email', 'place', 'maxTravelKm', 'desiredHourlyPay', 'currency', 'experienceYears', 'from0', 'to1']);
  });

  it('takes the defaults for what is left empty: 50 km, USD, no experience, no skills, no place, no windows', () => {
    expect(workerProfileOf({ name: ' Alex ' }, undefined)).toEqual({
      profile: { name: 'Alex', skills: [], maxTravelKm: 50, currency: 'USD', availability: [], experienceYears: 0 },
      problems: [],
    });
    expect(workerProfileOf({ name: 'Alex', skills: ' Espresso ,, First Aid , ', currency: 'eur', from1: '2027-06-01', to1: '' }, undefined).profile).toEqual({
      name: 'Alex', skills: ['espresso', 'first aid'], maxTravelKm: 50, currency: 'EUR', availability: [{ from: '2027-06-01' }], experienceYears: 0,
    });
  });

  it('fills the form from a profile so that sending it unchanged gives the same profile back (property)', () => {
    const profile = fc
      .record({
        name: typed(200),
        skills: fc.array(skill, { maxLength: 50 }),
        location: fc.option(fc.record({ lat: within(-90, 90), lon: within(-180, 180) }), { nil: undefined }),
        maxTravelKm: fc.double({ min: Number.MIN_VALUE, max: 20_000, noNaN: true }),
        desiredHourlyPay: fc.option(within(0, 10_000), { nil: undefined }),
        currency: fc.stringMatching(/^[A-Z]{3}$/),
        availability: fc.array(window, { maxLength: AVAILABILITY_ROWS }),
        experienceYears: within(0, 60),
        email: fc.option(email, { nil: undefined }),
      })
      .map((raw) => Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)))
      .map((raw) => WorkerProfile.safeParse(raw))
      .filter((r) => r.success)
      .map((r) => r.data);
    fc.assert(
      fc.property(profile, (p) => {
        const again = workerProfileOf(formOfWorkerProfile(p), nowhere);
        expect(again.problems).toEqual([]);
        expect(again.profile).toEqual(p);
      }),
      { numRuns: 400 },
    );
  });

  it('fills the place as "lat, lon", the numbers as the inputs show them and the windows row by row', () => {
    const p: WorkerProfileView = {
      name: 'Alex', email: 'alex@example.com', skills: ['espresso', 'first aid'], location: { lat: 45.52345, lon: -122.67621 }, maxTravelKm: 80, desiredHourlyPay: 21.5,
      currency: 'CAD', availability: [{ from: '2027-06-01', to: '2027-09-15' }, { from: '2027-12-01' }], experienceYears: 1.5,
    };
    expect(formOfWorkerProfile(p)).toEqual({
      name: 'Alex', email: 'alex@example.com', skills: 'espresso, first aid', place: '45.52345, -122.67621', maxTravelKm: '80', desiredHourlyPay: '21.5', currency: 'CAD',
      experienceYears: '1.5', from0: '2027-06-01', to0: '2027-09-15', from1: '2027-12-01', to1: '',
    });
    expect(formOfWorkerProfile({ name: 'Sam', skills: [], maxTravelKm: 50, currency: 'USD', availability: [], experienceYears: 0 })).toEqual({
      name: 'Sam', email: '', skills: '', place: '', maxTravelKm: '50', desiredHourlyPay: '', currency: 'USD', experienceYears: '0',
    });
  });
});

describe('pointOf', () => {
  it('reads "lat, lon" up to the poles and the antimeridian, and nothing past them', () => {
    expect(pointOf('90, 180', undefined)).toEqual({ lat: 90, lon: 180 });
    expect(pointOf('-90, -180', undefined)).toEqual({ lat: -90, lon: -180 });
    expect(pointOf('-90.0,-180.000', undefined)).toEqual({ lat: -90, lon: -180 });
    expect(pointOf('45.52345,-122.67621', undefined)).toEqual({ lat: 45.52345, lon: -122.67621 });
    expect(pointOf('0 , 0', undefined)).toEqual({ lat: 0, lon: 0 });
    for (const past of ['90.0001, 0', '-90.5, 0', '0, 180.0001', '0, -181', '91, 10', '99, 0']) expect(pointOf(past, undefined), past).toBeUndefined();
    for (const odd of ['100, 0', '0, 1000', '45.5', '45.5,', ', -122', '45.5 -122.6', 'N45.5, W122.6', '45,5; 122,6', '1.2.3, 4']) expect(pointOf(odd, undefined), odd).toBeUndefined();
  });

  it('reads a coordinate as the form shows it, however small', () => {
    // A profile's point is shown with String(): a coordinate this close to the equator or the meridian reads "1e-7".
    expect(pointOf(`${1e-7}, ${-5e-7}`, undefined)).toEqual({ lat: 1e-7, lon: -5e-7 });
    expect(pointOf('1e2, 0', undefined)).toBeUndefined();
  });

  it('asks the place lookup only for what is not a coordinate, and keeps only its point', () => {
    const lookup = vi.fn(places);
    expect(pointOf('Portland, OR', lookup)).toEqual({ lat: 45.52345, lon: -122.67621 });
    expect(lookup).toHaveBeenCalledWith('Portland, OR');
    lookup.mockClear();
    expect(pointOf('10, 20', lookup)).toEqual({ lat: 10, lon: 20 });
    expect(pointOf('91, 20', lookup)).toBeUndefined();
    expect(lookup).not.toHaveBeenCalled();
    expect(pointOf('Atlantis', lookup)).toBeUndefined();
    expect(pointOf('Portland, OR', undefined)).toBeUndefined();
  });
});

describe('the business profile form', () => {
  const current = { name: 'Old name', website: 'https://old.example.com', email: 'old@example.com', webhookUrl: 'https://hooks.example.com/jobs' };

  it('keeps the webhook address the form does not show, and drops what is left empty', () => {
    expect(businessProfileOf({ name: ' Lakeside Café ', website: ' https://lakeside.example.com ', email: ' jobs@lakeside.example.com ' }, current)).toEqual({
      profile: { name: 'Lakeside Café', website: 'https://lakeside.example.com', email: 'jobs@lakeside.example.com', webhookUrl: 'https://hooks.example.com/jobs' },
      problems: [],
    });
    expect(businessProfileOf({ name: 'Lakeside Café', website: '  ', email: '' }, current).profile).toEqual({ name: 'Lakeside Café', webhookUrl: 'https://hooks.example.com/jobs' });
    expect(businessProfileOf({ name: 'Lakeside Café' }, undefined).profile).toEqual({ name: 'Lakeside Café' });
    expect(businessProfileOf({ name: 'Lakeside Café' }, { name: 'x', webhookUrl: 42 }).profile).toEqual({ name: 'Lakeside Café' });
  });

  it('names the fields at fault by their labels and gives no profile', () => {
    const cases: Array<[BusinessProfileFields, Array<[string, string]>]> = [
      [{ name: ' ' }, [['Business name', 'the name of the business is required']]],
      [{ name: 'L', website: 'lakeside.example.com' }, [['Website', 'an address like https://lakeside.example.com']]],
      [{ name: 'L', website: 'ftp://lakeside.example.com' }, [['Website', 'an address like https://lakeside.example.com']]],
      [{ name: 'L', website: 'https://localhost' }, [['Website', 'an address like https://lakeside.example.com']]],
      [{ name: 'L', website: 'https://lakeside.example.com:99999' }, [['Website', 'an address like https://lakeside.example.com']]],
      [{ name: 'L', email: 'jobs@' }, [['E-mail for applications', 'an e-mail address like jobs@example.com']]],
      [{ name: 'L', email: 'jobs@lakeside.c' }, [['E-mail for applications', 'an e-mail address like jobs@example.com']]],
      [{ name: '', website: 'x', email: 'y' }, [['Business name', 'the name of the business is required'], ['Website', 'an address like https://lakeside.example.com'], ['E-mail for applications', 'an e-mail address like jobs@example.com']]],
    ];
    for (const [form, problems] of cases) {
      const outcome = businessProfileOf(form, current);
      expect(outcome.profile, JSON.stringify(form)).toBeUndefined();
      expect(outcome.problems.map((p) => [p.label, p.message]), JSON.stringify(form)).toEqual(problems);
      for (const p of outcome.problems) expect(businessProfileLabels[p.field]).toBe(p.label);
    }
  });

  it('never lets through a profile the API would refuse (property)', () => {
    const website = fc.oneof(blank, fc.webUrl(), fc.string({ unit: 'binary', maxLength: 40 }).map((s) => `https://${s}`), fc.constantFrom('https://a.b:99999', 'https://a.b%zz', 'http://[x.y', 'https://x.y/ok?q=1#f'));
    const mail = fc.oneof(blank, email, fc.emailAddress(), fc.constantFrom('a@b.c', 'a..b@example.com', 'x y@z.io'));
    fc.assert(
      fc.property(fc.record({ name: fc.oneof(blank, padded(typed(190))), website, email: mail }), fc.option(fc.webUrl(), { nil: undefined }), (form, webhookUrl) => {
        const outcome = businessProfileOf(form, webhookUrl ? { name: 'x', webhookUrl } : undefined);
        if (!outcome.profile) return;
        const checked = BusinessProfile.safeParse(outcome.profile);
        expect(checked.error?.issues, JSON.stringify(form)).toBeUndefined();
        expect(checked.data).toEqual(outcome.profile);
      }),
      { numRuns: 1000 },
    );
  });
});
