// Vitest global setup: real PostgreSQL, Redis and OpenSearch for the test run.
//
// Unless DATABASE_URL, REDIS_URL and SEARCH_URL are all set already, it starts
// the missing servers, owned by this run, under .services/test-<pid> (fresh data,
// free ports), exports the URLs into process.env (test workers are forked after
// this and inherit them) and stops and removes them in teardown. The servers get
// a parent-death signal, and a later run reaps folders of runs that died, so
// no server outlives its run.
//
// Skipped when the run has no `int` project (e.g. `vitest run --project unit`)
// or TEST_SERVICES=off. It also finds (or installs) Chromium for the browser
// suites and exports CHROMIUM_PATH. ELASTICSEARCH_URL (optional) adds an Elasticsearch 8
// for the engine suites; see tests/support/engines.ts.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { DEFAULT_BASE_DIR, down, ENV_VAR, envOf, reapOrphans, SERVICE_NAMES, up, type ServiceName } from '../../ops/services/index.ts';
import { probeEngine } from '../../query/engine/connect.ts';
import { ensureProgram } from '../../ops/services/proc.ts';

// Vitest calls global setup once per project (and for the root project) in the
// same process: only the first call starts anything, the rest see the env set.
const CLAIMED = Symbol.for('jobs-discovery.test-services');
type Holder = typeof globalThis & { [CLAIMED]?: true };

const say = (line: string): void => {
  process.stderr.write(`[services] ${line}\n`);
};

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const holder = globalThis as Holder;
  if (holder[CLAIMED]) return undefined;
  holder[CLAIMED] = true;

  if (process.env.TEST_SERVICES === 'off') {
    say('TEST_SERVICES=off: not starting PostgreSQL, Redis or OpenSearch');
    return undefined;
  }
  const projects = project.vitest.projects.map((p) => p.name);
  if (projects.length > 0 && projects.every((name) => name === 'unit')) return undefined; // unit-only run

  const missing: ServiceName[] = SERVICE_NAMES.filter((name) => !process.env[ENV_VAR[name]]);
  for (const name of SERVICE_NAMES) {
    if (!missing.includes(name)) say(`${ENV_VAR[name]} is set: using ${redact(process.env[ENV_VAR[name]] ?? '')}`);
  }

  let teardown: (() => Promise<void>) | undefined;
  if (missing.length > 0) {
    await reapOrphans(DEFAULT_BASE_DIR, say);
    const baseDir = join(DEFAULT_BASE_DIR, `test-${process.pid}`);
    // C1-only JIT: the node is up in about half the time on a busy 2-core box;
    // test data is small, so peak query speed does not matter here.
    process.env.OPENSEARCH_JAVA_OPTS ??= '-XX:TieredStopAtLevel=1';
    const began = Date.now();
    say(`starting ${missing.join(', ')} under ${baseDir}`);
    const stop = async (): Promise<void> => {
      await down(baseDir, () => undefined);
      rmSync(baseDir, { recursive: true, force: true });
    };
    try {
      const { state } = await up({ baseDir, only: missing, owner: process.pid, tieToProcess: true, log: say });
      Object.assign(process.env, envOf(state));
      say(`ready in ${((Date.now() - began) / 1000).toFixed(1)}s`);
    } catch (err) {
      await stop();
      // Loud and complete: the message carries the failing server's log tail.
      say(`FAILED to start the test services:\n${(err as Error).message}`);
      throw err;
    }
    teardown = async () => {
      const t = Date.now();
      await stop();
      say(`stopped ${missing.join(', ')} in ${((Date.now() - t) / 1000).toFixed(1)}s`);
    };
  }

  let summary: string;
  try {
    // The browser suites drive the web pages in a real Chromium (Debian's, installed here when missing).
    process.env.CHROMIUM_PATH ??= await ensureProgram('chromium', 'chromium', say);
    say(`CHROMIUM_PATH=${process.env.CHROMIUM_PATH}`);
    summary = await describeEngines();
  } catch (err) {
    await teardown?.();
    throw err;
  }
  if (!process.env.CI) return teardown;
  return async () => {
    await teardown?.();
    process.stdout.write(`CI: ${summary}\n`);
  };
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (!u.password) return url;
    u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}

/** Print the URLs and versions; return which engines the engine suites ran against (printed plainly at the end in CI). */
async function describeEngines(): Promise<string> {
  const lines: string[] = [];
  for (const name of SERVICE_NAMES) {
    const url = process.env[ENV_VAR[name]];
    if (url) lines.push(`${ENV_VAR[name]}=${redact(url)}`);
  }
  const search = process.env.SEARCH_URL;
  const es = process.env.ELASTICSEARCH_URL;
  const engines: string[] = [];
  if (search) {
    try {
      const p = await probeEngine(search);
      engines.push(`${p.engine} ${p.version} (SEARCH_URL)`);
    } catch (err) {
      throw new Error(`SEARCH_URL=${redact(search)} does not answer: ${(err as Error).message}`);
    }
  }
  if (es) {
    try {
      const p = await probeEngine(es);
      engines.push(`${p.engine} ${p.version} (ELASTICSEARCH_URL)`);
    } catch (err) {
      throw new Error(`ELASTICSEARCH_URL=${redact(es)} does not answer: ${(err as Error).message}`);
    }
  }
  for (const line of lines) say(line);
  say(`engine suites run against: ${engines.join(' and ') || 'none'}`);
  if (!es) say('ELASTICSEARCH_URL is not set: engine suites do NOT run against Elasticsearch 8 in this run');
  const summary =
    `search-engine suites ran against ${engines.join(' and ') || 'no engine'}` +
    (es ? '' : '; Elasticsearch 8 was NOT tested (ELASTICSEARCH_URL not set)');
  return summary;
}
