// Numeric query parameters are numbers or a 400: a blank value (`?payMin=`,
// `?size= `) or a non-number (`?payMin=abc`, `?zoom=0x10`) is
// `validation_failed` naming the parameter, on every read route, never read as
// 0 or coerced into some other filter.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../eventstore/events/index.ts';
import { jobExample } from '../../command/http/examples.ts';
import type { FullApp } from '../../tests/support/fullApp.ts';
import { startFullApp } from '../../tests/support/fullApp.ts';

interface Target {
  method: 'GET' | 'POST';
  /** Path with the other parameters the route needs, valid. */
  base: string;
  /** The numeric parameters of the route. */
  params: readonly string[];
  as?: Principal;
  payload?: unknown;
}

const worker: Principal = { role: 'worker', sub: 'w-num' };
const business: Principal = { role: 'business', sub: 'b-num' };
const operator: Principal = { role: 'operator', sub: 'op-num' };

const filterNumbers = ['payMin', 'payMax', 'lat', 'lon', 'radiusKm', 'postedWithinDays', 'minPosition'] as const;
const TARGETS: Target[] = [
  { method: 'GET', base: '/v1/search?text=barista', params: [...filterNumbers, 'size'] },
  { method: 'GET', base: '/v1/map?bbox=-121,38,-119,40&zoom=8', params: [...filterNumbers, 'zoom'] },
  { method: 'POST', base: '/v1/search', params: ['minPosition'], payload: { text: 'barista' } },
  { method: 'GET', base: '/v1/suggest?prefix=ba', params: ['size'] },
  { method: 'GET', base: '/v1/jobs/job-unknown', params: ['minPosition'] },
  { method: 'GET', base: '/v1/compensation/suggest?category=hospitality&lat=39&lon=-120&radiusKm=50', params: ['lat', 'lon', 'radiusKm', 'minPosition'] },
  { method: 'GET', base: '/v1/me/saved-jobs', params: ['size', 'minPosition'], as: worker },
  { method: 'GET', base: '/v1/me/saved-searches', params: ['size', 'minPosition'], as: worker },
  { method: 'GET', base: '/v1/me/applications', params: ['size', 'minPosition'], as: worker },
  { method: 'GET', base: '/v1/me/recommendations', params: ['size', 'cap', 'minPosition'], as: worker },
  { method: 'POST', base: '/v1/match', params: ['minPosition'], as: worker, payload: { jobIds: ['job-unknown'] } },
  { method: 'GET', base: '/v1/me/notifications', params: ['size'], as: worker },
  { method: 'GET', base: '/v1/businesses/me/jobs', params: ['size', 'minPosition'], as: business },
  { method: 'GET', base: '/v1/jobs/job-unknown/applications', params: ['size', 'minPosition'], as: business },
  { method: 'GET', base: '/v1/jobs/job-unknown/stats', params: ['minPosition'], as: business },
  { method: 'GET', base: '/v1/businesses/me/analytics', params: ['minPosition'], as: business },
  { method: 'GET', base: '/v1/ops/notifications', params: ['dead'], as: operator },
];
const CASES = TARGETS.flatMap((target) => target.params.map((param) => ({ target, param })));

/** Blank values as a client sends them: empty, spaces, tabs. */
const blank = fc.constantFrom('', ' ', '  ', '\t', ' \t ');
/** Values that are not a decimal number (hex, words, lists, lone signs and dots, numbers with spaces around). */
const notANumber = fc.oneof(
  fc.constantFrom('abc', 'NaN', 'Infinity', '-Infinity', '0x10', '0b1', '1e', '--1', '+-1', '.', '-', '1.2.3', '1,5', ' 5', '5 ', 'true', 'null', '[]', '1_000'),
  fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !/^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(s)),
);

interface ErrorReply {
  code: string;
  message: string;
  details: Array<{ field: string; message: string; code: string }>;
}

