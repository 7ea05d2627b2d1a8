import { describe, expect, it } from 'vitest';
import { SearchPageQuery, toSearchRequest } from '../../query/web/pageQuery.ts';
import { pageModelPathOf, pagePathOf } from './pageQueries.ts';
import { searchPaths } from './queries.ts';
import { searchRequestOf } from './requests.ts';

/** The page's form as the route reads it: a repeated field becomes an array, as fastify's query-string parser makes it. */
function pageFormOf(pagePath: string): SearchPageQuery {
  const url = new URL(pagePath, 'http://bench.invalid');
  expect(url.pathname).toBe('/');
  const form: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    form[key] = values.length === 1 ? values[0]! : values;
  }
  return SearchPageQuery.parse(form);
}

/** The query model the search page runs for a page URL (coordinates only, as the bench's places are). */
function pageModelOf(pagePath: string) {
  const outcome = toSearchRequest(pageFormOf(pagePath), undefined);
  expect(outcome.problems).toEqual([]);
  return outcome.request!;
}

describe('search page URLs of the bench search mix', () => {
  it('writes each kind of the mix as the page form names its fields', () => {
    expect(pagePathOf('/v1/search?text=barista&category=retail&payMin=7')).toBe('/?q=barista&category=retail&payMin=7');
    expect(pagePathOf('/v1/search?text=cook&lat=40.71&lon=-74&radiusKm=80')).toBe('/?q=cook&place=40.71%2C-74&radius=80');
    // Without words or a place the page would sort by newest; the API sorts by relevance.
    expect(pagePathOf('/v1/search?category=events&employmentType=hourly&facets=true')).toBe('/?category=events&type=hourly&sort=relevance');
    expect(pagePathOf('/v1/search?lat=51.5&lon=-0.12&radiusKm=100&sort=distance&employmentType=seasonal')).toBe('/?type=seasonal&place=51.5%2C-0.12&radius=100');
    expect(pagePathOf('/v1/search?category=tourism&sort=newest&size=20&cursor=abc%3D')).toBe('/?category=tourism&cursor=abc%3D');
    expect(pagePathOf('/v1/search?remote=true&postedWithinDays=7&category=retail,events')).toBe('/?category=retail&category=events&remote=only&posted=7&sort=relevance');
  });

  it('makes the page run the very query model of the API path, with the facets, highlights and page size the page always asks for', () => {
    const paths = [...searchPaths(500), '/v1/search?category=tourism&sort=newest&size=20&cursor=abc', '/v1/search?remote=false&postedWithinDays=30&text=host&sort=pay'];
    for (const path of paths) {
      const page = pageModelOf(pagePathOf(path));
      expect(page, path).toEqual(searchRequestOf(pageModelPathOf(path)));
      // The same filters, sort, size and cursor as the mix's own request: the same hits, in the same order.
      expect({ ...page, facets: false, highlight: false }, path).toEqual({ ...searchRequestOf(path), facets: false, highlight: false });
      expect(page).toMatchObject({ facets: true, highlight: true, size: 20 });
    }
  });

  it('refuses what the page form cannot ask for', () => {
    expect(() => pagePathOf('/v1/search?text=cook&size=50')).toThrow(/20 jobs a page/);
    expect(() => pagePathOf('/v1/search?bbox=1,2,3,4')).toThrow(/no field for bbox/);
    expect(() => pagePathOf('/v1/search?postedWithinDays=2')).toThrow(/posted within/);
    expect(() => pageModelPathOf('/v1/search?skills=forklift')).toThrow(/no field for skills/);
    expect(() => pagePathOf('/v1/map?zoom=3')).toThrow(/not a search path/);
  });
});
