import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../../eventstore/events/index.ts';
import { jobExample } from '../../../command/http/examples.ts';
import { applicationIdOf } from '../../../eventstore/events/index.ts';
import type { FullApp } from '../../../tests/support/fullApp.ts';
import { startFullApp } from '../../../tests/support/fullApp.ts';
import { PageBrowser as Browser, csrfOf, formFields, formValues, setCookie, unescape } from '../../../tests/support/pageBrowser.ts';
import type { BusinessJob } from './businessViews.ts';
import { formOfJob } from './jobForm.ts';

const business = (sub: string): Principal => ({ role: 'business', sub });
const worker = (sub: string): Principal => ({ role: 'worker', sub });
// What a business or a worker might type: none of it may reach a page as markup.
const hostile = '<img src=x onerror=alert(1)>';
const escapedHostile = '&lt;img src=x onerror=alert(1)&gt;';
const hostileMessage = '<script>alert("x")</script> & <b>bold</b>';
const escapedMessage = '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;';
const rawMarkup = /<img src=x|<script>alert|<b>bold/;
const csrfRefused = 'This form has expired or did not come from this site.';
const DAY_MS = 86_400_000;
// Two towns of the place lookup, about 480 km apart.
const bend = { lat: 44.05817, lon: -121.31531 };
const truckee = { lat: 39.32796, lon: -120.18325 };
const { publish: _publish, ...draftExample } = jobExample;

/** A job form filled in as a business would, one field per input, for "Truckee, CA". */
const jobForm = (title: string, more: Record<string, string> = {}): Record<string, string> => ({
  title, description: 'Pull espresso shots at the lake.', category: 'hospitality', employmentType: 'seasonal', place: 'Truckee, CA', payMin: '16', payMax: '19.5',
  currency: 'USD', unit: 'hour', skills: 'Espresso, customer service', startDate: '2027-06-01', endDate: '2027-09-15', hoursPerWeek: '30', experienceYears: '1', ...more,
});

/** The rows of the job page's funnel: stage, count, share. */
const funnelOf = (html: string) => {
  const table = html.slice(html.indexOf('<table class="funnel">'), html.indexOf('</table>', html.indexOf('<table class="funnel">')));
  return [...table.matchAll(/<tr><th scope="row">([^<]*)<\/th><td class="num">([^<]*)<\/td><td>([^<]*)<\/td><\/tr>/g)].map((m) => [m[1], m[2], m[3]]);
};
/** The rows of the job page's table by day: date, views, saves, applications. */
const daysOf = (html: string) => [...html.matchAll(/<tr><th scope="row">(\d{4}-\d{2}-\d{2})<\/th><td class="num">(\d+)<\/td><td class="num">(\d+)<\/td><td class="num">(\d+)<\/td><\/tr>/g)].map((m) => m.slice(1).join(' '));
/** The applicants of the job page: who, their status, their message as written in the page, and the moves offered. */
const applicantsOf = (html: string) => {
  const start = html.indexOf('<ul class="rows applicants">');
  const list = html.slice(start, html.indexOf('</ul>', start));
  return list.split('<li class="row-item">').slice(1).map((item) => ({
    worker: /<h3>Applicant ([^ ]+) /.exec(item)?.[1],
    status: /<span class="badge status-[a-z]+">([^<]*)<\/span><\/h3>/.exec(item)?.[1],
    message: /<blockquote>([\s\S]*?)<\/blockquote>/.exec(item)?.[1],
    moves: [...item.matchAll(/<button type="submit" aria-label="[^"]*">([^<]*)<\/button>/g)].map((m) => m[1]),
  }));
};
/** The jobs listed on /business: id, title as written in the page, status. */
const rowsOf = (html: string) => [...html.matchAll(/<h2><a href="\/business\/jobs\/([^"]+)">([^<]*)<\/a> <span class="badge status-([a-z]+)">([^<]*)<\/span><\/h2>/g)].map((m) => ({ jobId: unescape(m[1]!), title: m[2], status: m[4] }));
/** The hidden fields of the applicant form that moves `applicationId` to `status`. */
const moveFields = (html: string, applicationId: string, status: string): Array<[string, string]> => {
  const action = `/business/applications/${encodeURIComponent(applicationId)}/status`;
  for (const m of html.matchAll(new RegExp(`<form method="post" action="${action}"[\\s\\S]*?</form>`, 'g'))) {
    const fields = formFields(m[0], action);
    if (fields.some(([k, v]) => k === 'status' && v === status)) return fields;
  }
  throw new Error(`no form moving ${applicationId} to ${status}`);
};
const problemsOf = (html: string) => [...html.matchAll(/<li><a href="#f-([A-Za-z]+)">([^<]*)<\/a>: /g)].map((m) => [m[1], m[2]]);
const invalidFields = (html: string) => [...html.matchAll(/<(?:input|select|textarea) id="f-([A-Za-z]+)"[^>]*aria-invalid="true"/g)].map((m) => m[1]);

/** Hourly percentiles as the API computes them: midpoints, sorted, linear between closest ranks, to the cent. */
const percentiles = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  const at = (p: number) => {
    const h = (s.length - 1) * p;
    const lo = Math.floor(h);
    return Math.round((s[lo]! + (h - lo) * (s[Math.ceil(h)]! - s[lo]!)) * 100) / 100;
  };
  return { p25: at(0.25), p50: at(0.5), p75: at(0.75) };
};
const dollars = (n: number) => `$${Number.isInteger(n) ? n : n.toFixed(2)}`;

