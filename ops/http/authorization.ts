// Who may call a route is declared by the route (`config.roles`) and checked
// here, once, before the body is read: routes on both sides only declare it
// and ask `request.caller()` for the verified principal.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Principal, TokenRole } from '../../eventstore/events/index.ts';
import { forbidden, unauthorized } from './httpError.ts';
import type { TokenService } from './tokens.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Roles allowed on the route, checked before the body is validated. */
    roles?: readonly TokenRole[];
  }
  interface FastifyRequest {
    /** The verified bearer token's principal; undefined for an anonymous call. */
    principal?: Principal;
    /** The signed-in caller: on a route that declares roles, one of them; elsewhere a 401 when anonymous. */
    caller(): Principal;
  }
}

/** Reads the bearer token, if any: a malformed header or a token that does not verify is a 401. */
export async function readPrincipal(tokens: TokenService, request: FastifyRequest): Promise<Principal | undefined> {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1]) throw unauthorized('authorization header must be "Bearer <token>"');
  return tokens.verify(match[1]);
}

/** The caller, who must hold one of `roles`: 401 anonymous, 403 another role. */
export function requireRole(request: FastifyRequest, roles: readonly TokenRole[]): Principal {
  const p = request.principal;
  if (!p) throw unauthorized();
  if (!roles.includes(p.role)) throw forbidden(`this action needs a ${roles.join(' or ')} token`);
  return p;
}

export const authorization = fp(
  async (app: FastifyInstance, { tokens }: { tokens: TokenService }) => {
    app.decorateRequest('principal', undefined);
    app.decorateRequest('caller', function (this: FastifyRequest): Principal {
      if (!this.principal) throw unauthorized();
      return this.principal;
    });
    app.addHook('onRequest', async (request) => {
      // Set already only where a hook before this one signed the call in (the metrics scrape, route specs).
      request.principal ??= await readPrincipal(tokens, request);
      const roles = request.routeOptions.config.roles;
      if (roles) requireRole(request, roles);
    });
  },
  { name: 'authorization' },
);
