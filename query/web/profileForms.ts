// The profile forms of the pages: a worker's (what matching and alerts need)
// and a business's (what its jobs and mail show). Fields as a browser sends
// them; the profile the API takes for them, or the fields at fault; and the
// form filled in from the profile the API holds.
import { z } from 'zod';
import type { PlaceLookup } from './pageQuery.ts';

/** A field of a profile form at fault: its name, its label and what is wrong. */
export interface ProfileProblem {
  field: string;
  label: string;
  message: string;
}

const text = (max: number) => z.string().max(max).optional();
const given = (s: string | undefined): string | undefined => (s === undefined || s.trim() === '' ? undefined : s.trim());

/** How many availability windows the worker's form offers. */
export const AVAILABILITY_ROWS = 3;

export const WorkerProfileFields = z
  .object({
    name: text(200),
    email: text(320),
    skills: text(3000),
    place: text(100),
    maxTravelKm: text(8),
    desiredHourlyPay: text(10),
    currency: text(3),
    experienceYears: text(4),
    from0: text(10), to0: text(10), from1: text(10), to1: text(10), from2: text(10), to2: text(10),
  })
  .strict();
export type WorkerProfileFields = z.output<typeof WorkerProfileFields>;
type AvailabilityField = 'from0' | 'to0' | 'from1' | 'to1' | 'from2' | 'to2';

export const BusinessProfileFields = z.object({ name: text(200), website: text(2000), email: text(320) }).strict();
export type BusinessProfileFields = z.output<typeof BusinessProfileFields>;

export const workerProfileLabels: Record<string, string> = {
  name: 'Your name', email: 'E-mail', skills: 'Skills', place: 'Where you live', maxTravelKm: 'How far you travel (km)', desiredHourlyPay: 'Pay you ask per hour',
  currency: 'Currency', experienceYears: 'Years of experience', ...Object.fromEntries(Array.from({ length: AVAILABILITY_ROWS }, (_, i): Array<[string, string]> => [[`from${i}`, `Available from (${i + 1})`], [`to${i}`, `Available until (${i + 1})`]]).flat()),
};
export const businessProfileLabels: Record<string, string> = { name: 'Business name', website: 'Website', email: 'E-mail for applications' };

// The API's own checks of an address, a day and a web address: what the form takes, the API takes
// (a looser pattern would let "a@b.c" or 30 February through, to come back as the API's error page).
const isEmail = (s: string) => z.email().safeParse(s).success;
const isDay = (s: string) => z.iso.date().safeParse(s).success;
const isUrl = (s: string) => z.url().safeParse(s).success;
// A negative exponent too: the form shows a profile's point with String(), which writes 1e-7 so.
const pointPattern = /^(-?\d{1,2}(?:\.\d+)?(?:e-\d+)?)\s*,\s*(-?\d{1,3}(?:\.\d+)?(?:e-\d+)?)$/;

/** A town's name or "lat, lon", as a point; undefined when neither. */
export function pointOf(place: string, places: PlaceLookup | undefined): { lat: number; lon: number } | undefined {
  const m = pointPattern.exec(place);
  if (m) {
    const [lat, lon] = [Number(m[1]), Number(m[2])];
    return Math.abs(lat) <= 90 && Math.abs(lon) <= 180 ? { lat, lon } : undefined;
  }
  const found = places?.(place);
  return found ? { lat: found.lat, lon: found.lon } : undefined;
}

