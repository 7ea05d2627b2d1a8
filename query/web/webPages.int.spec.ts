import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobExample } from '../../command/http/examples.ts';
import type { FullApp } from '../../tests/support/fullApp.ts';
import { startFullApp } from '../../tests/support/fullApp.ts';

const business = { role: 'business', sub: 'b-web' } as const;
const { publish: _publish, ...draftExample } = jobExample;

const jsonLdOf = (html: string): unknown => {
  const m = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(html);
  if (!m?.[1]) throw new Error('no JSON-LD in the page');
  return JSON.parse(m[1]);
};
const count = (html: string, s: string) => html.split(s).length - 1;

describe.each(['embedded', 'server'] as const)('web pages (%s mode)', (mode) => {
  let t: FullApp;
  let last = 0;
  beforeAll(async () => {
    // Reads wait for the projector (minPosition) longer than the default: a loaded machine may take seconds.
    t = await startFullApp(mode, { minPositionWaitMs: 15_000 });
    t.clock.now = new Date('2027-03-01T12:00:00Z');
  });
  afterAll(async () => t?.close());

  const post = async (url: string, payload: unknown) => {
    const res = await t.app.inject({ method: 'POST', url, payload: payload as Record<string, unknown>, headers: await t.auth(business) });
    expect(res.statusCode, res.body).toBeLessThan(300);
    const body = res.json<{ id?: string; position: number }>();
    last = Math.max(last, body.position);
    return body;
  };
  const createJob = async (changes: Record<string, unknown> = {}) => (await post('/v1/jobs', { ...jobExample, ...changes })).id!;
  // Pages read what the projector has applied: wait for the last write through the API's minPosition.
  const settled = async () => expect((await t.app.inject(`/v1/search?size=1&minPosition=${last}`)).statusCode).toBe(200);
  const page = async (url: string) => {
    await settled();
    return t.app.inject(url);
  };

  it('the home page is a labelled search form over the open jobs, in HTML with a strict CSP and a cacheable stylesheet', async () => {
    const id = await createJob({ title: 'Marina Dockhand' });
    const res = await page('/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    const html = res.body;
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
    for (const field of ['q', 'place', 'radius', 'payMin', 'remote', 'posted', 'sort']) expect(html).toContain(`<label for="f-${field}">`);
    expect(html).toContain(`href="/jobs/${id}"`);
    expect(html).toContain('<link rel="canonical" href="http://127.0.0.1/">');
    const css = /<link rel="stylesheet" href="(\/assets\/site\.[0-9a-f]{12}\.css)">/.exec(html)?.[1];
    const sheet = await t.app.inject(css!);
    expect(sheet.statusCode).toBe(200);
    expect(sheet.headers['cache-control']).toContain('immutable');
    expect((await t.app.inject('/assets/site.000000000000.css')).statusCode).toBe(404);
  });

  it('shows skill, city, remote and posted facets as escaped links that add the filter, and on the filtered page remove it', async () => {
    const city = 'Lac <b>Vert</b> & "Co"';
    const id = await createJob({ title: 'Zephyrcanoe guide', skills: ['knots & <ropes>'], remote: false, location: { ...jobExample.location, city } });
    await createJob({ title: 'Zephyrcanoe remote planner', remote: true });
    const html = (await page('/?q=zephyrcanoe')).body;
    expect(html).not.toContain('<b>Vert');
    const cityLink = /<a href="([^"]+)">Lac &lt;b&gt;Vert&lt;\/b&gt; &amp; &quot;Co&quot;<\/a> <span class="count">\(1\)<\/span>/.exec(html)?.[1];
    expect(cityLink).toBeDefined();
    expect(html).toMatch(/<a href="[^"]+">knots &amp; &lt;ropes&gt;<\/a> <span class="count">\(1\)<\/span>/);
    expect(html).toMatch(/<a href="\/\?q=zephyrcanoe&amp;remote=only">Remote<\/a> <span class="count">\(1\)<\/span>/);
    expect(html).toMatch(/<a href="\/\?q=zephyrcanoe&amp;posted=1">Last 24 hours<\/a> <span class="count">\(2\)<\/span>/);
    const filtered = (await page(cityLink!.replace(/&amp;/g, '&'))).body;
    expect(filtered).toContain(`href="/jobs/${id}"`);
    expect(filtered).not.toContain('Zephyrcanoe remote planner');
    // the filter stays in the form, and its facet link (still counted: a facet ignores its own filter) drops it
    expect(filtered).toMatch(/<input type="checkbox" name="city" value="[^"]+" checked>/);
    expect(filtered).toMatch(/<a href="\/\?q=zephyrcanoe" aria-current="true" class="selected">[^<]*Vert[^<]*<\/a>/);
  });

  it('text search shows highlighted, escaped titles, pay, place, distance and facet counts as links that filter', async () => {
    const id = await createJob({ title: 'Kayak <b>rental</b> & "tours" helper', category: 'tourism' });
    await createJob({ title: 'Kayak repair', category: 'outdoor', employmentType: 'hourly' });
    const res = await page('/?q=kayak&place=Reno%2C+NV&radius=100');
    expect(res.statusCode, res.body).toBe(200);
    const html = res.body;
    // The stores escape before they highlight (the engine writes '/' as &#x2F;); the page keeps only the <em> tags.
    expect(html).toMatch(/<em>Kayak<\/em> &lt;b&gt;rental&lt;(?:\/|&#x2F;)b&gt; &amp; &quot;tours&quot; helper/);
    expect(html).not.toContain('<b>rental');
    expect(html).toContain('$16–$19.50 per hour');
    expect(html).toContain('Tahoe City, US');
    expect(html).toMatch(/\d+ km away/);
    expect(html).toContain('Jobs for “kayak” near Reno, NV');
    const tourism = /<a href="([^"]+)">Tourism<\/a> <span class="count">\(1\)<\/span>/.exec(html)?.[1];
    expect(tourism).toBe('/?q=kayak&amp;place=Reno%2C+NV&amp;radius=100&amp;category=tourism');
    const filtered = await page(tourism!.replace(/&amp;/g, '&'));
    expect(filtered.body).toContain(`href="/jobs/${id}"`);
    expect(filtered.body).not.toContain('Kayak repair');
    expect(filtered.body).toContain('<input type="checkbox" name="category" value="tourism" checked>');
  });

  it('pages through results with a cursor link and shows each job once', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 23; i++) ids.add(await createJob({ title: `Orchard picker ${i}` }));
    const first = await page('/?q=orchard&sort=newest');
    const next = /<a rel="next" href="([^"]+)">/.exec(first.body)?.[1]?.replace(/&amp;/g, '&');
    expect(next).toMatch(/cursor=/);
    const second = await page(next!);
    expect(second.statusCode).toBe(200);
    const linked = (html: string) => [...html.matchAll(/<h3><a href="\/jobs\/([^"]+)">/g)].map((m) => m[1]);
    const seen = [...linked(first.body), ...linked(second.body)];
    expect(new Set(seen)).toEqual(ids);
    expect(seen).toHaveLength(23);
    expect(second.body).toContain('>First page</a>');
    expect(second.body).not.toContain('rel="next"');
  });

  it('answers bad form input with a 400 page naming the field, never a 500', async () => {
    const pay = await page('/?payMin=abc');
    expect(pay.statusCode).toBe(400);
    expect(pay.body).toContain('<a href="#f-payMin">Pay per hour at least</a>: must be a number');
    expect(pay.body).toMatch(/id="f-payMin"[^>]*aria-invalid="true"/);
    const place = await page('/?place=Qqqzzz+Nowhere');
    expect(place.statusCode).toBe(400);
    expect(place.body).toContain('no place called &quot;Qqqzzz Nowhere&quot; is known');
    expect((await page('/?sort=distance')).body).toContain('sorting by distance needs a place');
    const cursor = await page('/?q=orchard&cursor=not-a-cursor');
    expect(cursor.statusCode).toBe(400);
    expect(cursor.body).toContain('this page link is out of date');
    const unknown = await page('/?q=x&admin=1');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.headers['content-type']).toMatch(/^text\/html/);
    expect(unknown.body).toContain('admin');
  });

  it('a job page holds everything shown by the API, its JobPosting JSON-LD equal to the API answer, canonical URL and Open Graph tags', async () => {
    const id = await createJob({ title: 'Lift operator' });
    const res = await page(`/jobs/${id}`);
    expect(res.statusCode).toBe(200);
    const html = res.body;
    const ld = await t.app.inject({ url: `/v1/jobs/${id}`, headers: { accept: 'application/ld+json' } });
    expect(jsonLdOf(html)).toEqual(ld.json());
    expect(html).toContain(`<link rel="canonical" href="http://127.0.0.1/jobs/${id}">`);
    expect(html).toContain('<meta property="og:title" content="Lift operator · Tahoe City, US">');
    expect(html).toMatch(/<meta name="description" content="Lift operator, Tahoe City, US\. \$16–\$19\.50 per hour\. Pull espresso/);
    expect(html).toContain('<title>Lift operator · Tahoe City, US · ');
    for (const text of ['Espresso', 'Customer service', '30', '1 Jun 2027 to 15 Sep 2027', '31 May 2027', 'None needed']) expect(html).toContain(text);
    expect(html).not.toContain('noindex');
  });

  it('a closed job answers 410 with similar open jobs; a draft and an unknown id answer 404', async () => {
    const open = await createJob({ title: 'Snack bar attendant', category: 'food_service' });
    const closed = await createJob({ title: 'Ice cream scooper', category: 'food_service' });
    await post(`/v1/jobs/${closed}/close`, { reason: 'filled' });
    const gone = await page(`/jobs/${closed}`);
    expect(gone.statusCode).toBe(410);
    expect(gone.body).toContain('<strong>Ice cream scooper</strong> (Tahoe City, US) has been filled.');
    expect(gone.body).toContain('Similar open jobs');
    expect(gone.body).toContain(`href="/jobs/${open}"`);
    expect(gone.body).toContain('noindex');
    expect(gone.body).toContain('<a href="/?category=food_service">More food service jobs</a>');
    const draft = (await post('/v1/jobs', draftExample)).id!;
    expect((await page(`/jobs/${draft}`)).statusCode).toBe(404);
    expect((await page('/jobs/no-such-job')).statusCode).toBe(404);
  });

  it('answers an unknown address with a 404 page for a browser, and the API\'s JSON 404 for the API and for other clients', async () => {
    const html = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };
    for (const url of ['/no-such-page', '/jobs', '/me/nothing/here?x=<b>', '/business/jobs/a/b/c']) {
      const res = await t.app.inject({ url, headers: html });
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type'], url).toMatch(/^text\/html/);
      expect(res.body, url).toContain('There is no page at this address.');
      expect(res.body, url).toContain('<a href="/">Search jobs</a>');
      expect(res.body, url).not.toContain('<b>');
    }
    for (const [url, headers] of [['/v1/no-such-route', html], ['/no-such-page', { accept: 'application/json' }], ['/no-such-page', {}]] as const) {
      const res = await t.app.inject({ url, headers });
      expect(res.statusCode, url).toBe(404);
      expect(res.json(), url).toEqual({ statusCode: 404, code: 'route_not_found', error: 'Not Found', message: `route GET ${url} not found` });
    }
  });

  it('an open job past its expiry is expired before the sweep records it: 410 from the API and the page, no applying', async () => {
    const id = await createJob({ title: 'Brief harbour job', publish: { expiresAt: '2027-03-02T12:00:00Z' } });
    expect((await page(`/jobs/${id}`)).statusCode).toBe(200);
    t.clock.now = new Date('2027-03-02T12:00:01Z');
    try {
      const api = await t.app.inject(`/v1/jobs/${id}`);
      expect(api.statusCode).toBe(410);
      expect(api.json()).toMatchObject({ code: 'job_closed', details: { reason: 'expired' } });
      const gone = await t.app.inject(`/jobs/${id}`);
      expect(gone.statusCode).toBe(410);
      expect(gone.body).toContain('<strong>Brief harbour job</strong> (Tahoe City, US) has expired.');
      const applied = await t.app.inject({ method: 'POST', url: `/v1/jobs/${id}/applications`, payload: {}, headers: await t.auth({ role: 'worker', sub: 'w-late' }) });
      expect(applied.statusCode).toBe(422);
      expect(applied.json()).toMatchObject({ code: 'job_not_open', message: 'the job is expired' });
      // Its owner still reads it, to reopen or look back.
      expect((await t.app.inject({ url: `/v1/jobs/${id}`, headers: await t.auth(business) })).statusCode).toBe(200);
    } finally {
      t.clock.now = new Date('2027-03-01T12:00:00Z');
    }
  });

  it('sitemap.xml lists the open jobs and no draft or closed one; robots.txt points to it', async () => {
    const open = await createJob({ title: 'Sitemap open job' });
    const closed = await createJob({ title: 'Sitemap closed job' });
    await post(`/v1/jobs/${closed}/close`, { reason: 'withdrawn' });
    const draft = (await post('/v1/jobs', draftExample)).id!;
    await settled();
    // A fresh app: the sitemap is built once and kept for ten minutes.
    const res = await t.app.inject('/sitemap.xml');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/xml/);
    expect(res.body).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<urlset xmlns="http:\/\/www.sitemaps.org\/schemas\/sitemap\/0.9">/);
    expect(res.body).toContain(`<loc>http://127.0.0.1/jobs/${open}</loc>`);
    expect(res.body).not.toContain(closed);
    expect(res.body).not.toContain(draft);
    const open2 = await t.app.inject('/v1/search?size=1');
    expect(count(res.body, '<url>')).toBe(open2.json<{ total: number }>().total);
    expect((await t.app.inject('/robots.txt')).body).toContain('Sitemap: http://127.0.0.1/sitemap.xml');
  });

  it('the map page opens on a named place with the filters the API reads, and loads a bundled script and offline outlines', async () => {
    await createJob({ title: 'Kayak guide on the map', category: 'tourism' });
    const res = await page('/map?q=kayak&category=tourism&place=Reno%2C+NV&lat=&lon=&z=');
    expect(res.statusCode, res.body).toBe(200);
    const attr = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(res.body)?.[1]?.replace(/&amp;/g, '&');
    expect(attr('data-filters')).toBe('text=kayak&category=tourism');
    expect(Number(attr('data-lat'))).toBeCloseTo(39.53, 1);
    expect(attr('data-zoom')).toBe('10');
    expect(res.body).toContain('<input type="checkbox" name="category" value="tourism" checked>');
    expect(res.body).toContain('<a href="/?q=kayak&amp;category=tourism&amp;place=Reno%2C+NV">List these jobs</a>');
    const script = await t.app.inject(/<script src="(\/assets\/map\.[0-9a-f]{12}\.js)" defer>/.exec(res.body)![1]!);
    expect(script.headers['content-type']).toMatch(/^text\/javascript/);
    expect(script.headers['cache-control']).toContain('immutable');
    expect(script.body).toContain('/v1/map?');
    for (const outline of [attr('data-countries'), attr('data-states')]) {
      const topo = await t.app.inject(outline!);
      expect(topo.json<{ type: string }>().type).toBe('Topology');
    }
    // What the script asks for the opening view is answered, with the job in it.
    const asked = await t.app.inject(`/v1/map?${attr('data-filters')}&bbox=-121,38,-119,40&zoom=8`);
    expect(asked.json<{ total: number }>().total).toBeGreaterThanOrEqual(1);
    // A viewport in the address wins over the place; a bad filter is a 400 page.
    const kept = await page('/map?place=Reno%2C+NV&lat=10&lon=20&z=5');
    expect(kept.body).toMatch(/data-lat="10" data-lon="20" data-zoom="5"/);
    const bad = await page('/map?payMin=lots');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Pay per hour at least</a>: must be a number');
  });

  it('no value a business writes reaches a page unescaped (property)', async () => {
    const hostile = fc.tuple(fc.string({ maxLength: 20 }), fc.constantFrom('<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "'; x='", '</title><h1>', '&lt;', '<em>')).map(([s, attack]) => `${s}${attack}`);
    const plain = (s: string) => s.replace(/[<>&"']/g, 'x');
    await fc.assert(
      fc.asyncProperty(hostile, hostile, hostile, async (title, description, city) => {
        const content = (f: (s: string) => string) => ({
          title: `${f(title)} lifeguard`.trim() || 'lifeguard',
          description: `${f(description)} Watch the pool.`,
          location: { ...jobExample.location, city: f(city).trim() || 'x' },
        });
        const attacked = await createJob(content((s) => s));
        const harmless = await createJob(content(plain));
        const [a, b] = [await page(`/jobs/${attacked}`), await page(`/jobs/${harmless}`)];
        expect(a.statusCode).toBe(200);
        // Markup is the template's alone: as many tags as with the values made harmless.
        expect(count(a.body, '<')).toBe(count(b.body, '<'));
        const ld = await t.app.inject({ url: `/v1/jobs/${attacked}`, headers: { accept: 'application/ld+json' } });
        expect(jsonLdOf(a.body)).toEqual(ld.json());
        const search = await page('/?q=lifeguard&sort=newest');
        expect(search.body).not.toMatch(/<script>alert|<img src=x|<\/title><h1>/);
      }),
      { numRuns: mode === 'embedded' ? 12 : 4 },
    );
  });
});
