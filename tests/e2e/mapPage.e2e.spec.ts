// The map page in a real Chromium against the whole service (embedded mode,
// listening on loopback): the base map, clusters, zooming by click, the view
// in the address and the back button, a job's card and its page.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobExample } from '../../command/http/examples.ts';
import { loadConfig } from '../../ops/config.ts';
import type { RunningServer } from '../../ops/startServer.ts';
import { startServer } from '../../ops/startServer.ts';
import { launchChromium, watchedPage } from '../support/browser.ts';

describe('the map page in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  const dir = mkdtempSync(join(tmpdir(), 'map-e2e-'));
  const titles: string[] = [];
  let openJobs = 0;

  beforeAll(async () => {
    server = await startServer(loadConfig({ DATA_DIR: dir, PORT: '0', SEED: 'true', SEED_JOBS: '600', LOG_LEVEL: 'silent', SCHEDULER: 'off', RATE_LIMIT: 'off', AUTH_SECRET: 'map-e2e-secret-map-e2e-secret-0123456789' }), { quiet: true, handleSignals: false });
    const headers = { authorization: `Bearer ${await server.runtime.tokens.sign({ role: 'business', sub: 'b-map' })}`, 'content-type': 'application/json' };
    let position = 0;
    // Beside the demo dataset (enough jobs for the world view to be clusters): twelve along the west shore of Lake Tahoe, one in Lyon.
    const places = [...Array.from({ length: 12 }, (_, i) => ({ lat: 39.0 + i * 0.02, lon: -120.1 + i * 0.01, city: 'Tahoe City', country: 'US' })), { lat: 45.76, lon: 4.84, city: 'Lyon', country: 'FR' }];
    for (const [i, p] of places.entries()) {
      const title = i === 12 ? 'Vendanges picker' : `Lakeside helper ${i}`;
      titles.push(title);
      const res = await fetch(`${server.url}/v1/jobs`, { method: 'POST', headers, body: JSON.stringify({ ...jobExample, title, location: { point: { lat: p.lat, lon: p.lon }, city: p.city, country: p.country } }) });
      expect(res.status).toBe(201);
      position = ((await res.json()) as { position: number }).position;
    }
    const all = await fetch(`${server.url}/v1/search?size=1&minPosition=${position}`);
    openJobs = ((await all.json()) as { total: number }).total;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows clusters on an offline world map; a click on a cluster zooms in, the address keeps the view and back returns', async () => {
    const { page, errors, external } = await watchedPage(browser, server.url);
    const answered = page.waitForResponse((res) => res.url().includes('/v1/map?'));
    await page.goto(`${server.url}/map`);
    // What the page shows is what the API answered for its view: every open job with a place, in clusters.
    const answer = (await (await answered).json()) as { total: number; truncated?: boolean };
    expect(answer.total).toBeGreaterThan(openJobs * 0.9);
    expect(answer.truncated).toBeUndefined();
    await page.locator('.cluster').first().waitFor();
    const inView = (n: number) => `${n.toLocaleString('en')} jobs in view.`;
    await expect.poll(() => page.textContent('#map-status')).toBe(inView(answer.total));
    expect(await page.locator('path').count()).toBeGreaterThan(100); // the country outlines
    const world = page.url();
    expect(new URL(world).searchParams.get('z')).toBe('2');
    const counts = (await page.locator('.cluster').allTextContents()).map(Number);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(answer.total);
    const biggest = Math.max(...counts);
    await page.locator('.cluster', { hasText: new RegExp(`^${biggest}$`) }).first().click();
    await expect.poll(() => Number(new URL(page.url()).searchParams.get('z'))).toBeGreaterThan(2);
    await expect.poll(async () => Number((await page.textContent('#map-status'))?.replace(/,/g, '').split(' ')[0])).toBeLessThan(answer.total);
    const zoomed = page.url();
    await page.goBack();
    await expect.poll(() => page.url()).toBe(world);
    await expect.poll(() => page.textContent('#map-status')).toBe(inView(answer.total));
    await page.goForward();
    await expect.poll(() => page.url()).toBe(zoomed);
    expect(errors).toEqual([]);
    expect(external).toEqual([]);
  });

  it('opens a job card from a marker and goes on to the job page; the filters of the search apply', async () => {
    const { page, errors } = await watchedPage(browser, server.url);
    await page.goto(`${server.url}/map?q=lakeside&lat=39.11&lon=-120.045&z=11`);
    const markers = page.locator('path.leaflet-interactive');
    await expect.poll(() => markers.count()).toBe(12);
    await markers.first().click();
    const card = page.locator('.map-card');
    await expect.poll(() => card.locator('p').textContent()).toBe('Tahoe City, US · $16.00–$19.50 per hour');
    const title = await card.locator('a').first().textContent();
    expect(titles).toContain(title);
    await card.getByText('Open the job').click();
    await page.waitForURL(/\/jobs\//);
    expect(await page.locator('h1').textContent()).toBe(title);

    await page.goto(`${server.url}/map?q=vendanges`);
    await expect.poll(() => page.textContent('#map-status')).toBe('1 job in view.');
    expect(await page.inputValue('#f-q')).toBe('vendanges');
    expect(errors).toEqual([]);
  });
});
