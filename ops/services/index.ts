// Real servers on loopback for development and tests: PostgreSQL, Redis and an
// OpenSearch node, each with its state under one base directory
// (<repo>/.services by default; test runs use <repo>/.services/test-<pid>).
//
//   const state = await up({ baseDir });   // idempotent: reuses what runs
//   envOf(state)  -> { DATABASE_URL, REDIS_URL, SEARCH_URL }
//   await down(baseDir);                    // stops only what `up` started
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { opensearch } from './opensearch.ts';
import { postgres } from './postgres.ts';
import { pidAlive } from './proc.ts';
import { redis } from './redis.ts';
import { ENV_VAR, SERVICE_NAMES, type EnvVarName, type Health, type ServiceDriver, type ServiceName, type ServicesState, type ServiceState } from './types.ts';

export { ENV_VAR, SERVICE_NAMES } from './types.ts';
export type { EnvVarName, Health, ServiceName, ServicesState, ServiceState } from './types.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DEFAULT_BASE_DIR = join(REPO_ROOT, '.services');

const DRIVERS: Record<ServiceName, ServiceDriver> = { postgres, redis, opensearch };

const stateFile = (baseDir: string): string => join(baseDir, 'state.json');

export function readState(baseDir: string): ServicesState | undefined {
  try {
    return JSON.parse(readFileSync(stateFile(baseDir), 'utf8')) as ServicesState;
  } catch {
    return undefined;
  }
}

