import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { InvalidCursorError } from './invalidCursorError.ts';

const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');

describe('the page cursor of both stores', () => {
  it('round-trips the last hit of each sort order, a draft with no publishedAt included', () => {
    const score = { sort: 'score' as const, value: 1.2345678901234567, jobId: 'j-1' };
    expect(encodeCursor(score)).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(encodeCursor(score), 'score')).toEqual(score);
    expect(decodeCursor(encodeCursor({ sort: 'newest', value: 1767225600000, jobId: 'job-1' }), 'newest')).toEqual({ sort: 'newest', value: 1767225600000, jobId: 'job-1' });
    expect(decodeCursor(encodeCursor({ sort: 'newest', value: null, jobId: 'x' }), 'newest').value).toBeNull();
    expect(decodeCursor(encodeCursor({ sort: 'distance', value: 0.25, jobId: 'x' }), 'distance').value).toBe(0.25);
    expect(decodeCursor(encodeCursor({ sort: 'expiring', value: 1767225600000, jobId: 'x' }), 'expiring').value).toBe(1767225600000);
    expect(decodeCursor(encodeCursor({ sort: 'expiring', value: null, jobId: 'x' }), 'expiring').value).toBeNull();
    expect(decodeCursor(encodeCursor({ sort: 'match', value: 87.12345678901234, jobId: 'x' }), 'match').value).toBe(87.12345678901234);
  });

  it('takes an instant for expiring (null for a job without expiresAt) and a finite score for match', () => {
    for (const text of [b64(['expiring', 1.5, 'j']), b64(['expiring', 'x', 'j'])]) expect(() => decodeCursor(text, 'expiring'), text).toThrow(InvalidCursorError);
    for (const text of [b64(['match', null, 'j']), b64(['match', 'Infinity', 'j'])]) expect(() => decodeCursor(text, 'match'), text).toThrow(InvalidCursorError);
    expect(() => decodeCursor(encodeCursor({ sort: 'match', value: 50, jobId: 'j' }), 'expiring')).toThrow(/another sort order \(match, not expiring\)/);
  });

  it('is base64url JSON of [sort, value, jobId], the format both stores write', () => {
    expect(encodeCursor({ sort: 'pay', value: 12.5, jobId: 'j9' })).toBe(b64(['pay', 12.5, 'j9']));
  });

  it('refuses anything else with InvalidCursorError, and a cursor of another order by name', () => {
    const bad = ['', '!!', 'not a cursor!', '%%%', 'e30', b64({ a: 1 }), b64([1, 2, 3]), b64(['newest', 1]), b64(['newest', 'x', 'j']), b64(['newest', 1.5, 'j']), b64(['bogus', 1, 'j']), b64(['newest', 1, '']), b64(['newest', 1, 2])];
    for (const text of bad) expect(() => decodeCursor(text, 'newest'), text).toThrow(InvalidCursorError);
    for (const text of [b64(['pay', null, 'x']), b64(['pay', 1, '']), b64(['pay', 'Infinity', 'x'])]) expect(() => decodeCursor(text, 'pay'), text).toThrow(InvalidCursorError);
    expect(() => decodeCursor(encodeCursor({ sort: 'pay', value: 10, jobId: 'j' }), 'newest')).toThrow(/another sort order/);
  });

  it('never throws anything but InvalidCursorError on arbitrary input (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string().map((s) => Buffer.from(s).toString('base64url')), fc.jsonValue().map(b64)), (text) => {
        try {
          decodeCursor(text, 'pay');
        } catch (err) {
          expect(err).toBeInstanceOf(InvalidCursorError);
        }
      }),
    );
  });
});
