import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../mappings/indexDefinition.ts';
import { encodeCursor } from '../../model/cursor.ts';
import { DAY_MS } from '../../model/units.ts';
import { allFilterClauses, availabilityClauses, bboxClause, filterClauses, nearClause, skillClauses, statusClauses, visibilityClauses } from './filters.ts';
import { PAY_BANDS } from '../../model/payBands.ts';
import { facetRequest, facetValueAggs, geohashGridAggs } from './aggs.ts';
import { withoutFacetFilters } from '../../model/facets.ts';
import { mapBody, mapPointsBody, searchBody, suggestBody, type SearchInput } from './search.ts';
import { MISSING_EXPIRES_AT, MISSING_PUBLISHED_AT, sortClauses, sortKindOf } from './sort.ts';
import { MATCH_SCORE_SCRIPT } from '../../../mappings/matchScoreScript.ts';
import { matchScoreParams } from '../../match/matchScoreQuery.ts';
import { TEXT_FIELDS, highlightOf, textQuery } from './text.ts';

const now = new Date('2026-06-15T12:00:00.000Z');
const nowMs = now.getTime();

describe('filters', () => {
  it('shows open, unexpired jobs; an owner listing shows every status of one business', () => {
    expect(visibilityClauses({}, now)).toEqual([
      { term: { status: 'open' } },
      { range: { expiresAt: { gt: nowMs, format: 'epoch_millis' } } },
    ]);
    expect(visibilityClauses({ businessId: 'b1' }, now)).toContainEqual({ term: { businessId: 'b1' } });
    expect(visibilityClauses({ businessId: 'b1', includeClosed: true }, now)).toEqual([{ term: { businessId: 'b1' } }]);
    // includeClosed alone changes nothing
    expect(visibilityClauses({ includeClosed: true }, now)).toEqual(visibilityClauses({}, now));
  });

  it('overlaps availability inclusively, a missing start or end being open-ended', () => {
    expect(availabilityClauses(undefined, undefined)).toEqual([]);
    expect(availabilityClauses('2026-07-01', '2026-07-31')).toEqual([
      { bool: { should: [{ range: { startDate: { lte: '2026-07-31' } } }, { bool: { must_not: [{ exists: { field: 'startDate' } }] } }], minimum_should_match: 1 } },
      { bool: { should: [{ range: { endDate: { gte: '2026-07-01' } } }, { bool: { must_not: [{ exists: { field: 'endDate' } }] } }], minimum_should_match: 1 } },
    ]);
  });

  it('skills: one terms for any, one term per distinct skill for all', () => {
    expect(skillClauses(['coffee', 'Tea'], 'any')).toEqual([{ terms: { skills: ['coffee', 'tea'] } }]);
    expect(skillClauses(['coffee', 'tea', 'coffee'], 'all')).toEqual([{ term: { skills: 'coffee' } }, { term: { skills: 'tea' } }]);
    expect(skillClauses(undefined)).toEqual([]);
  });

  it('pay, remote, category, type, posted window (absolute instant)', () => {
    const c = filterClauses({ payMin: 12, payMax: 20, remote: false, category: ['retail'], employmentType: ['gig'], postedWithinDays: 3 }, now);
    expect(c).toEqual([
      { terms: { category: ['retail'] } },
      { terms: { employmentType: ['gig'] } },
      { range: { hourlyMax: { gte: 12 } } },
      { range: { hourlyMin: { lte: 20 } } },
      { term: { remote: false } },
      { range: { publishedAt: { gte: nowMs - 3 * DAY_MS, format: 'epoch_millis' } } },
    ]);
  });

  it('posted since an instant: the same absolute bound, beside a posted window', () => {
    const since = new Date(nowMs - 36 * 3_600_000).toISOString();
    expect(filterClauses({ postedSince: since, postedWithinDays: 1 }, now)).toEqual([
      { range: { publishedAt: { gte: nowMs - DAY_MS, format: 'epoch_millis' } } },
      { range: { publishedAt: { gte: Date.parse(since), format: 'epoch_millis' } } },
    ]);
  });

  it('effective status: the stored status, an open job split at its expiry (none: not past), expired also an open one past it', () => {
    const past = { range: { expiresAt: { lte: nowMs, format: 'epoch_millis' } } };
    expect(statusClauses(undefined, now)).toEqual([]);
    expect(statusClauses('draft', now)).toEqual([{ term: { status: 'draft' } }]);
    expect(statusClauses('closed', now)).toEqual([{ term: { status: 'closed' } }]);
    expect(statusClauses('open', now)).toEqual([{ bool: { filter: [{ term: { status: 'open' } }], must_not: [past] } }]);
    expect(statusClauses('expired', now)).toEqual([
      { bool: { should: [{ term: { status: 'expired' } }, { bool: { filter: [{ term: { status: 'open' } }, past] } }], minimum_should_match: 1 } },
    ]);
    // In the filter of an owner listing, after its visibility.
    expect(allFilterClauses({ businessId: 'b1', includeClosed: true, status: 'draft' }, now)).toEqual([{ term: { businessId: 'b1' } }, { term: { status: 'draft' } }]);
  });

  it('geo: arc distance in km and a top/left/bottom/right box', () => {
    expect(nearClause({ lat: 1, lon: 2, radiusKm: 7.5 })).toEqual({ geo_distance: { distance: '7.5km', distance_type: 'arc', location: { lat: 1, lon: 2 } } });
    expect(bboxClause({ minLat: -10, maxLat: 10, minLon: 170, maxLon: -170 })).toEqual({
      geo_bounding_box: { location: { top: 10, left: 170, bottom: -10, right: -170 } },
    });
    expect(allFilterClauses({ bbox: { minLat: 0, maxLat: 1, minLon: 0, maxLon: 1 } }, now)).toHaveLength(3);
  });
});