/** The worker's profile for the form's fields, or the fields at fault in the form's words; the API checks it again. */
export function workerProfileOf(form: WorkerProfileFields, places: PlaceLookup | undefined): { profile?: Record<string, unknown>; problems: ProfileProblem[] } {
  const problems: ProfileProblem[] = [];
  const problem = (field: string, message: string) => problems.push({ field, label: workerProfileLabels[field] ?? field, message });
  const number = (field: keyof WorkerProfileFields, max: number, positive = false): number | undefined => {
    const v = given(form[field]);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0 || (positive && n === 0) || n > max) problem(field, `a number${positive ? ' above 0' : ', 0 or more'}, at most ${max.toLocaleString('en')}`);
    return n;
  };
  const name = given(form.name);
  if (!name) problem('name', 'your name is required');
  const email = given(form.email);
  if (email && !isEmail(email)) problem('email', 'an e-mail address like alex@example.com');
  const place = given(form.place);
  const location = place ? pointOf(place, places) : undefined;
  if (place && !location) problem('place', `no town called "${place}" is known; try "town", "town, state", "town, country code" or "lat, lon"`);
  const maxTravelKm = number('maxTravelKm', 20_000, true) ?? 50;
  const desiredHourlyPay = number('desiredHourlyPay', 10_000);
  const currency = (given(form.currency) ?? 'USD').toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) problem('currency', 'a three-letter currency code, such as USD or EUR');
  const experienceYears = number('experienceYears', 60) ?? 0;
  const availability: Array<{ from: string; to?: string }> = [];
  for (let i = 0; i < AVAILABILITY_ROWS; i++) {
    const from = given(form[`from${i}` as AvailabilityField]);
    const to = given(form[`to${i}` as AvailabilityField]);
    if (from === undefined && to === undefined) continue;
    if (from === undefined || !isDay(from)) {
      problem(`from${i}`, 'a first day like 2027-06-01');
      continue;
    }
    if (to !== undefined && !isDay(to)) problem(`to${i}`, 'a last day like 2027-09-15, or nothing for open-ended');
    else if (to !== undefined && to < from) problem(`to${i}`, 'the last day must not be before the first');
    else availability.push({ from, ...(to ? { to } : {}) });
  }
  const skills = (given(form.skills) ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (skills.length > 50) problem('skills', 'at most 50 skills');
  else if (skills.some((s) => s.length > 60)) problem('skills', 'each skill at most 60 characters');
  if (problems.length > 0) return { problems };
  return {
    profile: {
      name, skills, maxTravelKm, currency, availability, experienceYears,
      ...(email ? { email } : {}),
      ...(location ? { location } : {}),
      ...(desiredHourlyPay !== undefined ? { desiredHourlyPay } : {}),
    },
    problems,
  };
}

export interface WorkerProfileView {
  name: string;
  email?: string | undefined;
  skills: readonly string[];
  location?: { lat: number; lon: number } | undefined;
  maxTravelKm: number;
  desiredHourlyPay?: number | undefined;
  currency: string;
  availability: ReadonlyArray<{ from: string; to?: string | undefined }>;
  experienceYears: number;
}

/** The form filled in from the worker's profile (a place as "lat, lon": the profile keeps a point, not a name). */
export function formOfWorkerProfile(p: WorkerProfileView): WorkerProfileFields {
  const form: WorkerProfileFields = {
    name: p.name, email: p.email ?? '', skills: p.skills.join(', '), place: p.location ? `${p.location.lat}, ${p.location.lon}` : '',
    maxTravelKm: String(p.maxTravelKm), desiredHourlyPay: p.desiredHourlyPay !== undefined ? String(p.desiredHourlyPay) : '', currency: p.currency, experienceYears: String(p.experienceYears),
  };
  p.availability.slice(0, AVAILABILITY_ROWS).forEach((w, i) => {
    form[`from${i}` as AvailabilityField] = w.from;
    form[`to${i}` as AvailabilityField] = w.to ?? '';
  });
  return form;
}

/** The business's profile for the form's fields; what the form does not show (the webhook address) is kept from `current`. */
export function businessProfileOf(form: BusinessProfileFields, current: Record<string, unknown> | undefined): { profile?: Record<string, unknown>; problems: ProfileProblem[] } {
  const problems: ProfileProblem[] = [];
  const problem = (field: string, message: string) => problems.push({ field, label: businessProfileLabels[field] ?? field, message });
  const name = given(form.name);
  if (!name) problem('name', 'the name of the business is required');
  const website = given(form.website);
  if (website && (!/^https?:\/\/[^\s/]+\.[^\s]+$/.test(website) || !isUrl(website))) problem('website', 'an address like https://lakeside.example.com');
  const email = given(form.email);
  if (email && !isEmail(email)) problem('email', 'an e-mail address like jobs@example.com');
  if (problems.length > 0) return { problems };
  const webhookUrl = typeof current?.webhookUrl === 'string' ? { webhookUrl: current.webhookUrl } : {};
  return { profile: { name, ...(website ? { website } : {}), ...(email ? { email } : {}), ...webhookUrl }, problems };
}
