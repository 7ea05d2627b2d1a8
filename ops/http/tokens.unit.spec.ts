import { SignJWT, decodeProtectedHeader, decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { HttpError } from './httpError.ts';
import { TokenTtlError, createTokenService, keyId, tokenAudience, ttlSeconds } from './tokens.ts';

const oldSecret = 'old-secret-old-secret-old-secret-0123456789';
const newSecret = 'new-secret-new-secret-new-secret-0123456789';
const worker = { role: 'worker', sub: 'w00001' } as const;

/** A token signed by hand, to try what sign() never issues. */
async function forge(secret: string, build: (jwt: SignJWT) => SignJWT, header: Record<string, unknown> = { alg: 'HS256', kid: keyId(secret) }): Promise<string> {
  return build(new SignJWT({ role: 'worker' }).setProtectedHeader(header as { alg: string }).setSubject('w00001').setIssuer('jobs-discovery')).sign(new TextEncoder().encode(secret));
}

async function rejection(promise: Promise<unknown>): Promise<HttpError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HttpError);
  expect((err as HttpError).statusCode).toBe(401);
  return err as HttpError;
}

describe('token service', () => {
  it('signs tokens with kid, aud, iat and exp, 12 h by default', async () => {
    const tokens = createTokenService(newSecret);
    const token = await tokens.sign(worker);
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', kid: keyId(newSecret) });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ aud: tokenAudience, iss: 'jobs-discovery', sub: 'w00001', role: 'worker' });
    expect(claims.exp! - claims.iat!).toBe(12 * 3600);
    expect(await tokens.verify(token)).toEqual(worker);
    // The key id names the secret without revealing it.
    expect(keyId(newSecret)).not.toContain(newSecret.slice(0, 6));
  });

  it('requires exp, the audience and a known kid', async () => {
    const tokens = createTokenService(newSecret);
    const noExp = await forge(newSecret, (j) => j.setAudience(tokenAudience).setIssuedAt());
    expect((await rejection(tokens.verify(noExp))).message).toBe('token is invalid');
    const noAud = await forge(newSecret, (j) => j.setIssuedAt().setExpirationTime('1h'));
    await rejection(tokens.verify(noAud));
    const otherAud = await forge(newSecret, (j) => j.setAudience('another-api').setIssuedAt().setExpirationTime('1h'));
    await rejection(tokens.verify(otherAud));
    const noKid = await forge(newSecret, (j) => j.setAudience(tokenAudience).setIssuedAt().setExpirationTime('1h'), { alg: 'HS256' });
    await rejection(tokens.verify(noKid));
    const unknownKid = await forge(newSecret, (j) => j.setAudience(tokenAudience).setIssuedAt().setExpirationTime('1h'), { alg: 'HS256', kid: 'nope' });
    await rejection(tokens.verify(unknownKid));
    const good = await forge(newSecret, (j) => j.setAudience(tokenAudience).setIssuedAt().setExpirationTime('1h'));
    expect(await tokens.verify(good)).toEqual(worker);
    const expired = await forge(newSecret, (j) => j.setAudience(tokenAudience).setIssuedAt(Math.floor(Date.now() / 1000) - 7200).setExpirationTime(Math.floor(Date.now() / 1000) - 60));
    expect((await rejection(tokens.verify(expired))).message).toBe('token expired');
  });

  it('caps the lifetime: sign refuses a longer ttl, verify refuses a token that lives longer', async () => {
    const tokens = createTokenService(newSecret, '1h', { maxTtl: '12h' });
    // Each lifetime from one token's own claims: two tokens may be signed in different seconds.
    const lifetime = (token: string) => {
      const { exp, iat } = decodeJwt(token);
      return exp! - iat!;
    };
    expect(lifetime(await tokens.sign(worker))).toBe(3600);
    expect(lifetime(await tokens.sign(worker, '12h'))).toBe(12 * 3600);
    await expect(tokens.sign(worker, '13h')).rejects.toThrow(TokenTtlError);
    await expect(tokens.sign(worker, '30d')).rejects.toThrow(/past the cap of 12h/);
    await expect(tokens.sign(worker, 'forever')).rejects.toThrow(/not a duration/);
    expect(() => createTokenService(newSecret, '30d')).toThrow(TokenTtlError);
    const longLived = await forge(newSecret, (j) => j.setAudience(tokenAudience).setIssuedAt().setExpirationTime('30d'));
    await rejection(tokens.verify(longLived));
    expect(await createTokenService(newSecret, '1h', { maxTtl: '30d' }).verify(longLived)).toEqual(worker);
  });

  it('rotates: tokens of the previous secret still verify, new ones are signed with the current', async () => {
    const before = createTokenService(oldSecret);
    const oldToken = await before.sign(worker);
    const during = createTokenService({ current: newSecret, previous: oldSecret });
    expect(await during.verify(oldToken)).toEqual(worker);
    const newToken = await during.sign(worker);
    expect(decodeProtectedHeader(newToken).kid).toBe(keyId(newSecret));
    expect(await during.verify(newToken)).toEqual(worker);
    // After the rotation window (AUTH_SECRET_PREVIOUS dropped) the old tokens are refused, and the old service never knew the new key.
    await rejection(createTokenService(newSecret).verify(oldToken));
    await rejection(before.verify(newToken));
    // A token naming the new kid but signed with the old secret is a forgery.
    const mixed = await forge(oldSecret, (j) => j.setAudience(tokenAudience).setIssuedAt().setExpirationTime('1h'), { alg: 'HS256', kid: keyId(newSecret) });
    await rejection(during.verify(mixed));
  });

  it('reads durations', () => {
    expect(ttlSeconds('90s')).toBe(90);
    expect(ttlSeconds('10m')).toBe(600);
    expect(ttlSeconds('12h')).toBe(43_200);
    expect(ttlSeconds('7d')).toBe(604_800);
    expect(ttlSeconds('1w')).toBe(604_800);
    expect(ttlSeconds('0h')).toBeUndefined();
    expect(ttlSeconds('12')).toBeUndefined();
    expect(ttlSeconds('1y')).toBeUndefined();
  });
});
