// Who is signed in to the web pages: a bearer token kept in an HttpOnly,
// SameSite=Strict cookie, checked on every page like the API checks its
// header, so that a page shows nothing the token could not read itself.
import type {} from '@fastify/cookie';
import type {} from '@fastify/csrf-protection';
import type { FastifyReply, FastifyRequest } from 'fastify';

export const webRoles = ['worker', 'business'] as const;
export type WebRole = (typeof webRoles)[number];

export interface WebUser {
  role: WebRole;
  sub: string;
}

/** A demo account one may sign in as without a token (embedded mode with the demo data). */
export interface DemoAccount extends WebUser {
  label: string;
}

export interface WebAccounts {
  /** The token's subject, or a throw when it is not a valid token. */
  verify(token: string): Promise<{ role: string; sub: string }>;
  /** How long a session lasts, in seconds: the token's lifetime. */
  sessionSeconds: number;
  /** Demo sign-in: the accounts and a signer for them; absent in server mode. */
  demo?: { accounts: readonly DemoAccount[]; sign(user: WebUser): Promise<string> };
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user of a web page and the token the pages call the API with. */
    web?: { user: WebUser; token: string };
  }
}

export const sessionCookie = 'session';

const isWebRole = (role: string): role is WebRole => (webRoles as readonly string[]).includes(role);

/** Reads the session cookie onto `request.web`; a cookie that no longer verifies (expired, other secret) is dropped. */
export async function readSession(accounts: WebAccounts, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const token = request.cookies[sessionCookie];
  if (!token) return;
  try {
    const p = await accounts.verify(token);
    if (isWebRole(p.role)) request.web = { user: { role: p.role, sub: p.sub }, token };
    else clearSession(reply);
  } catch {
    clearSession(reply);
  }
}

/** The token as a web user, or why it cannot sign in to the pages. */
export async function userOfToken(accounts: WebAccounts, token: string): Promise<WebUser | string> {
  try {
    const p = await accounts.verify(token);
    return isWebRole(p.role) ? { role: p.role, sub: p.sub } : 'operator tokens are for the API and jobsctl, not for the web pages';
  } catch (err) {
    return err instanceof Error && /expired/i.test(err.message) ? 'this token has expired; ask for a new one' : 'this is not a valid token of this service';
  }
}

export function startSession(reply: FastifyReply, token: string, seconds: number, secure: boolean): void {
  void reply.setCookie(sessionCookie, token, { path: '/', httpOnly: true, sameSite: 'strict', secure, maxAge: seconds });
}

export function clearSession(reply: FastifyReply): void {
  void reply.clearCookie(sessionCookie, { path: '/' });
}
