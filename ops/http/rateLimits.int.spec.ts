// Limits: budgets per kind of call, per subject for signed
// calls and per client IP for anonymous ones, 429 with Retry-After and the
// RateLimit-* headers; in server mode the counters live in Redis, so a limit
// holds across nodes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jobExample } from '../../command/http/examples.ts';
import { dropServerModeState } from '../../tests/support/fullApp.ts';
import { loadConfig } from '../config.ts';
import type { RunningServer } from '../startServer.ts';
import { startServer } from '../startServer.ts';
import { budgetOf, callerKey } from './rateLimits.ts';

const dirs: string[] = [];
const tag = `rl${Math.random().toString(36).slice(2, 10)}`;
const servers: RunningServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.stop();
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
  await dropServerModeState(tag, process.env.SEARCH_URL!, process.env.DATABASE_URL!);
});

const limits = { RATE_LIMIT_SEARCH: '3', RATE_LIMIT_WRITE: '2', RATE_LIMIT_EXPENSIVE: '1', TRUST_PROXY: '127.0.0.1' };
const secret = 'rate-limit-secret-rate-limit-secret-0123456789';

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rate-limits-'));
  dirs.push(dir);
  return dir;
}

async function start(env: Record<string, string | undefined>, role: 'all' | 'query' = 'all'): Promise<RunningServer> {
  const server = await startServer(loadConfig({ DATA_DIR: dataDir(), PORT: '0', SEED: 'false', LOG_LEVEL: 'silent', SCHEDULER: 'off', AUTH_SECRET: secret, ...limits, ...env }), { quiet: true, handleSignals: false, role });
  servers.push(server);
  return server;
}

const call = (server: RunningServer, path: string, headers: Record<string, string> = {}, init: RequestInit = {}) => fetch(`${server.url}${path}`, { ...init, headers: { 'content-type': 'application/json', ...headers } });
const from = (ip: string) => ({ 'x-forwarded-for': ip });

describe('rate limit budgets', () => {
  it('sorts routes and pages into search, write and expensive budgets; health, readiness, metrics, docs and static files are not limited', () => {
    expect(budgetOf('GET', '/v1/search')).toBe('search');
    expect(budgetOf('POST', '/v1/search')).toBe('search');
    expect(budgetOf('GET', '/v1/map')).toBe('search');
    expect(budgetOf('GET', '/v1/jobs/:id')).toBe('search');
    expect(budgetOf('POST', '/v1/jobs')).toBe('write');
    expect(budgetOf('POST', '/v1/jobs/:id/views')).toBe('write');
    expect(budgetOf('DELETE', '/v1/me/saved-jobs/:jobId')).toBe('write');
    expect(budgetOf('GET', '/v1/compensation/suggest')).toBe('expensive');
    expect(budgetOf('POST', '/v1/match')).toBe('expensive');
    expect(budgetOf('GET', '/v1/me/recommendations')).toBe('expensive');
    expect(budgetOf('GET', '/')).toBe('search');
    expect(budgetOf('GET', '/jobs/:id')).toBe('search');
    expect(budgetOf('GET', '/map')).toBe('search');
    expect(budgetOf('GET', '/sitemap.xml')).toBe('expensive');
    expect(budgetOf('GET', '/me/saved-jobs')).toBe('search');
    expect(budgetOf('GET', '/me/recommendations')).toBe('expensive');
    expect(budgetOf('POST', '/sign-in')).toBe('write');
    expect(budgetOf('POST', '/jobs/:id/apply')).toBe('write');
    for (const url of ['/healthz', '/readyz', '/metrics', '/docs', '/openapi.json', '/assets/:file', '/robots.txt', undefined]) expect(budgetOf('GET', url)).toBeUndefined();
    expect(callerKey({ ip: '203.0.113.9' })).toBe('ip:203.0.113.9');
    expect(callerKey({ ip: '2001:db8::1' })).toBe(callerKey({ ip: '2001:db8::ffff' })); // one /64 is one client
    expect(callerKey({ ip: '1.2.3.4', principal: { role: 'worker', sub: 'w1' } })).toBe('sub:worker:w1');
  });
});

