// The authorization matrix, generated from the app's own route table: every
// documented route, sent as each of six principals, against a hand-written
// table of expected statuses. A route without a row (or a row without a
// route) fails, so a new route must state who may call it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyExample, businessProfileExample, closeExample, jobExample, jobPatchExample, publishExample, reopenExample,
  savedSearchAlertsExample, savedSearchExample, statusExample, withdrawExample, workerProfileExample,
} from '../../command/http/examples.ts';
import type { Principal } from '../../eventstore/events/index.ts';
import type { FullApp } from '../support/fullApp.ts';
import { startFullApp } from '../support/fullApp.ts';
import type { Expected, PrincipalName } from './authzMatrix.ts';
import { authzMatrix, principals } from './authzMatrix.ts';

const identities: Record<Exclude<PrincipalName, 'anonymous'>, Principal> = {
  worker: { role: 'worker', sub: 'w-a' },
  otherWorker: { role: 'worker', sub: 'w-b' },
  business: { role: 'business', sub: 'b-a' },
  otherBusiness: { role: 'business', sub: 'b-b' },
  operator: { role: 'operator', sub: 'op-1' },
};

/** Ids owned by w-a and b-a, made fresh for each request so a write never spends another row's fixture. */
interface Fixtures {
  openJob(): Promise<string>; draftJob(): Promise<string>; closedJob(): Promise<string>; application(): Promise<string>; savedSearch(): Promise<string>; savedJob(): Promise<string>;
  webhook(): Promise<string>;
  /** w-a's signed unsubscribe link token, as a mail would carry it. */
  unsubscribeToken(): string;
}
interface Call { url: string; body?: unknown }

// Notifications on, so their routes (and the webhook routes) are in the document; private
// addresses allowed, so a loopback webhook URL passes the address wall without DNS.
const notifications = { WEBHOOK_ALLOW_PRIVATE: 'true' };
/** Never called: no job expires while the matrix runs (the clock stands still), so nothing is sent to it. */
const webhookBody = { url: 'http://127.0.0.1:9/hook', eventTypes: ['job.expired'] };

const { swaggerRoutes } = await (async () => {
  const probe = await startFullApp('embedded', { notifications, scheduler: true });
  const doc = probe.app.swagger() as { paths: Record<string, Record<string, unknown>> };
  const routes = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
  await probe.close();
  return { swaggerRoutes: routes };
})();

