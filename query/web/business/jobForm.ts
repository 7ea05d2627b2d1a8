// The business's job form: its fields as a browser sends them, the job
// content the API takes for them (or the fields at fault), and the form
// filled in from a job for editing.
import { z } from 'zod';
import { categories, employmentTypes, payUnits } from '../../../eventstore/events/index.ts';
import { humanize, money } from '../format.ts';
import type { PlaceLookup } from '../pageQuery.ts';
import type { BusinessJob } from './businessViews.ts';
import { DAY_MS } from '../../model/units.ts';

const text = (max: number) => z.string().max(max).optional();

export const JobFormFields = z
  .object({
    title: text(200),
    description: text(20_000),
    category: text(40),
    employmentType: text(40),
    payMin: text(12),
    payMax: text(12),
    currency: text(3),
    unit: text(10),
    place: text(100),
    remote: z.enum(['on']).optional(),
    skills: text(3000),
    startDate: text(10),
    endDate: text(10),
    hoursPerWeek: text(6),
    experienceYears: text(4),
  })
  .strict();
export type JobFormFields = z.output<typeof JobFormFields>;
export type JobFormField = keyof JobFormFields;

/** The form's fields in words, for the list of problems. */
export const jobFormLabels: Record<JobFormField, string> = {
  title: 'Title', description: 'Description', category: 'Category', employmentType: 'Type of work', payMin: 'Pay from', payMax: 'Pay to', currency: 'Currency',
  unit: 'Pay per', place: 'Town', remote: 'Remote', skills: 'Skills', startDate: 'Starts', endDate: 'Ends', hoursPerWeek: 'Hours per week', experienceYears: 'Years of experience',
};

export interface JobFormProblem {
  field: JobFormField;
  message: string;
}

const given = (s: string | undefined): string | undefined => (s === undefined || s.trim() === '' ? undefined : s.trim());

/** The job content for the form's fields, or the fields at fault in the form's words; the API checks it again. */
export function jobContentOf(form: JobFormFields, places: PlaceLookup | undefined): { content?: Record<string, unknown>; problems: JobFormProblem[] } {
  const problems: JobFormProblem[] = [];
  const need = (field: JobFormField, label: string): string | undefined => {
    const v = given(form[field]);
    if (v === undefined) problems.push({ field, message: `${label} is required` });
    return v;
  };
  const number = (field: JobFormField, label: string, required: boolean): number | undefined => {
    const v = required ? need(field, label) : given(form[field]);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) {
      problems.push({ field, message: `${label} must be a number, 0 or more` });
      return undefined;
    }
    return n;
  };
  const title = need('title', 'a title');
  // Counted in code points, as the API counts them: an emoji is one character, not two.
  if (title !== undefined && [...title].length < 3) problems.push({ field: 'title', message: 'a title of 3 characters or more' });
  const description = need('description', 'a description');
  const category = need('category', 'a category');
  if (category && !(categories as readonly string[]).includes(category)) problems.push({ field: 'category', message: 'pick a category from the list' });
  const employmentType = need('employmentType', 'a type of work');
  if (employmentType && !(employmentTypes as readonly string[]).includes(employmentType)) problems.push({ field: 'employmentType', message: 'pick a type of work from the list' });
  const min = number('payMin', 'the lowest pay', true);
  const max = number('payMax', 'the highest pay', false) ?? min;
  if (min !== undefined && max !== undefined && max < min) problems.push({ field: 'payMax', message: 'the highest pay must not be below the lowest' });
  const currency = (given(form.currency) ?? 'USD').toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) problems.push({ field: 'currency', message: 'a three-letter currency code, such as USD or EUR' });
  const unit = given(form.unit) ?? 'hour';
  if (!(payUnits as readonly string[]).includes(unit)) problems.push({ field: 'unit', message: 'pick a pay unit from the list' });
  const remote = form.remote === 'on';
  const placeName = given(form.place);
  let location: Record<string, unknown> | undefined;
  if (placeName) {
    const place = places?.(placeName);
    if (!place?.town) problems.push({ field: 'place', message: `no town called "${placeName}" is known; try "town", "town, state" or "town, country code"` });
    else location = { point: { lat: place.lat, lon: place.lon }, ...place.town };
  } else if (!remote) {
    problems.push({ field: 'place', message: 'give the town where the work is, or tick “Remote”' });
  }
  const skills = (given(form.skills) ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  const dates: Record<string, string> = {};
  for (const [field, label] of [['startDate', 'the start date'], ['endDate', 'the end date']] as const) {
    const v = given(form[field]);
    if (v === undefined) continue;
    if (!z.iso.date().safeParse(v).success) problems.push({ field, message: `${label} must be a date like 2027-06-01` });
    else dates[field] = v;
  }
  if (dates.startDate && dates.endDate && dates.endDate < dates.startDate) problems.push({ field: 'endDate', message: 'the end date must not be before the start date' });
  const hoursPerWeek = number('hoursPerWeek', 'hours per week', false);
  if (hoursPerWeek !== undefined && hoursPerWeek > 168) problems.push({ field: 'hoursPerWeek', message: 'a week has 168 hours' });
  const experienceYears = number('experienceYears', 'years of experience', false) ?? 0;
  if (problems.length > 0) return { problems };
  return {
    content: {
      title, description, category, employmentType,
      pay: { min, max, currency, unit },
      ...(location ? { location } : {}),
      remote, skills, ...dates,
      ...(hoursPerWeek !== undefined ? { hoursPerWeek } : {}),
      experienceYears,
    },
    problems,
  };
}

