// Secrets: no token in any log line, /readyz without dependency
// detail for anonymous callers, /metrics behind the operator role by default.
import type { FastifyInstance } from 'fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenService } from './tokens.ts';
import { jobExample } from '../../command/http/examples.ts';
import type { IdempotencyStore } from '../../command/idempotency/idempotencyStore.ts';
import { openSqliteIdempotencyStore } from '../../command/idempotency/sqliteIdempotencyStore.ts';
import type { EventStore } from '../../eventstore/port.ts';
import { openSqliteEventStore } from '../../eventstore/sqlite/sqliteEventStore.ts';
import type { Telemetry } from '../telemetry/telemetry.ts';
import { startTelemetry } from '../telemetry/telemetry.ts';
import { buildApp } from './buildApp.ts';

const dir = mkdtempSync(join(tmpdir(), 'jobs-secrets-'));
const tokens = createTokenService('secrets-spec-secret-secrets-spec-secret-0123');
const logLines: string[] = [];
const dependencyError = 'connect ECONNREFUSED 10.1.2.3:9200 (user elastic)';
let store: EventStore;
let idempotency: IdempotencyStore;
let telemetry: Telemetry;
let app: FastifyInstance;
let open: FastifyInstance;
let searchDown = false;

const bearer = async (role: 'business' | 'worker' | 'operator', sub: string) => ({ authorization: `Bearer ${await tokens.sign({ role, sub })}` });

beforeAll(async () => {
  store = await openSqliteEventStore({ path: join(dir, 'events.db') });
  idempotency = openSqliteIdempotencyStore(join(dir, 'commands.db'));
  telemetry = startTelemetry();
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  const readiness = [{ name: 'searchEngine', check: async () => { if (searchDown) throw new Error(dependencyError); } }];
  // The most verbose level there is: if a header were ever serialized, it would be here.
  app = await buildApp({ store, idempotency, tokens, telemetry, readiness, logger: { level: 'trace', stream } });
  open = await buildApp({ store, idempotency, tokens, telemetry, metricsAuth: 'none' });
  await app.ready();
  await open.ready();
});

afterAll(async () => {
  await app?.close();
  await open?.close();
  await telemetry?.shutdown();
  await idempotency?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('tokens never reach the log', () => {
  it('no pino line carries the Authorization header or the token, whatever the request answers', async () => {
    const business = await bearer('business', 'b-secrets');
    const operator = await bearer('operator', 'ops');
    const forged = { authorization: 'Bearer eyJhbGciOiJIUzI1NiIsImtpZCI6Im5vcGUifQ.eyJzdWIiOiJ4In0.c2lnbmF0dXJl' };
    const answers = [
      (await app.inject({ method: 'POST', url: '/v1/jobs', payload: jobExample, headers: business })).statusCode,
      (await app.inject({ method: 'POST', url: '/v1/jobs', payload: { nonsense: true }, headers: business })).statusCode,
      (await app.inject({ method: 'POST', url: '/v1/jobs', payload: jobExample, headers: forged })).statusCode,
      (await app.inject({ method: 'POST', url: '/v1/jobs', payload: jobExample, headers: { authorization: 'Basic dXNlcjpwYXNz' } })).statusCode,
      (await app.inject({ url: '/metrics', headers: operator })).statusCode,
      (await app.inject({ url: '/nowhere', headers: business })).statusCode,
    ];
    searchDown = true;
    answers.push((await app.inject({ url: '/readyz', headers: operator })).statusCode);
    searchDown = false;
    expect(answers).toEqual([201, 400, 401, 401, 200, 404, 503]);

    // The log did record these requests (so the check below is not vacuous) ...
    expect(logLines.filter((l) => l.includes('"url":"/v1/jobs"')).length).toBeGreaterThanOrEqual(4);
    expect(logLines.some((l) => l.includes('readiness check failed'))).toBe(true);
    // ... and none of its lines has a header or a credential in it.
    const secrets = [business.authorization, operator.authorization, forged.authorization, 'dXNlcjpwYXNz'].map((h) => h.replace(/^Bearer /, ''));
    for (const line of logLines) {
      expect(line.toLowerCase()).not.toContain('authorization');
      expect(line).not.toMatch(/bearer/i);
      for (const s of secrets) expect(line).not.toContain(s);
    }
  });
});

describe('/readyz', () => {
  it('answers anonymous and non-operator callers ok or failed per check, and an operator the dependency error', async () => {
    searchDown = true;
    try {
      const anonymous = await app.inject('/readyz');
      expect(anonymous.statusCode).toBe(503);
      expect(anonymous.json()).toEqual({ status: 'not_ready', checks: { eventStore: 'ok', searchEngine: 'failed' } });
      expect(anonymous.body).not.toContain('10.1.2.3');
      const asWorker = await app.inject({ url: '/readyz', headers: await bearer('worker', 'w-secrets') });
      expect(asWorker.json()).toEqual({ status: 'not_ready', checks: { eventStore: 'ok', searchEngine: 'failed' } });
      const asOperator = await app.inject({ url: '/readyz', headers: await bearer('operator', 'ops') });
      expect(asOperator.statusCode).toBe(503);
      expect(asOperator.json()).toEqual({ status: 'not_ready', checks: { eventStore: 'ok', searchEngine: dependencyError } });
    } finally {
      searchDown = false;
    }
    expect((await app.inject('/readyz')).json()).toEqual({ status: 'ready', checks: { eventStore: 'ok', searchEngine: 'ok' } });
  });
});

describe('/metrics', () => {
  it('needs an operator token by default (METRICS_AUTH=operator), in the API error shape', async () => {
    const anonymous = await app.inject('/metrics');
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toMatchObject({ statusCode: 401, code: 'unauthorized', error: 'Unauthorized' });
    expect(anonymous.body).not.toContain('http_server_request_duration_seconds');
    const badToken = await app.inject({ url: '/metrics', headers: { authorization: 'Bearer not-a-token' } });
    expect(badToken.statusCode).toBe(401);
    const asBusiness = await app.inject({ url: '/metrics', headers: await bearer('business', 'b-secrets') });
    expect(asBusiness.statusCode).toBe(403);
    expect(asBusiness.json()).toMatchObject({ code: 'forbidden' });
    const asOperator = await app.inject({ url: '/metrics', headers: await bearer('operator', 'prometheus') });
    expect(asOperator.statusCode).toBe(200);
    expect(asOperator.body).toMatch(/^# TYPE http_server_request_duration_seconds histogram$/m);
  });

  it('is open with METRICS_AUTH=none', async () => {
    const res = await open.inject('/metrics');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  });
});
