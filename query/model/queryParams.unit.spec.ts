// Numeric query parameters read decimal numbers only: a blank or odd value is
// an issue on that parameter, never 0 (as z.coerce.number() would make it).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MapParams, SearchParams, queryNumber } from './queryParams.ts';

const numericSearchParams = ['payMin', 'payMax', 'lat', 'lon', 'radiusKm', 'postedWithinDays', 'minPosition', 'size'] as const;

describe('queryNumber', () => {
  it('reads every finite number as JavaScript writes it, and decimal forms clients type', () => {
    const n = queryNumber(z.number());
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        expect(n.parse(String(x))).toBe(x === 0 ? 0 : x); // String(-0) is '0'
      }),
      { numRuns: 500, seed: 20_260_703 },
    );
    expect(['12', '-3.5', '.5', '5.', '+2', '1e3', '1E-2'].map((v) => n.parse(v))).toEqual([12, -3.5, 0.5, 5, 2, 1000, 0.01]);
  });

  it('refuses blanks and non-decimal text with the reason, on the parameter itself', () => {
    const S = z.object({ payMin: queryNumber(z.number()).optional() });
    for (const [value, message] of [['', 'must be a number, not blank'], [' ', 'must be a number, not blank'], ['abc', 'must be a number'], ['0x10', 'must be a number'], ['Infinity', 'must be a number'], [' 5', 'must be a number']] as const) {
      const r = S.safeParse({ payMin: value });
      expect(r.success, JSON.stringify(value)).toBe(false);
      expect(r.error?.issues.map((i) => ({ path: i.path, message: i.message }))).toEqual([{ path: ['payMin'], message }]);
    }
    expect(S.parse({})).toEqual({});
  });

  it('keeps the bounds and default of the inner schema', () => {
    const size = queryNumber(z.number().int().min(1).max(100).default(20));
    expect(size.parse(undefined)).toBe(20);
    expect(size.parse('7')).toBe(7);
    expect(size.safeParse('0').error?.issues[0]?.code).toBe('too_small');
    expect(size.safeParse('2.5').error?.issues[0]?.code).toBe('invalid_type');
    // The OpenAPI description is the inner number's, as before.
    expect(z.toJSONSchema(z.object({ size }), { io: 'input', unrepresentable: 'any' }).properties?.size).toEqual({ type: 'integer', minimum: 1, maximum: 100, default: 20 });
  });

  it('no numeric search or map parameter reads a blank as a value', () => {
    fc.assert(
      fc.property(fc.constantFrom(...numericSearchParams, 'zoom' as const), fc.constantFrom('', ' ', '\t', '   '), (param, value) => {
        const r = (param === 'zoom' ? MapParams : SearchParams).safeParse({ [param]: value });
        expect(r.success).toBe(false);
        expect(r.error?.issues.map((i) => i.path)).toEqual([[param]]);
      }),
      { numRuns: 100, seed: 20_260_704 },
    );
  });
});
