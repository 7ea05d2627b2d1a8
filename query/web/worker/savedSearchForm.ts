// A saved search and the search form: what the page saves for the form it
// shows, the form that runs a saved search again, and how it reads in words.
import { alertFrequencies } from '../../../eventstore/events/index.ts';
import { humanize, money } from '../format.ts';
import type { FieldProblem, PlaceLookup, SearchPageQuery } from '../pageQuery.ts';
import { defaultRadiusKm, searchHref, toSearchRequest } from '../pageQuery.ts';

/** The fields of the search model a saved search keeps: the query, not the page. */
const savedFields = ['text', 'category', 'employmentType', 'skills', 'city', 'payMin', 'remote', 'postedWithinDays', 'near', 'sort'] as const;

/** The saved query for the form's fields (the API checks it again), or the fields at fault. */
export function savedQueryOf(form: SearchPageQuery, places: PlaceLookup | undefined): { query?: Record<string, unknown>; name?: string; problems: FieldProblem[] } {
  const { request, problems, place } = toSearchRequest({ ...form, cursor: undefined }, places);
  if (!request) return { problems };
  const query: Record<string, unknown> = {};
  for (const field of savedFields) if (request[field] !== undefined) query[field] = request[field];
  return { query, name: describeSavedQuery(query, place?.label).slice(0, 200), problems };
}

const strings = (v: unknown): string[] | undefined => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

interface Near {
  lat: number;
  lon: number;
  radiusKm: number;
}
const nearOf = (v: unknown): Near | undefined => {
  if (typeof v !== 'object' || v === null) return undefined;
  const { lat, lon, radiusKm } = v as Record<string, unknown>;
  const [a, o] = [num(lat), num(lon)];
  return a !== undefined && o !== undefined ? { lat: a, lon: o, radiusKm: num(radiusKm) ?? defaultRadiusKm } : undefined;
};

/**
 * A number as the form types it: never in exponent notation (the place field
 * reads "0.0000001", not "1e-7") and -0 kept, so that the form reads back the very number.
 */
const typed = (n: number): string => {
  if (Object.is(n, -0)) return '-0';
  const m = /^(-?)(\d)(?:\.(\d+))?e-(\d+)$/.exec(String(n));
  return m ? `${m[1] ?? ''}0.${'0'.repeat(Number(m[4]) - 1)}${m[2] ?? ''}${m[3] ?? ''}` : String(n);
};

const formFields = new Set<string>([...savedFields, 'facets', 'highlight', 'size', 'skillsMode', 'includeClosed']);

/**
 * The search page address that runs a saved query, and whether the page can
 * show all of it (a search saved through the API may use fields the form has not).
 */
export function runHref(query: Record<string, unknown>): { href: string; partial: boolean } {
  const form: SearchPageQuery = {};
  if (typeof query.text === 'string') form.q = query.text;
  const category = strings(query.category);
  if (category) form.category = category;
  const type = strings(query.employmentType);
  if (type) form.type = type;
  const skills = strings(query.skills);
  if (skills) form.skill = skills;
  const city = strings(query.city);
  if (city) form.city = city;
  const payMin = num(query.payMin);
  if (payMin !== undefined) form.payMin = typed(payMin);
  if (query.remote === true) form.remote = 'only';
  if (query.remote === false) form.remote = 'onsite';
  const posted = num(query.postedWithinDays);
  if (posted !== undefined && ['1', '3', '7', '14', '30'].includes(String(posted))) form.posted = String(posted) as SearchPageQuery['posted'];
  const near = nearOf(query.near);
  if (near) {
    form.place = `${typed(near.lat)},${typed(near.lon)}`;
    form.radius = String(near.radiusKm);
  }
  if (typeof query.sort === 'string' && ['relevance', 'newest', 'pay', 'distance'].includes(query.sort)) form.sort = query.sort as SearchPageQuery['sort'];
  // The page's skills are any of them: a saved `all` is more than it shows.
  const partial = Object.keys(query).some((k) => !formFields.has(k)) || (posted !== undefined && form.posted === undefined) || query.skillsMode === 'all';
  return { href: searchHref(form), partial };
}

/** A saved query in a few words: “barista” · Hospitality · within 50 km of 45.7, -121.5 · $15.00+ per hour. */
export function describeSavedQuery(query: Record<string, unknown>, placeLabel?: string): string {
  const parts: string[] = [];
  if (typeof query.text === 'string' && query.text.trim()) parts.push(`“${query.text.trim()}”`);
  for (const values of [strings(query.category), strings(query.employmentType)]) if (values?.length) parts.push(values.map(humanize).join(' or '));
  const skills = strings(query.skills);
  if (skills?.length) parts.push(`skills ${skills.join(' or ')}`);
  const city = strings(query.city);
  if (city?.length) parts.push(`in ${city.join(' or ')}`);
  const near = nearOf(query.near);
  if (near) parts.push(`within ${near.radiusKm} km of ${placeLabel ?? `${near.lat}, ${near.lon}`}`);
  const payMin = num(query.payMin);
  if (payMin !== undefined) parts.push(`${money(payMin, 'USD')}+ per hour`);
  if (query.remote === true) parts.push('remote');
  if (query.remote === false) parts.push('on-site');
  const posted = num(query.postedWithinDays);
  if (posted !== undefined) parts.push(`posted in the last ${posted} day${posted === 1 ? '' : 's'}`);
  return parts.length > 0 ? parts.join(' · ') : 'Every open job';
}

export const frequencyLabels: Record<(typeof alertFrequencies)[number], string> = {
  instant: 'At once, for each new job',
  hourly: 'Hourly digest',
  daily: 'Daily digest',
  weekly: 'Weekly digest',
  off: 'No alerts',
};
export const frequencyChoices = (current: string) => alertFrequencies.map((value) => ({ value, label: frequencyLabels[value], selected: value === current }));

/** The search page's "save this search" form: the shown search as hidden fields, a name and how often to be told. */
export function saveSearchForm(form: SearchPageQuery) {
  const fields: Array<{ name: string; value: string }> = [];
  for (const [name, value] of Object.entries(form)) {
    if (name === 'cursor') continue;
    for (const v of Array.isArray(value) ? value : [value]) if (typeof v === 'string' && v !== '') fields.push({ name, value: v });
  }
  return { fields, choices: frequencyChoices('instant') };
}
