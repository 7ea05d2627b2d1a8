import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Principal } from '../../../eventstore/events/index.ts';
import { jobExample, workerProfileExample } from '../../../command/http/examples.ts';
import type { FullApp } from '../../../tests/support/fullApp.ts';
import { startFullApp } from '../../../tests/support/fullApp.ts';
import { PageBrowser as Browser, actionsOf, csrfOf, formFields, setCookie, unescape } from '../../../tests/support/pageBrowser.ts';

const business = { role: 'business', sub: 'b-pages' } as const;
const worker = (sub: string): Principal => ({ role: 'worker', sub });
// What a business or a worker might type: none of it may reach a page as markup.
const hostile = '<img src=x onerror=alert(1)>';
const hostileMessage = '<script>alert("x")</script> & <b>bold</b>';
const escapedMessage = '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;';
const rawMarkup = /<img src=x|<script>alert|<b>bold/;

describe.each(['embedded', 'server'] as const)('worker web pages (%s mode)', (mode) => {
  let t: FullApp;
  let last = 0;
  beforeAll(async () => {
    // Reads wait for the projector (minPosition) longer than the default: a loaded machine may take seconds.
    t = await startFullApp(mode, { notifications: {}, minPositionWaitMs: 15_000 });
    t.clock.now = new Date('2027-03-01T12:00:00Z');
  });
  afterAll(async () => t?.close());

  const api = async (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, who: Principal, payload?: unknown) => {
    const res = await t.app.inject({ method, url, headers: await t.auth(who), ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}) });
    expect(res.statusCode, res.body).toBeLessThan(300);
    const body = res.json<{ id?: string; position?: number }>();
    if (typeof body.position === 'number' && method !== 'GET') last = Math.max(last, body.position);
    return res;
  };
  const createJob = async (changes: Record<string, unknown> = {}) => (await api('POST', '/v1/jobs', business, { ...jobExample, ...changes })).json<{ id: string }>().id;
  // Pages read what the projector has applied: wait for the last write through the API's minPosition.
  const settled = async () => expect((await t.app.inject(`/v1/search?size=1&minPosition=${last}`)).statusCode).toBe(200);
  const listOf = async <T>(path: string, who: Principal, after = last) => (await api('GET', `${path}?minPosition=${after}`, who)).json<{ items: T[] }>().items;
  const positionOf = (res: LightMyRequestResponse, path: string) => {
    expect(res.statusCode, res.body).toBe(303);
    const m = new RegExp(`^${path}\\?after=(\\d+)$`).exec(String(res.headers.location));
    expect(m, String(res.headers.location)).not.toBeNull();
    last = Math.max(last, Number(m![1]));
    return res.headers.location!;
  };

  const signIn = async (who: Principal, browser = new Browser(t.app)) => {
    const page = await browser.get('/sign-in');
    const res = await browser.post('/sign-in', { _csrf: csrfOf(page.body), token: await t.runtime.tokens.sign(who) });
    expect(res.statusCode, res.body).toBe(303);
    return browser;
  };

  it('signs in with a pasted token into an HttpOnly, SameSite=Strict cookie for the whole site, and signs out', async () => {
    const browser = new Browser(t.app);
    const form = await browser.get('/sign-in');
    expect(form.statusCode).toBe(200);
    expect(form.headers['cache-control']).toBe('no-store');
    expect(form.body).toContain('<textarea id="f-token" name="token"');
    expect(setCookie(form, '_csrf')).toMatch(/^_csrf=[^;]+; Path=\/; HttpOnly; SameSite=Strict$/);
    const token = await t.runtime.tokens.sign(worker('w-token'));
    // A token pasted with its "Bearer " prefix and a line break, as it is often copied.
    const res = await browser.post('/sign-in', { _csrf: csrfOf(form.body), token: `Bearer ${token}\n` });
    expect(res.statusCode, res.body).toBe(303);
    expect(res.headers.location).toBe('/me/saved-jobs');
    expect(setCookie(res, 'session')).toBe(`session=${token}; Max-Age=43200; Path=/; HttpOnly; SameSite=Strict`);
    const home = await browser.get('/me/saved-jobs');
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('Signed in as <strong>w-token</strong> (worker)');
    expect(home.body).toContain('<a href="/me/saved-jobs" aria-current="page">Saved jobs</a>');

    const out = await browser.submit(home.body, '/sign-out');
    expect(out.statusCode).toBe(303);
    expect(out.headers.location).toBe('/');
    expect(setCookie(out, 'session')).toMatch(/^session=; Max-Age=0; Path=\/|^session=; Path=\/; Expires=Thu, 01 Jan 1970/);
    expect(browser.jar.has('session')).toBe(false);
    const after = await browser.get('/me/saved-jobs');
    expect(after.statusCode).toBe(303);
    expect((await browser.get('/')).body).toContain('<a href="/sign-in">Sign in</a>');
  });

  it(mode === 'embedded' ? 'offers the demo accounts and signs in as one without a token' : 'offers no demo accounts: a token is the only way in', async () => {
    const browser = new Browser(t.app);
    const form = await browser.get('/sign-in');
    if (mode === 'embedded') {
      expect(form.body).toContain('Try it with a demo account');
      expect(form.body).toContain('<input type="hidden" name="account" value="worker:w00001">');
      expect(form.body).toContain('<input type="hidden" name="account" value="business:b00001">');
      const res = await browser.post('/sign-in', { _csrf: csrfOf(form.body), account: 'worker:w00001' });
      expect(res.statusCode, res.body).toBe(303);
      expect(res.headers.location).toBe('/me/saved-jobs');
      const session = browser.jar.get('session')!;
      await expect(t.runtime.tokens.verify(session)).resolves.toEqual({ role: 'worker', sub: 'w00001' });
      expect((await browser.get('/me/saved-jobs')).body).toContain('Signed in as <strong>w00001</strong> (worker)');
    } else {
      expect(form.body).not.toContain('demo account');
      expect(form.body).not.toContain('name="account"');
      const res = await browser.post('/sign-in', { _csrf: csrfOf(form.body), account: 'worker:w00001' });
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('there is no such demo account');
      expect(setCookie(res, 'session')).toBeUndefined();
    }
  });

  it('refuses a bad, expired or operator token with a 400 that says why and starts no session', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() - 13 * 3600_000);
    const expired = await t.runtime.tokens.sign(worker('w-expired'));
    vi.useRealTimers();
    const cases: Array<[string, string]> = [
      ['not-a-token', 'this is not a valid token of this service'],
      [`${await t.runtime.tokens.sign(worker('w-bad'))}x`, 'this is not a valid token of this service'],
      [expired, 'this token has expired; ask for a new one'],
      [await t.runtime.tokens.sign({ role: 'operator', sub: 'ops' }), 'operator tokens are for the API and jobsctl, not for the web pages'],
      ['   ', 'paste your token, or pick a demo account'],
    ];
    for (const [token, message] of cases) {
      const browser = new Browser(t.app);
      const form = await browser.get('/sign-in?next=%2Fme%2Fapplications');
      const res = await browser.post('/sign-in', { _csrf: csrfOf(form.body), token, next: '/me/applications' });
      expect(res.statusCode, message).toBe(400);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.body).toContain(`<p>${message}</p>`);
      // The form is shown again, still going back where it was asked to.
      expect(res.body).toContain('<input type="hidden" name="next" value="/me/applications">');
      expect(setCookie(res, 'session')).toBeUndefined();
      expect(browser.jar.has('session')).toBe(false);
    }
    // A session cookie that stopped verifying is dropped, and the visitor is anonymous again.
    const stale = new Browser(t.app);
    stale.jar.set('session', expired);
    const res = await stale.get('/me/saved-jobs');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/sign-in?next=%2Fme%2Fsaved-jobs');
    expect(stale.jar.has('session')).toBe(false);
  });

  it('goes back after signing in only to a page of this site, never to another site', async () => {
    const anonymous = new Browser(t.app);
    const asked = await anonymous.get('/me/saved-searches');
    expect(asked.statusCode).toBe(303);
    expect(asked.headers.location).toBe('/sign-in?next=%2Fme%2Fsaved-searches');
    const form = await anonymous.get(asked.headers.location!);
    expect(form.body).toContain('<input type="hidden" name="next" value="/me/saved-searches">');
    const back = await anonymous.submit(form.body.slice(form.body.indexOf('token-title')), '/sign-in', { token: await t.runtime.tokens.sign(worker('w-next')) });
    expect(back.statusCode).toBe(303);
    expect(back.headers.location).toBe('/me/saved-searches');

    // Nor to an address a Location header cannot carry (a control character, a character past Latin-1): no 500.
    for (const next of ['//evil.example', 'https://evil.example', '/\\evil.example', 'http:evil.example', '/ /evil.example', 'evil.example', '/\u0001evil.example', '/€evil.example']) {
      const shown = await new Browser(t.app).get(`/sign-in?next=${encodeURIComponent(next)}`);
      expect(shown.statusCode, next).toBe(200);
      expect(shown.body).not.toContain('evil.example');
      const browser = new Browser(t.app);
      const page = await browser.get('/sign-in');
      const res = await browser.post('/sign-in', { _csrf: csrfOf(page.body), token: await t.runtime.tokens.sign(worker('w-next')), next });
      expect(res.statusCode, next).toBe(303);
      expect(res.headers.location, next).toBe('/me/saved-jobs');
    }
  });

  it('refuses a form without its CSRF token, with a wrong one or with another visitor’s, with a 403, and changes nothing', async () => {
    const jobId = await createJob({ title: 'CSRF target job' });
    await settled();
    const victim = worker('w-csrf');
    const browser = await signIn(victim);
    const other = await signIn(worker('w-csrf-other'));
    const theirs = csrfOf((await other.get('/me/saved-jobs')).body);
    const attempts: Array<Record<string, string>> = [{}, { _csrf: 'wrong' }, { _csrf: theirs }];
    for (const fields of attempts) {
      for (const [action, extra] of [[`/jobs/${jobId}/save`, {}], [`/jobs/${jobId}/apply`, { message: 'hi' }], ['/me/saved-searches', { q: 'barista', alertFrequency: 'daily' }], ['/sign-out', {}]] as const) {
        const res = await browser.post(action, { ...fields, ...extra });
        expect(res.statusCode, `${action} ${JSON.stringify(fields)}`).toBe(403);
        expect(res.headers['content-type']).toMatch(/^text\/html/);
        expect(res.body).toContain('This form has expired or did not come from this site.');
      }
    }
    // The right token without the cookie it was made for (a request from another site drops the SameSite cookie).
    const token = csrfOf((await browser.get(`/jobs/${jobId}`)).body);
    const secret = browser.jar.get('_csrf')!;
    browser.jar.delete('_csrf');
    expect((await browser.post(`/jobs/${jobId}/save`, { _csrf: token })).statusCode).toBe(403);
    browser.jar.set('_csrf', secret);
    // Still signed in, and nothing was written.
    expect((await browser.get('/me/saved-jobs')).body).toContain('Signed in as <strong>w-csrf</strong>');
    expect(await listOf('/v1/me/saved-jobs', victim)).toEqual([]);
    expect(await listOf('/v1/me/applications', victim)).toEqual([]);
    expect(await listOf('/v1/me/saved-searches', victim)).toEqual([]);
    // A sign-in form needs its token too.
    const fresh = new Browser(t.app);
    await fresh.get('/sign-in');
    const res = await fresh.post('/sign-in', { token: await t.runtime.tokens.sign(victim) });
    expect(res.statusCode).toBe(403);
    expect(setCookie(res, 'session')).toBeUndefined();
  });

  it('keeps a signed-in visitor whose form cookie has gone able to use the sign-in page', async () => {
    const browser = await signIn(worker('w-restart'));
    // As after a browser restart: the form cookie lived for the session only, the sign-in cookie for its Max-Age.
    browser.jar.delete('_csrf');
    const form = await browser.get('/sign-in');
    expect(form.statusCode).toBe(200);
    const res = await browser.submit(form.body.slice(form.body.indexOf('token-title')), '/sign-in', { token: await t.runtime.tokens.sign(worker('w-restart-2')) });
    expect(res.statusCode, res.body).toBe(303);
    expect((await browser.get('/me/saved-jobs')).body).toContain('Signed in as <strong>w-restart-2</strong>');
  });

  it('sends a visitor who is not signed in to the sign-in page and refuses a business with a 403', async () => {
    const anonymous = new Browser(t.app);
    for (const path of ['/me/saved-jobs', '/me/saved-searches', '/me/applications', '/me/recommendations', '/me/notifications', '/me/applications?after=3']) {
      const res = await anonymous.get(path);
      expect(res.statusCode, path).toBe(303);
      expect(res.headers.location).toBe(`/sign-in?next=${encodeURIComponent(path)}`);
    }
    const jobId = await createJob({ title: 'Business-visited job' });
    await settled();
    const job = await anonymous.get(`/jobs/${jobId}`);
    expect(job.body).toContain(`<a href="/sign-in?next=%2Fjobs%2F${jobId}">Sign in to save this job or apply</a>`);
    expect(job.body).not.toContain('/save"');

    const browser = new Browser(t.app);
    const form = await browser.get('/sign-in');
    const res = await browser.post('/sign-in', { _csrf: csrfOf(form.body), token: await t.runtime.tokens.sign(business) });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/business');
    for (const path of ['/me', '/me/saved-jobs', '/me/saved-searches', '/me/applications', '/me/recommendations', '/me/notifications']) {
      const page = await browser.get(path);
      expect(page.statusCode, path).toBe(403);
      expect(page.body).toContain('These pages are for workers: you are signed in as a business.');
    }
    const asBusiness = await browser.get(`/jobs/${jobId}`);
    expect(asBusiness.statusCode).toBe(200);
    expect(asBusiness.body).toContain('Signed in as <strong>b-pages</strong> (business)');
    expect(asBusiness.body).not.toContain(`action="/jobs/${jobId}/save"`);
    expect(asBusiness.body).not.toContain('Sign in to save this job');
    const save = await browser.post(`/jobs/${jobId}/save`, { _csrf: csrfOf(asBusiness.body) });
    expect(save.statusCode).toBe(403);
  });

  it('saves a job from its page, lists it, and removes it from the page of saved jobs', async () => {
    const who = worker('w-save');
    const jobId = await createJob({ title: `Dock ${hostile} hand`, location: { ...jobExample.location, city: `Tahoe ${hostile}` } });
    await settled();
    const browser = await signIn(who);
    const page = await browser.get(`/jobs/${jobId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<button type="submit">Save job</button>');
    const saved = await browser.submit(page.body, `/jobs/${jobId}/save`);
    const list = await browser.get(positionOf(saved, '/me/saved-jobs'));
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(`<h2><a href="/jobs/${jobId}">Dock &lt;img src=x onerror=alert(1)&gt; hand</a></h2>`);
    expect(list.body).toContain('$16–$19.50 per hour');
    expect(list.body).toContain('saved today');
    expect(list.body).not.toMatch(rawMarkup);
    expect((await listOf<{ jobId: string }>('/v1/me/saved-jobs', who)).map((s) => s.jobId)).toEqual([jobId]);

    const again = await browser.get(`/jobs/${jobId}`);
    expect(again.body).toContain('<span>Saved.</span> <button type="submit">Remove from saved jobs</button>');
    expect(again.body).not.toMatch(rawMarkup);
    const removed = await browser.submit(list.body, `/me/saved-jobs/${jobId}/remove`);
    const after = await browser.get(positionOf(removed, '/me/saved-jobs'));
    expect(after.body).not.toContain(`href="/jobs/${jobId}"`);
    expect(after.body).toContain('You have not saved any job yet.');
    expect(await listOf('/v1/me/saved-jobs', who)).toEqual([]);
    expect((await browser.get(`/jobs/${jobId}`)).body).toContain('<button type="submit">Save job</button>');
  });

  it('applies with a message, shows it escaped with its status, refuses a second application and withdraws it', async () => {
    const who = worker('w-apply');
    const jobId = await createJob({ title: `Ferry ${hostile} deckhand` });
    await settled();
    const browser = await signIn(who);
    const page = await browser.get(`/jobs/${jobId}`);
    expect(page.body).toContain('<label for="f-message">Message to the business (optional)</label>');
    const applied = await browser.submit(page.body, `/jobs/${jobId}/apply`, { message: `  ${hostileMessage}  ` });
    const list = await browser.get(positionOf(applied, '/me/applications'));
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(`<a href="/jobs/${jobId}">Ferry &lt;img src=x onerror=alert(1)&gt; deckhand</a>`);
    expect(list.body).toContain(`<blockquote>${escapedMessage}</blockquote>`);
    expect(list.body).toContain('<strong class="status status-submitted">Sent, not yet read</strong>');
    expect(list.body).not.toMatch(rawMarkup);
    const [mine] = await listOf<{ applicationId: string; message: string; status: string }>('/v1/me/applications', who);
    expect(mine).toMatchObject({ message: hostileMessage, status: 'submitted' });

    const jobPage = await browser.get(`/jobs/${jobId}`);
    expect(jobPage.body).toContain('<p class="applied">You applied today: <strong>Submitted</strong>. <a href="/me/applications">Your applications</a></p>');
    expect(jobPage.body).not.toContain(`action="/jobs/${jobId}/apply"`);
    const twice = await browser.post(`/jobs/${jobId}/apply`, { _csrf: csrfOf(jobPage.body), message: 'again' });
    expect(twice.statusCode).toBe(409);
    expect(twice.body).toContain('You have already applied to this job.');
    expect(twice.body).toContain('<a href="/me/applications">See your applications</a>');

    const [withdrawAction] = actionsOf(list.body, /\/me\/applications\/[^"]+\/withdraw/);
    expect(withdrawAction).toBe(`/me/applications/${encodeURIComponent(mine!.applicationId)}/withdraw`);
    const withdrawn = await browser.submit(list.body, withdrawAction!);
    const after = await browser.get(positionOf(withdrawn, '/me/applications'));
    expect(after.body).toContain('<strong class="status status-withdrawn">Withdrawn by you</strong>');
    expect(after.body).not.toContain('/withdraw"');
    expect((await listOf<{ status: string }>('/v1/me/applications', who)).map((a) => a.status)).toEqual(['withdrawn']);
  });

  it('saves the search shown on the search page, runs it again from the list, turns its alerts off and deletes it', async () => {
    const who = worker('w-search');
    const jobId = await createJob({ title: `Zephyrine barista ${hostile}`, category: 'hospitality' });
    await createJob({ title: 'Zephyrine lifeguard', category: 'outdoor' });
    await settled();
    const browser = await signIn(who);
    const search = await browser.get('/?q=zephyrine&place=39.1%2C-120.05&radius=100&category=hospitality&category=tourism');
    expect(search.statusCode, search.body).toBe(200);
    expect(search.body).toContain('<button type="submit">Save this search</button>');
    expect(formFields(search.body, '/me/saved-searches').filter(([k]) => k !== '_csrf')).toEqual([
      ['q', 'zephyrine'], ['category', 'hospitality'], ['category', 'tourism'], ['place', '39.1,-120.05'], ['radius', '100'],
    ]);
    const saved = await browser.submit(search.body, '/me/saved-searches', { name: '', alertFrequency: 'daily' });
    const list = await browser.get(positionOf(saved, '/me/saved-searches'));
    const [item] = await listOf<{ searchId: string; name: string; query: Record<string, unknown>; alertFrequency: string }>('/v1/me/saved-searches', who);
    expect(item).toMatchObject({
      name: '“zephyrine” · Hospitality or Tourism · within 100 km of 39.1, -120.05',
      alertFrequency: 'daily',
      query: { text: 'zephyrine', category: ['hospitality', 'tourism'], near: { lat: 39.1, lon: -120.05, radiusKm: 100 }, sort: 'relevance' },
    });
    expect(Object.keys(item!.query).sort()).toEqual(['category', 'near', 'sort', 'text']);

    expect(list.body).toContain('<h2>“zephyrine” · Hospitality or Tourism · within 100 km of 39.1, -120.05</h2>');
    expect(list.body).toContain('<option value="daily" selected>Daily digest</option>');
    const run = /<a href="([^"]+)">Run this search<\/a>/.exec(list.body)?.[1];
    expect(run).toBeDefined();
    const again = await browser.get(unescape(run!));
    expect(again.statusCode).toBe(200);
    expect(again.body).toContain(`href="/jobs/${jobId}"`);
    expect(again.body).not.toContain('Zephyrine lifeguard');
    expect(again.body).not.toMatch(rawMarkup);

    const alerts = await browser.submit(list.body, `/me/saved-searches/${item!.searchId}/alerts`, { alertFrequency: 'off' });
    const changed = await browser.get(positionOf(alerts, '/me/saved-searches'));
    expect(changed.body).toContain('<option value="off" selected>No alerts</option>');
    expect((await listOf<{ alertFrequency: string }>('/v1/me/saved-searches', who)).map((s) => s.alertFrequency)).toEqual(['off']);

    const deleted = await browser.submit(changed.body, `/me/saved-searches/${item!.searchId}/delete`);
    const empty = await browser.get(positionOf(deleted, '/me/saved-searches'));
    expect(empty.body).toContain('You have no saved search.');
    expect(await listOf('/v1/me/saved-searches', who)).toEqual([]);
  });

  it('names a saved search as the worker typed it and refuses a search that cannot be saved', async () => {
    const who = worker('w-search-name');
    const browser = await signIn(who);
    const search = await browser.get('/?q=barista');
    const saved = await browser.submit(search.body, '/me/saved-searches', { name: `Mine ${hostile}`, alertFrequency: 'weekly' });
    const list = await browser.get(positionOf(saved, '/me/saved-searches'));
    expect(list.body).toContain('<h2>Mine &lt;img src=x onerror=alert(1)&gt;</h2>');
    expect(list.body).toContain('aria-label="Delete the saved search Mine &lt;img src=x onerror=alert(1)&gt;"');
    expect(list.body).not.toMatch(rawMarkup);
    expect((await listOf<{ name: string }>('/v1/me/saved-searches', who)).map((s) => s.name)).toEqual([`Mine ${hostile}`]);
    const bad = await browser.post('/me/saved-searches', { _csrf: csrfOf(list.body), place: 'Qqqzzz Nowhere', alertFrequency: 'daily' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('This search cannot be saved:');
    expect(bad.body).toContain('no place called &quot;Qqqzzz Nowhere&quot; is known');
    const unknown = await browser.post('/me/saved-searches', { _csrf: csrfOf(list.body), q: 'x', alertFrequency: 'sometimes' });
    expect(unknown.statusCode).toBe(400);
    expect((await listOf('/v1/me/saved-searches', who))).toHaveLength(1);
    // Not offered to a visitor who is not signed in.
    expect((await new Browser(t.app).get('/?q=barista')).body).not.toContain('Save this search');
  });

  it('recommends jobs with the very scores and factors POST /v1/match gives, and explains an empty profile', async () => {
    const who = worker('w-rec');
    await api('PUT', '/v1/me/profile', who, workerProfileExample);
    await createJob({ title: `Espresso ${hostile} bar lead`, skills: ['espresso', 'customer service'] });
    await settled();
    const browser = await signIn(who);
    const page = await browser.get('/me/recommendations');
    expect(page.statusCode, page.body).toBe(200);
    expect(page.body).not.toMatch(rawMarkup);
    const rows = [...page.body.matchAll(/<li class="card recommendation" data-job-id="([^"]+)">([\s\S]*?)<\/li>/g)].map(([, jobId, html]) => ({
      jobId: unescape(jobId!),
      score: /<span class="score-value">([^<]*)<\/span>/.exec(html!)?.[1],
      factors: [...html!.matchAll(/<th scope="row">([^<]*)<\/th><td class="factor-value">([^<]*)<\/td>/g)].map((m) => [m[1], m[2]]),
    }));
    expect(rows.length).toBeGreaterThan(0);
    const match = await api('POST', '/v1/match', who, { jobIds: rows.map((r) => r.jobId) });
    const { results, missing } = match.json<{ results: Array<{ jobId: string; score: number; factors: Record<string, number> }>; missing: string[] }>();
    expect(missing).toEqual([]);
    const pct = (x: number) => `${Math.round(x * 100)}%`;
    expect(rows).toEqual(results.map((r) => ({
      jobId: r.jobId,
      score: `${Math.round(r.score)} / 100`,
      factors: [['Skills', pct(r.factors.skills!)], ['Distance', pct(r.factors.distance!)], ['Pay', pct(r.factors.pay!)], ['Availability', pct(r.factors.availability!)], ['Experience', pct(r.factors.experience!)]],
    })));

    const empty = await (await signIn(worker('w-no-profile'))).get('/me/recommendations');
    expect(empty.statusCode).toBe(200);
    expect(empty.body).toContain('Your profile is empty, so there is nothing to match jobs against yet.');
    expect(empty.body).not.toContain('class="card recommendation"');
  });

  it('lists what a worker was told, escaped, with a link to the job', async () => {
    const who = worker('w-told');
    const browser = await signIn(who);
    const none = await browser.get('/me/notifications');
    expect(none.statusCode).toBe(200);
    expect(none.body).toContain('Nothing yet.');

    const jobId = await createJob({ title: `Orchard ${hostile} picker` });
    await settled();
    const applied = await browser.submit((await browser.get(`/jobs/${jobId}`)).body, `/jobs/${jobId}/apply`);
    positionOf(applied, '/me/applications');
    const [application] = await listOf<{ applicationId: string }>('/v1/me/applications', who);
    await api('POST', `/v1/applications/${encodeURIComponent(application!.applicationId)}/status`, business, { status: 'shortlisted' });
    const deadline = Date.now() + 15_000;
    while ((await api('GET', '/v1/me/notifications', who)).json<{ items: unknown[] }>().items.length === 0) {
      if (Date.now() > deadline) throw new Error('timed out waiting for the notification');
      await new Promise((r) => setTimeout(r, 25));
    }
    const page = await browser.get('/me/notifications');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`<a href="/jobs/${jobId}">Your application to Orchard &lt;img src=x onerror=alert(1)&gt; picker: Shortlisted</a>`);
    expect(page.body).toContain('today · Not mailed: no e-mail address in your profile');
    expect(page.body).not.toMatch(rawMarkup);
    // The job page says where the application stands.
    await settled();
    expect((await browser.get(`/jobs/${jobId}`)).body).toContain('You applied today: <strong>Shortlisted</strong>.');
  });

  it('marks every signed-in page private and never shown to anyone else, and escapes every value in it', async () => {
    const who = worker('w-private');
    await api('PUT', '/v1/me/profile', who, { ...workerProfileExample, name: `Private ${hostile}` });
    const jobId = await createJob({ title: `Kitchen ${hostile} porter`, description: `Wash ${hostileMessage} dishes.` });
    await settled();
    const browser = await signIn(who);
    let page = await browser.get(`/jobs/${jobId}`);
    positionOf(await browser.submit(page.body, `/jobs/${jobId}/save`), '/me/saved-jobs');
    page = await browser.get(`/jobs/${jobId}`);
    positionOf(await browser.submit(page.body, `/jobs/${jobId}/apply`, { message: hostileMessage }), '/me/applications');
    page = await browser.get('/?q=porter');
    positionOf(await browser.submit(page.body, '/me/saved-searches', { name: hostile, alertFrequency: 'instant' }), '/me/saved-searches');
    await settled();
    for (const path of ['/me/saved-jobs', '/me/saved-searches', '/me/applications', '/me/recommendations', '/me/notifications', `/jobs/${jobId}`, '/?q=porter', '/sign-in']) {
      const res = await browser.get(path);
      expect(res.statusCode, path).toBe(200);
      expect(res.headers['cache-control'], path).toBe('private, no-store');
      expect(String(res.headers.vary), path).toContain('Cookie');
      expect(res.body, path).not.toMatch(rawMarkup);
      expect(res.body, path).toContain('Signed in as <strong>w-private</strong> (worker)');
    }
    for (const path of ['/me/saved-jobs', '/me/applications', `/jobs/${jobId}`]) expect((await browser.get(path)).body, path).toContain('Kitchen &lt;img src=x onerror=alert(1)&gt; porter');
    // The same job page for an anonymous visitor may be kept by a shared cache, but only as what anyone would see,
    // and only to be revalidated: unchanged, it answers 304; once the job changes, the new page.
    const anonymous = await t.app.inject(`/jobs/${jobId}`);
    expect(anonymous.headers['cache-control']).toBe('public, no-cache');
    expect(String(anonymous.headers.vary)).toContain('Cookie');
    const etag = String(anonymous.headers.etag);
    expect(etag).toMatch(/^W\/"\d+-[0-9a-f]{12}"$/);
    const revalidated = await t.app.inject({ url: `/jobs/${jobId}`, headers: { 'if-none-match': etag } });
    expect(revalidated.statusCode).toBe(304);
    expect(revalidated.body).toBe('');
    await api('PATCH', `/v1/jobs/${jobId}`, business, { hoursPerWeek: 31 });
    await settled();
    const changed = await t.app.inject({ url: `/jobs/${jobId}`, headers: { 'if-none-match': etag } });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
  });
});

describe('worker web pages without notifications', () => {
  let t: FullApp;
  beforeAll(async () => {
    t = await startFullApp('embedded');
  });
  afterAll(async () => t?.close());

  it('shows an empty list of notifications, not an error, when the service keeps none', async () => {
    const browser = new Browser(t.app);
    const form = await browser.get('/sign-in');
    expect((await browser.post('/sign-in', { _csrf: csrfOf(form.body), token: await t.runtime.tokens.sign(worker('w-quiet')) })).statusCode).toBe(303);
    const page = await browser.get('/me/notifications');
    expect(page.statusCode, page.body).toBe(200);
    expect(page.body).toContain('<h1>Notifications</h1>');
    expect(page.body).not.toContain('/v1/me/notifications');
  });
});
