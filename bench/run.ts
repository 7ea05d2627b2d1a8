/**
 * The benchmark suite (npm run bench -- --help). For each mode: a cached
 * dataset, the service started as it runs in production (embedded: one
 * process; server: command, projector and query roles), the scenarios and
 * their baselines measured in the same run, then a report in bench/results/.
 * Never part of the tests.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { down, envOf, up } from '../ops/services/index.ts';
import { runScenario } from './scenarios.ts';
import { scheduledRunsBetween } from './support/scheduledRuns.ts';
import { stopLoad } from './support/load.ts';
import type { InprocessResult } from './support/inprocessSpec.ts';
import { HelpRequested, parseOptions, USAGE, UsageError } from './support/options.ts';
import type { BenchOptions, ScenarioName } from './support/options.ts';
import { machineInfo, writeReport } from './support/report.ts';
import type { ModeResult, Report, ScenarioResult } from './support/result.ts';
import { listening, ROOT, spawnNode, stop } from './support/service.ts';
import type { Proc } from './support/service.ts';
import { applyTargets } from './support/targets.ts';
import type { ServerUrls, Topology } from './support/topology.ts';
import { startTopology } from './support/topology.ts';

const log = (line: string): void => void process.stderr.write(`${line}\n`);

/** Server mode: the servers named in the environment, or ones started (and later stopped) under bench/.data/services. */
async function serverUrls(): Promise<{ urls: ServerUrls; stop?: () => Promise<void> }> {
  const { DATABASE_URL, REDIS_URL, SEARCH_URL } = process.env;
  if (DATABASE_URL && REDIS_URL && SEARCH_URL) return { urls: { DATABASE_URL, REDIS_URL, SEARCH_URL } };
  const baseDir = join(ROOT, 'bench', '.data', 'services');
  log(`starting PostgreSQL, Redis and OpenSearch under ${baseDir} ...`);
  const { state, started } = await up({ baseDir, owner: process.pid, tieToProcess: true, log });
  const env = envOf(state) as unknown as ServerUrls;
  return { urls: env, ...(started.length > 0 ? { stop: async () => void (await down(baseDir, log)) } : {}) };
}

/** Samples a value every 500 ms while `work` runs; the largest sample. */
async function withMaxSample<T>(sample: () => number, work: () => Promise<T>): Promise<[T, number]> {
  let max = sample();
  const timer = setInterval(() => (max = Math.max(max, sample())), 500);
  try {
    const result = await work();
    return [result, Math.max(max, sample())];
  } finally {
    clearInterval(timer);
  }
}

