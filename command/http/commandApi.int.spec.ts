import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allEvents, startTestApp } from '../../tests/support/commandApp.ts';
import type { TestApp } from '../../tests/support/commandApp.ts';
import { jobExample, workerProfileExample } from './examples.ts';

const business = { role: 'business', sub: 'b-lakeside' } as const;
const otherBusiness = { role: 'business', sub: 'b-other' } as const;
const worker = { role: 'worker', sub: 'w-alex' } as const;
const { publish: _publish, ...draftBody } = jobExample;

// The same behaviour on every event store adapter the command side runs on.
describe.each(['sqlite', 'postgres'] as const)('command API on %s', (eventStore) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ bodyLimit: 64 * 1024, eventStore });
  });
  afterAll(async () => t.close());

  async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
    return t.app.inject({ method: 'POST', url, payload: body as object, headers });
  }

  async function createJob(publish = true) {
    const res = await post('/v1/jobs', publish ? jobExample : draftBody, await t.auth(business));
    expect(res.statusCode).toBe(201);
    return res.json<{ id: string; revision: number; position: number }>();
  }

  describe('POST /v1/jobs', () => {
    it('answers 201 with id, revision and position, and the events are in the log', async () => {
      const before = await t.store.headPosition();
      const reply = await createJob();
      expect(reply).toEqual({ id: expect.any(String), revision: 1, position: before + 2 });
      const stream = await t.store.readStream(`job-${reply.id}`);
      expect(stream.map((e) => e.type)).toEqual(['JobDrafted', 'JobPublished']);
      expect(stream[0]!.metadata.actor).toEqual(business);
    });

    it('replays the first answer for a retried Idempotency-Key and appends once', async () => {
      const headers = { ...(await t.auth(business)), 'idempotency-key': 'create-42' };
      const first = await post('/v1/jobs', draftBody, headers);
      const second = await post('/v1/jobs', draftBody, headers);
      expect(first.statusCode).toBe(201);
      expect(second.statusCode).toBe(201);
      expect(second.json()).toEqual(first.json());
      expect(second.headers['idempotent-replayed']).toBe('true');
      const drafted = (await allEvents(t.store)).filter((e) => e.type === 'JobDrafted' && e.streamId === `job-${first.json<{ id: string }>().id}`);
      expect(drafted).toHaveLength(1);
    });

    it('answers a retry whose first answer was never recorded (the process died after the append) with 201 and the same id, appending nothing', async () => {
      const headers = { ...(await t.auth(business)), 'idempotency-key': 'lost-answer-1' };
      const first = await post('/v1/jobs', jobExample, headers);
      expect(first.statusCode).toBe(201);
      // What a crash between the append and the record leaves: the events, and no answer kept.
      await t.idempotency.purge(new Date('2100-01-01T00:00:00Z'));
      const head = await t.store.headPosition();
      const retry = await post('/v1/jobs', jobExample, headers);
      expect(retry.statusCode).toBe(201);
      expect(retry.json()).toEqual(first.json());
      expect(await t.store.headPosition()).toBe(head);
      const lifecycle = await post(`/v1/jobs/${first.json<{ id: string }>().id}/close`, { reason: 'filled' }, { ...(await t.auth(business)), 'idempotency-key': 'close-once' });
      expect(lifecycle.statusCode).toBe(200);
      await t.idempotency.purge(new Date('2100-01-01T00:00:00Z'));
      const closedAgain = await post(`/v1/jobs/${first.json<{ id: string }>().id}/close`, { reason: 'filled' }, { ...(await t.auth(business)), 'idempotency-key': 'close-once' });
      expect(closedAgain.statusCode).toBe(200);
      expect(closedAgain.json()).toEqual(lifecycle.json());
    });

    it('runs a request again, with the same key, once its first attempt failed (only answers from 200 to 299 are kept)', async () => {
      const headers = { ...(await t.auth(business)), 'idempotency-key': 'first-fails' };
      const refused = await post('/v1/jobs', { ...jobExample, publish: { expiresAt: '2020-01-01T00:00:00Z' } }, headers);
      expect(refused.statusCode).toBeGreaterThanOrEqual(400);
      const fixed = await post('/v1/jobs', { ...jobExample, publish: { expiresAt: '2020-01-01T00:00:00Z' } }, headers);
      expect(fixed.statusCode).toBe(refused.statusCode);
      expect(fixed.headers['idempotent-replayed']).toBeUndefined();
    });

    it('serialises concurrent retries of one Idempotency-Key into one job', async () => {
      const headers = { ...(await t.auth(business)), 'idempotency-key': 'burst-7' };
      const replies = await Promise.all(Array.from({ length: 8 }, () => post('/v1/jobs', draftBody, headers)));
      expect(new Set(replies.map((r) => r.statusCode))).toEqual(new Set([201]));
      expect(new Set(replies.map((r) => r.json<{ id: string }>().id)).size).toBe(1);
    });

    it('refuses an Idempotency-Key reused with another body (422)', async () => {
      const headers = { ...(await t.auth(business)), 'idempotency-key': 'reuse-1' };
      expect((await post('/v1/jobs', draftBody, headers)).statusCode).toBe(201);
      const res = await post('/v1/jobs', { ...draftBody, title: 'Another title' }, headers);
      expect(res.statusCode).toBe(422);
      expect(res.json()).toMatchObject({ code: 'idempotency_key_reused' });
    });

    it('names the field of a wrong type in a 400 and writes nothing', async () => {
      const head = await t.store.headPosition();
      const res = await post('/v1/jobs', { ...draftBody, pay: { ...draftBody.pay, min: 'sixteen' } }, await t.auth(business));
      expect(res.statusCode).toBe(400);
      const body = res.json<{ code: string; error: string; message: string; statusCode: number; details: { field: string }[] }>();
      expect(body).toMatchObject({ statusCode: 400, code: 'validation_failed', error: 'Bad Request' });
      expect(body.details.map((d) => d.field)).toContain('body.pay.min');
      expect(body.message).toContain('body.pay.min');
      expect(await t.store.headPosition()).toBe(head);
    });

    it('rejects unknown fields instead of stripping them', async () => {
      const res = await post('/v1/jobs', { ...draftBody, salaryBonus: 5 }, await t.auth(business));
      expect(res.statusCode).toBe(400);
      expect(JSON.stringify(res.json())).toContain('salaryBonus');
    });

    it('is 403 for a worker token, 401 without or with a bad token, and nothing reaches the log', async () => {
      const head = await t.store.headPosition();
      const asWorker = await post('/v1/jobs', draftBody, await t.auth(worker));
      expect(asWorker.statusCode).toBe(403);
      expect(asWorker.json()).toMatchObject({ code: 'forbidden' });
      const anonymous = await post('/v1/jobs', draftBody);
      expect(anonymous.statusCode).toBe(401);
      expect(anonymous.json()).toMatchObject({ statusCode: 401, code: 'unauthorized', error: 'Unauthorized' });
      const forged = await post('/v1/jobs', draftBody, { authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.bad' });
      expect(forged.statusCode).toBe(401);
      const otherSecret = await post('/v1/jobs', draftBody, { authorization: `Bearer ${await (await import('../../ops/http/tokens.ts')).createTokenService('x'.repeat(40)).sign(business)}` });
      expect(otherSecret.statusCode).toBe(401);
      expect(await t.store.headPosition()).toBe(head);
    });

    it('is 401 before validation: an anonymous bad body is not told what is wrong with it', async () => {
      expect((await post('/v1/jobs', { nonsense: true })).statusCode).toBe(401);
    });

    it('answers 413 for a body over the limit and 400 for malformed JSON', async () => {
      const big = await post('/v1/jobs', { ...draftBody, description: 'x'.repeat(70 * 1024) }, await t.auth(business));
      expect(big.statusCode).toBe(413);
      expect(big.json()).toMatchObject({ code: 'body_too_large' });
      const bad = await t.app.inject({ method: 'POST', url: '/v1/jobs', payload: '{"title": ', headers: { ...(await t.auth(business)), 'content-type': 'application/json' } });
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ code: 'invalid_json' });
    });

    it('refuses a non-remote job without a location (422, domain rule)', async () => {
      const { location: _l, ...noLocation } = draftBody;
      const res = await post('/v1/jobs', noLocation, await t.auth(business));
      expect(res.statusCode).toBe(422);
      expect(res.json()).toMatchObject({ code: 'location_required' });
    });
  });

  describe('job lifecycle', () => {
    it('PATCH with a stale If-Match is 409 and changes nothing; the current one succeeds', async () => {
      const job = await createJob(false);
      const headers = await t.auth(business);
      const ok = await t.app.inject({ method: 'PATCH', url: `/v1/jobs/${job.id}`, payload: { title: 'Head Barista' }, headers: { ...headers, 'if-match': `"${job.revision}"` } });
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toMatchObject({ id: job.id, revision: job.revision + 1 });
      const stale = await t.app.inject({ method: 'PATCH', url: `/v1/jobs/${job.id}`, payload: { title: 'Lead Barista' }, headers: { ...headers, 'if-match': String(job.revision) } });
      expect(stale.statusCode).toBe(409);
      expect(stale.json()).toMatchObject({ code: 'revision_mismatch' });
      const stream = await t.store.readStream(`job-${job.id}`);
      expect(stream).toHaveLength(2);
    });

    it('only the owning business changes its job (403) and an unknown job is 404', async () => {
      const job = await createJob();
      const res = await t.app.inject({ method: 'PATCH', url: `/v1/jobs/${job.id}`, payload: { title: 'Taken over' }, headers: await t.auth(otherBusiness) });
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ code: 'not_owner' });
      const missing = await post('/v1/jobs/nope/close', { reason: 'filled' }, await t.auth(business));
      expect(missing.statusCode).toBe(404);
    });

    it('publish needs an expiry; close and reopen follow the rules', async () => {
      const job = await createJob(false);
      const h = await t.auth(business);
      const noExpiry = await post(`/v1/jobs/${job.id}/publish`, {}, h);
      expect(noExpiry.statusCode).toBe(422);
      expect(noExpiry.json()).toMatchObject({ code: 'expiry_required' });
      expect((await post(`/v1/jobs/${job.id}/publish`, { expiresAt: '2027-04-01T00:00:00Z' }, h)).statusCode).toBe(200);
      expect((await post(`/v1/jobs/${job.id}/close`, { reason: 'filled' }, h)).statusCode).toBe(200);
      const again = await post(`/v1/jobs/${job.id}/close`, { reason: 'filled' }, h);
      expect(again.statusCode).toBe(409);
      expect((await post(`/v1/jobs/${job.id}/reopen`, { expiresAt: '2027-04-15T00:00:00Z' }, h)).statusCode).toBe(200);
      await post(`/v1/jobs/${job.id}/close`, { reason: 'withdrawn' }, h);
      t.clock.now = new Date('2027-05-01T00:00:00Z');
      try {
        const late = await post(`/v1/jobs/${job.id}/reopen`, { expiresAt: '2027-06-15T00:00:00Z' }, h);
        expect(late.statusCode).toBe(422);
        expect(late.json()).toMatchObject({ code: 'reopen_after_expiry' });
      } finally {
        t.clock.now = new Date('2027-03-01T12:00:00Z');
      }
    });

    it('records views in their own stream so they never make the owner\'s If-Match stale', async () => {
      const job = await createJob();
      const view = await post(`/v1/jobs/${job.id}/views`, undefined);
      expect(view.statusCode).toBe(202);
      const views = (await allEvents(t.store)).filter((e) => e.type === 'JobViewed' && e.data.jobId === job.id);
      expect(views.map((e) => e.streamId)).toEqual([expect.stringMatching(new RegExp(`^jobviews-${job.id}-2027-03-01-`))]);
      const patch = await t.app.inject({ method: 'PATCH', url: `/v1/jobs/${job.id}`, payload: { hoursPerWeek: 25 }, headers: { ...(await t.auth(business)), 'if-match': String(job.revision) } });
      expect(patch.statusCode).toBe(200);
    });
  });

  describe('applications', () => {
    it('a worker applies once; a second application is 409; the business moves it; the worker withdraws', async () => {
      const job = await createJob();
      const w = await t.auth(worker);
      const applied = await post(`/v1/jobs/${job.id}/applications`, { message: 'Hi!' }, w);
      expect(applied.statusCode).toBe(201);
      const { id } = applied.json<{ id: string }>();
      const twice = await post(`/v1/jobs/${job.id}/applications`, {}, w);
      expect(twice.statusCode).toBe(409);
      expect(twice.json()).toMatchObject({ code: 'already_applied' });
      expect((await post(`/v1/applications/${id}/status`, { status: 'shortlisted' }, await t.auth(otherBusiness))).statusCode).toBe(403);
      expect((await post(`/v1/applications/${id}/status`, { status: 'shortlisted' }, await t.auth(business))).statusCode).toBe(200);
      expect((await post(`/v1/applications/${id}/withdraw`, { reason: 'found another job' }, await t.auth({ role: 'worker', sub: 'w-someone-else' }))).statusCode).toBe(403);
      expect((await post(`/v1/applications/${id}/withdraw`, {}, w)).statusCode).toBe(200);
      expect((await t.store.readStream(`application-${id}`)).map((e) => e.type)).toEqual(['ApplicationSubmitted', 'ApplicationStatusChanged', 'ApplicationWithdrawn']);
    });

    it('applying to a closed or unknown job is refused', async () => {
      const job = await createJob();
      await post(`/v1/jobs/${job.id}/close`, { reason: 'filled' }, await t.auth(business));
      const closed = await post(`/v1/jobs/${job.id}/applications`, {}, await t.auth(worker));
      expect(closed.statusCode).toBe(422);
      expect(closed.json()).toMatchObject({ code: 'job_not_open' });
      expect((await post('/v1/jobs/missing-job/applications', {}, await t.auth(worker))).statusCode).toBe(404);
    });
  });

  describe('worker and business self-service', () => {
    it('profile, saved jobs and saved searches round-trip into the worker stream', async () => {
      const job = await createJob();
      const w = await t.auth(worker);
      const profile = await t.app.inject({ method: 'PUT', url: '/v1/me/profile', payload: workerProfileExample, headers: w });
      expect(profile.statusCode).toBe(200);
      expect((await t.app.inject({ method: 'PUT', url: `/v1/me/saved-jobs/${job.id}`, headers: w })).statusCode).toBe(200);
      const search = await post('/v1/me/saved-searches', { name: 'Baristas', query: { text: 'barista' } }, w);
      expect(search.statusCode).toBe(201);
      const { id } = search.json<{ id: string }>();
      expect((await t.app.inject({ method: 'DELETE', url: `/v1/me/saved-searches/${id}`, headers: w })).statusCode).toBe(200);
      expect((await t.app.inject({ method: 'DELETE', url: `/v1/me/saved-searches/${id}`, headers: w })).statusCode).toBe(404);
      expect((await t.app.inject({ method: 'DELETE', url: `/v1/me/saved-jobs/${job.id}`, headers: w })).statusCode).toBe(200);
      const types = (await t.store.readStream(`worker-${worker.sub}`)).map((e) => e.type);
      expect(types).toEqual(['WorkerProfileUpdated', 'JobSaved', 'SearchSaved', 'SavedSearchDeleted', 'JobUnsaved']);
    });

    it('saves a search with its alert schedule, and changes it later; an unchanged schedule appends nothing', async () => {
      const w = await t.auth({ role: 'worker', sub: 'w-schedule' });
      const saved = await post('/v1/me/saved-searches', { name: 'Pickers', query: { text: 'picker', payMin: 15 }, alertFrequency: 'weekly', alertWeekday: 'Tuesday', alertHour: 6, timeZone: 'europe/paris' }, w);
      expect(saved.statusCode, saved.body).toBe(201);
      const { id } = saved.json<{ id: string }>();
      const patch = (body: object) => t.app.inject({ method: 'PATCH', url: `/v1/me/saved-searches/${id}`, payload: body, headers: w });
      expect((await patch({ alertFrequency: 'off' })).statusCode).toBe(200);
      const again = await patch({ alertFrequency: 'off' });
      expect(again.statusCode).toBe(200);
      const events = await t.store.readStream('worker-w-schedule');
      expect(events.map((e) => [e.type, e.data])).toEqual([
        ['SearchSaved', expect.objectContaining({ alertFrequency: 'weekly', alertWeekday: 2, alertHour: 6, timeZone: 'Europe/Paris' })],
        ['SavedSearchAlertsChanged', expect.objectContaining({ searchId: id, alertFrequency: 'off', alertWeekday: 2, alertHour: 6, timeZone: 'Europe/Paris' })],
      ]);
      expect((await t.app.inject({ method: 'PATCH', url: '/v1/me/saved-searches/nope', payload: { alertFrequency: 'off' }, headers: w })).statusCode).toBe(404);
      const empty = await patch({});
      expect(empty.statusCode).toBe(400);
      expect((await patch({ alertHour: 24 })).json()).toMatchObject({ statusCode: 400, details: [expect.objectContaining({ field: 'body.alertHour' })] });
    });

    it('refuses, with a 400 naming the field and nothing stored, a query /v1/search would refuse and an unknown time zone', async () => {
      const w = await t.auth({ role: 'worker', sub: 'w-bad-input' });
      const cases: Array<[object, string]> = [
        [{ name: 'n', query: { payMin: -3 } }, 'body.query.payMin'],
        [{ name: 'n', query: { text: 'cook', colour: 'blue' } }, 'body.query.colour'],
        [{ name: 'n', query: { category: ['hospitality', 'moon'] } }, 'body.query.category[1]'],
        [{ name: 'n', query: { payMin: 20, payMax: 10 } }, 'body.query.payMax'],
        [{ name: 'n', query: { includeClosed: true, businessId: 'b1' } }, 'body.query.includeClosed'],
        [{ name: 'n', query: { text: 'cook', postedSince: '2027-01-01T00:00:00Z' } }, 'body.query.postedSince'],
        [{ name: 'n', query: { text: 'cook', sort: 'match' } }, 'body.query.sort'],
        [{ name: 'n', query: {}, timeZone: 'Mars/Olympus' }, 'body.timeZone'],
        [{ name: 'n', query: {}, alertWeekday: 'someday' }, 'body.alertWeekday'],
        [{ name: 'n', query: {}, alertFrequency: 'monthly' }, 'body.alertFrequency'],
      ];
      for (const [body, field] of cases) {
        const res = await post('/v1/me/saved-searches', body, w);
        expect(res.statusCode, JSON.stringify(body)).toBe(400);
        expect(res.json<{ code: string; details: Array<{ field: string }> }>(), JSON.stringify(body)).toMatchObject({ code: 'validation_failed', details: expect.arrayContaining([expect.objectContaining({ field })]) });
      }
      expect(await t.store.readStream('worker-w-bad-input')).toEqual([]);
    });

    it('holds at most 50 active saved searches per worker (422 too_many_saved_searches); deleting one makes room', async () => {
      const w = await t.auth({ role: 'worker', sub: 'w-collector' });
      const ids: string[] = [];
      for (let i = 0; i < 50; i++) {
        const res = await post('/v1/me/saved-searches', { name: `s${i}`, query: { text: 'cook' } }, w);
        expect(res.statusCode).toBe(201);
        ids.push(res.json<{ id: string }>().id);
      }
      const over = await post('/v1/me/saved-searches', { name: 'one more', query: {} }, w);
      expect(over.statusCode).toBe(422);
      expect(over.json()).toMatchObject({ code: 'too_many_saved_searches' });
      expect((await t.app.inject({ method: 'DELETE', url: `/v1/me/saved-searches/${ids[0]!}`, headers: w })).statusCode).toBe(200);
      expect((await post('/v1/me/saved-searches', { name: 'one more', query: {} }, w)).statusCode).toBe(201);
    });

    it('a business sets its profile and reads it back with its revision; a worker may not', async () => {
      const owner = { role: 'business', sub: 'b-profile-read' } as const;
      const headers = await t.auth(owner);
      expect((await t.app.inject({ url: '/v1/businesses/me/profile', headers })).json()).toMatchObject({ statusCode: 404, code: 'profile_not_found' });
      const body = { name: 'Lakeside Cafe', email: 'jobs@lakeside.example.com' };
      expect((await t.app.inject({ method: 'PUT', url: '/v1/businesses/me/profile', payload: body, headers })).statusCode).toBe(200);
      const read = await t.app.inject({ url: '/v1/businesses/me/profile', headers });
      expect(read.statusCode).toBe(200);
      expect(read.json()).toEqual({ profile: body, revision: 0 });
      expect(read.headers.etag).toBe('"0"');
      expect(read.headers['cache-control']).toBe('private, no-store');
      // The revision read is the one a careful update sends back.
      const stale = await t.app.inject({ method: 'PUT', url: '/v1/businesses/me/profile', payload: { name: 'Other' }, headers: { ...headers, 'if-match': '"7"' } });
      expect(stale.statusCode).toBe(409);
      expect((await t.app.inject({ method: 'PUT', url: '/v1/businesses/me/profile', payload: { name: 'Lakeside Café' }, headers: { ...headers, 'if-match': '0' } })).statusCode).toBe(200);
      expect((await t.app.inject({ url: '/v1/businesses/me/profile', headers })).json()).toEqual({ profile: { name: 'Lakeside Café' }, revision: 1 });
      expect((await t.app.inject({ method: 'PUT', url: '/v1/businesses/me/profile', payload: body, headers: await t.auth(worker) })).statusCode).toBe(403);
      expect((await t.app.inject({ url: '/v1/businesses/me/profile', headers: await t.auth(worker) })).statusCode).toBe(403);
      expect((await t.app.inject({ url: '/v1/businesses/me/profile' })).statusCode).toBe(401);
    });

    it('a worker reads back the profile it last wrote, with the revision of its stream', async () => {
      const me = { role: 'worker', sub: 'w-profile-read' } as const;
      const headers = await t.auth(me);
      expect((await t.app.inject({ url: '/v1/me/profile', headers })).statusCode).toBe(404);
      expect((await t.app.inject({ method: 'PUT', url: '/v1/me/profile', payload: workerProfileExample, headers })).statusCode).toBe(200);
      const read = await t.app.inject({ url: '/v1/me/profile', headers });
      expect(read.statusCode).toBe(200);
      // As the API keeps it: defaults filled in, skills normalised.
      expect(read.json()).toEqual({ profile: { ...workerProfileExample, skills: workerProfileExample.skills.map((x) => x.toLowerCase()) }, revision: 0 });
      expect((await t.app.inject({ url: '/v1/me/profile', headers: await t.auth(business) })).statusCode).toBe(403);
    });
  });

  describe('operations surface', () => {
    it('serves /healthz, /readyz, /docs and an OpenAPI document where every request body has an example', async () => {
      expect((await t.app.inject('/healthz')).json()).toEqual({ status: 'ok' });
      expect((await t.app.inject('/readyz')).json()).toMatchObject({ status: 'ready', checks: { eventStore: 'ok' } });
      expect((await t.app.inject('/docs/')).statusCode).toBeLessThan(400);
      const doc = (await t.app.inject('/openapi.json')).json<{ paths: Record<string, Record<string, { requestBody?: { content: Record<string, { example?: unknown; schema: { examples?: unknown[] } }> } }>> }>();
      const bodies = Object.entries(doc.paths).flatMap(([path, ops]) =>
        Object.entries(ops).filter(([, op]) => op.requestBody).map(([method, op]) => ({ path, method, media: op.requestBody!.content['application/json']! })),
      );
      expect(bodies.length).toBeGreaterThanOrEqual(11);
      for (const b of bodies) expect(b.media.example ?? b.media.schema.examples, `${b.method} ${b.path}`).toBeDefined();
    });

    it('declares If-Match only on the operations that honour it: changes of an existing stream, never creations', async () => {
      const doc = (await t.app.inject('/openapi.json')).json<{ paths: Record<string, Record<string, { parameters?: Array<{ in: string; name: string }> }>> }>();
      const declaring = Object.entries(doc.paths)
        .flatMap(([path, ops]) => Object.entries(ops).filter(([, op]) => op.parameters?.some((p) => p.in === 'header' && p.name === 'if-match')).map(([method]) => `${method.toUpperCase()} ${path}`))
        .sort();
      expect(declaring).toEqual([
        'DELETE /v1/jobs/{id}', 'PATCH /v1/jobs/{id}', 'PATCH /v1/me/saved-searches/{id}', 'POST /v1/applications/{id}/status', 'POST /v1/applications/{id}/withdraw',
        'POST /v1/jobs/{id}/close', 'POST /v1/jobs/{id}/publish', 'POST /v1/jobs/{id}/reopen', 'PUT /v1/businesses/me/profile', 'PUT /v1/me/profile',
      ]); // (and PUT /v1/me/notification-preferences where notifications run, not in this app)
      // And each of those refuses a stale revision (one of each kind of stream here; the others share the code path).
      const headers = await t.auth(business);
      const id = (await post('/v1/jobs', { ...jobExample, title: 'If-Match probe' }, headers)).json<{ id: string }>().id;
      for (const [url, payload] of [[`/v1/jobs/${id}/close`, { reason: 'filled' }], [`/v1/jobs/${id}/reopen`, { expiresAt: jobExample.publish.expiresAt }]] as const) {
        const stale = await t.app.inject({ method: 'POST', url, payload, headers: { ...headers, 'if-match': '"99"' } });
        expect(stale.statusCode, url).toBe(409);
      }
    });

    it('every request-body example in the OpenAPI document works against its route', async () => {
      const doc = (await t.app.inject('/openapi.json')).json<{ paths: Record<string, Record<string, { requestBody?: { content: Record<string, { example?: unknown }> } }>> }>();
      const example = (path: string, method: string) => {
        const ex = doc.paths[path]?.[method]?.requestBody?.content['application/json']?.example;
        expect(ex, `${method} ${path}`).toBeDefined();
        return ex;
      };
      const exercised = new Set<string>();
      const send = async (method: 'POST' | 'PUT' | 'PATCH', template: string, url: string, who: { role: 'business' | 'worker'; sub: string }) => {
        exercised.add(`${method.toLowerCase()} ${template}`);
        const res = await t.app.inject({ method, url, payload: example(template, method.toLowerCase()) as object, headers: await t.auth(who) });
        expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
        return res.json<{ id: string }>().id;
      };
      const a = await send('POST', '/v1/jobs', '/v1/jobs', business);
      await send('PATCH', '/v1/jobs/{id}', `/v1/jobs/${a}`, business);
      const b = (await createJob(false)).id;
      await send('POST', '/v1/jobs/{id}/publish', `/v1/jobs/${b}/publish`, business);
      const app = await send('POST', '/v1/jobs/{id}/applications', `/v1/jobs/${a}/applications`, { role: 'worker', sub: 'w-example' });
      await send('POST', '/v1/applications/{id}/status', `/v1/applications/${app}/status`, business);
      await send('POST', '/v1/applications/{id}/withdraw', `/v1/applications/${app}/withdraw`, { role: 'worker', sub: 'w-example' });
      await send('POST', '/v1/jobs/{id}/close', `/v1/jobs/${b}/close`, business);
      await send('POST', '/v1/jobs/{id}/reopen', `/v1/jobs/${b}/reopen`, business);
      await send('PUT', '/v1/me/profile', '/v1/me/profile', worker);
      const search = await send('POST', '/v1/me/saved-searches', '/v1/me/saved-searches', worker);
      await send('PATCH', '/v1/me/saved-searches/{id}', `/v1/me/saved-searches/${search}`, worker);
      await send('PUT', '/v1/businesses/me/profile', '/v1/businesses/me/profile', business);
      const withBodies = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).filter(([, op]) => op.requestBody).map(([m]) => `${m} ${path}`));
      expect([...exercised].sort()).toEqual(withBodies.sort());
    });

    it('answers an unknown route with the error shape', async () => {
      const res = await t.app.inject('/v1/nothing-here');
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ statusCode: 404, code: 'route_not_found', error: 'Not Found' });
    });
  });
});
