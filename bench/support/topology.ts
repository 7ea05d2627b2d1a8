import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTokenService } from '../../ops/http/tokens.ts';
import { jobsAliasName } from '../../mappings/jobsIndex.ts';
import type { Proc } from './service.ts';
import { jobsctl, ROOT, rssMb, serve, stop } from './service.ts';

export type Mode = 'embedded' | 'server';

/** The one secret every bench process shares, so the bench can sign its own tokens. */
export const BENCH_SECRET = 'bench-secret-bench-secret-bench-secret-0123';

export interface ServerUrls {
  DATABASE_URL: string;
  REDIS_URL: string;
  SEARCH_URL: string;
}

export interface Dataset {
  jobs: number;
  /** Log head after the seed (the bench's own writes come after it). */
  seededHead: number;
  /** Log head when the scenarios started. */
  head: number;
  /** Whether this run seeded (false: reused from bench/.data). */
  seeded: boolean;
  seedS?: number;
  /** Time to project the whole log into fresh read models (a full rebuild), when this run did it. */
  rebuildS?: number;
  /** Time from spawning the service to its banner. */
  startS: number;
}

export interface Topology {
  mode: Mode;
  env: Record<string, string>;
  /** Where reads go (embedded: the one process; server: the query role). */
  readUrl: string;
  /** Where commands go (embedded: the one process; server: the command role). */
  writeUrl: string;
  /** The process running the scheduler, which answers POST /v1/ops/jobs/:name/run (embedded: the one process; server: the projector role). */
  schedulerUrl: string;
  dataset: Dataset;
  /** Server mode: the engine and the jobs alias, for the engine-direct baseline. */
  engine?: { url: string; alias: string };
  dataDir: string;
  /** RSS of the process(es) answering reads, MiB (the query role's primary and workers). */
  readRssMb(): number;
  /** RSS of every service process, MiB. */
  totalRssMb(): number;
  token(role: 'business' | 'worker' | 'operator', sub: string): Promise<string>;
  /** A bearer token of an operator: the only caller whose `Cache-Control: no-cache` bypasses the response cache (and who is not rate-limited). */
  operatorToken: string;
  close(): Promise<void>;
}

interface SeedMarker {
  jobs: number;
  head: number;
  seedS: number;
  rebuildS?: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface ProjectionStatus {
  name: string;
  checkpoint: number;
  head: number;
  lagEvents: number;
}

/** Polls the operator view until every projection has applied the log head. */
async function waitCaughtUp(url: string, token: string, log: (line: string) => void, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let last = ''; ; ) {
    const res = await fetch(`${url}/v1/ops/projections`, { headers: { authorization: `Bearer ${token}` } });
    if (res.ok) {
      const body = (await res.json()) as { projections: ProjectionStatus[] };
      if (body.projections.length > 0 && body.projections.every((p) => p.lagEvents === 0)) return;
      const line = body.projections.map((p) => `${p.name} ${p.checkpoint}/${p.head}`).join(', ');
      if (line !== last) log(`  projecting: ${line}`);
      last = line;
    }
    if (Date.now() > deadline) throw new Error(`read models did not catch up in ${timeoutMs / 1000} s`);
    await sleep(1000);
  }
}

/**
 * Seeds the dataset once per mode and size (cached under bench/.data) and
 * starts the service: embedded, one process; server, a command role, a
 * projector and a query role on `queryWorkers` processes. Resolves once the
 * read models hold the whole log.
 */