describe('text, sort, aggs', () => {
  it('text is one cross_fields AND multi_match over title^3, skills.text^2, description', () => {
    expect(textQuery('kitchen porter')).toEqual({
      multi_match: { query: 'kitchen porter', type: 'cross_fields', operator: 'and', fields: ['title^3', 'skills.text^2', 'description'] },
    });
    expect(TEXT_FIELDS).toEqual(['title^3', 'skills.text^2', 'description']);
    // The engine escapes the job's text (encoder html) before adding the tags, as the embedded store does.
    expect(highlightOf('x')).toMatchObject({ encoder: 'html', pre_tags: ['<em>'], post_tags: ['</em>'], fields: { description: { fragment_size: 150, number_of_fragments: 2 } } });
  });

  it('every order ends with jobId asc', () => {
    expect(sortKindOf('relevance', true)).toBe('score');
    expect(sortKindOf('relevance', false)).toBe('newest');
    expect(sortClauses('score')).toEqual([{ _score: { order: 'desc' } }, { jobId: { order: 'asc' } }]);
    expect(sortClauses('newest')).toEqual([{ publishedAt: { order: 'desc', missing: MISSING_PUBLISHED_AT } }, { jobId: { order: 'asc' } }]);
    expect(sortClauses('pay')).toEqual([{ hourlyMax: { order: 'desc' } }, { jobId: { order: 'asc' } }]);
    expect(sortClauses('distance', { lat: 1, lon: 2, radiusKm: 3 })).toEqual([
      { _geo_distance: { location: { lat: 1, lon: 2 }, order: 'asc', unit: 'km', distance_type: 'arc' } },
      { jobId: { order: 'asc' } },
    ]);
    expect(() => sortClauses('distance')).toThrow(RangeError);
    expect(Number.isSafeInteger(MISSING_PUBLISHED_AT)).toBe(true);
    expect(sortClauses('expiring')).toEqual([{ expiresAt: { order: 'asc', missing: MISSING_EXPIRES_AT } }, { jobId: { order: 'asc' } }]);
    expect(Number.isSafeInteger(MISSING_EXPIRES_AT)).toBe(true);
    expect(() => sortClauses('match')).toThrow(RangeError);
  });

  it('sort match: the constant painless source with the worker only in params, as a double sort value, then jobId', () => {
    const worker = { name: 'W', skills: ['Barista"; return 100; //'], location: { lat: 1, lon: 2 }, maxTravelKm: 30, currency: 'USD', availability: [], experienceYears: 1 };
    const params = matchScoreParams(worker, undefined, now);
    const plan = searchBody({ sort: 'match', text: 'chef', cursor: encodeCursor({ sort: 'match', value: 71.25, jobId: 'j2' }) }, now, params);
    expect(plan.kind).toBe('match');
    expect(plan.body.sort).toEqual([{ _script: { type: 'number', order: 'desc', script: { lang: 'painless', source: MATCH_SCORE_SCRIPT, params } } }, { jobId: { order: 'asc' } }]);
    expect(plan.body).toMatchObject({ search_after: [71.25, 'j2'] });
    // Text filters, it does not score: the order is the match score alone.
    expect(plan.body.query).toEqual({ bool: { filter: [textQuery('chef'), ...allFilterClauses({}, now)] } });
    // A draft's expiring cursor (no expiresAt) resumes after every real instant.
    expect(searchBody({ sort: 'expiring', cursor: encodeCursor({ sort: 'expiring', value: null, jobId: 'd1' }) }, now).body).toMatchObject({ search_after: [MISSING_EXPIRES_AT, 'd1'] });
  });

  it('facets: term aggs ordered by count then key (skills and city the top 20), six pay bands, remote and posted-within buckets', () => {
    const a = facetValueAggs(now) as Record<string, { terms?: JsonObject; range?: { ranges: unknown[] }; filters?: { filters: JsonObject } }>;
    expect(a.category?.terms).toMatchObject({ field: 'category', min_doc_count: 1, order: [{ _count: 'desc' }, { _key: 'asc' }] });
    expect(a.skills?.terms).toMatchObject({ field: 'skills', size: 20, min_doc_count: 1, order: [{ _count: 'desc' }, { _key: 'asc' }] });
    expect(a.city?.terms).toMatchObject({ field: 'city', size: 20, min_doc_count: 1, order: [{ _count: 'desc' }, { _key: 'asc' }] });
    expect(a.remote?.filters?.filters).toEqual({ true: { term: { remote: true } }, false: { term: { remote: false } } });
    // the postedWithinDays filter's own clause, per bucket
    expect(a.postedWithin?.filters?.filters).toEqual({
      '1d': { bool: { filter: filterClauses({ postedWithinDays: 1 }, now) } },
      '7d': { bool: { filter: filterClauses({ postedWithinDays: 7 }, now) } },
      '30d': { bool: { filter: filterClauses({ postedWithinDays: 30 }, now) } },
    });
    expect(a.payBands?.range?.ranges).toEqual(PAY_BANDS);
    expect(PAY_BANDS.map((b) => b.key)).toEqual(['lt10', '10-15', '15-20', '20-25', '25-35', 'gte35']);
    expect(geohashGridAggs(4)).toMatchObject({ cells: { geohash_grid: { field: 'location', precision: 4 }, aggs: { centroid: { geo_centroid: { field: 'location' } } } } });
  });
});

