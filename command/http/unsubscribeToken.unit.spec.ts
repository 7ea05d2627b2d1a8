import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { notificationKinds, recipientRoles } from '../../eventstore/events/index.ts';
import type { UnsubscribeClaims } from './unsubscribeToken.ts';
import { unsubscribeTokens } from './unsubscribeToken.ts';

const ident = fc.stringMatching(/^[A-Za-z0-9_.:-]{1,40}$/);
const claimsArb: fc.Arbitrary<UnsubscribeClaims> = fc.record(
  { role: fc.constantFrom(...recipientRoles), sub: ident, kind: fc.constantFrom(...notificationKinds), search: ident },
  { requiredKeys: ['role', 'sub', 'kind'] },
);

const tokens = unsubscribeTokens('secret-1');
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
/**
 * A token for a body of our choosing with a valid signature, made as the
 * token format says (HMAC-SHA256 of the body under a key derived from the
 * secret for unsubscribe links), to reach the checks behind the signature.
 */
const signed = (body: string, secret = 'secret-1') => {
  const key = createHmac('sha256', secret).update('unsubscribe-link').digest();
  return `${body}.${createHmac('sha256', key).update(body).digest().toString('base64url')}`;
};

describe('unsubscribe tokens', () => {
  it('verify gives back exactly the claims that were signed, with or without a saved search', () => {
    fc.assert(
      fc.property(claimsArb, (claims) => {
        expect(tokens.verify(tokens.sign(claims))).toEqual(claims);
      }),
    );
  });

  it('a token signed with another secret is refused', () => {
    fc.assert(
      fc.property(claimsArb, (claims) => {
        expect(unsubscribeTokens('secret-2').verify(tokens.sign(claims))).toBeUndefined();
      }),
    );
  });

  it('a token whose body was changed is refused, even to another valid body', () => {
    const token = tokens.sign({ role: 'worker', sub: 'w-1', kind: 'application_status' });
    const [, signature] = token.split('.');
    const forged = `${b64({ v: 1, role: 'worker', sub: 'w-2', kind: 'application_status' })}.${signature}`;
    expect(tokens.verify(forged)).toBeUndefined();
  });

  it('any single changed character makes a token invalid or leaves its claims unchanged', () => {
    const claims: UnsubscribeClaims = { role: 'business', sub: 'b-7', kind: 'application_received', search: 's-3' };
    const token = tokens.sign(claims);
    fc.assert(
      fc.property(fc.nat({ max: token.length - 1 }), fc.constantFrom(...'AZaz09-_.x'), (at, ch) => {
        const changed = token.slice(0, at) + ch + token.slice(at + 1);
        const verified = tokens.verify(changed);
        // base64url's last character may carry unused bits: a change there can decode to the same bytes.
        if (verified !== undefined) expect(verified).toEqual(claims);
      }),
    );
  });

  it.each([
    ['empty', ''],
    ['no signature', 'abc'],
    ['empty signature', 'abc.'],
    ['empty body', '.abc'],
    ['three parts', 'a.b.c'],
    ['a wrong-length signature', `${b64({ v: 1 })}.AAAA`],
  ])('a malformed token (%s) is refused', (_name, token) => {
    expect(tokens.verify(token)).toBeUndefined();
  });

  it('an over-long body is refused before any signature is checked', () => {
    expect(tokens.verify(`${'A'.repeat(1001)}.${'A'.repeat(43)}`)).toBeUndefined();
  });

  it('the signature helper of this spec makes the tokens sign() makes', () => {
    const claims: UnsubscribeClaims = { role: 'worker', sub: 'w-1', kind: 'application_status' };
    expect(signed(b64({ v: 1, ...claims }))).toBe(tokens.sign(claims));
  });

  it('a correctly signed body that is not JSON is refused, not thrown', () => {
    expect(tokens.verify(signed(Buffer.from('not json').toString('base64url')))).toBeUndefined();
  });

  it.each([
    ['another version', { v: 2, role: 'worker', sub: 'w-1', kind: 'application_status' }],
    ['an unknown role', { v: 1, role: 'admin', sub: 'w-1', kind: 'application_status' }],
    ['an unknown kind', { v: 1, role: 'worker', sub: 'w-1', kind: 'everything' }],
    ['a bad id', { v: 1, role: 'worker', sub: 'w 1', kind: 'application_status' }],
    ['an extra claim', { v: 1, role: 'worker', sub: 'w-1', kind: 'application_status', until: 'never' }],
    ['no subject', { v: 1, role: 'worker', kind: 'application_status' }],
  ])('a correctly signed body with %s is refused', (_name, payload) => {
    expect(tokens.verify(signed(b64(payload)))).toBeUndefined();
  });
});
