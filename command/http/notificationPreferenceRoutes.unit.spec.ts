// The unsubscribe link's page and its one-click POST, and the preferences PUT,
// on an in-memory log: what each answer says to a browser and to an API
// client, and that only a valid signed token changes anything.
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteEventStore, type SqliteEventStore } from '../../eventstore/sqlite/sqliteEventStore.ts';
import type { Principal } from '../../eventstore/events/index.ts';
import { installErrorHandler } from '../../ops/http/errorHandler.ts';
import { notificationPreferenceRoutes } from './notificationPreferenceRoutes.ts';
import { unsubscribeTokens } from './unsubscribeToken.ts';
import { authorization } from '../../ops/http/authorization.ts';
import { createTokenService } from '../../ops/http/tokens.ts';

const tokens = unsubscribeTokens('route-spec-secret');
const NOW = new Date('2027-03-01T12:00:00Z');

describe('notification preference routes', () => {
  let app: FastifyInstance;
  let store: SqliteEventStore;
  let signedIn: Principal | undefined;

  beforeAll(async () => {
    store = await openSqliteEventStore({ path: ':memory:' });
    app = Fastify();
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    installErrorHandler(app);
    // Signed in by the spec itself (no token to verify); the roles are checked as in the service.
    app.addHook('onRequest', async (request) => {
      if (signedIn) request.principal = signedIn;
    });
    await app.register(authorization, { tokens: createTokenService('route-spec-secret-route-spec-secret-0123') });
    await app.register(notificationPreferenceRoutes, { store, unsubscribe: tokens, clock: () => NOW });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
  });

  const mutedOf = async (role: string, id: string): Promise<string[] | undefined> => {
    const events = await store.readStream(`notifications-${role}-${id}`);
    const last = events.at(-1);
    return last ? (last.data as { muted: string[] }).muted : undefined;
  };

  it('the link’s page only asks: it names the kind or the saved search, and changes nothing', async () => {
    const kind = tokens.sign({ role: 'worker', sub: 'w-page', kind: 'weekly_summary' });
    const res = await app.inject({ url: `/v1/notifications/unsubscribe?token=${kind}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toContain('Stop e-mails about');
    expect(res.body).toContain(`/v1/notifications/unsubscribe?token=${encodeURIComponent(kind)}`);
    const search = tokens.sign({ role: 'worker', sub: 'w-page', kind: 'saved_search_alert', search: 's-1' });
    expect((await app.inject({ url: `/v1/notifications/unsubscribe?token=${search}` })).body).toContain('alerts from this saved search');
    expect(await mutedOf('worker', 'w-page')).toBeUndefined();
  });

  it('the page of a damaged link says so with a 400', async () => {
    const res = await app.inject({ url: '/v1/notifications/unsubscribe?token=0123456789abcdef' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('This link is not valid');
  });

  it('a one-click POST (a form, RFC 8058) mutes that kind for the person the token names, as JSON or as a page', async () => {
    const token = tokens.sign({ role: 'business', sub: 'b-1', kind: 'application_received' });
    const json = await app.inject({
      method: 'POST', url: `/v1/notifications/unsubscribe?token=${token}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click',
    });
    expect(json.statusCode).toBe(200);
    expect(json.json()).toMatchObject({ id: 'b-1', revision: 0 });
    expect(await mutedOf('business', 'b-1')).toEqual(['application_received']);

    const other = tokens.sign({ role: 'business', sub: 'b-1', kind: 'weekly_summary' });
    const html = await app.inject({ method: 'POST', url: `/v1/notifications/unsubscribe?token=${other}`, headers: { accept: 'text/html' } });
    expect(html.statusCode).toBe(200);
    expect(html.body).toContain('Unsubscribed');
    expect(await mutedOf('business', 'b-1')).toEqual(['application_received', 'weekly_summary']);
  });

  it('a POST with a bad token is refused: invalid_token for an API client, a page for a browser', async () => {
    const forged = `${tokens.sign({ role: 'worker', sub: 'w-1', kind: 'weekly_summary' })}x`;
    const json = await app.inject({ method: 'POST', url: `/v1/notifications/unsubscribe?token=${forged}` });
    expect(json.statusCode).toBe(400);
    expect(json.json()).toMatchObject({ code: 'invalid_token', details: [{ field: 'querystring.token', code: 'invalid_token' }] });
    const html = await app.inject({ method: 'POST', url: `/v1/notifications/unsubscribe?token=${forged}`, headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(html.statusCode).toBe(400);
    expect(html.body).toContain('This link is not valid');
    expect(await mutedOf('worker', 'w-1')).toBeUndefined();
  });

  it('a saved search’s link for a search that is gone has done its job: 200, and nothing written', async () => {
    const token = tokens.sign({ role: 'worker', sub: 'w-2', kind: 'saved_search_alert', search: 's-gone' });
    const res = await app.inject({ method: 'POST', url: `/v1/notifications/unsubscribe?token=${token}`, headers: { 'content-type': 'multipart/form-data' }, payload: '' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ id: 's-gone', revision: -1, position: 0 });
    expect(await store.readStream('worker-w-2')).toEqual([]);
    const page = await app.inject({ method: 'POST', url: `/v1/notifications/unsubscribe?token=${token}`, headers: { accept: 'text/html' } });
    expect(page.body).toContain('this saved search');
  });

  it('PUT /v1/me/notification-preferences sets the muted kinds of whoever is signed in, honouring If-Match', async () => {
    signedIn = { role: 'worker', sub: 'w-3' };
    try {
      const first = await app.inject({ method: 'PUT', url: '/v1/me/notification-preferences', payload: { muted: ['weekly_summary'] } });
      expect(first.statusCode).toBe(200);
      expect(first.json()).toMatchObject({ id: 'w-3', revision: 0 });
      const stale = await app.inject({ method: 'PUT', url: '/v1/me/notification-preferences', headers: { 'if-match': '"5"' }, payload: { muted: [] } });
      expect(stale.statusCode).toBe(409);
      expect(stale.json()).toMatchObject({ code: 'revision_mismatch' });
      const fresh = await app.inject({ method: 'PUT', url: '/v1/me/notification-preferences', headers: { 'if-match': 'W/"0"' }, payload: { muted: [] } });
      expect(fresh.json()).toMatchObject({ revision: 1 });
      expect(await mutedOf('worker', 'w-3')).toEqual([]);
      signedIn = { role: 'operator', sub: 'op' };
      expect((await app.inject({ method: 'PUT', url: '/v1/me/notification-preferences', payload: { muted: [] } })).statusCode).toBe(403);
    } finally {
      signedIn = undefined;
    }
  });

  it('a link followed by someone signed in as another person is recorded as done by the person it names', async () => {
    signedIn = { role: 'business', sub: 'b-forwarded' };
    try {
      const token = tokens.sign({ role: 'worker', sub: 'w-forwarded', kind: 'weekly_summary' });
      expect((await app.inject({ method: 'POST', url: `/v1/notifications/unsubscribe?token=${token}` })).statusCode).toBe(200);
      const [event] = await store.readStream('notifications-worker-w-forwarded');
      expect(event?.metadata.actor).toEqual({ role: 'worker', sub: 'w-forwarded' });
    } finally {
      signedIn = undefined;
    }
  });
});
