import { parseArgs } from 'node:util';
import { RATES } from './loadRows.ts';

export const SCENARIOS = ['search-rate', 'search-max', 'search-log', 'search-log-nocache', 'page', 'map', 'map-log', 'map-log-nocache', 'create', 'lag', 'match', 'recommend', 'mixed', 'bare', 'engine', 'engine-log', 'soak', 'inprocess'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface BenchOptions {
  quick: boolean;
  modes: Array<'embedded' | 'server'>;
  jobs: number;
  durationS: number;
  warmupS: number;
  scenarios: Set<ScenarioName>;
  out: string;
  /** Offered rate of the fixed-rate search and mixed scenarios. */
  rate: number;
  /** Offered rate of the `create` scenario (job creation). */
  createRate: number;
  /** Connections of the closed-loop (saturation) runs. */
  connections: number;
  queryWorkers: number;
  /** Orama holds at most this many jobs (it keeps every document in the JS heap). */
  oramaMaxJobs: number;
  /** FlexSearch's documents (its text-only baseline): as many as our store by default, up to 1M. */
  flexsearchMaxJobs: number;
  lagSamples: number;
  /** The search log holds at least this many distinct searches. */
  logSearches: number;
  /** Zipf exponent of the search log's popularity. */
  zipf: number;
  /** Measured seconds of the soak scenario. */
  soakS: number;
}

export const USAGE = `npm run bench -- [--quick] [--mode embedded|server|both] [--jobs N] [--duration S] [--warmup S]
                      [--scenarios ${SCENARIOS.join(',')}] [--out DIR] [--rate QPS] [--create-rate QPS] [--connections N]
                      [--workers N] [--orama-max-jobs N] [--flexsearch-max-jobs N] [--lag-samples N] [--log-searches N] [--zipf S] [--soak S]`;

export class UsageError extends Error {}

/** `--help`: the usage, printed to stdout, exit 0. */
export class HelpRequested extends Error {}

const positive = (name: string, v: string | undefined, fallback: number): number => {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} must be a positive number (got ${JSON.stringify(v)})`);
  return n;
};

export function parseOptions(argv: readonly string[], defaultOut: string): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: 'boolean', default: false },
      mode: { type: 'string' },
      jobs: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      scenarios: { type: 'string' },
      out: { type: 'string' },
      rate: { type: 'string' },
      'create-rate': { type: 'string' },
      connections: { type: 'string' },
      workers: { type: 'string' },
      'orama-max-jobs': { type: 'string' },
      'flexsearch-max-jobs': { type: 'string' },
      'lag-samples': { type: 'string' },
      'log-searches': { type: 'string' },
      zipf: { type: 'string' },
      soak: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) throw new HelpRequested(USAGE);
  const quick = values.quick;
  const mode = values.mode ?? (quick ? 'embedded' : 'both');
  if (!['embedded', 'server', 'both'].includes(mode)) throw new UsageError(`--mode must be embedded, server or both (got ${JSON.stringify(mode)})`);
  const names = values.scenarios?.split(',').map((s) => s.trim()).filter(Boolean) ?? [...SCENARIOS];
  const unknown = names.filter((n) => !(SCENARIOS as readonly string[]).includes(n));
  if (unknown.length > 0) throw new UsageError(`unknown scenario(s) ${unknown.join(', ')}; known: ${SCENARIOS.join(', ')}`);
  return {
    quick,
    modes: mode === 'both' ? ['embedded', 'server'] : [mode as 'embedded' | 'server'],
    jobs: Math.round(positive('jobs', values.jobs, quick ? 10_000 : 100_000)),
    durationS: positive('duration', values.duration, quick ? 5 : 60),
    warmupS: values.warmup === '0' ? 0 : positive('warmup', values.warmup, quick ? 1 : 10),
    scenarios: new Set(names as ScenarioName[]),
    out: values.out ?? defaultOut,
    rate: positive('rate', values.rate, 1000),
    createRate: positive('create-rate', values['create-rate'], RATES.create),
    connections: Math.round(positive('connections', values.connections, 32)),
    queryWorkers: Math.round(positive('workers', values.workers, 2)),
    oramaMaxJobs: Math.round(positive('orama-max-jobs', values['orama-max-jobs'], 100_000)),
    flexsearchMaxJobs: Math.round(positive('flexsearch-max-jobs', values['flexsearch-max-jobs'], 1_000_000)),
    lagSamples: Math.round(positive('lag-samples', values['lag-samples'], quick ? 50 : 300)),
    logSearches: Math.round(positive('log-searches', values['log-searches'], 50_000)),
    zipf: positive('zipf', values.zipf, 1),
    soakS: positive('soak', values.soak, quick ? 20 : 600),
  };
}