/** How to call each route: its URL with real ids and a valid body. */
const calls: Record<string, (f: Fixtures, who: PrincipalName) => Promise<Call>> = {
  'POST /v1/jobs': async () => ({ url: '/v1/jobs', body: jobExample }),
  'PATCH /v1/jobs/{id}': async (f) => ({ url: `/v1/jobs/${await f.draftJob()}`, body: jobPatchExample }),
  'DELETE /v1/jobs/{id}': async (f) => ({ url: `/v1/jobs/${await f.draftJob()}` }),
  'GET /v1/jobs/{id}': async (f) => ({ url: `/v1/jobs/${await f.openJob()}` }),
  'POST /v1/jobs/{id}/publish': async (f) => ({ url: `/v1/jobs/${await f.draftJob()}/publish`, body: publishExample }),
  'POST /v1/jobs/{id}/close': async (f) => ({ url: `/v1/jobs/${await f.openJob()}/close`, body: closeExample }),
  'POST /v1/jobs/{id}/reopen': async (f) => ({ url: `/v1/jobs/${await f.closedJob()}/reopen`, body: reopenExample }),
  'POST /v1/jobs/{id}/views': async (f) => ({ url: `/v1/jobs/${await f.openJob()}/views`, body: {} }),
  'POST /v1/jobs/{id}/applications': async (f) => ({ url: `/v1/jobs/${await f.openJob()}/applications`, body: applyExample }),
  'GET /v1/jobs/{id}/applications': async (f) => ({ url: `/v1/jobs/${await f.openJob()}/applications` }),
  'POST /v1/applications/{id}/withdraw': async (f) => ({ url: `/v1/applications/${await f.application()}/withdraw`, body: withdrawExample }),
  'POST /v1/applications/{id}/status': async (f) => ({ url: `/v1/applications/${await f.application()}/status`, body: statusExample }),
  // Named after the caller, so a profile read back shows whose it is.
  'PUT /v1/me/profile': async (_f, who) => ({ url: '/v1/me/profile', body: { ...workerProfileExample, name: who } }),
  'GET /v1/me/profile': async () => ({ url: '/v1/me/profile' }),
  'PUT /v1/me/saved-jobs/{jobId}': async (f) => ({ url: `/v1/me/saved-jobs/${await f.openJob()}` }),
  'DELETE /v1/me/saved-jobs/{jobId}': async (f) => ({ url: `/v1/me/saved-jobs/${await f.savedJob()}` }),
  'POST /v1/me/saved-searches': async () => ({ url: '/v1/me/saved-searches', body: savedSearchExample }),
  'GET /v1/me/saved-searches': async () => ({ url: '/v1/me/saved-searches' }),
  'PATCH /v1/me/saved-searches/{id}': async (f) => ({ url: `/v1/me/saved-searches/${await f.savedSearch()}`, body: savedSearchAlertsExample }),
  'DELETE /v1/me/saved-searches/{id}': async (f) => ({ url: `/v1/me/saved-searches/${await f.savedSearch()}` }),
  'GET /v1/me/saved-searches/{id}/results': async (f) => ({ url: `/v1/me/saved-searches/${await f.savedSearch()}/results` }),
  'GET /v1/businesses/me/profile': async () => ({ url: '/v1/businesses/me/profile' }),
  'GET /v1/businesses/{id}': async () => ({ url: '/v1/businesses/b-a' }),
  'PUT /v1/businesses/me/profile': async (_f, who) => ({ url: '/v1/businesses/me/profile', body: { ...businessProfileExample, name: who } }),
  'GET /v1/search': async () => ({ url: '/v1/search?text=barista' }),
  'POST /v1/search': async () => ({ url: '/v1/search', body: { text: 'barista' } }),
  'GET /v1/map': async () => ({ url: '/v1/map?zoom=3&bbox=-125,35,-115,42' }),
  'GET /v1/suggest': async () => ({ url: '/v1/suggest?prefix=bar' }),
  'GET /v1/compensation/suggest': async () => ({ url: '/v1/compensation/suggest?category=hospitality' }),
  'GET /v1/me/recommendations': async () => ({ url: '/v1/me/recommendations' }),
  // Operators name the worker they score for; workers score for themselves.
  'POST /v1/match': async (f, who) => ({ url: '/v1/match', body: { jobIds: [await f.openJob()], ...(who === 'operator' ? { workerId: 'w-a' } : {}) } }),
  'GET /v1/me/saved-jobs': async () => ({ url: '/v1/me/saved-jobs' }),
  'GET /v1/me/applications': async () => ({ url: '/v1/me/applications' }),
  'GET /v1/businesses/me/jobs': async () => ({ url: '/v1/businesses/me/jobs' }),
  'GET /v1/jobs/{id}/stats': async (f) => ({ url: `/v1/jobs/${await f.openJob()}/stats` }),
  'GET /v1/businesses/me/analytics': async () => ({ url: '/v1/businesses/me/analytics' }),
  'POST /v1/ops/rebuild': async () => ({ url: '/v1/ops/rebuild', body: { readModel: 'jobs', action: 'rebuild' } }),
  'GET /v1/ops/projections': async () => ({ url: '/v1/ops/projections' }),
  // A job that changes nothing here (no Idempotency-Key TTL wired in the test app), so the fixtures stay as they are.
  'POST /v1/ops/jobs/{name}/run': async () => ({ url: '/v1/ops/jobs/purge-idempotency-keys/run', body: {} }),
  'GET /v1/ops/jobs': async () => ({ url: '/v1/ops/jobs' }),
  'GET /v1/me/notifications': async () => ({ url: '/v1/me/notifications' }),
  'PUT /v1/me/notification-preferences': async () => ({ url: '/v1/me/notification-preferences', body: { muted: ['weekly_summary'] } }),
  'GET /v1/notifications/unsubscribe': async (f) => ({ url: `/v1/notifications/unsubscribe?token=${f.unsubscribeToken()}` }),
  'POST /v1/notifications/unsubscribe': async (f) => ({ url: `/v1/notifications/unsubscribe?token=${f.unsubscribeToken()}` }),
  'POST /v1/businesses/me/webhooks': async () => ({ url: '/v1/businesses/me/webhooks', body: webhookBody }),
  'GET /v1/businesses/me/webhooks': async () => ({ url: '/v1/businesses/me/webhooks' }),
  'DELETE /v1/businesses/me/webhooks/{webhookId}': async (f) => ({ url: `/v1/businesses/me/webhooks/${await f.webhook()}` }),
  'GET /v1/ops/notifications': async () => ({ url: '/v1/ops/notifications' }),
  'GET /healthz': async () => ({ url: '/healthz' }),
  'GET /readyz': async () => ({ url: '/readyz' }),
};

