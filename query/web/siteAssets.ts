import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface SiteAssets {
  /** Where the layout links the stylesheet. Every name carries a hash of its content. */
  cssHref: string;
  iconHref: string;
  /** What the map page loads: its script, Leaflet's stylesheet, and the base map's outlines (TopoJSON). */
  map: { js: string; css: string; countries: string; states: string };
  /** The business's job form's script (the pay suggestion while typing). */
  jobForm: { js: string };
  /** The job page's script: it counts the view. */
  jobView: { js: string };
  files: Map<string, { type: string; body: Buffer }>;
  /** A hash of every asset's name: it changes whenever one of them does. */
  version: string;
}

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

let assets: Promise<SiteAssets> | undefined;

/**
 * The static files, named by content hash so that browsers may keep them for
 * good: the site's stylesheet, the map page's script (bundled from
 * `client/map.ts` by esbuild, once per process), the job form's script,, Leaflet's stylesheet and the
 * country and US state outlines the map draws instead of fetching tiles.
 */
export function siteAssets(): Promise<SiteAssets> {
  assets ??= load();
  assets.catch(() => {
    assets = undefined;
  });
  return assets;
}

async function load(): Promise<SiteAssets> {
  const files = new Map<string, { type: string; body: Buffer }>();
  const add = (stem: string, ext: string, type: string, body: Buffer): string => {
    const name = `${stem}.${createHash('sha256').update(body).digest('hex').slice(0, 12)}.${ext}`;
    files.set(name, { type, body });
    return `/assets/${name}`;
  };
  const bundle = await build({
    entryPoints: [join(here, 'client', 'map.ts'), join(here, 'client', 'jobForm.ts'), join(here, 'client', 'jobView.ts')],
    outdir: here,
    bundle: true,
    format: 'iife',
    target: 'es2020',
    minify: true,
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const script = (stem: string): Buffer => {
    const out = bundle.outputFiles.find((f) => f.path.endsWith(`${stem}.js`));
    if (!out) throw new Error(`esbuild gave no output for ${stem}.ts`);
    return Buffer.from(out.contents);
  };
  const js = 'text/javascript; charset=utf-8';
  const json = 'application/json; charset=utf-8';
  return {
    cssHref: add('site', 'css', 'text/css; charset=utf-8', await readFile(join(here, 'static', 'site.css'))),
    iconHref: add('icon', 'svg', 'image/svg+xml', await readFile(join(here, 'static', 'icon.svg'))),
    map: {
      js: add('map', 'js', js, script('map')),
      css: add('leaflet', 'css', 'text/css; charset=utf-8', await readFile(require.resolve('leaflet/dist/leaflet.css'))),
      countries: add('countries', 'json', json, await readFile(require.resolve('world-atlas/countries-50m.json'))),
      states: add('states', 'json', json, await readFile(require.resolve('us-atlas/states-10m.json'))),
    },
    jobForm: { js: add('jobForm', 'js', js, script('jobForm')) },
    jobView: { js: add('jobView', 'js', js, script('jobView')) },
    files,
    get version() {
      return createHash('sha256').update([...files.keys()].join('|')).digest('hex').slice(0, 12);
    },
  };
}
