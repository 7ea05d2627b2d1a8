import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface SiteAssets {
  /** Where the layout links the stylesheet: its name carries a hash of its content. */
  cssHref: string;
  files: Map<string, { type: string; body: Buffer }>;
}

const dir = join(dirname(fileURLToPath(import.meta.url)), 'static');

/** The static files under `static/`, named by content hash so that browsers may cache them for good. */
export async function siteAssets(): Promise<SiteAssets> {
  const css = await readFile(join(dir, 'site.css'));
  const name = `site.${createHash('sha256').update(css).digest('hex').slice(0, 12)}.css`;
  return { cssHref: `/assets/${name}`, files: new Map([[name, { type: 'text/css; charset=utf-8', body: css }]]) };
}
