import type { JobReadStore } from '../model/readStore.ts';
import { jobHref } from './jobCard.ts';
import { escapeHtml } from './safeHighlight.ts';

/** The sitemap protocol's ceiling on URLs in one file. */
export const SITEMAP_MAX_URLS = 50_000;
const PAGE = 100;

export interface SitemapOptions {
  jobs: Pick<JobReadStore, 'search'>;
  publicUrl: () => string;
  clock: () => Date;
  /** How long one built sitemap is served (default 10 minutes): it pages through every open job. */
  ttlMs?: number;
  maxUrls?: number;
}

/**
 * sitemap.xml of the open jobs, newest first, built by paging the search and
 * kept for a while; concurrent requests while it builds share the one build.
 */
export function sitemapSource({ jobs, publicUrl, clock, ttlMs = 600_000, maxUrls = SITEMAP_MAX_URLS }: SitemapOptions): () => Promise<string> {
  let built: { at: number; xml: Promise<string> } | undefined;
  const build = async (): Promise<string> => {
    const base = publicUrl().replace(/\/$/, '');
    const now = clock();
    const lines: string[] = [];
    let cursor: string | undefined;
    do {
      const size = Math.min(PAGE, maxUrls - lines.length);
      const page = await jobs.search({ sort: 'newest', size, skillsMode: 'any', includeClosed: false, facets: false, highlight: false, ...(cursor ? { cursor } : {}) }, now);
      for (const { job } of page.hits) {
        lines.push(`<url><loc>${escapeHtml(base + jobHref(job.jobId))}</loc><lastmod>${escapeHtml(job.updatedAt)}</lastmod></url>`);
      }
      cursor = page.nextCursor;
    } while (cursor && lines.length < maxUrls);
    return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${lines.join('\n')}\n</urlset>\n`;
  };
  return () => {
    const now = Date.now();
    if (!built || now - built.at > ttlMs) {
      const xml = build();
      built = { at: now, xml };
      // A failed build is not kept: the next request tries again.
      xml.catch(() => {
        if (built?.xml === xml) built = undefined;
      });
    }
    return built.xml;
  };
}
