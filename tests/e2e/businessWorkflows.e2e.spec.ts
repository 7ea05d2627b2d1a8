// The business's side of the two workflows that need both kinds of user, in
// a real Chromium against the whole service as `npm start` runs it, in
// embedded mode (demo data, the demo sign-in) and in server mode (PostgreSQL
// and OpenSearch, token sign-in), with mail going to an SMTP server on
// loopback: a business posts and publishes a job through its pages and a
// visitor finds it by search; a worker applies through the pages, the
// business is mailed, sees the applicant on the job's page and hires them.
// Every page visited is checked with axe; each test leaves a screenshot.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businessProfileExample } from '../../command/http/examples.ts';
import { loadConfig } from '../../ops/config.ts';
import type { RunningServer } from '../../ops/startServer.ts';
import { startServer } from '../../ops/startServer.ts';
import { checkA11y } from '../support/axe.ts';
import type { WatchedPage } from '../support/browser.ts';
import { launchChromium, watchedPage } from '../support/browser.ts';
import type { ServerModeEnv } from '../support/serverMode.ts';
import { serverModeEnv } from '../support/serverMode.ts';
import type { TestSmtpServer } from '../support/smtpServer.ts';
import { startSmtpServer } from '../support/smtpServer.ts';

const artifacts = fileURLToPath(new URL('../artifacts/', import.meta.url));
const secret = 'business-e2e-secret-business-e2e-secret-01';

