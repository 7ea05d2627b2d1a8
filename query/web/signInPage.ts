import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { WebAccounts, WebUser } from './session.ts';
import { clearSession, startSession, userOfToken } from './session.ts';
import type { RenderPage } from './webRoutes.ts';

export interface SignInPageOptions {
  accounts: WebAccounts;
  page: RenderPage;
  /** Whether the session cookie is sent over HTTPS only (the public address is https). */
  secure: () => boolean;
}

/**
 * A page to go back to after signing in: a path of this site only, never another site's address,
 * and in printable ASCII (as a browser sends an address), which a Location header can always carry.
 */
export const localPath = z
  .string()
  .max(500)
  .transform((s) => (/^\/(?![/\\])[\x21-\x7e]*$/.test(s) ? s : '/'));

export const homeOf = (user: WebUser): string => (user.role === 'worker' ? '/me/saved-jobs' : '/business');

const SignInBody = z
  .object({
    _csrf: z.string().max(200),
    account: z.string().max(100).optional(),
    token: z.string().max(4000).optional(),
    next: localPath.optional(),
  })
  .strict();

/**
 * `/sign-in` and `/sign-out`. With the demo data a picker signs in as a demo
 * account; otherwise (and also then) a token from `jobsctl token` is pasted.
 * The token is kept in an HttpOnly, SameSite=Strict cookie for its lifetime.
 */
export const signInPage: FastifyPluginAsync<SignInPageOptions> = async (app, { accounts, page, secure }) => {
  const csrf = app.csrfProtection.bind(app);
  const r = app.withTypeProvider<ZodTypeProvider>();
  // A signed-in visitor's page gets its token from `page`: a second one made here, without a form
  // cookie yet, would come with a second secret, and the cookie would keep only one of the two.
  const show = (reply: Parameters<RenderPage>[0], next: string, problem?: string) =>
    page(reply, 'signin', { title: 'Sign in', next, problem, demo: accounts.demo?.accounts ?? [], ...(reply.request.web ? {} : { csrf: reply.generateCsrf() }) });

  r.get('/sign-in', { schema: { hide: true, querystring: z.object({ next: localPath.optional() }).strict() } }, async (request, reply) => {
    void reply.header('cache-control', 'no-store');
    return show(reply, request.query.next ?? '');
  });

  r.post('/sign-in', { preValidation: csrf, schema: { hide: true, body: SignInBody } }, async (request, reply) => {
    const { account, token, next } = request.body;
    let user: WebUser | string;
    let signed: string | undefined;
    const demo = account ? accounts.demo?.accounts.find((a) => `${a.role}:${a.sub}` === account) : undefined;
    if (demo && accounts.demo) {
      user = { role: demo.role, sub: demo.sub };
      signed = await accounts.demo.sign(user);
    } else if (account) {
      user = 'there is no such demo account';
    } else if (token?.trim()) {
      signed = token.trim().replace(/^Bearer\s+/i, '');
      user = await userOfToken(accounts, signed);
    } else {
      user = 'paste your token, or pick a demo account';
    }
    if (typeof user === 'string' || !signed) return show(reply.code(400), next ?? '', typeof user === 'string' ? user : 'could not sign in');
    startSession(reply, signed, accounts.sessionSeconds, secure());
    request.log.info({ role: user.role, sub: user.sub }, 'signed in to the web pages');
    return reply.redirect(next && next !== '/' ? next : homeOf(user), 303);
  });

  r.post('/sign-out', { preValidation: csrf, schema: { hide: true, body: z.object({ _csrf: z.string().max(200) }).strict() } }, async (_request, reply) => {
    clearSession(reply);
    return reply.redirect('/', 303);
  });
};
