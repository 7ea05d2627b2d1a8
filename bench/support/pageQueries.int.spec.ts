import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FullApp } from '../../tests/support/fullApp.ts';
import { startFullApp } from '../../tests/support/fullApp.ts';
import { pageModelPathOf, pagePathOf } from './pageQueries.ts';
import { jobBodies, searchPaths } from './queries.ts';

interface SearchAnswer {
  total: number;
  hits: Array<{ job: { jobId: string } }>;
  nextCursor?: string;
}

const decode = (s: string): string => s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');

/** The job ids of a search page's result cards, in order, and the count it shows. */
function pageResults(html: string): { ids: string[]; total: number } {
  const ids = [...html.matchAll(/<li class="card">\s*<h3><a href="\/jobs\/([^"]+)">/g)].map((m) => decodeURIComponent(decode(m[1]!)));
  const summary = /<h2 id="results-title">([\d,]+) jobs?<\/h2>/.exec(html);
  if (!summary) throw new Error(`no result summary in the page: ${html.slice(0, 300)}`);
  return { ids, total: Number(summary[1]!.replace(/,/g, '')) };
}

describe('search page URLs of the bench search mix, asked of the embedded service', () => {
  let t: FullApp;
  let last = 0;
  beforeAll(async () => {
    t = await startFullApp('embedded');
    const headers = await t.auth({ role: 'business', sub: 'b-bench-page' });
    // The bench's own job bodies (the mix's words, categories and types near its places), spread up to
    // ~150 km from each place so that the mix's radii (25..125 km) cut through them.
    const bodies = jobBodies(240, t.clock.now, 21).map((text, i) => {
      const body = JSON.parse(text) as { location: { point: { lat: number; lon: number } } };
      const point = body.location.point;
      body.location.point = { lat: point.lat + (((i * 37) % 27) - 13) / 10, lon: point.lon + (((i * 53) % 27) - 13) / 10 };
      return JSON.stringify(body);
    });
    for (const body of bodies) {
      const res = await t.app.inject({ method: 'POST', url: '/v1/jobs', headers: { ...headers, 'content-type': 'application/json' }, payload: body });
      expect(res.statusCode, res.body).toBeLessThan(300);
      last = Math.max(last, res.json<{ position: number }>().position);
    }
    expect((await t.app.inject(`/v1/search?size=1&minPosition=${last}`)).statusCode).toBe(200);
  });
  afterAll(async () => t?.close());

  const api = async (path: string): Promise<SearchAnswer> => {
    const res = await t.app.inject(path);
    expect(res.statusCode, `${path}: ${res.body}`).toBe(200);
    return res.json<SearchAnswer>();
  };
  const page = async (path: string): Promise<{ ids: string[]; total: number }> => {
    const res = await t.app.inject({ url: path, headers: { accept: 'text/html' } });
    expect(res.statusCode, `${path}: ${res.body.slice(0, 500)}`).toBe(200);
    return pageResults(res.body);
  };

  it('shows the jobs the API answers for the same query, in the same order, with the same count', async () => {
    const paths = searchPaths(30);
    let withHits = 0;
    for (const path of paths) {
      const mix = await api(path);
      const model = await api(pageModelPathOf(path));
      const shown = await page(pagePathOf(path));
      const ids = mix.hits.map((h) => h.job.jobId);
      expect(shown, `${path} → ${pagePathOf(path)}`).toEqual({ ids, total: mix.total });
      expect(model.hits.map((h) => h.job.jobId), pageModelPathOf(path)).toEqual(ids);
      if (ids.length > 0) withHits++;
    }
    // Every kind of the mix is compared on real answers, not on empty pages.
    expect(withHits).toBeGreaterThanOrEqual(15);
  });

  it('follows a second page by the cursor the API gave, to the same jobs', async () => {
    const path = searchPaths(5).find((p) => p.includes('sort=newest'))!;
    const first = await api(path);
    expect(first.nextCursor, path).toBeDefined();
    const next = `${path}&cursor=${encodeURIComponent(first.nextCursor!)}`;
    const second = await api(next);
    expect(second.hits.length).toBeGreaterThan(0);
    expect((await page(pagePathOf(next))).ids).toEqual(second.hits.map((h) => h.job.jobId));
  });
});
