import { Eta } from 'eta';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { RecipientRole } from '../../eventstore/events/index.ts';
import { NotificationKind as NotificationKindSchema, notificationKindLabels } from '../../eventstore/events/index.ts';
import type { NotificationPreferencesCommand } from '../deciders/notificationPreferencesDecider.ts';
import { notificationPreferencesDecider, notificationPreferencesStream } from '../deciders/notificationPreferencesDecider.ts';
import { workerDecider, workerStream } from '../deciders/workerDecider.ts';
import { execute } from '../execute.ts';
import { CommandError } from '../commandError.ts';
import type { CommandRouteOptions } from './routeSupport.ts';
import { CommandReplySchema, IfMatchHeaders, contextOf, parseIfMatch } from './routeSupport.ts';
import type { UnsubscribeTokens } from './unsubscribeToken.ts';

export interface NotificationPreferenceRouteOptions extends CommandRouteOptions {
  unsubscribe: UnsubscribeTokens;
}

const pages = new Eta({ views: join(dirname(fileURLToPath(import.meta.url)), 'templates'), autoEscape: true, cache: true });

const TokenQuery = z.object({ token: z.string().min(10).max(2000) }).strict();

const invalidToken = () =>
  new CommandError('invalid', 'invalid_token', 'querystring.token: this unsubscribe link is not valid', [{ field: 'querystring.token', message: 'not a valid unsubscribe token', code: 'invalid_token' }]);

const wantsHtml = (request: FastifyRequest) => /text\/html/.test(request.headers.accept ?? '');

export const notificationPreferenceRoutes: FastifyPluginAsync<NotificationPreferenceRouteOptions> = async (app, { store, unsubscribe, clock = () => new Date() }) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  // RFC 8058: a mail client's one-click unsubscribe posts `List-Unsubscribe=One-Click` as a form.
  app.addContentTypeParser(['application/x-www-form-urlencoded', 'multipart/form-data'], { parseAs: 'string', bodyLimit: 4096 }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(typeof body === 'string' ? body : body.toString('utf8'))));
  });

  const run = (request: FastifyRequest, role: RecipientRole, recipientId: string, command: NotificationPreferencesCommand, ifMatch?: number) =>
    execute({
      store,
      streamId: notificationPreferencesStream(role, recipientId),
      id: recipientId,
      decider: notificationPreferencesDecider,
      // The signed link acts for the person it names, as their own token would, whoever follows it.
      ctx: contextOf(request, { role, sub: recipientId }, new Date(command.now)),
      ...(ifMatch !== undefined ? { ifMatch } : {}),
      command,
    });

  r.put('/v1/me/notification-preferences', {
    config: { roles: ['worker', 'business'] },
    schema: {
      tags: ['notifications'],
      summary: 'Choose which kinds of notification you do not want (all are on until muted)',
      headers: IfMatchHeaders,
      body: z.object({ muted: z.array(NotificationKindSchema).max(20) }).strict().meta({ examples: [{ muted: ['weekly_summary'] }] }),
      response: { 200: CommandReplySchema },
    },
  }, async (request) => {
    const p = request.caller();
    const role: RecipientRole = p.role === 'worker' ? 'worker' : 'business';
    const now = clock().toISOString();
    const done = await run(request, role, p.sub, { type: 'SetNotificationPreferences', recipientRole: role, recipientId: p.sub, muted: request.body.muted, now }, parseIfMatch(request.headers['if-match']));
    return { id: done.id, revision: done.revision, position: done.position };
  });

  const page = (reply: FastifyReply, status: number, view: { title: string; text: string; confirm?: boolean; action?: string; kindLabel?: string }) =>
    reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(pages.render('./unsubscribe.html.eta', { confirm: false, ...view }));

  // The link in a mail only shows a button: link scanners and prefetchers open GET links, and must not unsubscribe anyone.
  r.get('/v1/notifications/unsubscribe', {
    schema: {
      tags: ['notifications'],
      summary: 'The page an unsubscribe link opens (a button that confirms; nothing changes on GET)',
      security: [],
      querystring: TokenQuery,
      produces: ['text/html'],
    },
  }, async (request, reply) => {
    const claims = unsubscribe.verify(request.query.token);
    if (!claims) return page(reply, 400, { title: 'This link is not valid', text: 'The unsubscribe link is damaged or incomplete. Copy the whole link from the e-mail.' });
    const what = claims.search !== undefined ? 'alerts from this saved search' : notificationKindLabels[claims.kind];
    return page(reply, 200, {
      title: 'Unsubscribe',
      text: `Stop e-mails about ${what}? You can switch them on again in your settings.`,
      confirm: true,
      action: `/v1/notifications/unsubscribe?token=${encodeURIComponent(request.query.token)}`,
      kindLabel: what,
    });
  });

  r.post('/v1/notifications/unsubscribe', {
    schema: {
      tags: ['notifications'],
      summary: 'One-click unsubscribe (RFC 8058): switches off the kind of message the signed token names; no sign-in needed',
      security: [],
      querystring: TokenQuery,
      response: { 200: CommandReplySchema },
    },
  }, async (request, reply) => {
    const claims = unsubscribe.verify(request.query.token);
    if (!claims) {
      if (wantsHtml(request)) return page(reply, 400, { title: 'This link is not valid', text: 'The unsubscribe link is damaged or incomplete.' });
      throw invalidToken();
    }
    const now = clock().toISOString();
    const done = claims.search !== undefined && claims.role === 'worker'
      ? await execute({
          store, streamId: workerStream(claims.sub), id: claims.search, decider: workerDecider,
          ctx: contextOf(request, { role: 'worker', sub: claims.sub }, new Date(now)),
          command: { type: 'ChangeSavedSearchAlerts', workerId: claims.sub, searchId: claims.search, alertFrequency: 'off', now },
        }).catch((err: unknown) => {
          // A search deleted since the mail was sent alerts no one already: the link has done its job.
          if (err instanceof CommandError && err.code === 'saved_search_not_found') return { id: claims.search ?? '', revision: -1, position: 0 };
          throw err;
        })
      : await run(request, claims.role, claims.sub, { type: 'MuteNotificationKind', recipientRole: claims.role, recipientId: claims.sub, kind: claims.kind, now });
    const what = claims.search !== undefined ? 'this saved search' : notificationKindLabels[claims.kind];
    if (wantsHtml(request)) return page(reply, 200, { title: 'Unsubscribed', text: `You will no longer get e-mails about ${what}.` });
    return { id: done.id, revision: done.revision, position: done.position };
  });
};
