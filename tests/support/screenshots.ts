// The README's pictures of the product: the search page, the map and a
// business's job page, taken in Chromium from the service as `npm start`
// runs it with demo data. Run with `npm run docs:screenshots`; it writes
// docs/*.png.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../ops/config.ts';
import { startServer } from '../../ops/startServer.ts';
import { launchChromium } from './browser.ts';

const docs = fileURLToPath(new URL('../../docs/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'screenshots-'));
const server = await startServer(
  loadConfig({ DATA_DIR: dir, PORT: '0', SEED: 'true', SEED_JOBS: '4000', LOG_LEVEL: 'silent', SCHEDULER: 'off', RATE_LIMIT: 'off', NOTIFICATIONS: 'off', AUTH_SECRET: 'screenshots-secret-screenshots-secret-0123' }),
  { quiet: true, handleSignals: false },
);
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  // The first of a few everyday searches that finds a page of jobs in the demo data.
  let search = '/';
  for (const q of ['q=barista&place=Denver&radius=250', 'q=cook&place=Chicago&radius=250', 'q=lifeguard', 'q=harvest', 'q=server']) {
    const params = new URLSearchParams(q);
    const answer = (await (await fetch(`${server.url}/v1/search?size=1&text=${encodeURIComponent(params.get('q') ?? '')}`)).json()) as { total: number };
    if (answer.total >= 5 && !params.has('place')) { search = `/?${q}`; break; }
    const page = await fetch(`${server.url}/?${q}`);
    if (/<ol class="cards">\s*<li/.test(await page.text())) { search = `/?${q}`; break; }
  }
  await page.goto(`${server.url}${search}`);
  await page.screenshot({ path: join(docs, 'search.png') });

  await page.goto(`${server.url}/map?lat=39.5&lon=-98.5&z=4`);
  await page.locator('.cluster').first().waitFor();
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: join(docs, 'map.png') });

  await page.goto(`${server.url}/sign-in`);
  await page.getByRole('button', { name: 'Sign in as the demo business (b00001)' }).click();
  await page.waitForURL(/\/business$/);
  await page.locator('ul.rows a').first().click();
  await page.waitForURL(/\/business\/jobs\//);
  await page.screenshot({ path: join(docs, 'business-job.png'), fullPage: true });
  console.log(`wrote search.png, map.png and business-job.png under ${docs}`);
} finally {
  await browser.close();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
