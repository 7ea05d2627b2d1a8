import type { Check, ModeResult, ScenarioResult } from './result.ts';

/** The targets (2-core machine, 100k jobs unless said). */
export const TARGETS = {
  searchP95Ms: { embedded: 25, server: 100 },
  searchShare: { embedded: 0.25, server: 0.8 },
  mapP95Ms: { embedded: 30, server: 150 },
  /** The search page's HTML (`GET /`), uncached, at 20k jobs; the same figure in both modes. */
  pageP95Ms: 50,
  pageJobs: 20_000,
  createP95Ms: { embedded: 10, server: 25 },
  /** Job creation offered at this rate or more (`--create-rate`) is held to `createP95MsHighRate`. */
  createHighRate: 500,
  createP95MsHighRate: { embedded: 25, server: 25 },
  lagP95Ms: { embedded: 250, server: 1500 },
  matchP95Ms: { embedded: 5, server: 50 },
  oramaSpeedup: 10,
  /** Our text-only p50 over FlexSearch's, same text, in process. */
  flexsearchRatio: 2,
  /** Uncached search at 1M jobs with 1,000 QPS offered: all of it achieved, within this p95. */
  search1mRate: 1000,
  search1mP95Ms: { embedded: 50, server: 150 },
  /** Recommendations at 1M jobs, 50 QPS offered (exact: every open job considered). */
  recommendP95Ms: { embedded: 50, server: 150 },
  embeddedRssMb: 2048,
  rebuildS: { embedded: 60, server: 300 },
  /** The soak's reads (query logs at 1,000 QPS uncached beside writes and scheduled work), at 1M jobs over 10 minutes. */
  soakP999Ms: { embedded: 100, server: 500 },
  soakMaxMs: { embedded: 250, server: undefined },
  soakS: 600,
} as const;

const atMost = (what: string, value: number | undefined, limit: number, unit: string, note?: string): Check => ({
  what,
  ...(value !== undefined && Number.isFinite(value) ? { value, pass: value <= limit } : {}),
  unit,
  target: `≤ ${limit} ${unit}`,
  ...(note ? { note } : {}),
});

const atLeast = (what: string, value: number | undefined, limit: number, unit: string, target: string, note?: string): Check => ({
  what,
  ...(value !== undefined && Number.isFinite(value) ? { value: Math.round(value * 100) / 100, pass: value >= limit } : {}),
  unit,
  target,
  ...(note ? { note } : {}),
});

/**
 * Sets each result's checks. Notes say when a figure is taken off the target's
 * conditions (dataset size, duration), so a quick run's marks read as a smoke
 * check, not as the verdict.
 */
