// A job's life past its expiry, seen in a real Chromium against the whole
// service in both modes (embedded; server on the real PostgreSQL, Redis and
// OpenSearch): a business publishes a job that expires in a few days; a person
// finds it in the search results, on its page and counted by the map. Then the
// scheduled `expire-jobs` job runs as an operator runs it (`jobsctl run-job
// expire-jobs --now ...` in its own process, against the running service),
// with a clock past the expiry. The job page now says the job has expired
// (410, with similar open jobs), the search no longer lists it and the map no
// longer counts it. Every page is checked with axe, and each test leaves a
// screenshot of its last page.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobExample } from '../../command/http/examples.ts';
import { loadConfig } from '../../ops/config.ts';
import type { RunningServer } from '../../ops/startServer.ts';
import { startServer } from '../../ops/startServer.ts';
import { checkA11y } from '../support/axe.ts';
import type { WatchedPage } from '../support/browser.ts';
import { launchChromium, watchedPage } from '../support/browser.ts';
import { runJobsctl } from '../support/jobsctl.ts';
import { serverModeEnv } from '../support/serverMode.ts';

const artifacts = fileURLToPath(new URL('../artifacts/', import.meta.url));
const day = 86_400_000;
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const authSecret = 'expiry-e2e-secret-expiry-e2e-secret-0123456';

/** Far from most demo jobs, so that the map's view around it holds few. */
const longyearbyen = { point: { lat: 78.2232, lon: 15.6267 }, city: 'Longyearbyen', country: 'NO' };
const localView = `lat=${longyearbyen.point.lat}&lon=${longyearbyen.point.lon}&z=12`;

interface MapAnswer {
  total: number;
  points?: Array<{ jobId: string; title: string }>;
}

