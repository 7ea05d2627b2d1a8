// The signed-in worker's pages in a real Chromium against the whole service
// (embedded mode, demo data, listening on loopback), clicked through as a
// person would: sign in with the demo picker, search, save a job, apply, read
// the jobs matched to the profile, save a search and get its alert. Every page
// visited is checked with axe (WCAG 2.1 A/AA, serious and critical), and each
// test leaves a screenshot of its last page under tests/artifacts.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobExample, workerProfileExample } from '../../command/http/examples.ts';
import { loadConfig } from '../../ops/config.ts';
import type { RunningServer } from '../../ops/startServer.ts';
import { startServer } from '../../ops/startServer.ts';
import { checkA11y } from '../support/axe.ts';
import type { WatchedPage } from '../support/browser.ts';
import { launchChromium, watchedPage } from '../support/browser.ts';
import type { TestSmtpServer } from '../support/smtpServer.ts';
import { startSmtpServer } from '../support/smtpServer.ts';

const artifacts = fileURLToPath(new URL('../artifacts/', import.meta.url));
const day = 86_400_000;
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe('the worker pages in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let business: Record<string, string>;
  let worker: Record<string, string>;
  let smtp: TestSmtpServer;
  const dir = mkdtempSync(join(tmpdir(), 'worker-e2e-'));

  beforeAll(async () => {
    // Mail goes to an SMTP server on loopback, as it would to the operator's.
    smtp = await startSmtpServer();
    server = await startServer(
      loadConfig({ DATA_DIR: dir, PORT: '0', SEED: 'true', SEED_JOBS: '300', LOG_LEVEL: 'silent', SCHEDULER: 'off', RATE_LIMIT: 'off', AUTH_SECRET: 'worker-e2e-secret-worker-e2e-secret-0123', SMTP_URL: smtp.url, NOTIFY_RETRY_INITIAL_MS: '50' }),
      { quiet: true, handleSignals: false },
    );
    const bearer = async (role: 'business' | 'worker', sub: string) => ({ authorization: `Bearer ${await server.runtime.tokens.sign({ role, sub })}`, 'content-type': 'application/json' });
    business = await bearer('business', 'b-workflows');
    worker = await bearer('worker', 'w00001');
    mkdirSync(artifacts, { recursive: true });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await smtp?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A business posts and publishes a job through the API; it returns once search can find it. */
  async function publishJob(title: string, description: string): Promise<string> {
    const now = Date.now();
    const { publish: _publish, ...content } = jobExample;
    const created = await fetch(`${server.url}/v1/jobs`, { method: 'POST', headers: business, body: JSON.stringify({ ...content, title, description, startDate: isoDate(now + 30 * day), endDate: isoDate(now + 120 * day) }) });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const published = await fetch(`${server.url}/v1/jobs/${id}/publish`, { method: 'POST', headers: business, body: JSON.stringify({ expiresAt: new Date(now + 60 * day).toISOString() }) });
    expect(published.status).toBe(200);
    const { position } = (await published.json()) as { position: number };
    expect((await fetch(`${server.url}/v1/jobs/${id}?minPosition=${position}`)).status).toBe(200);
    return id;
  }

  const open = () => watchedPage(browser, server.url);

  /** What a person using assistive technology would hit on the page as it is now. */
  async function accessible(page: Page): Promise<void> {
    expect(await checkA11y(page), `accessibility of ${page.url()}`).toEqual([]);
  }

  /** The last page as the person saw it, and nothing they could not see went wrong. */
  async function finish({ page, errors, external }: WatchedPage, testName: string): Promise<void> {
    const name = testName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 100);
    await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
    expect(errors).toEqual([]);
    expect(external).toEqual([]);
    await page.context().close();
  }

  async function signInAsDemoWorker(page: Page): Promise<void> {
    await page.goto(`${server.url}/`);
    await page.getByRole('link', { name: 'Sign in', exact: true }).click();
    await page.waitForURL(/\/sign-in$/);
    await accessible(page);
    await page.getByRole('button', { name: 'Sign in as the demo worker (w00001)' }).click();
    await page.waitForURL(/\/me\/saved-jobs$/);
    expect(await page.locator('header.site .account').innerText()).toContain('Signed in as w00001 (worker)');
    await accessible(page);
  }

  async function search(page: Page, words: string): Promise<void> {
    await page.getByRole('link', { name: 'Search jobs' }).click();
    await page.waitForURL(`${server.url}/`);
    await page.getByLabel('What').fill(words);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForURL(/\/\?/);
    expect(await page.locator('h1').innerText()).toBe(`Jobs for “${words}”`);
    await accessible(page);
  }

  const accountNav = (page: Page) => page.getByRole('navigation', { name: 'Your account' });

  it('saves a job from its page, finds it on "Saved jobs" and removes it there', async ({ task }) => {
    const title = 'Glacier kayak guide';
    const jobId = await publishJob(title, 'Lead small groups of paddlers along the glacier lake shore on calm summer mornings.');
    const watched = await open();
    const { page } = watched;
    await signInAsDemoWorker(page);
    const savedBefore = await page.locator('ul.rows > li').count();

    await search(page, 'glacier kayak');
    await page.locator('ol.cards').getByRole('link', { name: title }).click();
    await page.waitForURL(`${server.url}/jobs/${jobId}`);
    expect(await page.locator('h1').innerText()).toBe(title);
    await accessible(page);

    await page.getByRole('button', { name: 'Save job' }).click();
    await page.waitForURL(/\/me\/saved-jobs\?after=\d+$/);
    expect(await page.locator('h1').innerText()).toBe('Saved jobs');
    const rows = page.locator('ul.rows > li');
    expect(await rows.count()).toBe(savedBefore + 1);
    const row = rows.filter({ has: page.getByRole('link', { name: title }) });
    expect(await row.locator('.meta').innerText()).toMatch(/^Tahoe City · \$16–\$19\.50 per hour · Open · saved \S/);
    await accessible(page);

    await page.getByRole('button', { name: `Remove ${title} from saved jobs` }).click();
    await page.waitForURL(/\/me\/saved-jobs\?after=\d+$/);
    expect(await rows.count()).toBe(savedBefore);
    expect(await page.getByRole('link', { name: title }).count()).toBe(0);
    await accessible(page);
    await finish(watched, task.name);
  });

  it('applies with a message to a job a business posted; the worker sees it on "Your applications" and the business sees the applicant', async ({ task }) => {
    const title = 'Orchard ladder picker';
    const message = 'I picked cherries for three seasons and have my own ladder.';
    const jobId = await publishJob(title, 'Pick apples and pears from ladders in a family orchard through the autumn harvest.');
    const watched = await open();
    const { page } = watched;
    await signInAsDemoWorker(page);

    await search(page, 'orchard ladder');
    await page.locator('ol.cards').getByRole('link', { name: title }).click();
    await page.waitForURL(`${server.url}/jobs/${jobId}`);
    await accessible(page);
    await page.getByLabel('Message to the business (optional)').fill(message);
    await page.getByRole('button', { name: 'Apply', exact: true }).click();

    await page.waitForURL(/\/me\/applications\?after=\d+$/);
    expect(await page.locator('h1').innerText()).toBe('Your applications');
    const row = page.locator('ul.rows > li').filter({ has: page.getByRole('link', { name: title }) });
    expect(await row.count()).toBe(1);
    expect(await row.locator('blockquote').innerText()).toBe(message);
    expect(await row.locator('.status').innerText()).toBe('Sent, not yet read');
    expect(await row.getByRole('button', { name: `Withdraw your application to ${title}` }).count()).toBe(1);
    await accessible(page);

    // The job page now tells the worker they applied instead of offering the form again.
    await row.getByRole('link', { name: title }).click();
    await page.waitForURL(`${server.url}/jobs/${jobId}`);
    expect(await page.locator('.applied').innerText()).toMatch(/^You applied .+: Submitted\. Your applications$/);
    expect(await page.getByRole('button', { name: 'Apply', exact: true }).count()).toBe(0);
    await accessible(page);

    const applicants = await fetch(`${server.url}/v1/jobs/${jobId}/applications`, { headers: business });
    expect(applicants.status).toBe(200);
    const { items } = (await applicants.json()) as { items: Array<{ workerId: string; status: string; message?: string }> };
    expect(items.map(({ workerId, status, message: m }) => ({ workerId, status, message: m }))).toEqual([{ workerId: 'w00001', status: 'submitted', message }]);
    await finish(watched, task.name);
  });

  it('shows "Jobs for you" with the scores and factors the match API gives for the same jobs', async ({ task }) => {
    // The demo data gives w00001 a profile far from most of its 300 jobs; one near Tahoe makes the page show several matches of different kinds.
    const now = Date.now();
    const profile = { ...workerProfileExample, availability: [{ from: isoDate(now + 20 * day), to: isoDate(now + 100 * day) }] };
    expect((await fetch(`${server.url}/v1/me/profile`, { method: 'PUT', headers: worker, body: JSON.stringify(profile) })).status).toBe(200);
    await publishJob('Lakeside espresso barista', 'Pull espresso shots for walkers and cyclists at a cafe on the lake path.');
    const watched = await open();
    const { page } = watched;
    await signInAsDemoWorker(page);
    await accountNav(page).getByRole('link', { name: 'Jobs for you' }).click();
    await page.waitForURL(/\/me\/recommendations$/);
    expect(await page.locator('h1').innerText()).toBe('Jobs for you');
    expect(await accountNav(page).locator('[aria-current=page]').innerText()).toBe('Jobs for you');

    const cards = page.locator('li.recommendation');
    const shown = [];
    for (const card of await cards.all()) {
      const [names, values] = [await card.locator('table.factors tbody th').allInnerTexts(), await card.locator('table.factors td.factor-value').allInnerTexts()];
      shown.push({ jobId: (await card.getAttribute('data-job-id')) ?? '', score: await card.locator('.score-value').innerText(), factors: names.map((name, i) => [name, values[i]]) });
    }
    // The page lists what the API recommends, in its order (a business's jobs are capped per page, so the new one may give way to its others).
    const api = (await (await fetch(`${server.url}/v1/me/recommendations?size=20`, { headers: worker })).json()) as { items: Array<{ job: { jobId: string } }> };
    expect(shown.map((s) => s.jobId)).toEqual(api.items.map((i) => i.job.jobId));
    expect(shown.length).toBeGreaterThan(1);
    await accessible(page);

    const answer = await fetch(`${server.url}/v1/match`, { method: 'POST', headers: worker, body: JSON.stringify({ jobIds: shown.map((s) => s.jobId) }) });
    expect(answer.status).toBe(200);
    type Factors = Record<'skills' | 'distance' | 'pay' | 'availability' | 'experience', number>;
    const { results, missing } = (await answer.json()) as { results: Array<{ jobId: string; score: number; factors: Factors }>; missing: string[] };
    expect(missing).toEqual([]);
    const pct = (x: number) => `${Math.round(x * 100)}%`;
    expect(shown).toEqual(
      results.map((r) => ({
        jobId: r.jobId,
        score: `${Math.round(r.score)} / 100`,
        factors: [['Skills', pct(r.factors.skills)], ['Distance', pct(r.factors.distance)], ['Pay', pct(r.factors.pay)], ['Availability', pct(r.factors.availability)], ['Experience', pct(r.factors.experience)]],
      })),
    );
    // Best first, as the page promises.
    const scores = results.map((r) => r.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    await finish(watched, task.name);
  });

  it('saves a search with alerts at once; a job published later that matches it is listed on "Notifications" and mailed', async ({ task }) => {
    const address = 'w00001.alerts@example.com';
    expect((await fetch(`${server.url}/v1/me/profile`, { method: 'PUT', headers: worker, body: JSON.stringify({ ...workerProfileExample, email: address }) })).status).toBe(200);
    const watched = await open();
    const { page } = watched;
    await signInAsDemoWorker(page);
    await search(page, 'snowcat');
    expect(await page.locator('#results-title').innerText()).toBe('0 jobs');
    await page.getByLabel('Save this search as').fill('Snowcat driving');
    await page.getByLabel('Alerts').selectOption({ label: 'At once, for each new job' });
    await page.getByRole('button', { name: 'Save this search' }).click();

    await page.waitForURL(/\/me\/saved-searches\?after=\d+$/);
    expect(await page.locator('h1').innerText()).toBe('Saved searches');
    const row = page.locator('ul.rows > li').filter({ has: page.getByRole('heading', { name: 'Snowcat driving', exact: true }) });
    expect(await row.count()).toBe(1);
    expect(await row.locator('.meta').innerText()).toBe('“snowcat”');
    expect(await row.locator('select[name=alertFrequency] option:checked').innerText()).toBe('At once, for each new job');
    const run = new URL((await row.getByRole('link', { name: 'Run this search' }).getAttribute('href')) ?? '', server.url);
    expect([run.pathname, run.searchParams.get('q')]).toEqual(['/', 'snowcat']);
    await accessible(page);

    const jobId = await publishJob('Snowcat driver', 'Groom the ski runs at night in a snowcat; training given to careful drivers.');
    await accountNav(page).getByRole('link', { name: 'Notifications' }).click();
    await page.waitForURL(/\/me\/notifications$/);
    const alert = page.getByRole('link', { name: 'New job for Snowcat driving: Snowcat driver in Tahoe City' });
    // The outbox projector runs beside the pages: the alert comes within moments, not at once.
    await expect
      .poll(async () => {
        if ((await alert.count()) === 0) await page.reload();
        return alert.count();
      }, { timeout: 30_000, interval: 500 })
      .toBe(1);
    expect(await alert.getAttribute('href')).toBe(`/jobs/${jobId}`);
    // And mailed to the address of the worker's profile, with a link to the job.
    const mailFor = () => smtp.received.find((m) => m.to.includes(address) && m.subject === 'New job for "Snowcat driving": Snowcat driver');
    await expect.poll(mailFor, { timeout: 30_000 }).toBeDefined();
    expect(mailFor()!.text).toContain(`/jobs/${jobId}`);
    const meta = page.locator('ul.notifications > li').filter({ has: alert }).locator('.meta');
    await expect
      .poll(async () => {
        await page.reload();
        return meta.innerText();
      }, { timeout: 30_000, interval: 500 })
      .toMatch(/ · Mailed$/);
    await accessible(page);
    await finish(watched, task.name);
  });

  it('the public pages pass the accessibility checks: search, results, a job, sign-in and the map', async ({ task }) => {
    const watched = await open();
    const { page } = watched;
    await page.goto(`${server.url}/`);
    await accessible(page);
    await page.getByLabel('What').fill('barista');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForURL(/\/\?q=barista/);
    expect(await page.locator('ol.cards > li').count()).toBeGreaterThan(0);
    await accessible(page);
    // With the filters open too: their controls are part of the page.
    await page.locator('details.filters summary').click();
    await accessible(page);

    await page.locator('ol.cards > li h3 a').first().click();
    await page.waitForURL(/\/jobs\//);
    expect(await page.getByRole('link', { name: 'Sign in to save this job or apply' }).count()).toBe(1);
    await accessible(page);

    await page.getByRole('link', { name: 'Sign in to save this job or apply' }).click();
    await page.waitForURL(/\/sign-in\?next=/);
    await accessible(page);

    await page.getByRole('link', { name: 'Map', exact: true }).click();
    await page.waitForURL(/\/map/);
    await page.locator('.cluster').first().waitFor();
    await expect.poll(() => page.textContent('#map-status')).toMatch(/ jobs? in view\.$/);
    await accessible(page);
    await finish(watched, task.name);
  });
});