/** The form filled in from a job, for editing it. */
export function formOfJob(job: BusinessJob): JobFormFields {
  const place = job.city ? [job.city, job.region ?? job.country].filter(Boolean).join(', ') : '';
  return {
    title: job.title, description: job.description, category: job.category, employmentType: job.employmentType,
    payMin: String(job.pay.min), payMax: String(job.pay.max), currency: job.pay.currency, unit: job.pay.unit,
    place, ...(job.remote ? { remote: 'on' as const } : {}), skills: job.skills.join(', '),
    startDate: job.startDate ?? '', endDate: job.endDate ?? '',
    hoursPerWeek: job.hoursPerWeek !== undefined ? String(job.hoursPerWeek) : '', experienceYears: String(job.experienceYears),
  };
}

const options = (values: readonly string[], current: string | undefined) => values.map((value) => ({ value, label: humanize(value), selected: value === current }));

/** The select lists of the form, with the current values selected. */
export function jobFormChoices(form: JobFormFields) {
  return {
    category: options(categories, form.category),
    employmentType: options(employmentTypes, form.employmentType),
    unit: options(payUnits, form.unit ?? 'hour'),
  };
}

/** How long a published job stays open: the choices of the form, in days. */
export const expiryChoices = [7, 14, 30, 60, 90] as const;
export const defaultExpiryDays = 30;

/** The expiry a publish or reopen form asks for (a choice of `expiryChoices`), from now. */
export function expiresAtOf(days: number, now: Date): string {
  return new Date(now.getTime() + days * DAY_MS).toISOString();
}

/** The hourly pay of comparable jobs, in words, or why there is no suggestion. */
export function paySuggestionText(answer: { statusCode: number; body: Record<string, unknown> }): string {
  const hourly = answer.body.hourly as { p25?: unknown; p50?: unknown; p75?: unknown } | undefined;
  // A suggestion carries its sample size; the API's 422 (too few jobs) carries it in its details.
  const details = answer.body.details as { sampleSize?: unknown } | undefined;
  const counted = answer.statusCode === 422 ? details?.sampleSize : answer.body.sampleSize;
  const sample = typeof counted === 'number' ? counted : 0;
  const code = (answer.body.currency as { code?: unknown } | undefined)?.code;
  if (answer.statusCode === 200 && hourly && typeof hourly.p25 === 'number' && typeof hourly.p50 === 'number' && typeof hourly.p75 === 'number' && typeof code === 'string') {
    return `Comparable jobs pay ${money(hourly.p25, code)}–${money(hourly.p75, code)} per hour (median ${money(hourly.p50, code)}, from ${sample.toLocaleString('en')} job${sample === 1 ? '' : 's'}).`;
  }
  if (answer.statusCode === 422) return `Too few comparable jobs for a pay suggestion (${sample.toLocaleString('en')} found).`;
  return 'Choose a category, a type of work and a place to see what comparable jobs pay.';
}
