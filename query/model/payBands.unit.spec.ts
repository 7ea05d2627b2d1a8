import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PAY_BANDS, payBandIndex } from './payBands.ts';

describe('pay bands', () => {
  it('puts every hourly pay in the one band whose [from, to) holds it (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1000, noNaN: true }), (pay) => {
        const band = PAY_BANDS[payBandIndex(pay)]!;
        expect(pay >= (band.from ?? -Infinity) && pay < (band.to ?? Infinity)).toBe(true);
      }),
    );
    expect([9.99, 10, 14.99, 15, 35].map(payBandIndex)).toEqual([0, 1, 1, 2, 5]);
  });
});