describe('request bodies', () => {
  it('with facets, the filters a facet ignores go to post_filter and each facet counts under the other facets\' filters', () => {
    const f: SearchInput = { text: 'cook', category: ['hospitality'], payMin: 12, skills: ['cooking'], skillsMode: 'all', city: ['Lyon'], remote: false, postedWithinDays: 7, availableFrom: '2026-07-01', sort: 'newest' };
    const withFacets = searchBody({ ...f, facets: true }, now).body;
    const without = searchBody(f, now).body;
    // without facets: every filter in the query, as ever
    expect(without.post_filter).toBeUndefined();
    expect(without.query).toEqual({ bool: { filter: [textQuery('cook'), ...allFilterClauses(f, now)] } });
    // with facets: the query keeps text, visibility and availability; the post_filter the rest
    const rest = withoutFacetFilters(f);
    expect(withFacets.query).toEqual({ bool: { filter: [textQuery('cook'), ...allFilterClauses(rest, now)] } });
    const own = {
      category: [{ terms: { category: ['hospitality'] } }],
      payBands: [{ range: { hourlyMax: { gte: 12 } } }],
      skills: [{ term: { skills: 'cooking' } }],
      city: [{ terms: { city: ['Lyon'] } }],
      remote: [{ term: { remote: false } }],
      postedWithin: filterClauses({ postedWithinDays: 7 }, now),
    };
    expect(withFacets.post_filter).toEqual({ bool: { filter: Object.values(own).flat() } });
    const aggs = withFacets.aggs as Record<string, { filter: { bool: { filter: JsonObject[] } } }>;
    for (const name of Object.keys(own)) {
      const others = Object.entries(own).filter(([n]) => n !== name).flatMap(([, c]) => c);
      expect(aggs[name]?.filter.bool.filter, name).toEqual(others);
    }
    // employmentType has no filter here: it counts under all the others
    expect(aggs.employmentType?.filter.bool.filter).toEqual(Object.values(own).flat());
  });

  it('search asks one hit more than the page, exact totals, search_after from the cursor', () => {
    const plan = searchBody({ size: 5, sort: 'pay', cursor: encodeCursor({ sort: 'pay', value: 12.5, jobId: 'j9' }), facets: true }, now);
    expect(plan.kind).toBe('pay');
    expect(plan.size).toBe(5);
    expect(plan.body).toMatchObject({ size: 6, track_total_hits: true, search_after: [12.5, 'j9'], aggs: facetRequest({}, now).aggs });
    expect(plan.body.post_filter).toBeUndefined();
    // A draft's cursor (no publishedAt) resumes below every real instant.
    const drafts = searchBody({ sort: 'newest', cursor: encodeCursor({ sort: 'newest', value: null, jobId: 'd1' }) }, now);
    expect(drafts.body).toMatchObject({ search_after: [MISSING_PUBLISHED_AT, 'd1'] });
    expect(plan.body.highlight).toBeUndefined();
    // text scores only under relevance; highlight only with text
    const withText = searchBody({ text: 'chef', highlight: true }, now);
    expect(withText.kind).toBe('score');
    expect(withText.body.query).toMatchObject({ bool: { must: [textQuery('chef')] } });
    expect(withText.body.highlight).toBeDefined();
    const byPay = searchBody({ text: 'chef', sort: 'pay' }, now);
    expect(byPay.body.query).toEqual({ bool: { filter: [textQuery('chef'), ...allFilterClauses({}, now)] } });
    expect(searchBody({ highlight: true }, now).body.highlight).toBeUndefined();
  });

  it('map counts with size 0; points sorted by jobId', () => {
    const req = { bbox: { minLat: 0, maxLat: 1, minLon: 0, maxLon: 1 }, zoom: 3 };
    expect(mapBody(req, 3, now)).toMatchObject({ size: 0, track_total_hits: true, aggs: geohashGridAggs(3) });
    expect(mapPointsBody(req, now, 200)).toMatchObject({ size: 200, sort: [{ jobId: { order: 'asc' } }] });
  });
});

