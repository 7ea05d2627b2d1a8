// The webhook routes on an in-memory log: what registration answers (the
// secret, once), what it refuses (the address wall, the cap, unknown fields),
// and that a business only ever sees and deletes its own webhooks.
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { createHmac } from 'node:crypto';
import type { LookupAddress } from 'node:dns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteEventStore, type SqliteEventStore } from '../../eventstore/sqlite/sqliteEventStore.ts';
import type { Principal } from '../../eventstore/events/index.ts';
import { installErrorHandler } from '../../ops/http/errorHandler.ts';
import { webhookRoutes } from './webhookRoutes.ts';
import { authorization } from '../../ops/http/authorization.ts';
import { createTokenService } from '../../ops/http/tokens.ts';

const NOW = new Date('2027-03-01T12:00:00Z');
const signingKey = 'route-spec-webhook-signing-key';
// A stand-in for DNS: every name resolves to a public address but one, which resolves to the cloud metadata address.
const lookup = async (host: string): Promise<LookupAddress[]> =>
  host === 'rebind.example' ? [{ address: '169.254.169.254', family: 4 }] : [{ address: '93.184.216.34', family: 4 }];

describe('webhook routes', () => {
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
    await app.register(webhookRoutes, { store, signingKey, urlPolicy: { lookup }, clock: () => NOW });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
  });

  const as = (sub: string) => {
    signedIn = { role: 'business', sub };
  };
  const register = (payload: unknown) => app.inject({ method: 'POST', url: '/v1/businesses/me/webhooks', payload: payload as object });
  const list = async () => (await app.inject({ url: '/v1/businesses/me/webhooks' })).json<{ webhooks: Array<{ id: string; status: string }> }>().webhooks;

  it('registers a webhook: 201 with its secret (HMAC of the signing key and its id), listed afterwards without it', async () => {
    as('b-one');
    const res = await register({ url: 'https://hooks.example.com/jobs', eventTypes: ['job.expired', 'application.submitted'] });
    expect(res.statusCode).toBe(201);
    const body = res.json<{ id: string; secret: string; url: string; eventTypes: string[]; status: string }>();
    expect(body).toMatchObject({ url: 'https://hooks.example.com/jobs', eventTypes: ['application.submitted', 'job.expired'], status: 'active' });
    expect(body.secret).toBe(`whsec_${createHmac('sha256', signingKey).update(body.id).digest('base64')}`);
    expect(res.headers['cache-control']).toBe('no-store');
    const listed = await app.inject({ url: '/v1/businesses/me/webhooks' });
    expect(listed.statusCode).toBe(200);
    expect(listed.body).not.toContain('whsec_');
    expect(listed.json()).toEqual({ webhooks: [{ id: body.id, url: 'https://hooks.example.com/jobs', eventTypes: ['application.submitted', 'job.expired'], status: 'active', createdAt: NOW.toISOString() }] });
    // The secret is in no stored event either.
    const events = await store.readStream('business-b-one');
    expect(JSON.stringify(events)).not.toContain(body.secret.slice(6));
  });

  it.each([
    ['loopback', 'http://127.0.0.1:8080/hook', 'forbidden_address'],
    ['the cloud metadata address', 'http://169.254.169.254/latest/meta-data/', 'forbidden_address'],
    ['a name resolving to an internal address', 'https://rebind.example/hook', 'forbidden_address'],
    ['an ftp URL', 'ftp://files.example.com/hook', 'invalid_url'],
    ['credentials in the URL', 'https://user:pw@hooks.example.com/', 'invalid_url'],
  ])('refuses %s with a 400 naming body.url, and stores nothing', async (_what, url, code) => {
    as('b-refused');
    const res = await register({ url, eventTypes: ['application.submitted'] });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'validation_failed', details: [{ field: 'body.url', code }] });
    expect(await store.readStream('business-b-refused')).toEqual([]);
  });

  it('refuses unknown fields and unknown event types', async () => {
    as('b-strict');
    const extra = await register({ url: 'https://hooks.example.com/', eventTypes: ['job.expired'], secret: 'mine' });
    expect(extra.statusCode).toBe(400);
    expect(extra.json()).toMatchObject({ details: [{ field: 'body.secret', code: 'unknown_field' }] });
    expect((await register({ url: 'https://hooks.example.com/', eventTypes: ['job.published'] })).statusCode).toBe(400);
    expect((await register({ url: 'https://hooks.example.com/', eventTypes: [] })).statusCode).toBe(400);
    expect(await store.readStream('business-b-strict')).toEqual([]);
  });

  it('refuses an eleventh webhook with 409 webhook_limit_reached', async () => {
    as('b-many');
    for (let i = 0; i < 10; i++) expect((await register({ url: `https://hooks.example.com/${i}`, eventTypes: ['job.expiring'] })).statusCode).toBe(201);
    const eleventh = await register({ url: 'https://hooks.example.com/10', eventTypes: ['job.expiring'] });
    expect(eleventh.statusCode).toBe(409);
    expect(eleventh.json()).toMatchObject({ code: 'webhook_limit_reached' });
    expect(await list()).toHaveLength(10);
  });

  it('deletes the caller’s webhook with 204; another business gets a 404 and the webhook stays', async () => {
    as('b-owner');
    const { id } = (await register({ url: 'https://hooks.example.com/own', eventTypes: ['application.withdrawn'] })).json<{ id: string }>();
    as('b-intruder');
    const foreign = await app.inject({ method: 'DELETE', url: `/v1/businesses/me/webhooks/${id}` });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json()).toMatchObject({ code: 'webhook_not_found' });
    as('b-owner');
    expect((await list()).map((w) => w.id)).toEqual([id]);
    const own = await app.inject({ method: 'DELETE', url: `/v1/businesses/me/webhooks/${id}` });
    expect(own.statusCode).toBe(204);
    expect(own.body).toBe('');
    expect(await list()).toEqual([]);
    expect((await app.inject({ method: 'DELETE', url: `/v1/businesses/me/webhooks/${id}` })).statusCode).toBe(404);
  });

  it('only businesses may use them', async () => {
    signedIn = { role: 'worker', sub: 'w-1' };
    expect((await register({ url: 'https://hooks.example.com/', eventTypes: ['job.expired'] })).statusCode).toBe(403);
    expect((await app.inject({ url: '/v1/businesses/me/webhooks' })).statusCode).toBe(403);
  });
});
