import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../eventstore/events/index.ts';
import { jobExample, workerProfileExample } from '../../command/http/examples.ts';
import type { FullApp } from '../../tests/support/fullApp.ts';
import { startFullApp } from '../../tests/support/fullApp.ts';
import { PageBrowser as Browser, csrfOf, formValues } from '../../tests/support/pageBrowser.ts';

const worker = (sub: string): Principal => ({ role: 'worker', sub });
const business = (sub: string): Principal => ({ role: 'business', sub });
// What a worker or a business might type: none of it may reach a page as markup.
const hostile = '<img src=x onerror=alert(1)>';
const escapedHostile = '&lt;img src=x onerror=alert(1)&gt;';
const hostileMessage = '<script>alert("x")</script> & <b>bold</b>';
const rawMarkup = /<img src=x|<script>alert|<b>bold/;
const csrfRefused = 'This form has expired or did not come from this site.';
const changedElsewhere = 'Your profile was changed elsewhere since this page was opened: nothing was saved.';
// Portland, OR as the place lookup of the service knows it.
const portland = { lat: 45.52345, lon: -122.67621 };

const withoutToken = ({ _csrf: _token, ...values }: Record<string, string>) => values;
const problemsOf = (html: string) => [...html.matchAll(/<li><a href="#f-([A-Za-z0-9]+)">([^<]*)<\/a>: /g)].map((m) => [m[1], m[2]]);
const invalidFields = (html: string) => [...html.matchAll(/<input id="f-([A-Za-z0-9]+)"[^>]*aria-invalid="true"/g)].map((m) => m[1]);

/** A worker's form as it is filled in on the page: for Portland, with two windows. */
const workerForm = (more: Record<string, string> = {}): Record<string, string> => ({
  name: 'Robin Okafor', email: 'robin@example.com', skills: 'Espresso, First Aid', place: 'Portland, OR', maxTravelKm: '80', desiredHourlyPay: '21.50', currency: 'usd',
  experienceYears: '2.5', from0: '2027-06-01', to0: '2027-09-15', from1: '2027-12-01', to1: '', ...more,
});
/** The profile the API keeps for `workerForm()`. */
const workerProfile = {
  name: 'Robin Okafor', email: 'robin@example.com', skills: ['espresso', 'first aid'], location: portland, maxTravelKm: 80, desiredHourlyPay: 21.5, currency: 'USD',
  experienceYears: 2.5, availability: [{ from: '2027-06-01', to: '2027-09-15' }, { from: '2027-12-01' }],
};