describe.each(['embedded', 'server'] as const)('a job past its expiry in Chromium (%s mode)', (mode) => {
  let server: RunningServer;
  let browser: Browser;
  let business: Record<string, string>;
  // The service's settings: the server reads them, and so does the jobsctl run beside it.
  let env: Record<string, string>;
  let dispose: () => Promise<void>;

  beforeAll(async () => {
    // A few hundred demo jobs (their expiries lie at least a week ahead) beside the ones this test publishes.
    const common = { PORT: '0', SEED: 'true', SEED_JOBS: '300', LOG_LEVEL: 'silent', SCHEDULER: 'off', RATE_LIMIT: 'off' };
    if (mode === 'server') {
      ({ env, dispose } = serverModeEnv(authSecret, common));
    } else {
      const dir = mkdtempSync(join(tmpdir(), 'expiry-e2e-'));
      env = { JOBS_MODE: 'embedded', DATA_DIR: dir, AUTH_SECRET: authSecret, ...common };
      dispose = () => Promise.resolve(rmSync(dir, { recursive: true, force: true }));
    }
    server = await startServer(loadConfig(env), { quiet: true, handleSignals: false });
    business = { authorization: `Bearer ${await server.runtime.tokens.sign({ role: 'business', sub: 'b-expiry' })}`, 'content-type': 'application/json' };
    mkdirSync(artifacts, { recursive: true });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await dispose?.();
  });

  /** A business posts and publishes a job in Longyearbyen through the API; it returns once the pages can read it. */
  async function publishJob(title: string, expiresAt: Date): Promise<string> {
    const now = Date.now();
    const { publish: _publish, ...content } = jobExample;
    const created = await fetch(`${server.url}/v1/jobs`, {
      method: 'POST',
      headers: business,
      body: JSON.stringify({ ...content, title, location: longyearbyen, startDate: isoDate(now + 30 * day), endDate: isoDate(now + 120 * day) }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const published = await fetch(`${server.url}/v1/jobs/${id}/publish`, { method: 'POST', headers: business, body: JSON.stringify({ expiresAt: expiresAt.toISOString() }) });
    expect(published.status).toBe(200);
    const { position } = (await published.json()) as { position: number };
    // Server mode projects the demo data behind the leader lease: the first reads may answer 503 (stale) for a while.
    await expect.poll(async () => (await fetch(`${server.url}/v1/jobs/${id}?minPosition=${position}`)).status, { timeout: 60_000, interval: 250 }).toBe(200);
    return id;
  }

  async function accessible(page: Page): Promise<void> {
    expect(await checkA11y(page), `accessibility of ${page.url()}`).toEqual([]);
  }

  /** The person's search from the search page; returns how many jobs the results say were found. */
  async function search(page: Page, words: string): Promise<number> {
    await page.getByRole('link', { name: 'Search jobs' }).click();
    await page.waitForURL(`${server.url}/`);
    await page.getByLabel('What').fill(words);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForURL(/\/\?/);
    expect(await page.locator('h1').innerText()).toBe(`Jobs for “${words}”`);
    await accessible(page);
    const summary = await page.locator('#results-title').innerText();
    expect(summary).toMatch(/^[\d,]+ jobs?$/);
    return Number(summary.replace(/[^\d]/g, ''));
  }

  /** The map page `go` opens, as it draws: what its own /v1/map call answered, once the status line says so. */
  async function mapView(page: Page, go: () => Promise<unknown>): Promise<MapAnswer> {
    const answered = page.waitForResponse((res) => res.url().includes('/v1/map?'));
    await go();
    await page.waitForURL(/\/map/);
    const res = await answered;
    expect(res.status()).toBe(200);
    const answer = (await res.json()) as MapAnswer;
    await expect.poll(() => page.textContent('#map-status')).toBe(`${answer.total.toLocaleString('en')} job${answer.total === 1 ? '' : 's'} in view.`);
    await accessible(page);
    return answer;
  }

  /** Nothing the person could not see went wrong; with `testName`, a screenshot of the last page first. */
  async function finish({ page, errors, external }: WatchedPage, testName?: string, expected: RegExp[] = []): Promise<void> {
    if (testName) {
      const name = `${mode}-${testName}`.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 100);
      await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
    }
    expect(errors.filter((e) => !expected.some((re) => re.test(e)))).toEqual([]);
    expect(external).toEqual([]);
    await page.context().close();
  }

  it('lists an open job in search, on its page and on the map; once expire-jobs runs past its expiry the page says it expired and search and map drop it', { timeout: 180_000 }, async ({ task }) => {
    const title = 'Polar night lodge porter';
    const neighbour = 'Harbour cafe barista';
    const expiresAt = new Date(Date.now() + 3 * day);
    const jobId = await publishJob(title, expiresAt);
    // Same category and town, open for a month: what the page of the expired job offers instead.
    const neighbourId = await publishJob(neighbour, new Date(Date.now() + 30 * day));
    const before = await watchedPage(browser, server.url);
    const { page } = before;

    // Open: found by its title, its page, counted by the map at the world view and around the town.
    await page.goto(`${server.url}/`);
    await accessible(page);
    const foundBefore = await search(page, title);
    await page.locator('ol.cards').getByRole('link', { name: title }).click();
    await page.waitForURL(`${server.url}/jobs/${jobId}`);
    expect(await page.locator('h1').innerText()).toBe(title);
    expect(await page.locator('.meta').first().innerText()).toMatch(/^Longyearbyen/);
    await accessible(page);
    const worldBefore = await mapView(page, () => page.getByRole('link', { name: 'Map', exact: true }).click());
    const localBefore = await mapView(page, () => page.goto(`${server.url}/map?${localView}`));
    expect(localBefore.points?.map((p) => p.jobId)).toEqual(expect.arrayContaining([jobId, neighbourId]));

    // The scheduled job, as an operator runs it beside the service, as of an hour past the expiry.
    const runAt = new Date(expiresAt.getTime() + 3_600_000).toISOString();
    const run = await runJobsctl(['run-job', 'expire-jobs', '--now', runAt, '--json'], env);
    expect(run.code, run.stderr).toBe(0);
    // Only this job: the demo jobs and the neighbour expire later.
    expect(JSON.parse(run.stdout)).toMatchObject({ job: 'expire-jobs', slot: runAt, items: 1 });
    // The service projects what the run appended: the job reads as expired within moments.
    await expect
      .poll(async () => {
        const res = await fetch(`${server.url}/v1/jobs/${jobId}`);
        const { code, details } = (await res.json()) as { code?: string; details?: { reason?: string } };
        return { status: res.status, code, reason: details?.reason };
      }, { timeout: 30_000, interval: 250 })
      .toEqual({ status: 410, code: 'job_closed', reason: 'expired' });
    // A search engine makes changes searchable a moment after it stored them (OpenSearch refreshes each second).
    const listed = async () => {
      const res = await fetch(`${server.url}/v1/search?text=${encodeURIComponent(title)}&size=20`);
      const body = (await res.json()) as { hits?: Array<{ job: { jobId: string } }>; message?: string };
      if (!body.hits) throw new Error(`search answered ${res.status}: ${body.message ?? ''}`);
      return body.hits.some((h) => h.job.jobId === jobId);
    };
    await expect
      .poll(listed, { timeout: 30_000, interval: 250 })
      .toBe(false);

    // Expired, in the same tab that showed it open: the job page is revalidated on every visit, never shown stale from a cache.
    // The search does not list it any more.
    await page.goto(`${server.url}/`);
    const foundAfter = await search(page, title);
    expect(await page.locator('ol.cards').getByRole('link', { name: title }).count()).toBe(0);
    expect(foundAfter).toBe(foundBefore - 1);

    // Neither does the map, in the same views.
    const worldAfter = await mapView(page, () => page.getByRole('link', { name: 'Map', exact: true }).click());
    expect(worldAfter.total).toBe(worldBefore.total - 1);
    const localAfter = await mapView(page, () => page.goto(`${server.url}/map?${localView}`));
    expect(localAfter.total).toBe(localBefore.total - 1);
    expect(localAfter.points?.map((p) => p.jobId)).toContain(neighbourId);
    expect(localAfter.points?.map((p) => p.jobId)).not.toContain(jobId);

    // Its page says so, with the status a crawler reads, and offers the open neighbour.
    const gone = await page.goto(`${server.url}/jobs/${jobId}`);
    expect(gone?.status()).toBe(410);
    expect(await page.locator('h1').innerText()).toBe('This job is no longer open');
    expect(await page.locator('main > p').first().innerText()).toBe(`${title} (Longyearbyen, NO) has expired.`);
    const similar = page.getByRole('region', { name: 'Similar open jobs' });
    expect(await similar.getByRole('link', { name: neighbour }).getAttribute('href')).toBe(`/jobs/${neighbourId}`);
    expect(await similar.getByRole('link', { name: title }).count()).toBe(0);
    await accessible(page);
    // Chromium logs a 410 document as a failed load; that status is what the page is meant to answer.
    await finish(before, task.name, [/^Failed to load resource: the server responded with a status of 410 \(Gone\)$/]);
  });
});