describe.each(['embedded', 'server'] as const)('business web pages (%s mode)', (mode) => {
  let t: FullApp;
  let last = 0;
  beforeAll(async () => {
    // Reads wait for the projector (minPosition) longer than the default: a loaded machine may take seconds.
    t = await startFullApp(mode, { notifications: {}, minPositionWaitMs: 15_000 });
    t.clock.now = new Date('2027-03-01T12:00:00Z');
  });
  afterAll(async () => t?.close());

  const api = async (method: 'GET' | 'POST' | 'PUT', url: string, who: Principal | undefined, payload?: unknown, headers: Record<string, string> = {}) => {
    const res = await t.app.inject({ method, url, headers: { ...(who ? await t.auth(who) : {}), ...headers }, ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}) });
    expect(res.statusCode, res.body).toBeLessThan(300);
    const body = res.json<{ id?: string; position?: number }>();
    if (typeof body.position === 'number' && method !== 'GET') last = Math.max(last, body.position);
    return res;
  };
  const createJob = async (who: Principal, changes: Record<string, unknown> = {}) => (await api('POST', '/v1/jobs', who, { ...jobExample, ...changes })).json<{ id: string }>().id;
  const createDraft = async (who: Principal, changes: Record<string, unknown> = {}) => (await api('POST', '/v1/jobs', who, { ...draftExample, ...changes })).json<{ id: string }>().id;
  // Pages read what the projector has applied: wait for the last write through the API's minPosition.
  const settled = async () => expect((await t.app.inject(`/v1/search?size=1&minPosition=${last}`)).statusCode).toBe(200);
  const jobsOf = async (who: Principal) => (await api('GET', `/v1/businesses/me/jobs?size=100&minPosition=${last}`, who)).json<{ items: BusinessJob[] }>().items;
  const jobOf = async (jobId: string, who: Principal) => (await api('GET', `/v1/jobs/${jobId}?minPosition=${last}`, who)).json<BusinessJob>();
  const applicantsOfApi = async (jobId: string, who: Principal) =>
    (await api('GET', `/v1/jobs/${jobId}/applications?size=100&minPosition=${last}`, who)).json<{ items: Array<{ workerId: string; status: string }> }>().items;
  /** Follows a form's redirect to a job page that waits for the write (`?after=`), and says which job. */
  const redirected = (res: LightMyRequestResponse) => {
    expect(res.statusCode, res.body).toBe(303);
    const m = /^\/business\/jobs\/([^/?]+)\?after=(\d+)$/.exec(String(res.headers.location));
    expect(m, String(res.headers.location)).not.toBeNull();
    last = Math.max(last, Number(m![2]));
    return { location: res.headers.location!, jobId: decodeURIComponent(m![1]!) };
  };

  const signIn = async (who: Principal, browser = new Browser(t.app)) => {
    const page = await browser.get('/sign-in');
    const res = await browser.post('/sign-in', { _csrf: csrfOf(page.body), token: await t.runtime.tokens.sign(who) });
    expect(res.statusCode, res.body).toBe(303);
    return browser;
  };
  /** Posts the new-job form as its page shows it, with the business's values. */
  const postJob = async (browser: Browser, values: Record<string, string>) => {
    const page = await browser.get('/business/jobs/new');
    expect(page.statusCode, page.body).toBe(200);
    return browser.post('/business/jobs', { ...formValues(page.body, '/business/jobs'), ...values });
  };

  it('signs a business in with a token and lands on its jobs, private and with its own menu', async () => {
    const browser = new Browser(t.app);
    const form = await browser.get('/sign-in');
    const res = await browser.post('/sign-in', { _csrf: csrfOf(form.body), token: await t.runtime.tokens.sign(business('b-home')) });
    expect(res.statusCode, res.body).toBe(303);
    expect(res.headers.location).toBe('/business');
    expect(setCookie(res, 'session')).toMatch(/^session=[^;]+; Max-Age=43200; Path=\/; HttpOnly; SameSite=Strict$/);
    const home = await browser.get('/business');
    expect(home.statusCode).toBe(200);
    expect(home.headers['cache-control']).toBe('private, no-store');
    expect(home.body).toContain('Signed in as <strong>b-home</strong> (business)');
    expect(home.body).toContain('<a href="/business" aria-current="page">Your jobs</a>');
    expect(home.body).toContain('<a href="/business/jobs/new">Post a job</a>');
    expect(home.body).toContain('<a href="/business" aria-current="page">All</a>');
    expect(home.body).toContain('You have not posted a job yet.');
    expect(home.body).not.toContain('href="/me/saved-jobs"');
    const none = await browser.get('/business?status=expired');
    expect(none.body).toContain('None of your jobs is expired.');
    expect(none.body).toContain('<a href="/business?status=expired" aria-current="page">Expired</a>');
  });

  it(mode === 'embedded' ? 'signs in as the demo business without a token' : 'offers no demo business: a token is the only way in', async () => {
    const browser = new Browser(t.app);
    const form = await browser.get('/sign-in');
    const res = await browser.post('/sign-in', { _csrf: csrfOf(form.body), account: 'business:b00001' });
    if (mode === 'embedded') {
      expect(form.body).toContain('<input type="hidden" name="account" value="business:b00001">');
      expect(res.statusCode, res.body).toBe(303);
      expect(res.headers.location).toBe('/business');
      await expect(t.runtime.tokens.verify(browser.jar.get('session')!)).resolves.toEqual({ role: 'business', sub: 'b00001' });
      const home = await browser.get('/business');
      expect(home.statusCode).toBe(200);
      expect(home.body).toContain('Signed in as <strong>b00001</strong> (business)');
    } else {
      expect(form.body).not.toContain('name="account"');
      expect(res.statusCode).toBe(400);
      expect(setCookie(res, 'session')).toBeUndefined();
    }
  });

  it('sends a visitor who is not signed in to the sign-in page and refuses a worker with a 403', async () => {
    const jobId = await createJob(business('b-gate'));
    await settled();
    const paths = ['/business', '/business?status=open', '/business/jobs/new', `/business/jobs/${jobId}`, `/business/jobs/${jobId}/edit`, '/business/notifications', '/business/pay-suggestion?category=retail'];
    const anonymous = new Browser(t.app);
    for (const path of paths) {
      const res = await anonymous.get(path);
      expect(res.statusCode, path).toBe(303);
      expect(res.headers.location, path).toBe(`/sign-in?next=${encodeURIComponent(path)}`);
    }
    const browser = await signIn(worker('w-gate'));
    for (const path of paths) {
      const res = await browser.get(path);
      expect(res.statusCode, path).toBe(403);
      expect(res.body, path).toContain('These pages are for businesses: you are signed in as a worker.');
    }
    // Nor can a worker post through them, even with a good form token.
    const token = csrfOf((await browser.get('/me/saved-jobs')).body);
    expect((await browser.post('/business/jobs', { _csrf: token, ...jobForm('Worker job'), action: 'publish', expiresInDays: '30' })).statusCode).toBe(403);
    expect((await browser.post(`/business/jobs/${jobId}/close`, { _csrf: token, reason: 'filled' })).statusCode).toBe(403);
    expect((await jobOf(jobId, business('b-gate'))).status).toBe('open');
  });

  it('refuses a form without its CSRF token, with a wrong one or another visitor’s, with a 403 page, and writes nothing', async () => {
    const owner = business('b-csrf');
    const jobId = await createJob(owner, { title: 'CSRF target' });
    await settled();
    const browser = await signIn(owner);
    const theirs = csrfOf((await (await signIn(business('b-csrf-other'))).get('/business')).body);
    const applicationId = applicationIdOf(jobId, 'w-csrf');
    await api('POST', `/v1/jobs/${jobId}/applications`, worker('w-csrf'), { message: 'hello' });
    const attempts: Array<Record<string, string>> = [{}, { _csrf: 'wrong' }, { _csrf: theirs }];
    for (const fields of attempts) {
      const forms: Array<[string, Record<string, string>]> = [
        ['/business/jobs', { ...jobForm('CSRF job'), action: 'publish', expiresInDays: '30' }],
        [`/business/jobs/${jobId}`, jobForm('CSRF edit')],
        [`/business/jobs/${jobId}/close`, { reason: 'filled' }],
        [`/business/applications/${applicationId}/status`, { status: 'hired', job: jobId }],
      ];
      for (const [action, values] of forms) {
        const res = await browser.post(action, { ...fields, ...values });
        expect(res.statusCode, `${action} ${JSON.stringify(fields)}`).toBe(403);
        expect(res.headers['content-type']).toMatch(/^text\/html/);
        expect(res.body).toContain(csrfRefused);
      }
    }
    await settled();
    const jobs = await jobsOf(owner);
    expect(jobs.map((j) => [j.jobId, j.title, j.status])).toEqual([[jobId, 'CSRF target', 'open']]);
    expect((await applicantsOfApi(jobId, owner)).map((a) => a.status)).toEqual(['submitted']);
    expect((await browser.get('/business')).body).toContain('Signed in as <strong>b-csrf</strong>');
  });

  it('publishes a job at once: the redirect waits for the write, the job page shows it open, and search finds it', async () => {
    const owner = business('b-publish');
    const browser = await signIn(owner);
    const res = await postJob(browser, { ...jobForm('Quillfeather barista'), expiresInDays: '60', action: 'publish' });
    const { location, jobId } = redirected(res);
    // No waiting here: the page itself waits for the position of the write.
    const page = await browser.get(location);
    expect(page.statusCode, page.body).toBe(200);
    expect(page.headers['cache-control']).toBe('private, no-store');
    expect(page.body).toContain('<h1>Quillfeather barista <span class="badge status-open">Open</span></h1>');
    expect(page.body).toContain('<span>Truckee, CA</span> · <span>Seasonal</span> · <span>Hospitality</span> · <span>$16–$19.50 per hour</span>');
    expect(page.body).toContain(`Drafted 1 Mar 2027 · published 1 Mar 2027 · expires 30 Apr 2027`);
    expect(page.body).toContain(`<a href="/jobs/${jobId}">See the job's public page</a>`);
    expect(page.body).toContain(`action="/business/jobs/${jobId}/close"`);
    expect(page.body).not.toContain(`action="/business/jobs/${jobId}/publish"`);
    expect(funnelOf(page.body)).toEqual([['Views', '0', ''], ['Saves', '0', '—'], ['Applications', '0', '—'], ['Shortlisted', '0', '—'], ['Hired', '0', '—']]);
    expect(page.body).toContain('Nobody has applied yet.');

    const job = await jobOf(jobId, owner);
    expect(job).toMatchObject({
      businessId: 'b-publish', title: 'Quillfeather barista', status: 'open', city: 'Truckee', region: 'CA', country: 'US', location: truckee,
      pay: { min: 16, max: 19.5, currency: 'USD', unit: 'hour' }, skills: ['espresso', 'customer service'], startDate: '2027-06-01', endDate: '2027-09-15', hoursPerWeek: 30, experienceYears: 1,
      expiresAt: new Date(t.clock.now.getTime() + 60 * DAY_MS).toISOString(),
    });
    const found = (await api('GET', `/v1/search?text=quillfeather&minPosition=${last}`, undefined)).json<{ hits: Array<{ job: { jobId: string } }> }>();
    expect(found.hits.map((h) => h.job.jobId)).toEqual([jobId]);
    const search = await new Browser(t.app).get('/?q=quillfeather');
    expect(search.statusCode).toBe(200);
    expect(search.body).toContain(`href="/jobs/${jobId}"`);
    const list = await browser.get('/business');
    expect(rowsOf(list.body)).toEqual([{ jobId, title: 'Quillfeather barista', status: 'Open' }]);
    expect(list.body).toContain('0 views · 0 saves · 0 applications');
  });

  it('saves a draft that search does not show, and publishes it from its page for the days chosen', async () => {
    const owner = business('b-draft');
    const browser = await signIn(owner);
    const { location, jobId } = redirected(await postJob(browser, { ...jobForm('Wobbleknot deckhand'), action: 'draft' }));
    const page = await browser.get(location);
    expect(page.statusCode, page.body).toBe(200);
    expect(page.body).toContain('<h1>Wobbleknot deckhand <span class="badge status-draft">Draft</span></h1>');
    expect(page.body).not.toContain('See the job\'s public page');
    expect(page.body).toContain(`<a href="/business/jobs/${jobId}/edit">Edit the job</a>`);
    expect(page.body).not.toContain(`action="/business/jobs/${jobId}/close"`);
    expect((await jobOf(jobId, owner)).status).toBe('draft');
    expect((await api('GET', `/v1/search?text=wobbleknot&minPosition=${last}`, undefined)).json<{ total: number }>().total).toBe(0);
    expect((await new Browser(t.app).get('/?q=wobbleknot')).body).not.toContain(`href="/jobs/${jobId}"`);
    expect(rowsOf((await browser.get('/business?status=draft')).body)).toEqual([{ jobId, title: 'Wobbleknot deckhand', status: 'Draft' }]);

    const published = await browser.submit(page.body, `/business/jobs/${jobId}/publish`, { expiresInDays: '14' });
    const open = await browser.get(redirected(published).location);
    expect(open.body).toContain('<h1>Wobbleknot deckhand <span class="badge status-open">Open</span></h1>');
    expect(open.body).toContain('expires 15 Mar 2027');
    expect((await jobOf(jobId, owner))).toMatchObject({ status: 'open', expiresAt: new Date(t.clock.now.getTime() + 14 * DAY_MS).toISOString() });
    expect((await api('GET', `/v1/search?text=wobbleknot&minPosition=${last}`, undefined)).json<{ hits: Array<{ job: { jobId: string } }> }>().hits.map((h) => h.job.jobId)).toEqual([jobId]);
    // An expiry the form does not offer is refused.
    const odd = await browser.post(`/business/jobs/${jobId}/reopen`, { _csrf: csrfOf(open.body), expiresInDays: '3' });
    expect(odd.statusCode).toBe(400);
  });

  it('discards a draft from its page, back to the drafts without it; a published job offers no discard', async () => {
    const owner = business('b-discard');
    const browser = await signIn(owner);
    const { location, jobId } = redirected(await postJob(browser, { ...jobForm('Brambleton deckhand'), action: 'draft' }));
    const kept = redirected(await postJob(browser, { ...jobForm('Brambleton cook'), action: 'draft' })).jobId;
    const page = await browser.get(location);
    expect(page.body).toContain(`action="/business/jobs/${jobId}/discard"`);
    const res = await browser.submit(page.body, `/business/jobs/${jobId}/discard`, {});
    expect(res.statusCode, res.body).toBe(303);
    const back = String(res.headers.location);
    expect(back).toMatch(/^\/business\?status=draft&after=\d+$/);
    last = Math.max(last, Number(/after=(\d+)/.exec(back)![1]));
    expect(rowsOf((await browser.get(back)).body)).toEqual([{ jobId: kept, title: 'Brambleton cook', status: 'Draft' }]);
    expect((await jobsOf(owner)).map((j) => j.jobId)).toEqual([kept]);
    expect((await browser.get(`/business/jobs/${jobId}`)).statusCode).toBe(404);

    const published = redirected(await postJob(browser, { ...jobForm('Brambleton host'), expiresInDays: '30', action: 'publish' }));
    const open = await browser.get(published.location);
    expect(open.body).not.toContain('/discard"');
    // Posted anyway (an old page): the API's refusal comes back as a page, and the job stays.
    const refused = await browser.post(`/business/jobs/${published.jobId}/discard`, { _csrf: csrfOf(open.body) });
    expect(refused.statusCode).toBe(409);
    expect((await jobOf(published.jobId, owner)).status).toBe('open');
  });

  it('shows the form again with every missing field named, marked and kept, and writes nothing', async () => {
    const owner = business('b-problems');
    const browser = await signIn(owner);
    const page = await browser.get('/business/jobs/new');
    expect(page.body).toContain('<h1>Post a job</h1>');
    expect(page.body).toContain('<a href="/business/jobs/new" aria-current="page">Post a job</a>');
    expect(page.body).toContain('<p id="pay-suggestion" class="hint" aria-live="polite">Choose a category, a type of work and a place to see what comparable jobs pay.</p>');
    const empty = formValues(page.body, '/business/jobs');
    expect(empty).toMatchObject({ title: '', description: '', category: '', employmentType: '', place: '', payMin: '', currency: 'USD', unit: 'hour', experienceYears: '0', expiresInDays: '30' });
    const res = await browser.post('/business/jobs', { ...empty, skills: `kept ${hostile}`, action: 'publish' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('<div class="problems" role="alert">');
    expect(problemsOf(res.body)).toEqual([['title', 'Title'], ['description', 'Description'], ['category', 'Category'], ['employmentType', 'Type of work'], ['payMin', 'Pay from'], ['place', 'Town']]);
    expect(res.body).toContain('<li><a href="#f-payMin">Pay from</a>: the lowest pay is required</li>');
    expect(invalidFields(res.body)).toEqual(['title', 'description', 'category', 'employmentType', 'place', 'payMin']);
    expect(formValues(res.body, '/business/jobs').skills).toBe(`kept ${hostile}`);
    expect(res.body).not.toMatch(rawMarkup);

    const wrong = await browser.post('/business/jobs', {
      ...empty, ...jobForm(`Kept ${hostile} title`), payMin: 'lots', payMax: '-2', currency: 'US', unit: 'fortnight', place: 'Qqqzzz Nowhere', startDate: 'soon', endDate: '2027-05-01',
      hoursPerWeek: '200', experienceYears: '-1', expiresInDays: '90', action: 'draft',
    });
    expect(wrong.statusCode).toBe(400);
    expect(problemsOf(wrong.body).map(([, label]) => label)).toEqual(['Pay from', 'Pay to', 'Currency', 'Pay per', 'Town', 'Starts', 'Hours per week', 'Years of experience']);
    expect(wrong.body).toContain('<li><a href="#f-place">Town</a>: no town called &quot;Qqqzzz Nowhere&quot; is known; try &quot;town&quot;, &quot;town, state&quot; or &quot;town, country code&quot;</li>');
    expect(invalidFields(wrong.body).sort()).toEqual(['currency', 'experienceYears', 'hoursPerWeek', 'payMax', 'payMin', 'place', 'startDate', 'unit']);
    const kept = formValues(wrong.body, '/business/jobs');
    expect(kept).toMatchObject({ title: `Kept ${hostile} title`, payMin: 'lots', place: 'Qqqzzz Nowhere', startDate: 'soon', category: 'hospitality', employmentType: 'seasonal', expiresInDays: '90' });
    expect(wrong.body).toContain(`value="Kept ${escapedHostile} title"`);
    expect(wrong.body).not.toMatch(rawMarkup);
    // An end before the start, and a title too short once trimmed.
    const dates = await browser.post('/business/jobs', { ...empty, ...jobForm('  ab  '), startDate: '2027-06-02', endDate: '2027-06-01', action: 'publish' });
    expect(problemsOf(dates.body)).toEqual([['title', 'Title'], ['endDate', 'Ends']]);

    await settled();
    expect(await jobsOf(owner)).toEqual([]);
  });

  it('maps the API’s own refusal of what the form lets through back to the field', async () => {
    const owner = business('b-api-refusal');
    const browser = await signIn(owner);
    const cases: Array<[Record<string, string>, string, string]> = [
      [{ startDate: '2027-02-30', endDate: '' }, 'startDate', 'Starts'],
      [{ experienceYears: '61' }, 'experienceYears', 'Years of experience'],
      [{ payMax: '2000000' }, 'payMax', 'Pay to'],
      [{ skills: Array.from({ length: 51 }, (_, i) => `skill${i}`).join(', ') }, 'skills', 'Skills'],
    ];
    for (const [values, field, label] of cases) {
      const res = await postJob(browser, { ...jobForm('Refused by the API'), ...values, action: 'publish' });
      expect(res.statusCode, field).toBe(400);
      expect(problemsOf(res.body), field).toEqual([[field, label]]);
      expect(invalidFields(res.body), field).toEqual([field]);
      expect(formValues(res.body, '/business/jobs')[field], field).toBe(values[field]);
    }
    await settled();
    expect(await jobsOf(owner)).toEqual([]);
  });

  it('fills the edit form from the job, saves a change and shows it, and refuses to edit a closed job', async () => {
    const owner = business('b-edit');
    const browser = await signIn(owner);
    const { jobId } = redirected(await postJob(browser, { ...jobForm('Lakeshore server'), remote: 'on', action: 'publish' }));
    const before = await jobOf(jobId, owner);
    const edit = await browser.get(`/business/jobs/${jobId}/edit`);
    expect(edit.statusCode, edit.body).toBe(200);
    expect(edit.body).toContain('<h1>Edit Lakeshore server</h1>');
    expect(edit.body).toContain('<button type="submit">Save changes</button>');
    expect(edit.body).not.toContain('name="action"');
    const token = csrfOf(edit.body);
    const { _csrf: formToken, ...shown } = formValues(edit.body, `/business/jobs/${jobId}`);
    expect(formToken).toBe(token);
    expect(shown).toEqual(formOfJob(before));
    expect(shown).toMatchObject({ place: 'Truckee, CA', remote: 'on', skills: 'espresso, customer service', payMax: '19.5' });

    const saved = await browser.post(`/business/jobs/${jobId}`, { _csrf: token, ...shown, title: 'Lakeshore head server', payMax: '24', skills: 'espresso, wine' });
    const page = await browser.get(redirected(saved).location);
    expect(page.body).toContain('<h1>Lakeshore head server <span class="badge status-open">Open</span></h1>');
    expect(page.body).toContain('<span>$16–$24 per hour</span>');
    expect(await jobOf(jobId, owner)).toMatchObject({ title: 'Lakeshore head server', pay: { min: 16, max: 24 }, skills: ['espresso', 'wine'], status: 'open', location: truckee });
    // A change the form refuses keeps the job as it was.
    const refused = await browser.post(`/business/jobs/${jobId}`, { _csrf: token, ...shown, payMin: '' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('<h1>Edit the job</h1>');
    expect(problemsOf(refused.body)).toEqual([['payMin', 'Pay from']]);
    expect((await jobOf(jobId, owner)).pay.min).toBe(16);

    const closed = await browser.submit(page.body, `/business/jobs/${jobId}/close`, { reason: 'withdrawn' });
    const shut = await browser.get(redirected(closed).location);
    expect(shut.body).not.toContain(`/business/jobs/${jobId}/edit`);
    const again = await browser.get(`/business/jobs/${jobId}/edit`);
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('This job is closed: it can no longer be changed.');
    expect(again.body).toContain(`<a href="/business/jobs/${jobId}">Back to the job</a>`);
    const late = await browser.post(`/business/jobs/${jobId}`, { _csrf: token, ...shown, title: 'Too late' });
    expect(late.statusCode).toBe(409);
    await settled();
    expect(await jobOf(jobId, owner)).toMatchObject({ title: 'Lakeshore head server', status: 'closed', closedReason: 'withdrawn' });
  });

  it('keeps the place of a job posted through the API when it is edited, even a town the form cannot look up', async () => {
    const owner = business('b-edit-api');
    const browser = await signIn(owner);
    const jobId = await createJob(owner, { title: 'Lakeside dock hand' });
    await settled();
    const before = await jobOf(jobId, owner);
    const edit = await browser.get(`/business/jobs/${jobId}/edit`);
    expect(edit.statusCode, edit.body).toBe(200);
    const { _csrf: token, ...shown } = formValues(edit.body, `/business/jobs/${jobId}`);
    expect(shown.place).toBe(`${before.city}, ${before.region ?? before.country}`);
    const saved = await browser.post(`/business/jobs/${jobId}`, { _csrf: token!, ...shown, title: 'Lakeside dock hand (weekends)' });
    await browser.get(redirected(saved).location);
    const after = await jobOf(jobId, owner);
    expect(after.title).toBe('Lakeside dock hand (weekends)');
    expect({ location: after.location, city: after.city, region: after.region, country: after.country }).toEqual({ location: before.location, city: before.city, region: before.region, country: before.country });
    // Another name is looked up as on a new job: unknown, it is refused.
    const moved = await browser.post(`/business/jobs/${jobId}`, { _csrf: token!, ...shown, place: 'Nowhere-on-Sea' });
    expect(moved.statusCode).toBe(400);
    expect(problemsOf(moved.body)).toEqual([['place', 'Town']]);
  });

  it('closes a job as filled and reopens it, and lists each job under its status tab', async () => {
    const owner = business('b-tabs');
    const browser = await signIn(owner);
    const { jobId: openId } = redirected(await postJob(browser, { ...jobForm('Tab open'), action: 'publish' }));
    const { jobId: draftId } = redirected(await postJob(browser, { ...jobForm('Tab draft'), action: 'draft' }));
    const { jobId: closedId, location } = redirected(await postJob(browser, { ...jobForm('Tab closed'), action: 'publish' }));
    const expiredId = await createJob(owner, { title: 'Tab expired', publish: { expiresAt: new Date(t.clock.now.getTime() + 3600_000).toISOString() } });

    const page = await browser.get(location);
    const closed = await browser.get(redirected(await browser.submit(page.body, `/business/jobs/${closedId}/close`, { reason: 'filled' })).location);
    expect(closed.body).toContain('<h1>Tab closed <span class="badge status-closed">Closed (filled)</span></h1>');
    expect(closed.body).not.toContain(`action="/business/jobs/${closedId}/close"`);
    expect(closed.body).toContain(`action="/business/jobs/${closedId}/reopen"`);
    expect(await jobOf(closedId, owner)).toMatchObject({ status: 'closed', closedReason: 'filled' });

    // An hour and a bit later the job that was open for an hour is past its expiry.
    t.clock.now = new Date(t.clock.now.getTime() + 2 * 3600_000);
    await settled();
    const tab = async (status: string) => rowsOf((await browser.get(`/business${status ? `?status=${status}` : ''}`)).body);
    expect(await tab('draft')).toEqual([{ jobId: draftId, title: 'Tab draft', status: 'Draft' }]);
    expect(await tab('open')).toEqual([{ jobId: openId, title: 'Tab open', status: 'Open' }]);
    expect(await tab('closed')).toEqual([{ jobId: closedId, title: 'Tab closed', status: 'Closed' }]);
    expect(await tab('expired')).toEqual([{ jobId: expiredId, title: 'Tab expired', status: 'Expired' }]);
    expect((await tab('')).map((r) => r.jobId).sort()).toEqual([openId, draftId, closedId, expiredId].sort());
    const expired = await browser.get(`/business/jobs/${expiredId}`);
    expect(expired.body).toContain('<span class="badge status-expired">Expired</span>');
    expect(expired.body).not.toMatch(/action="\/business\/jobs\/[^"]+\/(close|reopen|publish)"/);
    const late = await browser.get(`/business/jobs/${expiredId}/edit`);
    expect(late.statusCode).toBe(409);
    // Past its expiry the job is expired to the business, whether or not the expiry sweep has run.
    expect(late.body).toContain('This job is expired: it can no longer be changed.');

    const reopened = await browser.submit(closed.body, `/business/jobs/${closedId}/reopen`, { expiresInDays: '7' });
    const open = await browser.get(redirected(reopened).location);
    expect(open.body).toContain('<h1>Tab closed <span class="badge status-open">Open</span></h1>');
    expect(await jobOf(closedId, owner)).toMatchObject({ status: 'open', expiresAt: new Date(t.clock.now.getTime() + 7 * DAY_MS).toISOString() });
    expect(await tab('closed')).toEqual([]);
    expect((await tab('open')).map((r) => r.jobId).sort()).toEqual([openId, closedId].sort());
  });

  it('pages through more than 20 jobs, keeping the status tab', async () => {
    const owner = business('b-many');
    await createJob(owner, { title: 'Many open job' });
    for (let i = 0; i < 23; i++) await createDraft(owner, { title: `Many job ${i}` });
    await settled();
    const browser = await signIn(owner);
    const next = (html: string) => {
      const href = /<a rel="next" href="([^"]+)">Next page<\/a>/.exec(html)?.[1];
      return href === undefined ? undefined : unescape(href);
    };
    const first = await browser.get('/business');
    expect(rowsOf(first.body)).toHaveLength(20);
    expect(first.body).not.toContain('First page');
    const second = await browser.get(next(first.body)!);
    expect(second.statusCode, second.body).toBe(200);
    expect(rowsOf(second.body)).toHaveLength(4);
    expect(second.body).toContain('<a href="/business">First page</a>');
    expect(next(second.body)).toBeUndefined();
    expect([...rowsOf(first.body), ...rowsOf(second.body)].map((r) => r.title).sort()).toEqual(['Many open job', ...Array.from({ length: 23 }, (_, i) => `Many job ${i}`)].sort());

    // The drafts alone, page after page: every link stays on the tab.
    const drafts: string[] = [];
    let page = await browser.get('/business?status=draft');
    for (let pages = 1; ; pages++) {
      drafts.push(...rowsOf(page.body).map((r) => { expect(r.status).toBe('Draft'); return r.title!; }));
      const href = next(page.body);
      if (href === undefined) break;
      expect(href).toMatch(/^\/business\?status=draft&cursor=/);
      expect(pages).toBeLessThan(5);
      page = await browser.get(href);
      expect(page.body).toContain('<a href="/business?status=draft">First page</a>');
    }
    expect(drafts.sort()).toEqual(Array.from({ length: 23 }, (_, i) => `Many job ${i}`).sort());
  });

  it('lists the applicants escaped with the moves their status allows, and counts the funnel from views to hires', async () => {
    const owner = business('b-hire');
    const jobId = await createJob(owner, { title: `Dock ${hostile} hand`, description: `Haul ${hostileMessage} ropes.` });
    const [a1, a2, a3] = ['w-hire-1', 'w-hire-2', 'w-hire-3'];
    const day1 = t.clock.now.toISOString().slice(0, 10);
    for (const ua of ['ua-1', 'ua-2', 'ua-3', 'ua-4']) await api('POST', `/v1/jobs/${jobId}/views`, undefined, undefined, { 'user-agent': ua });
    for (const [who, message] of [[a1, hostileMessage], [a2, 'Two summers on the ferry.'], [a3, undefined]] as const) {
      await api('PUT', `/v1/me/saved-jobs/${jobId}`, worker(who));
      await api('POST', `/v1/jobs/${jobId}/applications`, worker(who), message !== undefined ? { message } : {});
    }
    t.clock.now = new Date(t.clock.now.getTime() + DAY_MS);
    const day2 = t.clock.now.toISOString().slice(0, 10);
    for (const ua of ['ua-1', 'ua-2']) await api('POST', `/v1/jobs/${jobId}/views`, undefined, undefined, { 'user-agent': ua });
    await settled();

    const browser = await signIn(owner);
    const page = await browser.get(`/business/jobs/${jobId}`);
    expect(page.statusCode, page.body).toBe(200);
    expect(page.body).not.toMatch(rawMarkup);
    expect(page.body).toContain(`<h1>Dock ${escapedHostile} hand`);
    const all = ['Mark as reviewing', 'Shortlist', 'Reject', 'Accept (hire)'];
    expect(applicantsOf(page.body).sort((x, y) => x.worker!.localeCompare(y.worker!))).toEqual([
      { worker: a1, status: 'New', message: escapedMessage, moves: all },
      { worker: a2, status: 'New', message: 'Two summers on the ferry.', moves: all },
      { worker: a3, status: 'New', message: undefined, moves: all },
    ]);
    expect(page.body).toContain(`aria-label="Shortlist: applicant ${a1}"`);
    expect(funnelOf(page.body)).toEqual([['Views', '6', ''], ['Saves', '3', '50% of views'], ['Applications', '3', '50% of views'], ['Shortlisted', '0', '0% of applications'], ['Hired', '0', '—']]);
    expect(daysOf(page.body)).toEqual([`${day2} 2 0 0`, `${day1} 4 3 3`]);

    const move = async (html: string, who: string, status: string) => {
      const res = await browser.post('/business/applications/' + encodeURIComponent(applicationIdOf(jobId, who)) + '/status', moveFields(html, applicationIdOf(jobId, who), status));
      const { location, jobId: back } = redirected(res);
      expect(back).toBe(jobId);
      return (await browser.get(location)).body;
    };
    let html = await move(page.body, a1, 'shortlisted');
    expect(applicantsOf(html).find((a) => a.worker === a1)).toMatchObject({ status: 'Shortlisted', moves: ['Reject', 'Accept (hire)'] });
    expect(funnelOf(html).slice(3)).toEqual([['Shortlisted', '1', '33% of applications'], ['Hired', '0', '0% of shortlisted']]);
    html = await move(html, a1, 'hired');
    html = await move(html, a2, 'rejected');
    const byWorker = Object.fromEntries(applicantsOf(html).map((a) => [a.worker, [a.status, a.moves]]));
    expect(byWorker).toEqual({ [a1]: ['Hired', []], [a2]: ['Rejected', []], [a3]: ['New', all] });
    expect(funnelOf(html)).toEqual([['Views', '6', ''], ['Saves', '3', '50% of views'], ['Applications', '3', '50% of views'], ['Shortlisted', '1', '33% of applications'], ['Hired', '1', '100% of shortlisted']]);
    expect(html).not.toMatch(rawMarkup);
    expect(Object.fromEntries((await applicantsOfApi(jobId, owner)).map((a) => [a.workerId, a.status]))).toEqual({ [a1]: 'hired', [a2]: 'rejected', [a3]: 'submitted' });
    // A final status cannot be moved again, even by posting the form by hand.
    const again = await browser.post(`/business/applications/${applicationIdOf(jobId, a1)}/status`, { _csrf: csrfOf(html), job: jobId, status: 'rejected' });
    expect(again.statusCode).toBe(409);
    const list = await browser.get('/business');
    expect(list.body).toContain('6 views · 3 saves · 3 applications');
    expect(list.body).not.toMatch(rawMarkup);
  });

  it("shows each applicant's name, shared contact, skills, experience, availability and match score, escaped", async () => {
    const owner = business('b-decide');
    const jobId = await createJob(owner, { title: 'Lakeside Barista' });
    const named = worker('w-decide-named');
    const profile = {
      name: `Jo ${hostile} Doe`, skills: ['espresso', '<b>bold</b>'], location: { lat: 39.1, lon: -120.05 }, maxTravelKm: 40, desiredHourlyPay: 18,
      availability: [{ from: '2027-06-01', to: '2027-09-30' }], experienceYears: 1, email: 'jo.profile@example.org',
    };
    await api('PUT', '/v1/me/profile', named, profile);
    await api('POST', `/v1/jobs/${jobId}/applications`, named, { contact: { email: 'jo.shared@example.org', phone: '+1 530 555 0142' } });
    await api('POST', `/v1/jobs/${jobId}/applications`, worker('w-decide-bare'), {});
    await settled();
    const fromApi = (await api('GET', `/v1/jobs/${jobId}/applications?minPosition=${last}`, owner)).json<{ items: Array<{ workerId: string; match: { score: number } | null }> }>().items;
    const score = Math.round(fromApi.find((a) => a.workerId === named.sub)!.match!.score);

    const page = await (await signIn(owner)).get(`/business/jobs/${jobId}`);
    expect(page.statusCode, page.body).toBe(200);
    expect(page.body).not.toMatch(rawMarkup);
    const items = page.body.slice(page.body.indexOf('<ul class="rows applicants">')).split('<li class="row-item">').slice(1);
    const jo = items.find((i) => i.includes(`<h3>Jo ${escapedHostile} Doe <span`))!;
    expect(jo).toBeDefined();
    expect(jo).toContain(`· <strong class="score">${score}% match</strong>`);
    expect(jo).toContain('<dt>Email</dt><dd><a href="mailto:jo.shared@example.org">jo.shared@example.org</a></dd>');
    expect(jo).toContain('<dt>Phone</dt><dd><a href="tel:+15305550142">+1 530 555 0142</a></dd>');
    expect(jo).toContain('<dt>Skills</dt><dd>espresso, &lt;b&gt;bold&lt;/b&gt;</dd>');
    expect(jo).toContain('<dt>Experience</dt><dd>1 year</dd>');
    expect(jo).toContain('<dt>Available</dt><dd>1 Jun 2027 – 30 Sep 2027</dd>');
    expect(jo).toMatch(/<dt>Match<\/dt><dd>skills \d+% · distance \d+% · pay \d+% · availability \d+% · experience \d+%<\/dd>/);
    expect(jo).toContain(`aria-label="Shortlist: Jo ${escapedHostile} Doe"`);
    // What the worker did not share is not shown: the profile's own email.
    expect(page.body).not.toContain('jo.profile@example.org');
    // Without a profile: who applied, no facts, no score.
    const bare = items.find((i) => i.includes('<h3>Applicant w-decide-bare <span'))!;
    expect(bare).not.toContain('<dl');
    expect(bare).not.toContain('% match');
  });

  it('shows another business neither the dashboard of a job that is not theirs nor lets it move its applicants', async () => {
    const owner = business('b-owner');
    const openId = await createJob(owner, { title: 'Owned open job' });
    const draftId = await createDraft(owner, { title: 'Owned draft job' });
    await api('POST', `/v1/jobs/${openId}/applications`, worker('w-owned'), { message: 'mine', contact: { email: 'owned.worker@example.org' } });
    await settled();
    const intruder = await signIn(business('b-intruder'));
    const token = csrfOf((await intruder.get('/business')).body);
    for (const path of [`/business/jobs/${openId}`, `/business/jobs/${openId}/edit`, `/business/jobs/${draftId}`, `/business/jobs/${draftId}/edit`]) {
      const res = await intruder.get(path);
      expect(res.statusCode, path).toBe(404);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.body, path).not.toContain('mine');
      expect(res.body, path).not.toContain('owned.worker@example.org');
    }
    expect((await intruder.get(`/business/jobs/${openId}`)).body).toContain('This job is not one of yours.');
    const moved = await intruder.post(`/business/applications/${applicationIdOf(openId, 'w-owned')}/status`, { _csrf: token, job: openId, status: 'hired' });
    expect(moved.statusCode).toBe(403);
    expect(moved.headers['content-type']).toMatch(/^text\/html/);
    for (const [action, values] of [[`/business/jobs/${openId}/close`, { reason: 'filled' }], [`/business/jobs/${draftId}/publish`, { expiresInDays: '30' }]] as const) {
      const res = await intruder.post(action, { _csrf: token, ...values });
      expect(res.statusCode, action).toBe(403);
      expect(res.body, action).toContain('only the owning business may change a job');
    }
    // The edit form reads the job first, as its page does: someone else's job is not found.
    const edited = await intruder.post(`/business/jobs/${openId}`, { _csrf: token, ...jobForm('Taken over') });
    expect(edited.statusCode).toBe(404);
    expect(edited.body).toContain('This job is not one of yours.');
    await settled();
    expect((await applicantsOfApi(openId, owner)).map((a) => a.status)).toEqual(['submitted']);
    expect((await jobsOf(owner)).map((j) => [j.title, j.status]).sort()).toEqual([['Owned draft job', 'draft'], ['Owned open job', 'open']]);
  });

  it('suggests the pay of comparable open jobs near the place, says when there are too few, and shows it on a form sent back', async () => {
    const poster = business('b-comparables');
    const pays: Array<[number, number]> = [[15, 17], [16, 16], [16.5, 18], [17, 19], [18, 18], [18.25, 20], [19, 21], [20, 20], [21, 25], [22, 24], [14, 15], [30, 32]];
    const job = (near: { lat: number; lon: number }, category: string, [min, max]: [number, number], i: number) => ({
      ...draftExample, title: `Comparable ${category} ${i}`, category, employmentType: 'seasonal', pay: { min, max, currency: 'USD', unit: 'hour' },
      location: { point: { lat: near.lat + (i % 3) * 0.01, lon: near.lon - (i % 2) * 0.01 }, city: 'Bend', region: 'OR', country: 'US' }, publish: { expiresAt: '2027-12-31T23:59:00Z' },
    });
    for (const [i, pay] of pays.entries()) await createJob(poster, job(bend, 'agriculture', pay, i));
    // Not comparable: far away, another type of work, a draft.
    await createJob(poster, { ...job(truckee, 'agriculture', [90, 99], 100), location: { point: truckee, city: 'Truckee', region: 'CA', country: 'US' } });
    await createJob(poster, { ...job(bend, 'agriculture', [80, 80], 101), employmentType: 'full_time' });
    const { publish: _p, ...draft } = job(bend, 'agriculture', [70, 70], 102);
    await createDraft(poster, draft);
    for (const [i, pay] of pays.slice(0, 3).entries()) await createJob(poster, job(bend, 'construction', pay, i));
    await settled();

    const { p25, p50, p75 } = percentiles(pays.map(([min, max]) => (min + max) / 2));
    const text = `Comparable jobs pay ${dollars(p25)}–${dollars(p75)} per hour (median ${dollars(p50)}, from 12 jobs).`;
    const browser = await signIn(business('b-suggest'));
    const suggestion = async (query: string) => {
      const res = await browser.get(`/business/pay-suggestion?${query}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.headers['cache-control']).toBe('private, no-store');
      return res.json<{ text: string }>().text;
    };
    expect(await suggestion('category=agriculture&employmentType=seasonal&place=Bend%2C%20OR')).toBe(text);
    expect(await suggestion('category=construction&employmentType=seasonal&place=Bend')).toBe('Too few comparable jobs for a pay suggestion (3 found).');
    expect(await suggestion('employmentType=seasonal&place=Bend')).toBe('Choose a category, a type of work and a place to see what comparable jobs pay.');
    expect(await suggestion('category=nonsense')).toBe('Choose a category, a type of work and a place to see what comparable jobs pay.');

    const sentBack = await postJob(browser, { ...jobForm(''), category: 'agriculture', employmentType: 'seasonal', place: 'Bend, OR', action: 'publish' });
    expect(sentBack.statusCode).toBe(400);
    expect(sentBack.body).toContain(`<p id="pay-suggestion" class="hint" aria-live="polite">${text}</p>`);
    expect(sentBack.body).toContain('<option value="agriculture" selected>Agriculture</option>');
    const tooFew = await postJob(browser, { ...jobForm(''), category: 'construction', employmentType: 'seasonal', place: 'Bend, OR', action: 'publish' });
    expect(tooFew.body).toContain('<p id="pay-suggestion" class="hint" aria-live="polite">Too few comparable jobs for a pay suggestion (3 found).</p>');
  });

  it('never writes what a business or a worker typed into a page as markup', async () => {
    const owner = business('b-hostile');
    const browser = await signIn(owner);
    const { jobId } = redirected(await postJob(browser, { ...jobForm(`Kitchen ${hostile} porter`), description: `Wash ${hostileMessage} dishes.`, skills: `${hostile}, <b>bold</b>`, action: 'publish' }));
    await api('POST', `/v1/jobs/${jobId}/applications`, worker('w-hostile'), { message: hostileMessage });
    await settled();
    const pages = ['/business', '/business?status=open', `/business/jobs/${jobId}`, `/business/jobs/${jobId}/edit`, '/business/notifications'];
    for (const path of pages) {
      const res = await browser.get(path);
      expect(res.statusCode, path).toBe(200);
      expect(res.body, path).not.toMatch(rawMarkup);
    }
    expect((await browser.get('/business')).body).toContain(`Kitchen ${escapedHostile} porter</a>`);
    const edit = (await browser.get(`/business/jobs/${jobId}/edit`)).body;
    expect(edit).toContain(`<title>Edit Kitchen ${escapedHostile} porter · `);
    expect(edit).toContain(`Wash ${escapedMessage} dishes.</textarea>`);
    expect(formValues(edit, `/business/jobs/${jobId}`)).toMatchObject({ title: `Kitchen ${hostile} porter`, description: `Wash ${hostileMessage} dishes.`, skills: `${hostile}, <b>bold</b>` });
    const sentBack = await browser.post(`/business/jobs/${jobId}`, { ...formValues(edit, `/business/jobs/${jobId}`), payMin: 'x' });
    expect(sentBack.statusCode).toBe(400);
    expect(sentBack.body).not.toMatch(rawMarkup);
    expect((await browser.get(`/business/jobs/${jobId}`)).body).toContain(`<blockquote>${escapedMessage}</blockquote>`);
  });

  it('lists an application as news for the business, and says when there is none yet', async () => {
    const owner = business('b-told');
    const browser = await signIn(owner);
    const none = await browser.get('/business/notifications');
    expect(none.statusCode, none.body).toBe(200);
    expect(none.body).toContain('<a href="/business/notifications" aria-current="page">Notifications</a>');
    expect(none.body).toContain('Nothing yet. News of applications to your jobs and of jobs about to expire will be listed here.');

    const jobId = await createJob(owner, { title: `Orchard ${hostile} picker` });
    await api('POST', `/v1/jobs/${jobId}/applications`, worker('w-told'), { message: 'Picking since 2019.' });
    const deadline = Date.now() + 15_000;
    while ((await api('GET', '/v1/me/notifications', owner)).json<{ items: unknown[] }>().items.length === 0) {
      if (Date.now() > deadline) throw new Error('timed out waiting for the notification');
      await new Promise((r) => setTimeout(r, 25));
    }
    const page = await browser.get('/business/notifications');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`<a href="/business/jobs/${jobId}">w-told applied to Orchard ${escapedHostile} picker</a>`);
    expect(page.body).toContain('today · Not mailed: no e-mail address in your profile');
    expect(page.body).not.toMatch(rawMarkup);
  });
});

describe('business web pages without notifications', () => {
  let t: FullApp;
  beforeAll(async () => {
    t = await startFullApp('embedded');
  });
  afterAll(async () => t?.close());

  it('says the service keeps no notifications instead of failing', async () => {
    const browser = new Browser(t.app);
    const form = await browser.get('/sign-in');
    expect((await browser.post('/sign-in', { _csrf: csrfOf(form.body), token: await t.runtime.tokens.sign(business('b-quiet')) })).statusCode).toBe(303);
    const page = await browser.get('/business/notifications');
    expect(page.statusCode, page.body).toBe(200);
    expect(page.body).toContain('<h1>Notifications</h1>');
    expect(page.body).toContain('This service sends no notifications: it was started with notifications turned off.');
  });
});