describe('numeric query parameters: a blank or non-numeric value is a 400 naming the parameter', () => {
  let t: FullApp;
  const headers = new Map<string, { authorization: string }>();

  beforeAll(async () => {
    t = await startFullApp('embedded', { notifications: {} });
    for (const p of [worker, business, operator]) headers.set(p.role, await t.auth(p));
  });
  afterAll(async () => t?.close());

  /** The base request, with `param` set to `value` (replacing a valid value the base gives). */
  const call = (target: Target, extra?: { param: string; value: string }) => {
    const [path, qs = ''] = target.base.split('?');
    const query = new URLSearchParams(qs);
    if (extra) query.set(extra.param, extra.value);
    // URLSearchParams writes a space as `+`; send %20, as browsers do in a URL typed by hand.
    const encoded = query.toString().replace(/\+/g, '%20');
    return t.app.inject({
      method: target.method,
      url: encoded ? `${path}?${encoded}` : path!,
      ...(target.as ? { headers: headers.get(target.as.role) } : {}),
      ...(target.payload !== undefined ? { payload: target.payload as Record<string, unknown> } : {}),
    });
  };

  it('every route answers its valid base request without a 400 (so a 400 below is the parameter)', async () => {
    for (const target of TARGETS) {
      const r = await call(target);
      expect(r.statusCode, `${target.method} ${target.base}: ${r.body}`).not.toBe(400);
      expect(r.statusCode, `${target.method} ${target.base}: ${r.body}`).toBeLessThan(500);
    }
  });

  it.each(CASES.map((c) => ({ ...c, name: `${c.target.method} ${c.target.base.split('?')[0]} ${c.param}` })))('$name: blank is validation_failed naming the parameter', async ({ target, param }) => {
    await fc.assert(
      fc.asyncProperty(blank, async (value) => {
        const r = await call(target, { param, value });
        expect(r.statusCode, r.body).toBe(400);
        const body = r.json<ErrorReply>();
        expect(body.code).toBe('validation_failed');
        expect(body.details[0]?.field).toBe(`querystring.${param}`);
        expect(body.message).toBe(`querystring.${param}: must be a number, not blank`);
      }),
      { numRuns: 10, seed: 20_260_701 },
    );
  });

  it('a non-numeric value of any numeric parameter is validation_failed naming it', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...CASES), notANumber, async ({ target, param }, value) => {
        const r = await call(target, { param, value });
        expect(r.statusCode, `${target.base} ${param}=${JSON.stringify(value)}: ${r.body}`).toBe(400);
        const body = r.json<ErrorReply>();
        expect(body.code).toBe('validation_failed');
        expect(body.details[0]?.field).toBe(`querystring.${param}`);
      }),
      { numRuns: 300, seed: 20_260_702 },
    );
  });

  it('payMin= no longer means payMin=0: an explicit 0 still filters, a blank is refused', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/v1/jobs', payload: { ...jobExample, title: 'Numeric barista' }, headers: headers.get('business') });
    expect(created.statusCode, created.body).toBe(201);
    const { id, position } = created.json<{ id: string; position: number }>();
    const zero = await t.app.inject(`/v1/search?text=barista&payMin=0&minPosition=${position}`);
    expect(zero.statusCode, zero.body).toBe(200);
    expect(zero.json<{ hits: Array<{ job: { jobId: string } }> }>().hits.map((h) => h.job.jobId)).toContain(id);
    const decimals = await t.app.inject(`/v1/search?text=barista&lat=39.1&lon=-120.05&radiusKm=5e2&size=1&minPosition=${position}`);
    expect(decimals.statusCode, decimals.body).toBe(200);
    const blankPay = await t.app.inject(`/v1/search?text=barista&payMin=&minPosition=${position}`);
    expect(blankPay.statusCode).toBe(400);
    expect(blankPay.json<ErrorReply>().details).toEqual([{ field: 'querystring.payMin', message: 'must be a number, not blank', code: 'custom' }]);
    const word = await t.app.inject('/v1/search?payMin=abc');
    expect(word.json<ErrorReply>().details).toEqual([{ field: 'querystring.payMin', message: 'must be a number', code: 'custom' }]);
  });

  it('a number outside the route bounds is still the bound error of that parameter', async () => {
    const r = await t.app.inject('/v1/suggest?prefix=ba&size=0');
    expect(r.statusCode).toBe(400);
    expect(r.json<ErrorReply>().details[0]).toMatchObject({ field: 'querystring.size', code: 'too_small' });
    const m = await t.app.inject('/v1/search?minPosition=1.5');
    expect(m.json<ErrorReply>().details[0]).toMatchObject({ field: 'querystring.minPosition', code: 'invalid_type' });
  });
});
