import type { FastifyRequest } from 'fastify';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { z } from 'zod';
import type { Role } from '../../eventstore/events/index.ts';
import { id } from '../../eventstore/events/index.ts';
import { ApiError, forbidden, unauthorized } from './apiError.ts';

export type TokenRole = Exclude<Role, 'system'>;
export const tokenRoles = ['business', 'worker', 'operator'] as const satisfies readonly TokenRole[];

export interface Principal {
  role: TokenRole;
  sub: string;
}

const Claims = z.object({ role: z.enum(tokenRoles), sub: id });
const issuer = 'jobs-discovery';

export interface TokenService {
  sign(principal: Principal, ttl?: string): Promise<string>;
  verify(token: string): Promise<Principal>;
}

/** HS256 bearer tokens; every node that shares the secret accepts them. */
export function createTokenService(secret: string, defaultTtl = '30d'): TokenService {
  const key = new TextEncoder().encode(secret);
  return {
    sign: (p, ttl = defaultTtl) =>
      new SignJWT({ role: p.role }).setProtectedHeader({ alg: 'HS256' }).setSubject(p.sub).setIssuer(issuer).setIssuedAt().setExpirationTime(ttl).sign(key),
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, key, { issuer, algorithms: ['HS256'] });
        const claims = Claims.safeParse(payload);
        if (!claims.success) throw unauthorized('token claims are invalid');
        return claims.data;
      } catch (err) {
        if (err instanceof ApiError) throw err;
        if (err instanceof joseErrors.JWTExpired) throw unauthorized('token expired');
        throw unauthorized('token is invalid');
      }
    },
  };
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

/** Reads the bearer token, if any, onto `request.principal`. */
export async function readPrincipal(tokens: TokenService, request: FastifyRequest): Promise<Principal | undefined> {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1]) throw unauthorized('authorization header must be "Bearer <token>"');
  return tokens.verify(match[1]);
}

/** The caller, who must hold one of `roles`. */
export function requireRole(request: FastifyRequest, ...roles: TokenRole[]): Principal {
  const p = request.principal;
  if (!p) throw unauthorized();
  if (!roles.includes(p.role)) throw forbidden(`this action needs a ${roles.join(' or ')} token`);
  return p;
}
