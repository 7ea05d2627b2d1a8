import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ApplicationContact, PHONE_PATTERN } from './applicationEvents.ts';

const digits = (min: number, max: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: min, maxLength: max });
const separator = fc.constantFrom('', '', ' ', '-');

describe('an application contact', () => {
  it('takes every E.164 number (7 to 15 digits after +, no leading 0), written with single spaces or hyphens between digits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), digits(6, 14), fc.array(separator, { minLength: 14, maxLength: 14 }), (first, rest, seps) => {
        const phone = `+${first}${rest.map((d, i) => `${seps[i]}${d}`).join('')}`;
        expect(ApplicationContact.safeParse({ phone }).success).toBe(true);
      }),
    );
  });

  it('refuses any phone whose digits are not 7 to 15 after a +, or that holds anything but digits and single separators', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (phone) => {
        const ok = ApplicationContact.safeParse({ phone }).success;
        const count = phone.replace(/\D/g, '').length;
        const wellFormed = phone.startsWith('+') && phone[1] !== '0' && count >= 7 && count <= 15 && /^\+\d(?:[ -]?\d)*$/.test(phone);
        expect(ok).toBe(wellFormed);
      }),
    );
    for (const phone of ['5305550142', '+1 530 555 01420000000', '+1  530', '+1 530 555 0142 ', '+0 530 555 0142', '+1-(530)-555', '+1530555014x']) {
      expect(ApplicationContact.safeParse({ phone }).success, phone).toBe(false);
    }
    expect(PHONE_PATTERN.test('+1 530 555 0142')).toBe(true);
  });

  it('needs an email, a phone or both, and nothing else', () => {
    expect(ApplicationContact.safeParse({}).success).toBe(false);
    expect(ApplicationContact.safeParse({ email: 'alex@example.com', fax: '+15305550142' }).success).toBe(false);
    expect(ApplicationContact.safeParse({ email: `${'a'.repeat(250)}@example.com` }).success).toBe(false);
    expect(ApplicationContact.parse({ email: 'alex@example.com' })).toEqual({ email: 'alex@example.com' });
  });
});