export async function startTopology(mode: Mode, jobs: number, opts: { servers?: ServerUrls; queryWorkers: number; log: (line: string) => void }): Promise<Topology> {
  const { log } = opts;
  const dataDir = join(ROOT, 'bench', '.data', `${mode}-${jobs}`);
  mkdirSync(dataDir, { recursive: true });
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'warn',
    SEED: 'false',
    // The benchmark is the load: per-caller rate limits would measure the limiter.
    RATE_LIMIT: 'off',
    AUTH_SECRET: BENCH_SECRET,
  };
  if (mode === 'server') {
    if (!opts.servers) throw new Error('server mode needs DATABASE_URL, REDIS_URL and SEARCH_URL');
    Object.assign(env, opts.servers, { JOBS_MODE: 'server', SEARCH_PREFIX: `bench${jobs}_`, DATABASE_SCHEMA_PREFIX: `bench${jobs}` });
  } else {
    env.JOBS_MODE = 'embedded';
    delete env.EVENT_STORE;
  }
  const tokens = createTokenService(BENCH_SECRET);
  const operator = await tokens.sign({ role: 'operator', sub: 'bench' });

  const markerFile = join(dataDir, 'seeded.json');
  let marker = existsSync(markerFile) ? (JSON.parse(readFileSync(markerFile, 'utf8')) as SeedMarker) : undefined;
  if (marker && mode === 'server') {
    // The servers may have been wiped since: trust the marker only if the log still holds the seed.
    const status = JSON.parse(await jobsctl(['projections', 'status', '--json'], env).catch(() => '{"projections":[]}')) as { projections: ProjectionStatus[] };
    if (!status.projections.some((p) => p.head >= marker!.head)) marker = undefined;
  }
  let seeded = false;
  let seedS: number | undefined;
  if (!marker) {
    log(`seeding ${jobs} jobs (${mode}) into ${dataDir} ...`);
    const t0 = Date.now();
    const summary = JSON.parse(await jobsctl(['seed', '--jobs', String(jobs), '--json'], env)) as { head: number };
    seedS = (Date.now() - t0) / 1000;
    marker = { jobs, head: summary.head, seedS };
    seeded = true;
    log(`  seeded in ${seedS.toFixed(1)} s, log head ${summary.head}`);
  }

  // A start only measures a full rebuild when the read models hold nothing yet
  // (a seed that topped up a log whose read models exist measures a catch-up).
  let fromScratch = false;
  if (seeded) {
    try {
      const before = JSON.parse(await jobsctl(['projections', 'status', '--json'], env)) as { projections: Array<{ checkpoint: number }> };
      fromScratch = before.projections.every((p) => p.checkpoint === 0);
    } catch {
      fromScratch = false;
    }
  }

  const procs: Proc[] = [];
  const close = async (): Promise<void> => {
    for (const p of procs.reverse()) await stop(p);
  };
  try {
    const t0 = Date.now();
    let readUrl: string;
    let writeUrl: string;
    let schedulerUrl: string;
    let query: Proc;
    if (mode === 'embedded') {
      // Role all catches up before it listens: on a fresh dataset the time to the banner is the full rebuild.
      query = await serve('all', env);
      procs.push(query);
      readUrl = writeUrl = schedulerUrl = query.url;
    } else {
      // The roles start side by side (each is its own process); a failed one stops the others.
      const started = await Promise.allSettled([serve('command', env), serve('projector', env), serve('query', env, { workers: opts.queryWorkers })]);
      for (const r of started) if (r.status === 'fulfilled') procs.push(r.value);
      const failed = started.find((r) => r.status === 'rejected');
      if (failed) throw failed.reason;
      const [command, projector, queryRole] = started.map((r) => (r as PromiseFulfilledResult<Proc>).value);
      query = queryRole!;
      readUrl = query.url;
      writeUrl = command!.url;
      schedulerUrl = projector!.url;
      await waitCaughtUp(readUrl, operator, log, 60 * 60_000);
    }
    const startS = (Date.now() - t0) / 1000;
    if (seeded && fromScratch) {
      marker.rebuildS = startS;
      writeFileSync(markerFile, `${JSON.stringify(marker, null, 2)}\n`);
    }
    const status = (await (await fetch(`${readUrl}/v1/ops/projections`, { headers: { authorization: `Bearer ${operator}` } })).json()) as { projections: ProjectionStatus[] };
    const head = Math.max(0, ...status.projections.map((p) => p.head));
    // Embedded: "ready" does not wait for the notification projector (serving needs none of it), but on a fresh
    // dataset it folds the whole log into the outbox for minutes on the service's cores: the scenarios wait for it.
    if (mode === 'embedded') await waitCaughtUp(readUrl, operator, log, 60 * 60_000);
    const dataset: Dataset = { jobs, seededHead: marker.head, head, seeded, ...(seedS !== undefined ? { seedS } : {}), ...(seeded && fromScratch ? { rebuildS: startS } : {}), startS };
    const queryProc = query;
    return {
      mode,
      env,
      readUrl,
      writeUrl,
      schedulerUrl,
      dataset,
      ...(mode === 'server' && opts.servers ? { engine: { url: opts.servers.SEARCH_URL.replace(/\/$/, ''), alias: jobsAliasName(env.SEARCH_PREFIX) } } : {}),
      dataDir,
      readRssMb: () => rssMb([queryProc]),
      totalRssMb: () => rssMb(procs),
      token: (role, sub) => tokens.sign({ role, sub }),
      operatorToken: operator,
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