describe('rate limits in embedded mode', () => {
  it('counts anonymous calls per client IP, answers 429 with Retry-After and RateLimit-* in the error shape', async () => {
    const server = await start({});
    const first = await call(server, '/v1/search?text=cook', from('198.51.100.1'));
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-limit')).toBe('3');
    expect(first.headers.get('ratelimit-remaining')).toBe('2');
    expect(Number(first.headers.get('ratelimit-reset'))).toBeGreaterThan(0);
    expect((await call(server, '/v1/map?bbox=-125,24,-66,50&zoom=4', from('198.51.100.1'))).status).toBe(200);
    expect((await call(server, '/v1/suggest?prefix=co', from('198.51.100.1'))).status).toBeLessThan(429);
    const limited = await call(server, '/v1/search?text=cook', from('198.51.100.1'));
    expect(limited.status).toBe(429);
    expect(await limited.json()).toMatchObject({ statusCode: 429, code: 'rate_limited', error: 'Too Many Requests' });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(limited.headers.get('ratelimit-limit')).toBe('3');
    expect(limited.headers.get('ratelimit-remaining')).toBe('0');
    // Another client (TRUST_PROXY names the proxy, so X-Forwarded-For is the client) has its own budget.
    expect((await call(server, '/v1/search?text=cook', from('198.51.100.2'))).status).toBe(200);
    // What is not the API is never limited.
    expect((await call(server, '/healthz', from('198.51.100.1'))).status).toBe(200);
    expect((await call(server, '/readyz', from('198.51.100.1'))).status).toBe(200);
  });

  it('limits the web pages from the same budgets as the API, and a page past its budget is a 429 page with Retry-After', async () => {
    const server = await start({});
    const ip = from('198.51.100.7');
    expect((await call(server, '/', ip)).status).toBe(200);
    expect((await call(server, '/v1/search?text=cook', ip)).status).toBe(200);
    expect((await call(server, '/jobs/unknown', ip)).status).toBe(404);
    const limited = await call(server, '/?q=cook', ip);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toMatch(/^text\/html/);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.text()).toContain('Too many requests from you in a short time');
    // The sitemap draws on the expensive budget (one call here); the stylesheet on none.
    expect((await call(server, '/sitemap.xml', ip)).status).toBe(200);
    expect((await call(server, '/sitemap.xml', ip)).status).toBe(429);
    expect((await call(server, '/robots.txt', ip)).status).toBe(200);
  });

  it('counts signed calls per subject, with separate budgets for writes and expensive reads; operators are not limited', async () => {
    const server = await start({});
    const sign = (role: 'business' | 'worker' | 'operator', sub: string) => server.runtime.tokens.sign({ role, sub }).then((t) => ({ authorization: `Bearer ${t}` }));
    const business = await sign('business', 'b-limits');
    const post = (headers: Record<string, string>) => call(server, '/v1/jobs', headers, { method: 'POST', body: JSON.stringify(jobExample) });
    expect((await post(business)).status).toBe(201);
    expect((await post(business)).status).toBe(201);
    const third = await post(business);
    expect(third.status).toBe(429);
    expect(await third.json()).toMatchObject({ code: 'rate_limited' });
    // Its other budgets are untouched, and another business has its own.
    expect((await call(server, '/v1/search?text=cook', business)).status).toBe(200);
    expect((await post(await sign('business', 'b-other'))).status).toBe(201);
    // The subject, not the address: one IP with many signed callers is not one budget.
    expect((await post({ ...(await sign('business', 'b-third')), ...from('198.51.100.1') })).status).toBe(201);

    const worker = await sign('worker', 'w-limits');
    expect((await call(server, '/v1/me/recommendations', worker)).status).not.toBe(429);
    expect((await call(server, '/v1/me/recommendations', worker)).status).toBe(429);
    expect((await call(server, '/v1/search?text=cook', worker)).status).toBe(200);

    const operator = await sign('operator', 'ops');
    for (let i = 0; i < 5; i++) expect((await call(server, '/v1/search?text=cook', operator)).status).toBe(200);
  });

  it('RATE_LIMIT=off turns them off', async () => {
    const server = await start({ RATE_LIMIT: 'off' });
    for (let i = 0; i < 5; i++) {
      const res = await call(server, '/v1/search?text=cook');
      expect(res.status).toBe(200);
      expect(res.headers.get('ratelimit-limit')).toBeNull();
    }
  });
});

describe('rate limits in server mode', () => {
  it('hold across nodes: the counters are in Redis', async () => {
    const env = {
      JOBS_MODE: 'server',
      DATABASE_URL: process.env.DATABASE_URL,
      SEARCH_URL: process.env.SEARCH_URL,
      REDIS_URL: process.env.REDIS_URL,
      SEARCH_PREFIX: `${tag}_`,
      DATABASE_SCHEMA_PREFIX: tag,
    };
    const a = await start(env);
    const b = await start(env, 'query');
    const client = from(`192.0.2.${Math.floor(Math.random() * 250) + 1}`);
    expect((await call(a, '/v1/search?text=cook', client)).status).toBe(200);
    expect((await call(b, '/v1/search?text=cook', client)).status).toBe(200);
    const third = await call(a, '/v1/search?text=cook', client);
    expect(third.status).toBe(200);
    expect(third.headers.get('ratelimit-remaining')).toBe('0');
    const limited = await call(b, '/v1/search?text=cook', client);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
