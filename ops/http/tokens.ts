import { createHash, webcrypto } from 'node:crypto';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { z } from 'zod';
import type { Principal } from '../../eventstore/events/index.ts';
import { id, tokenRoles } from '../../eventstore/events/index.ts';
import { HttpError, unauthorized } from './httpError.ts';

const Claims = z.object({ role: z.enum(tokenRoles), sub: id });
const issuer = 'jobs-discovery';
/** The `aud` every token carries and every verify checks. */
export const tokenAudience = 'jobs-discovery-api';
/** Default lifetime, and the default cap on any lifetime (12 h: a leaked token is worth half a day at most). */
export const defaultTokenTtl = '12h';

export interface TokenService {
  /** Throws TokenTtlError for a malformed `ttl` or one past the cap. */
  sign(principal: Principal, ttl?: string): Promise<string>;
  verify(token: string): Promise<Principal>;
}

/**
 * The signing secret and, during a rotation, the one before it: tokens signed
 * with either verify (each names its key with `kid`), new ones are signed with
 * `current` only.
 */
export interface TokenSecrets {
  current: string;
  previous?: string | undefined;
}

export interface TokenServiceOptions {
  /** Longest lifetime sign() issues and verify() accepts (measured from `iat`); default 12h. */
  maxTtl?: string;
}

export class TokenTtlError extends Error {}

const ttlUnits: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/** Seconds in a lifetime like `30m`, `12h`, `7d`; undefined when it is not one. */
export function ttlSeconds(ttl: string): number | undefined {
  const m = /^(\d+)([smhdw])$/.exec(ttl);
  if (!m?.[1] || !m[2]) return undefined;
  const seconds = Number(m[1]) * (ttlUnits[m[2]] ?? Number.NaN);
  return Number.isSafeInteger(seconds) && seconds > 0 ? seconds : undefined;
}

/** The key id of a secret: a hash prefix, so nothing about the secret is revealed and rotation needs no id setting. */
export function keyId(secret: string): string {
  return createHash('sha256').update(`jobs-discovery-kid:${secret}`).digest('base64url').slice(0, 12);
}

/**
 * HS256 bearer tokens; every node that shares the secret accepts them. A token
 * must carry `exp`, `iat`, `sub`, this issuer and audience, and the `kid` of
 * one of the accepted secrets; its lifetime is capped by `maxTtl`.
 */
export function createTokenService(secrets: string | TokenSecrets, defaultTtl = defaultTokenTtl, options: TokenServiceOptions = {}): TokenService {
  const { current, previous } = typeof secrets === 'string' ? { current: secrets, previous: undefined } : secrets;
  const encode = (s: string) => new TextEncoder().encode(s);
  const signingKid = keyId(current);
  const keys = new Map<string, Uint8Array>([[signingKid, encode(current)]]);
  if (previous && previous !== current) keys.set(keyId(previous), encode(previous));
  const maxTtl = options.maxTtl ?? defaultTokenTtl;
  const maxSeconds = ttlSeconds(maxTtl);
  if (maxSeconds === undefined) throw new TokenTtlError(`token lifetime cap ${JSON.stringify(maxTtl)} is not a duration like 30m, 12h, 7d`);
  const lifetime = (ttl: string): number => {
    const seconds = ttlSeconds(ttl);
    if (seconds === undefined) throw new TokenTtlError(`token lifetime ${JSON.stringify(ttl)} is not a duration like 30m, 12h, 7d`);
    if (seconds > maxSeconds) throw new TokenTtlError(`token lifetime ${ttl} is past the cap of ${maxTtl} (TOKEN_MAX_TTL)`);
    return seconds;
  };
  lifetime(defaultTtl);
  const signingKey = keys.get(signingKid)!;
  // Imported once per key: a raw secret handed to jose is imported into WebCrypto again on every verify.
  const verifyKeys = new Map<string, Promise<webcrypto.CryptoKey>>();
  const verifyKey = (kid: string): Promise<webcrypto.CryptoKey> | undefined => {
    const secret = keys.get(kid);
    if (!secret) return undefined;
    let key = verifyKeys.get(kid);
    if (!key) verifyKeys.set(kid, (key = webcrypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['verify'])));
    return key;
  };
  return {
    async sign(p, ttl = defaultTtl) {
      const seconds = lifetime(ttl);
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ role: p.role })
        .setProtectedHeader({ alg: 'HS256', kid: signingKid })
        .setSubject(p.sub)
        .setIssuer(issuer)
        .setAudience(tokenAudience)
        .setIssuedAt(now)
        .setExpirationTime(now + seconds)
        .sign(signingKey);
    },
    async verify(token) {
      try {
        const { payload } = await jwtVerify(
          token,
          (header) => {
            const key = header.kid === undefined ? undefined : verifyKey(header.kid);
            if (!key) throw unauthorized('token is invalid');
            return key;
          },
          { issuer, audience: tokenAudience, algorithms: ['HS256'], requiredClaims: ['exp', 'iat', 'sub'], maxTokenAge: maxSeconds },
        );
        const claims = Claims.safeParse(payload);
        if (!claims.success) throw unauthorized('token claims are invalid');
        if (typeof payload.exp === 'number' && typeof payload.iat === 'number' && payload.exp - payload.iat > maxSeconds) throw unauthorized('token lifetime is past the cap');
        return claims.data;
      } catch (err) {
        if (err instanceof HttpError) throw err;
        if (err instanceof joseErrors.JWTExpired) throw unauthorized('token expired');
        throw unauthorized('token is invalid');
      }
    },
  };
}