/** The embedded store, Orama and FlexSearch called in process (each in a child of its own, for a clean heap). */
async function inprocess(dataDir: string, o: BenchOptions): Promise<ScenarioResult[]> {
  const seconds = o.quick ? 2 : Math.max(2, Math.min(o.durationS, 20));
  const results: ScenarioResult[] = [];
  const peers = { embedded: { label: 'embedded-direct', what: 'our embedded store', maxJobs: o.jobs }, orama: { label: 'orama', what: '@orama/orama', maxJobs: o.oramaMaxJobs }, flexsearch: { label: 'flexsearch', what: 'FlexSearch (Document, strict words)', maxJobs: o.flexsearchMaxJobs } } as const;
  for (const engine of ['embedded', 'orama', 'flexsearch'] as const) {
    const peer = peers[engine];
    log(`  in process: ${engine} ...`);
    const child = spawn(process.execPath, ['--expose-gc', '--max-old-space-size=8192', '--import', 'tsx', join(import.meta.dirname, 'support', 'inprocess.ts'), engine, dataDir, String(peer.maxJobs), String(seconds)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    const line = out.trim().split('\n').pop() ?? '';
    if (code !== 0 || !line.startsWith('{')) throw new Error(`in-process ${engine} failed (exit ${String(code)}): ${err.slice(-2000)}`);
    const r = JSON.parse(line) as InprocessResult;
    const kinds: Record<string, string> = { textFilter: 'text+filter', textOnly: 'text-only', radius: 'radius', mix: 'mix', map: 'map' };
    for (const [key, lat] of Object.entries(r.latency)) {
      const { opsPerS, ...latencyMs } = lat;
      results.push({
        name: `${peer.label} ${kinds[key] ?? key}`,
        kind: 'baseline',
        description: `${peer.what} called in process, one request at a time, ${r.docs} jobs loaded`,
        achievedQps: opsPerS,
        latencyMs,
        requests: latencyMs.n,
        errors: 0,
        timeouts: 0,
        non2xx: 0,
        durationS: seconds,
        connections: 1,
        extra: { docs: r.docs, loadS: Math.round(r.loadS * 100) / 100, bytesPerJob: r.bytesPerJob, rssDeltaMb: r.rssDeltaMb },
        checks: [],
      });
    }
  }
  return results;
}

async function runMode(mode: 'embedded' | 'server', o: BenchOptions, servers: ServerUrls | undefined): Promise<ModeResult> {
  const result: ModeResult = { mode, scenarios: [] };
  let topology: Topology | undefined;
  let bare: Proc | undefined;
  try {
    log(`\n== ${mode} mode, ${o.jobs} jobs ==`);
    topology = await startTopology(mode, o.jobs, { ...(servers ? { servers } : {}), queryWorkers: o.queryWorkers, log });
    result.dataset = topology.dataset;
    log(`  service ready in ${topology.dataset.startS.toFixed(1)} s (reads ${topology.readUrl}, writes ${topology.writeUrl})`);
    if (o.scenarios.has('bare')) bare = await spawnNode('bare fastify', [join(import.meta.dirname, 'support', 'bareServer.ts')], process.env as Record<string, string>, listening, 60_000);
    // The log scenarios run before anything writes: a write moves the read position and empties the response cache.
    const order: ScenarioName[] = ['bare', 'engine', 'search-max', 'search-rate', 'search-log', 'search-log-nocache', 'page', 'map', 'map-log', 'map-log-nocache', 'engine-log', 'match', 'recommend', 'create', 'lag', 'mixed', 'soak'];
    for (const name of order) {
      if (!o.scenarios.has(name)) continue;
      if ((name === 'engine' || name === 'engine-log') && mode !== 'server') continue;
      log(`  ${name} ...`);
      const t = topology;
      const began = new Date();
      const [rows, rss] = await withMaxSample(() => t.totalRssMb(), () => runScenario(name, { topology: t, options: o, ...(bare ? { bareUrl: bare.url } : {}), log }));
      const scheduled = await scheduledRunsBetween(t.schedulerUrl, t.operatorToken, began, new Date());
      for (const row of rows) {
        if (row.kind === 'scenario') {
          row.rssMb = rss;
          row.queryRssMb = t.readRssMb();
          row.extra = { ...row.extra, scheduledRuns: scheduled };
        }
        const l = row.latencyMs;
        log(`    ${row.name}: ${row.achievedQps ?? '-'} req/s, p50 ${l?.p50 ?? '-'} p95 ${l?.p95 ?? '-'} p99 ${l?.p99 ?? '-'} ms, errors ${row.errors + row.timeouts}, non-2xx ${row.non2xx}`);
        result.scenarios.push(row);
      }
    }
  } catch (err) {
    result.error = err instanceof Error ? err.message : String(err);
    log(`  ${mode} mode failed: ${result.error}`);
  } finally {
    await stop(bare);
    await topology?.close();
  }
  if (mode === 'embedded' && o.scenarios.has('inprocess') && topology && !result.error) {
    try {
      result.scenarios.push(...(await inprocess(topology.dataDir, o)));
    } catch (err) {
      result.error = err instanceof Error ? err.message : String(err);
      log(`  in-process baselines failed: ${result.error}`);
    }
  }
  applyTargets(result, o.durationS);
  return result;
}

async function main(): Promise<number> {
  const started = performance.now();
  const o = parseOptions(process.argv.slice(2), join(ROOT, 'bench', 'results'));
  let services: { urls: ServerUrls; stop?: () => Promise<void> } | undefined;
  const modes: ModeResult[] = [];
  try {
    if (o.modes.includes('server')) services = await serverUrls();
    for (const mode of o.modes) modes.push(await runMode(mode, o, services?.urls));
  } finally {
    await stopLoad();
    await services?.stop?.();
  }
  const report: Report = {
    at: new Date().toISOString(),
    quick: o.quick,
    options: { ...o, scenarios: [...o.scenarios], out: undefined },
    machine: machineInfo(),
    versions: await versionsOf(services?.urls),
    modes,
    elapsedS: Math.round((performance.now() - started) / 100) / 10,
  };
  const files = writeReport(report, o.out);
  process.stdout.write(`${files.markdown}\n`);
  log(`written ${files.paths.join(', ')}`);
  return modes.some((m) => m.error) ? 1 : 0;
}

/** Versions of what was measured: node, the libraries, the engine. */
async function versionsOf(servers: ServerUrls | undefined): Promise<Record<string, string>> {
  const { createRequire } = await import('node:module');
  const require = createRequire(import.meta.url);
  const pkg = (name: string): string => {
    try {
      return (require(`${name}/package.json`) as { version: string }).version;
    } catch {
      return 'unknown';
    }
  };
  const own = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
  const out: Record<string, string> = { [own.name]: own.version, node: process.version, fastify: pkg('fastify'), autocannon: pkg('autocannon'), '@orama/orama': pkg('@orama/orama'), 'better-sqlite3': pkg('better-sqlite3') };
  if (servers) {
    try {
      const { probeEngine } = await import('../query/engine/connect.ts');
      const e = await probeEngine(servers.SEARCH_URL);
      out[e.engine] = e.version;
    } catch {
      // the engine is gone: leave it out
    }
  }
  return out;
}

try {
  process.exitCode = await main();
} catch (err) {
  if (err instanceof HelpRequested) {
    process.stdout.write(`${err.message}\n`);
  } else if (err instanceof UsageError) {
    console.error(`${err.message}\n${USAGE}`);
    process.exitCode = 2;
  } else {
    throw err;
  }
}
