// The API's docs page (swagger-ui) in Chromium under the security headers
// every answer carries: it draws the operations of the OpenAPI document with
// no script error and no Content-Security-Policy violation, and fetches
// nothing from outside the service.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../ops/config.ts';
import type { RunningServer } from '../../ops/startServer.ts';
import { startServer } from '../../ops/startServer.ts';
import { launchChromium, watchedPage } from '../support/browser.ts';

describe('the API docs page in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  const dir = mkdtempSync(join(tmpdir(), 'docs-e2e-'));
  beforeAll(async () => {
    server = await startServer(loadConfig({ DATA_DIR: dir, PORT: '0', SEED: 'false', LOG_LEVEL: 'silent', SCHEDULER: 'off', NOTIFICATIONS: 'off', AUTH_SECRET: 'docs-e2e-secret-docs-e2e-secret-0123456789' }), { quiet: true, handleSignals: false });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('draws the operations under its own Content-Security-Policy, with no violation and nothing fetched from outside', async () => {
    const { page, errors, external } = await watchedPage(browser, server.url);
    const violations: string[] = [];
    await page.exposeFunction('reportViolation', (v: string) => violations.push(v));
    await page.addInitScript({ content: "document.addEventListener('securitypolicyviolation', (e) => void window.reportViolation(e.violatedDirective + ' ' + e.blockedURI));" });
    const res = await page.goto(`${server.url}/docs/`);
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-security-policy']).toBeDefined();
    await page.locator('.swagger-ui .opblock').first().waitFor({ timeout: 30_000 });
    expect(await page.locator('.swagger-ui .info .title').innerText()).toContain('Job discovery API');
    expect(await page.locator('.swagger-ui .opblock').count()).toBeGreaterThan(20);
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
    expect(external).toEqual([]);
  });

  it('answers the API with the security headers and a policy that allows nothing', async () => {
    const res = await fetch(`${server.url}/v1/search?size=1`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none';frame-ancestors 'none';base-uri 'none';form-action 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('strict-transport-security')).toMatch(/^max-age=\d+/);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    // The web pages keep their own policy.
    const page = await fetch(`${server.url}/`);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
  });
});
