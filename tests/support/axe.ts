// Accessibility checks in the browser suites: axe-core run in the page.
//
// The pages forbid inline and foreign scripts (script-src 'self'), so axe is
// not added as a <script>: its source is evaluated through the DevTools
// protocol, which a page's CSP does not govern. The policy stays as it ships.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AxeResults, ImpactValue, RunOptions } from 'axe-core';
import type { Page } from 'playwright-core';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** WCAG 2.1 levels A and AA, the level the pages promise. */
const runOptions: RunOptions = { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] };

/** What fails for someone: the rule, how bad, what it asks for, and where on the page (CSS selectors). */
export interface A11yViolation {
  id: string;
  impact: ImpactValue | null | undefined;
  help: string;
  targets: string[];
}

const blocking = new Set<string>(['serious', 'critical']);

/**
 * The serious and critical WCAG 2.1 A/AA violations of the page as it is now,
 * sorted, so that `expect(await checkA11y(page)).toEqual([])` prints each one.
 */
export async function checkA11y(page: Page): Promise<A11yViolation[]> {
  // These functions run in the page; the suites are compiled without the DOM's types, hence globalThis.
  const loaded = await page.evaluate(() => typeof (globalThis as { axe?: unknown }).axe === 'object');
  if (!loaded) await page.evaluate(axeSource);
  const violations = await page.evaluate(async (options) => {
    const { axe, document } = globalThis as unknown as { axe: { run(context: unknown, options: RunOptions): Promise<AxeResults> }; document: unknown };
    const results = await axe.run(document, options);
    return results.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.map(String).join(' >>> ')) }));
  }, runOptions);
  return violations.filter((v) => blocking.has(String(v.impact))).sort((a, b) => a.id.localeCompare(b.id));
}
