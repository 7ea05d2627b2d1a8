import type { SearchResult } from '../model/readStore.ts';
import { humanize, money } from './format.ts';
import type { JobCard } from './jobCard.ts';
import { jobCard } from './jobCard.ts';
import type { FieldProblem, Place, SearchPageQuery } from './pageQuery.ts';
import { defaultRadiusKm, pageCategories, pageEmploymentTypes, postedChoices, radiusChoices, searchHref, toggled } from './pageQuery.ts';

interface Choice {
  value: string;
  label: string;
  selected: boolean;
}

interface FacetLink {
  label: string;
  count: number;
  href: string;
  selected: boolean;
}

export interface SearchView {
  title: string;
  heading: string;
  form: { q: string; place: string; payMin: string };
  /** skill and city: the values picked through the facets, as checkboxes the form keeps (or drops, unchecked). */
  choices: { category: Choice[]; type: Choice[]; skill: Choice[]; city: Choice[]; radius: Choice[]; posted: Choice[]; remote: Choice[]; sort: Choice[] };
  problems: Array<FieldProblem & { label: string }>;
  results?: { summary: string; cards: JobCard[]; next?: string; first?: string };
  facets?: { category: FacetLink[]; type: FacetLink[]; pay: FacetLink[]; skill: FacetLink[]; city: FacetLink[]; remote: FacetLink[]; posted: FacetLink[] };
  /** Only the plain home page is worth indexing; result pages are endless combinations. */
  indexable: boolean;
}

export const fieldLabels: Record<keyof SearchPageQuery, string> = {
  q: 'What', place: 'Where', radius: 'Within', category: 'Category', type: 'Type of work', skill: 'Skills', city: 'City', payMin: 'Pay per hour at least',
  remote: 'Remote', posted: 'Posted', sort: 'Sort by', cursor: 'Page',
};

const choice = (values: readonly string[] | undefined) => (value: string, label = humanize(value)): Choice => ({ value, label, selected: values?.includes(value) ?? false });
const single = (current: string | undefined) => ([value, label]: readonly [string, string]): Choice => ({ value, label, selected: (current ?? '') === value });

/** What the search page shows for a form and, when it could run, its result. */
export function searchView(form: SearchPageQuery, outcome: { result?: SearchResult; problems: FieldProblem[]; place?: Place }, now: Date): SearchView {
  const { result, problems, place } = outcome;
  const text = form.q?.trim() ?? '';
  const where = place ? ` near ${place.label}` : '';
  const heading = text ? `Jobs for “${text}”${where}` : `Jobs${where}`;
  const currency = result?.hits[0]?.job.pay.currency ?? 'USD';
  const view: SearchView = {
    title: text ? `${text} jobs${where}` : 'Find seasonal and hourly jobs',
    heading,
    form: { q: form.q ?? '', place: form.place ?? '', payMin: form.payMin ?? '' },
    choices: {
      category: pageCategories.map((c) => choice(form.category)(c)),
      type: pageEmploymentTypes.map((t) => choice(form.type)(t)),
      skill: (form.skill ?? []).map((v) => ({ value: v, label: v, selected: true })),
      city: (form.city ?? []).map((v) => ({ value: v, label: v, selected: true })),
      radius: radiusChoices.map((r) => ({ value: String(r), label: `${r} km`, selected: (form.radius?.trim() || String(defaultRadiusKm)) === String(r) })),
      posted: postedChoices.map(single(form.posted)),
      remote: ([['', 'On-site or remote'], ['only', 'Remote only'], ['onsite', 'On-site only']] as const).map(single(form.remote)),
      sort: ([['', 'Best first'], ['relevance', 'Relevance'], ['newest', 'Newest'], ['pay', 'Highest pay'], ['distance', 'Nearest'], ['expiring', 'Closing soon']] as const).map(single(form.sort)),
    },
    problems: problems.map((p) => ({ ...p, label: fieldLabels[p.field] })),
    indexable: Object.values(form).every((v) => v === undefined || v === '' || (Array.isArray(v) && v.length === 0)),
  };
  if (!result) return view;
  const count = result.total.toLocaleString('en');
  view.results = {
    summary: result.total === 1 ? '1 job' : `${count} jobs`,
    cards: result.hits.map((hit) => jobCard(hit, now)),
    ...(result.nextCursor ? { next: searchHref(form, { cursor: result.nextCursor }) } : {}),
    ...(form.cursor ? { first: searchHref(form) } : {}),
  };
  if (result.facets) {
    const facet = (field: 'category' | 'type' | 'skill' | 'city', buckets: ReadonlyArray<{ key: string; count: number }>, label: (key: string) => string = humanize): FacetLink[] =>
      buckets.map((b) => ({ label: label(b.key), count: b.count, href: searchHref(form, { [field]: toggled(form[field], b.key) }), selected: form[field]?.includes(b.key) ?? false }));
    // One-value fields: a link sets the value, or drops it when it is the one set.
    const pick = (field: 'remote' | 'posted', value: string, label: string, count: number): FacetLink => {
      const selected = form[field] === value;
      return { label, count, href: searchHref(form, { [field]: selected ? undefined : value }), selected };
    };
    const postedLabels = new Map<string, string>(postedChoices);
    view.facets = {
      category: facet('category', result.facets.category),
      type: facet('type', result.facets.employmentType),
      pay: payFloors(result.facets.payBands).map(({ from, count }) => {
        const selected = form.payMin?.trim() === String(from);
        return { label: `${money(from, currency)} or more per hour`, count, href: searchHref(form, { payMin: selected ? undefined : String(from) }), selected };
      }),
      skill: facet('skill', result.facets.skills, (key) => key),
      city: facet('city', result.facets.city, (key) => key),
      remote: result.facets.remote.filter((b) => b.count > 0).map((b) => (b.key === 'true' ? pick('remote', 'only', 'Remote', b.count) : pick('remote', 'onsite', 'On-site', b.count))),
      posted: result.facets.postedWithin.filter((b) => b.count > 0).map((b) => pick('posted', String(b.days), postedLabels.get(String(b.days)) ?? `Last ${b.days} days`, b.count)),
    };
  }
  return view;
}

/**
 * Pay bands as "at least" links: a job falls in the band of its top hourly
 * pay, and `payMin` keeps the jobs whose top pay reaches it, so the count for
 * a floor is the sum over the bands from it upwards.
 */
function payFloors(bands: ReadonlyArray<{ from?: number; count: number }>): Array<{ from: number; count: number }> {
  const floors = bands.filter((b): b is { from: number; count: number } => b.from !== undefined && b.from > 0).sort((a, b) => a.from - b.from);
  let above = 0;
  const out: Array<{ from: number; count: number }> = [];
  for (let i = floors.length - 1; i >= 0; i--) {
    const band = floors[i]!;
    above += band.count;
    if (above > 0) out.unshift({ from: band.from, count: above });
  }
  return out;
}