export function applyTargets(m: ModeResult, durationS: number): void {
  const mode = m.mode;
  const jobs = m.dataset?.jobs ?? 0;
  const by = new Map(m.scenarios.map((s) => [s.name, s]));
  const sizeNote = (want: number): string | undefined => (jobs !== want ? `target is for ${want.toLocaleString('en')} jobs; this run has ${jobs.toLocaleString('en')}` : undefined);
  const shortNote = durationS < 60 ? `target is for 60 s; this run measured ${durationS} s` : undefined;
  const join = (...notes: Array<string | undefined>): string | undefined => notes.filter(Boolean).join('; ') || undefined;
  const failed = (s: ScenarioResult): number => s.errors + s.timeouts + s.non2xx;

  // The search targets are checked twice in embedded mode: as served (repeats from the response cache) and with every answer computed.
  for (const name of ['search-rate', 'search-rate-nocache']) {
    const searchRate = by.get(name);
    if (!searchRate) continue;
    searchRate.checks = [
      { what: 'errors + timeouts + non-2xx', value: failed(searchRate), unit: '', target: '0', pass: failed(searchRate) === 0, ...(join(sizeNote(100_000), shortNote) ? { note: join(sizeNote(100_000), shortNote)! } : {}) },
      atMost('p95', searchRate.latencyMs?.p95, TARGETS.searchP95Ms[mode], 'ms', join(sizeNote(100_000), shortNote)),
    ];
  }
  for (const name of ['search-max', 'search-max-nocache']) {
    const searchMax = by.get(name);
    if (!searchMax) continue;
    const base = mode === 'embedded' ? by.get('bare') : by.get('engine');
    const share = TARGETS.searchShare[mode];
    const percent = base?.achievedQps && searchMax.achievedQps !== undefined ? (100 * searchMax.achievedQps) / base.achievedQps : undefined;
    searchMax.checks = [atLeast(`throughput ÷ ${mode === 'embedded' ? 'bare fastify' : 'engine direct'}`, percent, share * 100, '%', `≥ ${share * 100}%`, join(sizeNote(100_000), base ? undefined : 'baseline not run'))];
  }
  // The logs: the search targets as served and computed, the map target; next to each uncached run, its engine-direct baseline of equal work.
  for (const name of ['search-log', 'search-log-nocache', 'map-log', 'map-log-nocache']) {
    const run = by.get(name);
    if (!run) continue;
    const search = name.startsWith('search');
    const note = join(sizeNote(search ? 100_000 : 1_000_000), shortNote);
    run.checks = [
      { what: 'errors + timeouts + non-2xx', value: failed(run), unit: '', target: '0', pass: failed(run) === 0, ...(note ? { note } : {}) },
      atMost('p95', run.latencyMs?.p95, search ? TARGETS.searchP95Ms[mode] : TARGETS.mapP95Ms[mode], 'ms', note),
    ];
    const engine = by.get(`engine ${search ? 'search' : 'map'}-log`);
    if (name.endsWith('-nocache') && engine?.latencyMs && run.latencyMs) {
      run.checks.push({ what: 'p95 over engine direct (the same engine requests)', value: Math.round((run.latencyMs.p95 - engine.latencyMs.p95) * 100) / 100, unit: 'ms', target: 'reported' });
    }
  }
  // Uncached search at 1M: the computed runs must keep up with 1,000 QPS offered.
  for (const name of ['search-rate-nocache', 'search-log-nocache']) {
    const run = by.get(name);
    if (!run || run.offeredQps === undefined || run.offeredQps < TARGETS.search1mRate) continue;
    const note = join(sizeNote(1_000_000), shortNote);
    run.checks.push(
      atLeast(`achieved QPS at ${TARGETS.search1mRate} offered`, run.achievedQps, TARGETS.search1mRate * 0.99, 'QPS', `≥ ${TARGETS.search1mRate}`, note),
      atMost('p95 (the 1M target)', run.latencyMs?.p95, TARGETS.search1mP95Ms[mode], 'ms', note),
    );
  }
  const recommend = by.get('recommend');
  if (recommend) recommend.checks = [atMost('p95', recommend.latencyMs?.p95, TARGETS.recommendP95Ms[mode], 'ms', sizeNote(1_000_000))];
  const soak = by.get('soak');
  if (soak) {
    const seconds = soak.durationS ?? 0;
    const note = join(sizeNote(1_000_000), seconds < TARGETS.soakS ? `target is for ${TARGETS.soakS} s; this run measured ${seconds} s` : undefined);
    const maxMs = TARGETS.soakMaxMs[mode];
    soak.checks = [
      { what: 'errors + timeouts + non-2xx', value: failed(soak), unit: '', target: '0', pass: failed(soak) === 0, ...(note ? { note } : {}) },
      atMost('reads p99.9', soak.latencyMs?.p999, TARGETS.soakP999Ms[mode], 'ms', note),
      ...(maxMs !== undefined ? [atMost('reads max', soak.latencyMs?.max, maxMs, 'ms', note)] : []),
      { what: 'heap growth, last minute over first', ...(typeof soak.extra?.heapGrowthMb === 'number' ? { value: soak.extra.heapGrowthMb } : {}), unit: 'MiB', target: 'reported' },
    ];
  }
  const page = by.get('page');
  if (page) {
    const note = sizeNote(TARGETS.pageJobs);
    page.checks = [
      { what: 'errors + timeouts + non-2xx', value: failed(page), unit: '', target: '0', pass: failed(page) === 0, ...(note ? { note } : {}) },
      atMost('p95', page.latencyMs?.p95, TARGETS.pageP95Ms, 'ms', note),
    ];
  }
  const map = by.get('map');
  if (map) map.checks = [atMost('p95', map.latencyMs?.p95, TARGETS.mapP95Ms[mode], 'ms', sizeNote(1_000_000))];
  const create = by.get('create');
  if (create) {
    const limits = (create.offeredQps ?? 0) >= TARGETS.createHighRate ? TARGETS.createP95MsHighRate : TARGETS.createP95Ms;
    create.checks = [atMost('p95', create.latencyMs?.p95, limits[mode], 'ms', sizeNote(100_000))];
  }
  const lag = by.get('lag');
  if (lag) lag.checks = [atMost('p95 command → searchable', lag.latencyMs?.p95, TARGETS.lagP95Ms[mode], 'ms', sizeNote(100_000))];
  const match = by.get('match');
  if (match) match.checks = [atMost('p95', match.latencyMs?.p95, TARGETS.matchP95Ms[mode], 'ms', sizeNote(100_000))];

  for (const kind of ['text+filter', 'radius'] as const) {
    const ours = by.get(`embedded-direct ${kind}`);
    const orama = by.get(`orama ${kind}`);
    if (!orama) continue;
    const speedup = ours?.latencyMs && orama.latencyMs ? orama.latencyMs.p50 / ours.latencyMs.p50 : undefined;
    const oursDocs = ours?.extra?.docs;
    const oramaDocs = orama.extra?.docs;
    const docsNote = oursDocs !== oramaDocs ? `Orama held ${String(oramaDocs)} jobs (--orama-max-jobs), our store ${String(oursDocs)}` : undefined;
    orama.checks = [atLeast('Orama p50 ÷ ours p50', speedup, TARGETS.oramaSpeedup, '×', `≥ ${TARGETS.oramaSpeedup}×`, join(sizeNote(100_000), docsNote))];
    if (kind === 'text+filter') {
      const oursBytes = ours?.extra?.bytesPerJob as number | undefined;
      const oramaBytes = orama.extra?.bytesPerJob as number | undefined;
      orama.checks.push({
        what: 'memory per job: ours ÷ Orama',
        ...(oursBytes !== undefined && oramaBytes !== undefined ? { value: Math.round((oursBytes / oramaBytes) * 100) / 100, pass: oursBytes < oramaBytes } : {}),
        unit: '',
        target: '< 1',
      });
    }
  }

  const flexsearch = by.get('flexsearch text-only');
  if (flexsearch) {
    const ours = by.get('embedded-direct text-only');
    const ratio = ours?.latencyMs && flexsearch.latencyMs ? ours.latencyMs.p50 / flexsearch.latencyMs.p50 : undefined;
    const [oursDocs, flexDocs] = [ours?.extra?.docs, flexsearch.extra?.docs];
    const docsNote = oursDocs !== flexDocs ? `FlexSearch held ${String(flexDocs)} jobs (--flexsearch-max-jobs), our store ${String(oursDocs)}` : undefined;
    flexsearch.checks = [atMost('ours p50 ÷ FlexSearch p50', ratio === undefined ? undefined : Math.round(ratio * 100) / 100, TARGETS.flexsearchRatio, '×', docsNote)];
  }

  // Dataset-wide figures go on the first scenario of the mode, as a pseudo-scenario.
  const dataset = m.dataset;
  if (dataset) {
    const rss = Math.max(0, ...m.scenarios.map((s) => s.rssMb ?? 0));
    const checks: Check[] = [];
    if (mode === 'embedded' && rss > 0) checks.push(atMost('service RSS (max over scenarios)', rss, TARGETS.embeddedRssMb, 'MiB', sizeNote(1_000_000)));
    checks.push(
      dataset.rebuildS !== undefined
        ? atMost('full rebuild from the log', Math.round(dataset.rebuildS * 10) / 10, TARGETS.rebuildS[mode], 's', join(sizeNote(1_000_000), 'time from start to read models caught up, process start included'))
        : { what: 'full rebuild from the log', unit: 's', target: `≤ ${TARGETS.rebuildS[mode]} s`, note: 'read models not built from scratch in this run: delete bench/.data/<mode>-<jobs> (and, in server mode, its indexes) to measure' },
    );
    m.scenarios.unshift({ name: 'dataset', kind: 'scenario', description: `${dataset.jobs} jobs, log head ${dataset.head}`, errors: 0, timeouts: 0, non2xx: 0, ...(rss > 0 ? { rssMb: rss } : {}), checks });
  }
}