describe.each(['embedded', 'server'] as const)('profile pages (%s mode)', (mode) => {
  let t: FullApp;
  beforeAll(async () => {
    // Reads wait for the projector (minPosition) longer than the default: a loaded machine may take seconds.
    t = await startFullApp(mode, { minPositionWaitMs: 15_000 });
    t.clock.now = new Date('2027-03-01T12:00:00Z');
  });
  afterAll(async () => t?.close());

  const api = async (method: 'GET' | 'POST' | 'PUT', url: string, who: Principal, payload?: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({ method, url, headers: { ...(await t.auth(who)), ...headers }, ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}) });
  const put = async (url: string, who: Principal, payload: unknown) => {
    const res = await api('PUT', url, who, payload);
    expect(res.statusCode, res.body).toBe(200);
  };
  /** The profile as the API holds it: `{profile, revision}`, or the status it answers instead. */
  const stored = async (who: Principal) => {
    const res = await api('GET', who.role === 'worker' ? '/v1/me/profile' : '/v1/businesses/me/profile', who);
    return res.statusCode === 200 ? res.json<{ profile: Record<string, unknown>; revision: number }>() : res.statusCode;
  };

  const signIn = async (who: Principal, browser = new Browser(t.app)) => {
    const page = await browser.get('/sign-in');
    const res = await browser.post('/sign-in', { _csrf: csrfOf(page.body), token: await t.runtime.tokens.sign(who) });
    expect(res.statusCode, res.body).toBe(303);
    return browser;
  };
  /** The page at `path`, which must be there. */
  const open = async (browser: Browser, path: string) => {
    const page = await browser.get(path);
    expect(page.statusCode, page.body).toBe(200);
    return page.body;
  };
  /** Posts the form of `page` as it shows it, with `values` typed over it. */
  const send = async (browser: Browser, page: string, path: string, values: Record<string, string>) => browser.post(path, { ...formValues(page, path), ...values });

  it('keeps the windows of availability past the form\'s rows that were set through the API', async () => {
    const who = worker('w-many-windows');
    const windows = ['2027-04', '2027-05', '2027-06', '2027-07', '2027-08'].map((m) => ({ from: `${m}-01`, to: `${m}-10` }));
    await put('/v1/me/profile', who, { ...workerProfile, availability: windows });
    const browser = await signIn(who);
    const page = await open(browser, '/me/profile');
    expect(formValues(page, '/me/profile')).toMatchObject({ from0: '2027-04-01', to2: '2027-06-10' });
    expect((await send(browser, page, '/me/profile', { from0: '2027-04-02' })).statusCode).toBe(303);
    const after = await stored(who);
    expect(after).toMatchObject({ profile: { availability: [{ from: '2027-04-02', to: '2027-04-10' }, ...windows.slice(1)] } });
  });

  it('offers a worker without a profile an empty form with the defaults, saves it, shows it back and matches jobs against it', async () => {
    const who = worker('w-new');
    const browser = await signIn(who);
    const before = await browser.get('/me/recommendations');
    expect(before.body).toContain('Your profile is empty, so there is nothing to match jobs against yet. <a href="/me/profile">Fill in your profile</a>');

    const page = await browser.get('/me/profile');
    expect(page.statusCode, page.body).toBe(200);
    expect(page.headers['cache-control']).toBe('private, no-store');
    expect(page.body).toContain('<h1>Your profile</h1>');
    expect(page.body).toContain('<p>Tell us what you can do, where and when: the jobs for you are matched to it');
    expect(page.body).not.toContain('Your profile is saved.');
    expect(page.body).not.toContain('role="alert"');
    expect(withoutToken(formValues(page.body, '/me/profile'))).toEqual({
      revision: '-1', name: '', email: '', skills: '', place: '', maxTravelKm: '50', desiredHourlyPay: '', currency: 'USD', experienceYears: '0',
      from0: '', to0: '', from1: '', to1: '', from2: '', to2: '',
    });
    // Every input has its label.
    for (const name of Object.keys(withoutToken(formValues(page.body, '/me/profile'))).filter((n) => n !== 'revision')) expect(page.body, name).toContain(`<label for="f-${name}">`);

    const res = await send(browser, page.body, '/me/profile', workerForm());
    expect(res.statusCode, res.body).toBe(303);
    expect(res.headers.location).toBe('/me/profile?saved=1');
    const saved = await browser.get(res.headers.location!);
    expect(saved.statusCode).toBe(200);
    expect(saved.body).toContain('<p class="notice" role="status">Your profile is saved. <a href="/me/recommendations">See the jobs for you</a>.</p>');
    expect(saved.body).not.toContain('Tell us what you can do');
    expect(withoutToken(formValues(saved.body, '/me/profile'))).toEqual({
      revision: '0', name: 'Robin Okafor', email: 'robin@example.com', skills: 'espresso, first aid', place: `${portland.lat}, ${portland.lon}`, maxTravelKm: '80',
      desiredHourlyPay: '21.5', currency: 'USD', experienceYears: '2.5', from0: '2027-06-01', to0: '2027-09-15', from1: '2027-12-01', to1: '', from2: '', to2: '',
    });
    expect(await stored(who)).toEqual({ profile: workerProfile, revision: 0 });
    // Opened again without ?saved=1: no notice.
    expect(await open(browser, '/me/profile')).not.toContain('Your profile is saved.');

    const after = await browser.get('/me/recommendations');
    expect(after.statusCode).toBe(200);
    expect(after.body).toContain('<h1>Jobs for you</h1>');
    expect(after.body).not.toContain('Your profile is empty');

    // The place may be given as "lat, lon" too; the form as shown saves unchanged but for what is typed over it.
    const again = await send(browser, saved.body, '/me/profile', { place: ' 44.05817 ,-121.31531 ', to1: '2027-12-24' });
    expect(again.statusCode, again.body).toBe(303);
    expect(await stored(who)).toEqual({
      profile: { ...workerProfile, location: { lat: 44.05817, lon: -121.31531 }, availability: [{ from: '2027-06-01', to: '2027-09-15' }, { from: '2027-12-01', to: '2027-12-24' }] },
      revision: 1,
    });
  });

  it('shows the form again with each field at fault named by its label, marked and kept, and writes nothing', async () => {
    const fresh = worker('w-problems');
    const browser = await signIn(fresh);
    const page = await open(browser, '/me/profile');
    const wrong = workerForm({
      name: '  ', email: 'robin@', place: 'Qqqzzz Nowhere', maxTravelKm: '0', desiredHourlyPay: '-1', currency: 'US', experienceYears: '61',
      from0: 'soon', to0: '2027-09-15', from1: '2027-06-02', to1: '2027-06-01', from2: '2027-02-30', to2: '',
    });
    const res = await send(browser, page, '/me/profile', wrong);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('<div class="problems" role="alert">');
    expect(problemsOf(res.body)).toEqual([
      ['name', 'Your name'], ['email', 'E-mail'], ['place', 'Where you live'], ['maxTravelKm', 'How far you travel (km)'], ['desiredHourlyPay', 'Pay you ask per hour'],
      ['currency', 'Currency'], ['experienceYears', 'Years of experience'], ['from0', 'Available from (1)'], ['to1', 'Available until (2)'], ['from2', 'Available from (3)'],
    ]);
    expect(invalidFields(res.body)).toEqual(['name', 'email', 'place', 'maxTravelKm', 'desiredHourlyPay', 'currency', 'experienceYears', 'from0', 'to1', 'from2']);
    expect(res.body).toContain('no town called &quot;Qqqzzz Nowhere&quot; is known');
    expect(res.body).toContain('the last day must not be before the first');
    // What was typed stays, and so does the revision the form was opened at.
    expect(withoutToken(formValues(res.body, '/me/profile'))).toEqual({ revision: '-1', ...wrong });
    expect(res.body).toContain('<p>Tell us what you can do');
    expect(await stored(fresh)).toBe(404);

    // A worker with a profile: a form at fault leaves it as it was; the form put right then saves.
    const held = worker('w-problems-held');
    await put('/v1/me/profile', held, workerProfileExample);
    const before = await stored(held);
    const signedIn = await signIn(held);
    const form = await open(signedIn, '/me/profile');
    const refused = await send(signedIn, form, '/me/profile', { name: 'Changed', email: 'alex@example', maxTravelKm: '20001', desiredHourlyPay: 'lots' });
    expect(refused.statusCode).toBe(400);
    expect(problemsOf(refused.body)).toEqual([['email', 'E-mail'], ['maxTravelKm', 'How far you travel (km)'], ['desiredHourlyPay', 'Pay you ask per hour']]);
    expect(refused.body).not.toContain('Tell us what you can do');
    expect(formValues(refused.body, '/me/profile')).toMatchObject({ revision: '0', name: 'Changed', email: 'alex@example', maxTravelKm: '20001', desiredHourlyPay: 'lots' });
    expect(await stored(held)).toEqual(before);
    const fixed = await send(signedIn, refused.body, '/me/profile', { email: 'alex@example.com', maxTravelKm: '20000', desiredHourlyPay: '' });
    expect(fixed.statusCode, fixed.body).toBe(303);
    const { desiredHourlyPay: _pay, ...rest } = workerProfileExample;
    expect(await stored(held)).toEqual({ profile: { ...rest, name: 'Changed', maxTravelKm: 20_000 }, revision: 1 });
  });

  it('refuses a form opened before the profile changed elsewhere with a 409 that says so, overwrites nothing, and saves from a fresh form', async () => {
    const who = worker('w-stale');
    await put('/v1/me/profile', who, workerProfileExample);
    const browser = await signIn(who);
    const old = await open(browser, '/me/profile');
    expect(formValues(old, '/me/profile').revision).toBe('0');
    await put('/v1/me/profile', who, { ...workerProfileExample, name: 'Changed through the API' });

    const res = await send(browser, old, '/me/profile', { name: 'From the old form' });
    expect(res.statusCode, res.body).toBe(409);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain(changedElsewhere);
    expect(res.body).toContain('<a href="/me/profile">Open your profile as it is now</a>');
    const kept = { profile: { ...workerProfileExample, name: 'Changed through the API' }, revision: 1 };
    expect(await stored(who)).toEqual(kept);

    const fresh = await open(browser, '/me/profile');
    expect(formValues(fresh, '/me/profile')).toMatchObject({ revision: '1', name: 'Changed through the API' });
    expect((await send(browser, fresh, '/me/profile', { name: 'From the fresh form' })).statusCode).toBe(303);
    expect(await stored(who)).toEqual({ profile: { ...workerProfileExample, name: 'From the fresh form' }, revision: 2 });

    // Two empty forms: the first saved makes the second stale.
    const newcomer = worker('w-stale-new');
    const first = await signIn(newcomer);
    const second = await signIn(newcomer);
    const [one, two] = [await open(first, '/me/profile'), await open(second, '/me/profile')];
    expect((await send(first, one, '/me/profile', workerForm())).statusCode).toBe(303);
    const late = await send(second, two, '/me/profile', workerForm({ name: 'Second tab' }));
    expect(late.statusCode).toBe(409);
    expect(late.body).toContain(changedElsewhere);
    expect(await stored(newcomer)).toEqual({ profile: workerProfile, revision: 0 });
  });

  it('saves the first profile of a worker who saved a job and a search before having one', async () => {
    const jobRes = await api('POST', '/v1/jobs', business('b-jobs'), jobExample);
    expect(jobRes.statusCode, jobRes.body).toBe(201);
    const jobId = jobRes.json<{ id: string }>().id;
    const who = worker('w-saved-first');
    expect((await api('PUT', `/v1/me/saved-jobs/${jobId}`, who)).statusCode).toBe(200);
    expect((await api('POST', '/v1/me/saved-searches', who, { name: 'Baristas', query: { text: 'barista' } })).statusCode).toBe(201);
    const browser = await signIn(who);
    const page = await open(browser, '/me/profile');
    expect(page).toContain('Tell us what you can do');
    const res = await send(browser, page, '/me/profile', workerForm());
    expect(res.statusCode, res.body).toBe(303);
    expect(await stored(who)).toMatchObject({ profile: workerProfile });
  });

  it('offers a business without a profile an empty form, saves its name, website and e-mail, and shows them back', async () => {
    const who = business('b-new');
    const browser = await signIn(who);
    const page = await browser.get('/business/profile');
    expect(page.statusCode, page.body).toBe(200);
    expect(page.headers['cache-control']).toBe('private, no-store');
    expect(page.body).toContain('<h1>Your profile</h1>');
    expect(page.body).toContain('<p>Your name is what workers see on your jobs; news of applications is mailed to the address you give.</p>');
    expect(withoutToken(formValues(page.body, '/business/profile'))).toEqual({ revision: '-1', name: '', website: '', email: '' });

    const res = await send(browser, page.body, '/business/profile', { name: ' Lakeside Café ', website: 'https://lakeside.example.com', email: 'jobs@lakeside.example.com' });
    expect(res.statusCode, res.body).toBe(303);
    expect(res.headers.location).toBe('/business/profile?saved=1');
    const saved = await browser.get(res.headers.location!);
    expect(saved.statusCode).toBe(200);
    expect(saved.body).toContain('<p class="notice" role="status">Your profile is saved.</p>');
    expect(saved.body).not.toContain('Your name is what workers see');
    expect(withoutToken(formValues(saved.body, '/business/profile'))).toEqual({ revision: '0', name: 'Lakeside Café', website: 'https://lakeside.example.com', email: 'jobs@lakeside.example.com' });
    expect(await stored(who)).toEqual({ profile: { name: 'Lakeside Café', website: 'https://lakeside.example.com', email: 'jobs@lakeside.example.com' }, revision: 0 });

    // What is emptied on the page is dropped from the profile.
    expect((await send(browser, saved.body, '/business/profile', { website: ' ', email: '' })).statusCode).toBe(303);
    expect(await stored(who)).toEqual({ profile: { name: 'Lakeside Café' }, revision: 1 });
  });

  it('keeps the webhook address set through the API when the page saves the profile, without showing it', async () => {
    const who = business('b-hook');
    const webhookUrl = 'https://hooks.lakeside.example.com/applications';
    await put('/v1/businesses/me/profile', who, { name: 'Lakeside Café', webhookUrl });
    const browser = await signIn(who);
    const page = await open(browser, '/business/profile');
    expect(page).not.toContain('hooks.lakeside.example.com');
    expect(withoutToken(formValues(page, '/business/profile'))).toEqual({ revision: '0', name: 'Lakeside Café', website: '', email: '' });
    const res = await send(browser, page, '/business/profile', { name: 'Lakeside Café & Bar', email: 'jobs@lakeside.example.com' });
    expect(res.statusCode, res.body).toBe(303);
    expect(await stored(who)).toEqual({ profile: { name: 'Lakeside Café & Bar', email: 'jobs@lakeside.example.com', webhookUrl }, revision: 1 });

    // Changed through the API meanwhile: the old form is refused and the new address stays.
    const old = await open(browser, '/business/profile');
    await put('/v1/businesses/me/profile', who, { name: 'Lakeside Café & Bar', webhookUrl: 'https://hooks.lakeside.example.com/v2' });
    const stale = await send(browser, old, '/business/profile', { name: 'Old form' });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain(changedElsewhere);
    expect(stale.body).toContain('<a href="/business/profile">Open your profile as it is now</a>');
    expect(await stored(who)).toEqual({ profile: { name: 'Lakeside Café & Bar', webhookUrl: 'https://hooks.lakeside.example.com/v2' }, revision: 2 });
  });

  it('shows the business form again with a missing name, a bad website or e-mail named, marked and kept, and writes nothing', async () => {
    const who = business('b-problems');
    const browser = await signIn(who);
    const page = await open(browser, '/business/profile');
    const wrong = { name: '', website: 'lakeside.example.com', email: 'jobs@lakeside' };
    const res = await send(browser, page, '/business/profile', wrong);
    expect(res.statusCode, res.body).toBe(400);
    expect(problemsOf(res.body)).toEqual([['name', 'Business name'], ['website', 'Website'], ['email', 'E-mail for applications']]);
    expect(invalidFields(res.body)).toEqual(['name', 'website', 'email']);
    expect(res.body).toContain('an address like https://lakeside.example.com');
    expect(withoutToken(formValues(res.body, '/business/profile'))).toEqual({ revision: '-1', ...wrong });
    expect(await stored(who)).toBe(404);

    await put('/v1/businesses/me/profile', who, { name: 'Lakeside Café' });
    const form = await open(browser, '/business/profile');
    const bad = await send(browser, form, '/business/profile', { website: 'ftp://lakeside.example.com', email: 'a@b.c' });
    expect(bad.statusCode).toBe(400);
    expect(problemsOf(bad.body)).toEqual([['website', 'Website'], ['email', 'E-mail for applications']]);
    expect(formValues(bad.body, '/business/profile')).toMatchObject({ revision: '0', name: 'Lakeside Café', website: 'ftp://lakeside.example.com', email: 'a@b.c' });
    expect(await stored(who)).toEqual({ profile: { name: 'Lakeside Café' }, revision: 0 });
  });

  it('sends a visitor who is not signed in to sign in, and refuses the other role’s profile page with a 403', async () => {
    const anonymous = new Browser(t.app);
    for (const path of ['/me/profile', '/business/profile', '/me/profile?saved=1']) {
      const res = await anonymous.get(path);
      expect(res.statusCode, path).toBe(303);
      expect(res.headers.location, path).toBe(`/sign-in?next=${encodeURIComponent(path)}`);
    }
    const w = worker('w-gate');
    const b = business('b-gate');
    const asWorker = await signIn(w);
    const asBusiness = await signIn(b);
    const workerPage = await asWorker.get('/business/profile');
    expect(workerPage.statusCode).toBe(403);
    expect(workerPage.body).toContain('These pages are for businesses: you are signed in as a worker.');
    const businessPage = await asBusiness.get('/me/profile');
    expect(businessPage.statusCode).toBe(403);
    expect(businessPage.body).toContain('These pages are for workers: you are signed in as a business.');
    // Nor may they post the other's form, even with a good form token.
    const workerToken = csrfOf(await open(asWorker, '/me/profile'));
    expect((await asWorker.post('/business/profile', { _csrf: workerToken, revision: '-1', name: 'Worker Inc' })).statusCode).toBe(403);
    const businessToken = csrfOf(await open(asBusiness, '/business/profile'));
    expect((await asBusiness.post('/me/profile', { _csrf: businessToken, revision: '-1', ...workerForm() })).statusCode).toBe(403);
    expect(await stored(w)).toBe(404);
    expect(await stored(b)).toBe(404);
    // The menu of each role offers its own profile page only.
    expect(await open(asWorker, '/me/saved-jobs')).toContain('<li><a href="/me/profile">Your profile</a></li>');
    expect(await open(asWorker, '/me/saved-jobs')).not.toContain('href="/business/profile"');
    expect(await open(asBusiness, '/business')).toContain('<li><a href="/business/profile">Your profile</a></li>');
    expect(await open(asBusiness, '/business')).not.toContain('href="/me/profile"');
  });

  it('refuses a profile form without its CSRF token, with a wrong one or another visitor’s, with a 403, and writes nothing', async () => {
    const w = worker('w-csrf');
    const b = business('b-csrf');
    const asWorker = await signIn(w);
    const asBusiness = await signIn(b);
    const theirs = csrfOf(await open(await signIn(worker('w-csrf-other')), '/me/profile'));
    const attempts: Array<Record<string, string>> = [{}, { _csrf: 'wrong' }, { _csrf: theirs }];
    for (const fields of attempts) {
      for (const [browser, path, values] of [[asWorker, '/me/profile', workerForm()], [asBusiness, '/business/profile', { name: 'Lakeside Café' }]] as const) {
        const res = await browser.post(path, { ...fields, revision: '-1', ...values });
        expect(res.statusCode, `${path} ${JSON.stringify(fields)}`).toBe(403);
        expect(res.headers['content-type']).toMatch(/^text\/html/);
        expect(res.body).toContain(csrfRefused);
      }
    }
    // The right token without the cookie it was made for.
    const page = await open(asWorker, '/me/profile');
    const secret = asWorker.jar.get('_csrf')!;
    asWorker.jar.delete('_csrf');
    expect((await send(asWorker, page, '/me/profile', workerForm())).statusCode).toBe(403);
    asWorker.jar.set('_csrf', secret);
    expect(await stored(w)).toBe(404);
    expect(await stored(b)).toBe(404);
    // The same form with its token saves.
    expect((await send(asWorker, page, '/me/profile', workerForm())).statusCode).toBe(303);
  });

  it('never shows what a worker or a business typed as markup, and marks “Your profile” as the page it is on', async () => {
    const who = worker('w-hostile');
    const browser = await signIn(who);
    let page = await open(browser, '/me/profile');
    expect(page).toContain('<a href="/me/profile" aria-current="page">Your profile</a>');
    expect(page).toContain('<a href="/me/saved-jobs">Saved jobs</a>');
    // Refused: the place is named in the problem, escaped.
    const refused = await send(browser, page, '/me/profile', workerForm({ name: `Robin ${hostileMessage}`, skills: `${hostile}, espresso`, place: hostile }));
    expect(refused.statusCode).toBe(400);
    expect(refused.body).not.toMatch(rawMarkup);
    expect(refused.body).toContain(`no town called &quot;${escapedHostile}&quot; is known`);
    expect(formValues(refused.body, '/me/profile')).toMatchObject({ name: `Robin ${hostileMessage}`, skills: `${hostile}, espresso`, place: hostile });
    const res = await send(browser, refused.body, '/me/profile', { place: 'Portland, OR' });
    expect(res.statusCode, res.body).toBe(303);
    page = await open(browser, res.headers.location!);
    expect(page).not.toMatch(rawMarkup);
    expect(page).toContain('<a href="/me/profile" aria-current="page">Your profile</a>');
    expect(formValues(page, '/me/profile')).toMatchObject({ name: `Robin ${hostileMessage}`, skills: `${hostile}, espresso` });
    expect(await stored(who)).toMatchObject({ profile: { name: `Robin ${hostileMessage}`, skills: [hostile, 'espresso'] } });

    const owner = business('b-hostile');
    await put('/v1/businesses/me/profile', owner, { name: `Lakeside ${hostileMessage}`, website: 'https://lakeside.example.com/?q=<b>bold</b>' });
    const asBusiness = await signIn(owner);
    const businessPage = await open(asBusiness, '/business/profile');
    expect(businessPage).not.toMatch(rawMarkup);
    expect(businessPage).toContain('<a href="/business/profile" aria-current="page">Your profile</a>');
    expect(businessPage).toContain('<a href="/business">Your jobs</a>');
    expect(formValues(businessPage, '/business/profile')).toMatchObject({ name: `Lakeside ${hostileMessage}`, website: 'https://lakeside.example.com/?q=<b>bold</b>' });
    const bad = await send(asBusiness, businessPage, '/business/profile', { name: hostile, website: hostile, email: hostile });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).not.toMatch(rawMarkup);
    expect(bad.body).toContain(`value="${escapedHostile}"`);
  });
});
