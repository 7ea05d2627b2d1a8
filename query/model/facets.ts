// The facets of a search and the filters each one leaves out. A facet counts
// the jobs that match every filter except its own, so its buckets say what
// picking another value (or dropping the filter) would find, while the hits
// and the total stay those of every filter (multi-select facets). Both
// stores and the reference read these definitions.
import type { FilterInput } from './searchRequest.ts';

export const facetNames = ['category', 'employmentType', 'payBands', 'skills', 'city', 'remote', 'postedWithin'] as const;
export type FacetName = (typeof facetNames)[number];

/** The filters each facet ignores (skillsMode only qualifies skills). */
export const facetFilters: Readonly<Record<FacetName, ReadonlyArray<keyof FilterInput>>> = {
  category: ['category'],
  employmentType: ['employmentType'],
  payBands: ['payMin', 'payMax'],
  skills: ['skills', 'skillsMode'],
  city: ['city'],
  remote: ['remote'],
  postedWithin: ['postedWithinDays', 'postedSince'],
};

/** Buckets the skills and city facets hold at most: the most frequent, count desc then key asc. */
export const FACET_TERMS_SIZE = 20;

/** The postedWithin buckets: published within the last 1, 7 and 30 days of the request's `now` (cumulative, as postedWithinDays). */
export const POSTED_WITHIN_DAYS = [1, 7, 30] as const;

/** The key of a postedWithin bucket, e.g. `7d`. */
export const postedWithinKey = (days: number): string => `${days}d`;

/** Whether the filters hold one that the facet ignores (without one, the facet counts exactly the matches). */
export function facetFiltered(f: FilterInput, name: FacetName): boolean {
  if (name === 'skills') return f.skills !== undefined && f.skills.length > 0;
  return facetFilters[name].some((k) => f[k] !== undefined);
}

/** The filters without those of the given facets (all facets: the filters every facet counts under). */
export function withoutFacetFilters<T extends FilterInput>(f: T, names: readonly FacetName[] = facetNames): T {
  const out: T = { ...f };
  for (const n of names) for (const k of facetFilters[n]) delete out[k];
  return out;
}

/** Only the filters of one facet. */
export function facetFilterOf(f: FilterInput, name: FacetName): FilterInput {
  const out: Record<string, unknown> = {};
  for (const k of facetFilters[name]) if (f[k] !== undefined) out[k] = f[k];
  return out;
}

/**
 * Bucket keys in the search engine's order for terms: by Unicode code point
 * (the order of their UTF-8 bytes), which `<` on UTF-16 strings is not for
 * characters past U+FFFF.
 */
export function compareKeys(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; ) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    i += x > 0xffff ? 2 : 1;
  }
  return a.length - b.length;
}

/** Count desc, then key asc (compareKeys): the order of every terms facet. */
export const byCountThenKey = (a: { key: string; count: number }, b: { key: string; count: number }): number => b.count - a.count || compareKeys(a.key, b.key);
