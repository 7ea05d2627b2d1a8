// A person finding a job on the map, in a real Chromium against the whole
// service (embedded mode, a few hundred demo jobs, listening on loopback):
// open the map, click clusters until single jobs show, open one's card and go
// on to its page. The map's own mechanics (counts, the address, back) are
// mapPage.e2e.spec.ts's; this follows the person's path end to end. Every page
// is checked with axe, and the test leaves a screenshot of its last page.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../ops/config.ts';
import type { RunningServer } from '../../ops/startServer.ts';
import { startServer } from '../../ops/startServer.ts';
import { checkA11y } from '../support/axe.ts';
import { launchChromium, watchedPage } from '../support/browser.ts';

const artifacts = fileURLToPath(new URL('../artifacts/', import.meta.url));

interface MapAnswer {
  total: number;
  clusters: Array<{ count: number }>;
  points?: Array<{ jobId: string; title: string }>;
}

/** Most clicks on clusters before single jobs must show (a few hundred jobs need two or three). */
const MAX_CLICKS = 10;

describe('finding a job on the map in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  const dir = mkdtempSync(join(tmpdir(), 'map-workflow-e2e-'));

  beforeAll(async () => {
    server = await startServer(
      loadConfig({ DATA_DIR: dir, PORT: '0', SEED: 'true', SEED_JOBS: '400', LOG_LEVEL: 'silent', SCHEDULER: 'off', RATE_LIMIT: 'off', AUTH_SECRET: 'map-workflow-secret-map-workflow-secret-01' }),
      { quiet: true, handleSignals: false },
    );
    mkdirSync(artifacts, { recursive: true });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function accessible(page: Page): Promise<void> {
    expect(await checkA11y(page), `accessibility of ${page.url()}`).toEqual([]);
  }

  /** The map's zoom as the address keeps it. */
  const zoomOf = (page: Page) => Number(new URL(page.url()).searchParams.get('z'));

  /**
   * Indexes of the elements matching `selector` that a click at their centre
   * reaches: inside the map, away from its controls, not under another marker.
   */
  const clickable = (page: Page, selector: string) =>
    page.evaluate((sel) => {
      const { document } = globalThis as unknown as { document: { querySelector(s: string): { getBoundingClientRect(): DOMRectLike } | null; querySelectorAll(s: string): ArrayLike<ElementLike>; elementFromPoint(x: number, y: number): ElementLike | null } };
      interface DOMRectLike { left: number; top: number; right: number; bottom: number; width: number; height: number }
      interface ElementLike { getBoundingClientRect(): DOMRectLike; contains(other: unknown): boolean; textContent: string | null }
      const frame = document.querySelector('#map')?.getBoundingClientRect();
      if (!frame) return [];
      const margin = 60;
      return Array.from(document.querySelectorAll(sel)).flatMap((el, i) => {
        const r = el.getBoundingClientRect();
        const [x, y] = [r.left + r.width / 2, r.top + r.height / 2];
        const inside = r.width > 0 && x > frame.left + margin && x < frame.right - margin && y > frame.top + margin && y < frame.bottom - margin;
        const hit = inside ? document.elementFromPoint(x, y) : null;
        return hit && el.contains(hit) ? [{ i, label: el.textContent ?? '' }] : [];
      });
    }, selector);

  it('zooms in by clicking clusters until single jobs show, opens a job card from its marker and goes on to the job page with the same title', async ({ task }) => {
    const { page, errors, external } = await watchedPage(browser, server.url);
    // What the map drew last: the page's own /v1/map answers, by the zoom they were asked for.
    const answers: Array<{ zoom: number; answer: MapAnswer }> = [];
    page.on('response', (res) => {
      if (!res.url().includes('/v1/map?') || !res.ok()) return;
      const zoom = Number(new URL(res.url()).searchParams.get('zoom'));
      void res.json().then((answer: MapAnswer) => answers.push({ zoom, answer }), () => undefined);
    });
    const inView = (n: number) => `${n.toLocaleString('en')} job${n === 1 ? '' : 's'} in view.`;
    /** The answer for the zoom in the address, once the status line under the map says what it counted. */
    async function shown(): Promise<MapAnswer> {
      let current: MapAnswer | undefined;
      await expect
        .poll(async () => {
          const last = answers.at(-1);
          current = last && last.zoom === zoomOf(page) ? last.answer : undefined;
          return current !== undefined && (await page.textContent('#map-status')) === inView(current.total);
        }, { timeout: 15_000 })
        .toBe(true);
      return current!;
    }

    await page.goto(`${server.url}/map`);
    expect(await page.locator('h1').innerText()).toBe('Jobs on the map');
    let answer = await shown();
    // Too many jobs for single markers at the world view: the person sees clusters to zoom into.
    expect(answer.points).toBeUndefined();
    expect(await page.locator('.cluster').count()).toBeGreaterThan(0);
    await accessible(page);

    const zooms = [zoomOf(page)];
    for (let clicks = 0; !answer.points; clicks++) {
      expect(clicks, `single jobs after ${MAX_CLICKS} clicks on clusters (zooms ${zooms.join(', ')})`).toBeLessThan(MAX_CLICKS);
      // The busiest cluster the person can reach: where most jobs are.
      const candidates = await clickable(page, '.cluster');
      expect(candidates.length, `a cluster to click at zoom ${zooms.at(-1)}`).toBeGreaterThan(0);
      const busiest = candidates.reduce((a, b) => (Number(b.label.replace(/,/g, '')) > Number(a.label.replace(/,/g, '')) ? b : a));
      await page.locator('.cluster').nth(busiest.i).click();
      await expect.poll(() => zoomOf(page), { timeout: 10_000 }).toBeGreaterThan(zooms.at(-1)!);
      zooms.push(zoomOf(page));
      answer = await shown();
    }
    expect(zooms.length).toBeGreaterThan(1);
    await expect.poll(() => page.locator('path.leaflet-interactive').count()).toBeGreaterThan(0);
    expect(await page.locator('.cluster').count()).toBe(0);
    await accessible(page);

    const markers = await clickable(page, 'path.leaflet-interactive');
    expect(markers.length, `a job marker to click at zoom ${zooms.at(-1)}`).toBeGreaterThan(0);
    await page.locator('path.leaflet-interactive').nth(markers[0]!.i).click();
    const card = page.locator('.map-card');
    await card.waitFor();
    const link = card.locator('a').first();
    const title = await link.innerText();
    const jobId = decodeURIComponent(((await link.getAttribute('href')) ?? '').replace(/^\/jobs\//, ''));
    // The card names the job the map placed there, and what the API holds for it.
    expect(answer.points?.find((p) => p.jobId === jobId)?.title).toBe(title);
    const api = await fetch(`${server.url}/v1/jobs/${encodeURIComponent(jobId)}`);
    expect(api.status).toBe(200);
    const job = (await api.json()) as { title: string; city?: string; remote: boolean };
    expect(job.title).toBe(title);
    await expect.poll(() => card.locator('p').innerText()).toMatch(/ · .+ per (hour|day|week|month|year)$/);
    expect(await card.locator('p').innerText()).toContain(job.city ?? 'Remote');
    // The card fades in; checked as the person reads it, not half transparent on its way in.
    await expect.poll(() => page.locator('.leaflet-popup').evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { opacity: string } }).getComputedStyle(el).opacity)).toBe('1');
    await accessible(page);

    await card.getByRole('link', { name: 'Open the job' }).click();
    await page.waitForURL(`${server.url}/jobs/${encodeURIComponent(jobId)}`);
    expect(await page.locator('h1').innerText()).toBe(title);
    expect(await page.title()).toContain(title);
    await accessible(page);

    const name = task.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 100);
    await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
    expect(errors).toEqual([]);
    expect(external).toEqual([]);
    await page.context().close();
  });
});