describe.each(['embedded', 'server'] as const)('the business pages in Chromium (%s mode)', (mode) => {
  let server: RunningServer;
  let browser: Browser;
  let smtp: TestSmtpServer;
  let serverEnv: ServerModeEnv | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'business-e2e-'));
  // In embedded mode the demo accounts; in server mode accounts of this test's own.
  const businessId = mode === 'embedded' ? 'b00001' : 'b-e2e';
  const workerId = mode === 'embedded' ? 'w00001' : 'w-e2e';

  beforeAll(async () => {
    smtp = await startSmtpServer();
    const common = { PORT: '0', LOG_LEVEL: 'silent', SCHEDULER: 'off', RATE_LIMIT: 'off', SMTP_URL: smtp.url, NOTIFY_RETRY_INITIAL_MS: '50' };
    if (mode === 'embedded') {
      server = await startServer(loadConfig({ ...common, DATA_DIR: dir, SEED: 'true', SEED_JOBS: '200', AUTH_SECRET: secret }), { quiet: true, handleSignals: false });
    } else {
      serverEnv = serverModeEnv(secret, { ...common, SEED: 'false' });
      server = await startServer(loadConfig(serverEnv.env), { quiet: true, handleSignals: false });
    }
    const headers = { authorization: `Bearer ${await server.runtime.tokens.sign({ role: 'business', sub: businessId })}`, 'content-type': 'application/json' };
    const profile = await fetch(`${server.url}/v1/businesses/me/profile`, { method: 'PUT', headers, body: JSON.stringify({ ...businessProfileExample, email: 'hiring@orchard.example.com' }) });
    expect(profile.status).toBe(200);
    mkdirSync(artifacts, { recursive: true });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await smtp?.close();
    await serverEnv?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  const open = () => watchedPage(browser, server.url);

  async function accessible(page: Page): Promise<void> {
    expect(await checkA11y(page), `accessibility of ${page.url()}`).toEqual([]);
  }

  async function finish({ page, errors, external }: WatchedPage, testName: string): Promise<void> {
    const name = `${mode}-${testName}`.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 100);
    await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
    expect(errors).toEqual([]);
    expect(external).toEqual([]);
    await page.context().close();
  }

  /** Signs in as a person would here: the demo picker in embedded mode, a pasted token in server mode. */
  async function signIn(page: Page, role: 'business' | 'worker'): Promise<void> {
    const sub = role === 'business' ? businessId : workerId;
    await page.goto(`${server.url}/`);
    await page.getByRole('link', { name: 'Sign in', exact: true }).click();
    await page.waitForURL(/\/sign-in$/);
    await accessible(page);
    if (mode === 'embedded') {
      await page.getByRole('button', { name: `Sign in as the demo ${role} (${sub})` }).click();
    } else {
      await page.getByRole('textbox', { name: 'Access token' }).fill(await server.runtime.tokens.sign({ role, sub }));
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    }
    await page.waitForURL(role === 'business' ? /\/business$/ : /\/me\/saved-jobs$/);
    expect(await page.locator('header.site .account').innerText()).toContain(`Signed in as ${sub} (${role})`);
    await accessible(page);
  }

  const accountNav = (page: Page) => page.getByRole('navigation', { name: 'Your account' });

  /** Fills the job form as a business would, watching the pay suggestion follow the choices. */
  async function postJob(page: Page, job: { title: string; description: string }): Promise<string> {
    await accountNav(page).getByRole('link', { name: 'Post a job' }).click();
    await page.waitForURL(/\/business\/jobs\/new$/);
    expect(await page.locator('h1').innerText()).toBe('Post a job');
    const suggestion = page.locator('#pay-suggestion');
    expect(await suggestion.innerText()).toMatch(/^Choose a category/);
    await accessible(page);
    await page.getByLabel('Title').fill(job.title);
    await page.getByLabel('Description').fill(job.description);
    await page.getByLabel('Category').selectOption('agriculture');
    await page.getByLabel('Type of work').selectOption('seasonal');
    await page.getByLabel('Town').fill('Portland, OR');
    // The page asks for the pay of comparable jobs while the business types, and says it in a live region.
    await expect.poll(() => suggestion.innerText()).toMatch(/^(Comparable jobs pay \$[\d.]+–\$[\d.]+ per hour|Too few comparable jobs for a pay suggestion)/);
    expect(await suggestion.getAttribute('aria-live')).toBe('polite');
    await page.getByLabel('From').fill('17');
    await page.getByLabel('To', { exact: true }).fill('21.5');
    await page.getByLabel('Skills (separated by commas)').fill('ladders, pruning');
    await page.getByLabel('Open for').selectOption('30');
    await page.getByRole('button', { name: 'Publish now' }).click();
    await page.waitForURL(/\/business\/jobs\/[^/?]+\?after=\d+$/);
    return decodeURIComponent(new URL(page.url()).pathname.split('/')[3] ?? '');
  }

  it('a business posts and publishes a job through its pages, and a visitor finds it by search', async ({ task }) => {
    const title = `Pear orchard pruner ${mode}`;
    const watched = await open();
    const { page } = watched;
    await signIn(page, 'business');
    const jobId = await postJob(page, { title, description: 'Prune young pear trees in the hills above the river before the spring bloom.' });
    expect(await page.locator('h1').innerText()).toBe(`${title} Open`);
    expect(await page.locator('.meta').first().innerText()).toBe('Portland, OR · Seasonal · Agriculture · $17–$21.50 per hour');
    expect(await page.locator('table.funnel tbody tr').allInnerTexts()).toEqual(['Views\t0\t', 'Saves\t0\t—', 'Applications\t0\t—', 'Shortlisted\t0\t—', 'Hired\t0\t—']);
    await accessible(page);

    // The business's list has it, under "Open".
    await accountNav(page).getByRole('link', { name: 'Your jobs' }).click();
    await page.getByRole('navigation', { name: 'Jobs by status' }).getByRole('link', { name: 'Open' }).click();
    await page.waitForURL(/\/business\?status=open$/);
    expect(await page.locator('ul.rows').getByRole('link', { name: title }).count()).toBe(1);
    await accessible(page);

    // Signed out, as anyone: the search page finds it and opens its page.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${server.url}/`);
    await page.getByLabel('What').fill('pear orchard pruner');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForURL(/\/\?/);
    const card = page.locator('ol.cards > li').filter({ has: page.getByRole('link', { name: title }) });
    expect(await card.count()).toBe(1);
    await accessible(page);
    await card.getByRole('link', { name: title }).click();
    await page.waitForURL(`${server.url}/jobs/${encodeURIComponent(jobId)}`);
    expect(await page.locator('h1').innerText()).toBe(title);
    expect(await page.locator('.pay').innerText()).toBe('$17–$21.50 per hour');
    await accessible(page);
    await finish(watched, task.name);
  });

  it('a worker applies through the pages; the business is mailed, sees the applicant on the job page and hires them', async ({ task }) => {
    const title = `Vineyard harvest hand ${mode}`;
    const message = 'I worked two grape harvests & can start on Monday.';
    const business = await open();
    await signIn(business.page, 'business');
    const jobId = await postJob(business.page, { title, description: 'Cut grape bunches by hand and carry the crates to the end of the rows.' });
    const mailsBefore = smtp.received.length;

    const worker = await open();
    const { page } = worker;
    await signIn(page, 'worker');
    await page.getByRole('link', { name: 'Search jobs' }).click();
    await page.getByLabel('What').fill('vineyard harvest hand');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForURL(/\/\?/);
    await page.locator('ol.cards').getByRole('link', { name: title }).click();
    await page.waitForURL(`${server.url}/jobs/${encodeURIComponent(jobId)}`);
    await accessible(page);
    await page.getByLabel('Message to the business (optional)').fill(message);
    await page.getByRole('button', { name: 'Apply', exact: true }).click();
    await page.waitForURL(/\/me\/applications\?after=\d+$/);
    expect(await page.locator('ul.rows > li').filter({ has: page.getByRole('link', { name: title }) }).locator('.status').innerText()).toBe('Sent, not yet read');
    await finish(worker, `${task.name} worker`);

    // The business is told by mail, at the address of its profile, with a link to its job.
    const mailFor = () => smtp.received.slice(mailsBefore).find((m) => m.to.includes('hiring@orchard.example.com') && m.text.includes(title));
    await expect.poll(mailFor, { timeout: 30_000 }).toBeDefined();
    const mail = mailFor()!;
    expect(mail.subject).toContain(title);

    const { page: own } = business;
    await own.goto(`${server.url}/business`);
    await own.locator('ul.rows').getByRole('link', { name: title }).click();
    await own.waitForURL(`${server.url}/business/jobs/${encodeURIComponent(jobId)}`);
    const applicant = own.locator('ul.applicants > li');
    expect(await applicant.count()).toBe(1);
    // An applicant with a profile (the demo worker) is shown by name; one without, by id.
    const profile = await server.app.inject({ url: '/v1/me/profile', headers: { authorization: `Bearer ${await server.runtime.tokens.sign({ role: 'worker', sub: workerId })}` } });
    const name = profile.statusCode === 200 ? profile.json<{ profile: { name: string } }>().profile.name : undefined;
    const heading = name ?? `Applicant ${workerId}`;
    const who = name ?? `applicant ${workerId}`;
    expect(await applicant.locator('h3').innerText()).toBe(`${heading} New`);
    expect(await applicant.locator('blockquote').innerText()).toBe(message);
    expect(await applicant.getByRole('button').allInnerTexts()).toEqual(['Mark as reviewing', 'Shortlist', 'Reject', 'Accept (hire)']);
    await accessible(own);

    await applicant.getByRole('button', { name: `Shortlist: ${who}` }).click();
    await own.waitForURL(/\?after=\d+$/);
    expect(await applicant.locator('h3').innerText()).toBe(`${heading} Shortlisted`);
    expect(await applicant.getByRole('button').allInnerTexts()).toEqual(['Reject', 'Accept (hire)']);
    await applicant.getByRole('button', { name: `Accept (hire): ${who}` }).click();
    await own.waitForURL(/\?after=\d+$/);
    expect(await applicant.locator('h3').innerText()).toBe(`${heading} Hired`);
    expect(await applicant.getByRole('button').count()).toBe(0);
    const funnel = await own.locator('table.funnel tbody tr').allInnerTexts();
    // The worker's browser counted one view of the job's page; the business's own pages count none.
    expect(funnel).toEqual(['Views\t1\t', 'Saves\t0\t0% of views', 'Applications\t1\t100% of views', 'Shortlisted\t1\t100% of applications', 'Hired\t1\t100% of shortlisted']);
    await accessible(own);
    await finish(business, task.name);
  });
});