// ---- user input never reaches query_string or a script --------------------------

const FORBIDDEN_KEYS = new Set(['query_string', 'script', 'script_score', 'script_fields', 'scripted_metric', 'runtime_mappings', 'function_score', 'regexp', 'wildcard', 'fuzzy', 'template', 'source']);

function keysOf(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) for (const x of v) keysOf(x, out);
  else if (typeof v === 'object' && v !== null) {
    for (const [k, x] of Object.entries(v)) {
      out.push(k);
      keysOf(x, out);
    }
  }
  return out;
}

/** The body with the query text of every multi_match / match_phrase replaced by a placeholder. */
function blankText(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(blankText);
  if (typeof v !== 'object' || v === null) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === 'multi_match') out[k] = { ...(x as object), query: '<TEXT>' };
    else if (k === 'match_phrase') out[k] = { 'title.suggest': { query: '<TEXT>' } };
    else out[k] = blankText(x);
  }
  return out;
}

function textsOf(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) for (const x of v) textsOf(x, out);
  else if (typeof v === 'object' && v !== null) {
    for (const [k, x] of Object.entries(v)) {
      if (k === 'multi_match') out.push((x as { query: string }).query);
      else textsOf(x, out);
    }
  }
  return out;
}

describe('user text only ever reaches multi_match (fast-check)', () => {
  const userString = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.constantFrom('*', 'a OR b', 'title:x', '"}', 'doc[\'x\'].value', '{{x}}', 'and', 'open', '\\', 'query_string'));
  const input = fc.record(
    {
      text: userString,
      businessId: userString,
      skills: fc.array(userString, { minLength: 1, maxLength: 3 }),
      skillsMode: fc.constantFrom('any' as const, 'all' as const),
      city: fc.array(userString, { minLength: 1, maxLength: 3 }),
      includeClosed: fc.boolean(),
      sort: fc.constantFrom('relevance' as const, 'newest' as const, 'pay' as const),
      facets: fc.boolean(),
      highlight: fc.boolean(),
    },
    { requiredKeys: ['text'] },
  );

  it('search bodies: no query_string/script anywhere; the text is only a multi_match query; no user string becomes a key', () => {
    const base = new Set<string>();
    for (const includeClosed of [true, false]) {
      for (const sort of ['relevance', 'newest', 'pay'] as const) {
        const body = searchBody({ text: 'x', businessId: 'b', skills: ['s'], skillsMode: 'all', city: ['c'], facets: true, highlight: true, includeClosed, sort }, now).body;
        for (const k of keysOf(body)) base.add(k);
      }
    }
    fc.assert(
      fc.property(input, (req: SearchInput & { text: string }) => {
        const body = searchBody(req, now).body;
        const keys = keysOf(body);
        for (const k of keys) {
          expect(FORBIDDEN_KEYS.has(k), k).toBe(false);
          expect(base.has(k), k).toBe(true);
        }
        for (const t of textsOf(body)) expect(t).toBe(req.text);
        expect(blankText(body)).toEqual(blankText(searchBody({ ...req, text: 'placeholder' }, now).body));
      }),
      { numRuns: 300 },
    );
  });

  it('suggest and map bodies likewise', () => {
    fc.assert(
      fc.property(userString, fc.integer({ min: 1, max: 50 }), (prefix, size) => {
        const body = suggestBody(prefix, size, now);
        for (const k of keysOf(body)) expect(FORBIDDEN_KEYS.has(k), k).toBe(false);
        expect(blankText(body)).toEqual(blankText(suggestBody('placeholder', size, now)));
        const map = mapBody({ text: prefix, bbox: { minLat: 0, maxLat: 1, minLon: 0, maxLon: 1 }, zoom: 1 }, 1, now);
        for (const k of keysOf(map)) expect(FORBIDDEN_KEYS.has(k), k).toBe(false);
        expect(textsOf(map)).toEqual([prefix]);
      }),
      { numRuns: 300 },
    );
  });
});
