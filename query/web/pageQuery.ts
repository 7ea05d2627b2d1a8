import { z } from 'zod';
import { categories, employmentTypes } from '../../eventstore/events/index.ts';
import { SearchRequest, sorts } from '../model/searchRequest.ts';

/** A place the search form's `place` field resolved to. */
export interface Place {
  label: string;
  lat: number;
  lon: number;
  /** For a named town: what a job posted there records. */
  town?: { city: string; region?: string; country: string };
}

/** Finds a typed place name ("Hood River", "Hood River, OR", "Lyon, FR"); undefined when unknown. */
export type PlaceLookup = (name: string) => Place | undefined;

const one = (max: number) => z.string().max(max);
// A form sends a repeated checkbox as several values and a single one as a string.
const manyOf = (max: number) => z.union([z.string().max(max), z.array(z.string().max(max)).max(20)]).transform((v) => (Array.isArray(v) ? v : [v]));
const many = manyOf(40);

/**
 * The search form's fields, as a browser sends them: every field may come
 * empty (an untouched input), which means "not given". Unknown fields are
 * refused like everywhere else.
 */
export const SearchPageQuery = z
  .object({
    q: one(200).optional(),
    category: many.optional(),
    type: many.optional(),
    // Set by the skills and city facets' links.
    skill: manyOf(60).optional(),
    city: manyOf(200).optional(),
    payMin: one(12).optional(),
    remote: z.enum(['', 'only', 'onsite']).optional(),
    posted: z.enum(['', '1', '3', '7', '14', '30']).optional(),
    place: one(100).optional(),
    radius: one(8).optional(),
    sort: z.enum(['', ...sorts]).optional(),
    cursor: one(2000).optional(),
  })
  .strict();
export type SearchPageQuery = z.output<typeof SearchPageQuery>;

export const defaultRadiusKm = 50;
export const radiusChoices = [10, 25, 50, 100, 250] as const;
export const postedChoices = [['', 'Any time'], ['1', 'Last 24 hours'], ['3', 'Last 3 days'], ['7', 'Last week'], ['14', 'Last 2 weeks'], ['30', 'Last month']] as const;
export const pageCategories = categories;
export const pageEmploymentTypes = employmentTypes;

/** A field of the form that cannot be searched for, with what is wrong. */
export interface FieldProblem {
  field: keyof SearchPageQuery;
  message: string;
}

export interface PageSearch {
  /** The query model to run, when the form holds no problem. */
  request?: SearchRequest;
  problems: FieldProblem[];
  /** Where `place` resolved to. */
  place?: Place;
}

const modelToField: Record<string, keyof SearchPageQuery> = {
  text: 'q', category: 'category', employmentType: 'type', skills: 'skill', city: 'city', payMin: 'payMin', remote: 'remote',
  postedWithinDays: 'posted', near: 'radius', sort: 'sort', cursor: 'cursor',
};

const given = (s: string | undefined): string | undefined => (s === undefined || s.trim() === '' ? undefined : s.trim());

/** The query model for the form's fields, or the fields at fault (named as the form names them). */
export function toSearchRequest(form: SearchPageQuery, places: PlaceLookup | undefined): PageSearch {
  const problems: FieldProblem[] = [];
  const model: Record<string, unknown> = { facets: true, highlight: true, size: 20 };
  const text = given(form.q);
  if (text) model.text = text;
  if (form.category?.length) model.category = form.category;
  if (form.type?.length) model.employmentType = form.type;
  if (form.skill?.length) model.skills = form.skill;
  if (form.city?.length) model.city = form.city;
  const payMin = given(form.payMin);
  if (payMin !== undefined) {
    const n = Number(payMin);
    if (!Number.isFinite(n)) problems.push({ field: 'payMin', message: 'must be a number' });
    else model.payMin = n;
  }
  if (form.remote === 'only') model.remote = true;
  if (form.remote === 'onsite') model.remote = false;
  if (given(form.posted)) model.postedWithinDays = Number(form.posted);
  const placeName = given(form.place);
  let place: Place | undefined;
  if (placeName) {
    place = parseCoordinates(placeName) ?? places?.(placeName);
    if (!place) problems.push({ field: 'place', message: `no place called "${placeName}" is known; try a city name, "city, country" or "lat,lon"` });
  }
  const radiusText = given(form.radius);
  const radius = radiusText === undefined ? defaultRadiusKm : Number(radiusText);
  if (!Number.isFinite(radius)) problems.push({ field: 'radius', message: 'must be a number of kilometres' });
  else if (place) model.near = { lat: place.lat, lon: place.lon, radiusKm: radius };
  // Unless asked: words sort by relevance, a place alone by distance, nothing by newest.
  model.sort = given(form.sort) ?? (text ? 'relevance' : model.near ? 'distance' : 'newest');
  // The page does not rank for a worker: that is the recommendations page.
  if (model.sort === 'match') problems.push({ field: 'sort', message: 'this page does not sort by match: see your recommendations' });
  const cursor = given(form.cursor);
  if (cursor) model.cursor = cursor;
  const parsed = SearchRequest.safeParse(model);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = modelToField[String(issue.path[0])] ?? 'q';
      const message = issue.path[0] === 'sort' && model.sort === 'distance' && !model.near ? 'sorting by distance needs a place' : issue.message;
      problems.push({ field, message });
    }
  }
  return { ...(parsed.success && problems.length === 0 ? { request: parsed.data } : {}), problems, ...(place ? { place } : {}) };
}

function parseCoordinates(s: string): Place | undefined {
  const m = /^(-?\d{1,2}(?:\.\d+)?)\s*,\s*(-?\d{1,3}(?:\.\d+)?)$/.exec(s);
  if (!m) return undefined;
  const lat = Number(m[1]);
  const lon = Number(m[2]);
  if (Math.abs(lat) > 90 || Math.abs(lon) > 180) return undefined;
  return { label: `${lat}, ${lon}`, lat, lon };
}

/** The page URL for the form's fields with some changed (undefined or empty: dropped); the cursor is dropped unless given. */
export function searchHref(form: SearchPageQuery, change: Partial<Record<keyof SearchPageQuery, string | string[] | undefined>> = {}): string {
  const merged: Record<string, string | string[] | undefined> = { ...form, cursor: undefined, ...change };
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(merged)) {
    for (const v of Array.isArray(value) ? value : [value]) if (v !== undefined && v !== '') params.append(key, v);
  }
  const qs = params.toString();
  return qs ? `/?${qs}` : '/';
}

/** The values of a repeated field with one toggled on or off. */
export function toggled(values: readonly string[] | undefined, value: string): string[] {
  const current = values ?? [];
  return current.includes(value) ? current.filter((v) => v !== value) : [...current, value];
}