function writeState(state: ServicesState): void {
  mkdirSync(state.baseDir, { recursive: true });
  const tmp = `${stateFile(state.baseDir)}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state, null, 2) + '\n');
  renameSync(tmp, stateFile(state.baseDir));
}

export interface UpOptions {
  baseDir?: string;
  /** Which services to start (default: all three). */
  only?: readonly ServiceName[];
  /** PID that owns the services (test runs), recorded so a later run can reap them if it died. */
  owner?: number;
  /** Tie the servers to this process: the kernel signals them if it dies (test runs). */
  tieToProcess?: boolean;
  log?: (line: string) => void;
}

export interface UpResult {
  state: ServicesState;
  /** Services started by this call (the others were already running and healthy). */
  started: ServiceName[];
  reused: ServiceName[];
}

/**
 * Start the services that are not running (all in parallel) and wait until
 * each is healthy. Services recorded in state.json whose process is alive and
 * healthy are reused. If one fails, the ones that did start stay recorded
 * (so `down` stops them) and the error names the failing service with its log tail.
 */
export async function up(options: UpOptions = {}): Promise<UpResult> {
  const baseDir = resolve(options.baseDir ?? DEFAULT_BASE_DIR);
  const log = options.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const names = options.only ?? SERVICE_NAMES;
  mkdirSync(baseDir, { recursive: true });
  const previous = readState(baseDir);
  // Whoever started the services first stays their owner: a later `up` (a helper reusing them) must not make them look orphaned.
  const owner = options.owner ?? previous?.owner;
  const state: ServicesState = { baseDir, ...(owner !== undefined ? { owner } : {}), services: { ...previous?.services } };
  const started: ServiceName[] = [];
  const reused: ServiceName[] = [];

  const results = await Promise.allSettled(
    names.map(async (name) => {
      const driver = DRIVERS[name];
      const prior = state.services[name];
      if (prior && driver.owns(prior)) {
        const h = await waitHealthy(driver, prior, 60_000);
        if (h.ok) {
          state.services[name] = { ...prior, version: h.version ?? prior.version };
          reused.push(name);
          return;
        }
        log(`${name}: pid ${prior.pid} is not healthy (${h.detail ?? ''}); restarting it`);
        await driver.stop(prior);
      }
      log(`${name}: starting`);
      const s = await driver.start({
        dir: join(baseDir, name),
        ...(prior ? { previous: prior } : {}),
        log: (l) => log(`${name}: ${l.trimStart()}`),
        ...(options.tieToProcess ? { deathSignal: 'SIGTERM' as const } : {}),
        spawned: (early) => {
          state.services[name] = early; // on record before it is healthy: an interrupted `up` can still be stopped
          writeState(state);
        },
      });
      state.services[name] = s;
      writeState(state);
      started.push(name);
      log(`${name}: ${s.version} healthy on ${s.url} (pid ${s.pid}, ${(s.startMs / 1000).toFixed(1)}s)`);
    }),
  );
  writeState(state);
  const failures = results.flatMap((r, i) => (r.status === 'rejected' ? [`${names[i]}: ${(r.reason as Error).message}`] : []));
  if (failures.length > 0) {
    const error = new Error(`services failed to start under ${baseDir}:\n${failures.join('\n\n')}`);
    Object.defineProperty(error, 'state', { value: state, enumerable: false }); // for callers; kept out of printed errors
    throw error;
  }
  return { state, started, reused };
}

async function waitHealthy(driver: ServiceDriver, state: ServiceState, ms: number): Promise<Health> {
  const until = Date.now() + ms;
  for (;;) {
    const h = await driver.health(state);
    if (h.ok || Date.now() > until || !driver.owns(state)) return h;
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Stop the services recorded in <baseDir>/state.json (by PID, only if the PID is still that server). */
export async function down(baseDir: string = DEFAULT_BASE_DIR, log: (line: string) => void = (l) => process.stderr.write(l + '\n')): Promise<ServiceName[]> {
  const state = readState(resolve(baseDir));
  if (!state) return [];
  const stopped: ServiceName[] = [];
  await Promise.all(
    SERVICE_NAMES.map(async (name) => {
      const s = state.services[name];
      if (!s) return;
      if (DRIVERS[name].owns(s)) {
        await DRIVERS[name].stop(s);
        stopped.push(name);
        log(`${name}: stopped (pid ${s.pid})`);
      }
      // Keep the record with pid 0: the next `up` reuses the same port when it is free.
      state.services[name] = { ...s, pid: 0 };
    }),
  );
  writeState(state);
  return stopped;
}

export interface ServiceStatus {
  name: ServiceName;
  running: boolean;
  healthy: boolean;
  pid?: number;
  url?: string;
  version?: string;
  detail?: string;
}

export async function status(baseDir: string = DEFAULT_BASE_DIR): Promise<ServiceStatus[]> {
  const state = readState(resolve(baseDir));
  return Promise.all(
    SERVICE_NAMES.map(async (name): Promise<ServiceStatus> => {
      const s = state?.services[name];
      if (!s || s.pid === 0) return { name, running: false, healthy: false, detail: 'not started' };
      const running = DRIVERS[name].owns(s);
      const h: Health = running ? await DRIVERS[name].health(s) : { ok: false, detail: `pid ${s.pid} is gone` };
      return {
        name, running, healthy: h.ok, pid: s.pid, url: s.url,
        ...(h.version ? { version: h.version } : {}),
        ...(h.detail ? { detail: h.detail } : {}),
      };
    }),
  );
}

/** The environment variables that point the application at the services. */
export function envOf(state: ServicesState): Partial<Record<EnvVarName, string>> {
  const env: Partial<Record<EnvVarName, string>> = {};
  for (const name of SERVICE_NAMES) {
    const s = state.services[name];
    if (s && s.pid > 0) env[ENV_VAR[name]] = s.url;
  }
  return env;
}

/**
 * Stop and remove the service folders of test runs whose owner process died
 * without its teardown (killed run): <baseDir>/test-* with a dead owner PID.
 */
export async function reapOrphans(parentDir: string = DEFAULT_BASE_DIR, log: (line: string) => void = () => undefined): Promise<void> {
  if (!existsSync(parentDir)) return;
  for (const entry of readdirSync(parentDir)) {
    if (!entry.startsWith('test-')) continue;
    const dir = join(parentDir, entry);
    const state = readState(dir);
    if (state?.owner !== undefined && pidAlive(state.owner)) continue;
    log(`reaping services left by a dead test run in ${dir}`);
    await down(dir, log);
    rmSync(dir, { recursive: true, force: true });
  }
}