const describeExpected = (e: Expected) => principals.map((p) => `${p} ${[e[p]].flat().join('|')}`).join(', ');

describe('the authorization matrix', () => {
  let full: FullApp;
  const headers: Partial<Record<PrincipalName, Record<string, string>>> = {};
  let n = 0;
  // Reads wait for the projection to reach every write made so far (fixtures are read right after they are made).
  let position = 0;

  async function send(who: PrincipalName, method: string, url: string, body?: unknown) {
    const res = await full.app.inject({
      method: method as 'GET',
      url,
      headers: { ...headers[who], 'x-min-position': String(position), 'idempotency-key': `authz-${++n}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });
    // The unsubscribe page answers HTML, which has no position.
    const json = res.statusCode < 300 && res.body && String(res.headers['content-type'] ?? '').includes('json');
    const written = json ? (JSON.parse(res.body) as { position?: unknown }).position : undefined;
    if (typeof written === 'number' && method !== 'GET') position = Math.max(position, written);
    return res;
  }
  /** Every job b-a made, to look for in b-b's answers. */
  const jobsOfBusiness = new Set<string>();
  async function ok(who: PrincipalName, method: string, url: string, body?: unknown): Promise<Record<string, unknown>> {
    const res = await send(who, method, url, body);
    if (res.statusCode >= 300) throw new Error(`fixture ${method} ${url} as ${who}: ${res.statusCode} ${res.body}`);
    const json = res.body ? (JSON.parse(res.body) as Record<string, unknown>) : {};
    if (who === 'business' && method === 'POST' && url === '/v1/jobs') jobsOfBusiness.add(idOf(json));
    return json;
  }
  const idOf = (r: Record<string, unknown>): string => {
    if (typeof r.id !== 'string') throw new Error(`no id in ${JSON.stringify(r)}`);
    return r.id;
  };

  /** Made on first use only, so a route's fixtures are exactly what its call names. */
  function fixtures(): Fixtures {
    const once = <T>(make: () => Promise<T>) => { let p: Promise<T> | undefined; return () => (p ??= make()); };
    const { publish: _p, ...draft } = jobExample;
    const openJob = once(async () => idOf(await ok('business', 'POST', '/v1/jobs', jobExample)));
    const draftJob = once(async () => idOf(await ok('business', 'POST', '/v1/jobs', draft)));
    const closedJob = once(async () => {
      const id = idOf(await ok('business', 'POST', '/v1/jobs', jobExample));
      await ok('business', 'POST', `/v1/jobs/${id}/close`, closeExample);
      return id;
    });
    const application = once(async () => idOf(await ok('worker', 'POST', `/v1/jobs/${await openJob()}/applications`, applyExample)));
    const savedJob = once(async () => { const id = await openJob(); await ok('worker', 'PUT', `/v1/me/saved-jobs/${id}`); return id; });
    const savedSearch = once(async () => idOf(await ok('worker', 'POST', '/v1/me/saved-searches', savedSearchExample)));
    const webhook = once(async () => idOf(await ok('business', 'POST', '/v1/businesses/me/webhooks', webhookBody)));
    const unsubscribeToken = () => full.notifications!.unsubscribe.sign({ role: 'worker', sub: 'w-a', kind: 'application_status' });
    return { openJob, draftJob, closedJob, application, savedSearch, savedJob, webhook, unsubscribeToken };
  }

  beforeAll(async () => {
    full = await startFullApp('embedded', { minPositionWaitMs: 5000, notifications, scheduler: true });
    for (const [name, p] of Object.entries(identities)) headers[name as PrincipalName] = await full.auth(p);
    // Every tenant has a profile, so a profile read answers the same whichever rows ran before it.
    for (const who of ['worker', 'otherWorker'] as const) await ok(who, 'PUT', '/v1/me/profile', { ...workerProfileExample, name: who });
    for (const who of ['business', 'otherBusiness'] as const) await ok(who, 'PUT', '/v1/businesses/me/profile', { ...businessProfileExample, name: who });
  }, 60_000);
  afterAll(async () => { await full?.close(); });

  it('has a row for every documented route and no row for a route that is not there', () => {
    expect(Object.keys(authzMatrix).sort()).toEqual([...swaggerRoutes].sort());
    expect(Object.keys(calls).sort()).toEqual([...swaggerRoutes].sort());
  });

  const rows = swaggerRoutes.filter((r) => authzMatrix[r] && calls[r]).map((r) => [`${r}: ${describeExpected(authzMatrix[r]!)}`, r] as const);
  it.each(rows)('%s', async (_name, route) => {
    const [method, template] = route.split(' ') as [string, string];
    const got: Record<string, string> = {};
    const want: Record<string, string> = {};
    for (const who of principals) {
      const { url, body } = await calls[route]!(fixtures(), who);
      const res = await send(who, method, url, body);
      const expected = [authzMatrix[route]![who]].flat();
      want[who] = expected.join('|');
      got[who] = expected.includes(res.statusCode) ? want[who] : `${res.statusCode} ${res.body.slice(0, 200)}`;
    }
    expect(got, template).toEqual(want);
  }, 60_000);

  describe('no tenant reads another tenant\'s data', () => {
    const body = async (who: PrincipalName, url: string) => {
      const res = await send(who, 'GET', url);
      expect(res.statusCode, `${who} GET ${url}: ${res.body.slice(0, 200)}`).toBe(200);
      return res.body;
    };

    it('the other worker\'s lists and profile name none of the worker\'s applications, saved jobs, saved searches or profile', async () => {
      const f = fixtures();
      const [application, savedJob, savedSearch] = [await f.application(), await f.savedJob(), await f.savedSearch()];
      await ok('otherWorker', 'PUT', '/v1/me/profile', { ...workerProfileExample, name: 'Other Worker' });
      expect(await body('worker', '/v1/me/applications')).toContain(application);
      expect(await body('otherWorker', '/v1/me/applications')).not.toContain(application);
      expect(await body('worker', '/v1/me/saved-jobs')).toContain(savedJob);
      expect(await body('otherWorker', '/v1/me/saved-jobs')).not.toContain(savedJob);
      expect(await body('worker', '/v1/me/saved-searches')).toContain(savedSearch);
      expect(await body('otherWorker', '/v1/me/saved-searches')).not.toContain(savedSearch);
      expect(JSON.parse(await body('otherWorker', '/v1/me/profile'))).toMatchObject({ profile: { name: 'Other Worker' } });
    });

    it('the other business\'s profile, job list and analytics show nothing of the business', async () => {
      const f = fixtures();
      const draft = await f.draftJob();
      expect(await body('otherBusiness', '/v1/businesses/me/profile')).toContain('"otherBusiness"');
      expect(await body('otherBusiness', '/v1/businesses/me/profile')).not.toContain('"business"');
      expect(await body('business', '/v1/businesses/me/jobs?size=100')).toContain(draft);
      for (const url of ['/v1/businesses/me/jobs?size=100', '/v1/businesses/me/jobs?status=draft&size=100', '/v1/businesses/me/analytics']) {
        const other = await body('otherBusiness', url);
        expect([...jobsOfBusiness].filter((id) => other.includes(id)), url).toEqual([]);
      }
    });

    it('a draft job is read by its business (and operators) only', async () => {
      const draft = await fixtures().draftJob();
      const got = Object.fromEntries(await Promise.all(principals.map(async (who) => [who, (await send(who, 'GET', `/v1/jobs/${draft}`)).statusCode] as const)));
      expect(got).toEqual({ anonymous: 404, worker: 404, otherWorker: 404, business: 200, otherBusiness: 404, operator: 200 });
    });

    it('the other business neither lists nor deletes the business\'s webhook', async () => {
      const webhook = await fixtures().webhook();
      expect(await body('otherBusiness', '/v1/businesses/me/webhooks')).not.toContain(webhook);
      expect((await send('otherBusiness', 'DELETE', `/v1/businesses/me/webhooks/${webhook}`)).statusCode).toBe(404);
      expect(await body('business', '/v1/businesses/me/webhooks')).toContain(webhook);
    });

    it('w-a\'s unsubscribe token re-pointed at w-b is refused whoever sends it', async () => {
      const [, signature] = fixtures().unsubscribeToken().split('.');
      const forged = Buffer.from(JSON.stringify({ v: 1, role: 'worker', sub: 'w-b', kind: 'application_status' })).toString('base64url');
      const token = `${forged}.${signature}`;
      const got = Object.fromEntries(await Promise.all(principals.map(async (who) => [who, (await send(who, 'POST', `/v1/notifications/unsubscribe?token=${token}`)).statusCode] as const)));
      expect(got).toEqual({ anonymous: 400, worker: 400, otherWorker: 400, business: 400, otherBusiness: 400, operator: 400 });
    });

    it('a worker may not score jobs for another worker', async () => {
      const res = await send('otherWorker', 'POST', '/v1/match', { jobIds: [await fixtures().openJob()], workerId: 'w-a' });
      expect(res.statusCode).toBe(403);
    });
  });
});
