/**
 * Search and map latency through the HTTP API, one mode at a time:
 *   npm run bench:read -- --mode embedded --jobs 100000 --duration 20
 * Starts the service as its own process (seeding an empty data dir), warms
 * up, then runs autocannon over a fixed set of deterministic queries. Writes
 * bench/results/read-<mode>-<jobs>-<timestamp>.json and prints a table.
 */
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { mapPaths, searchPaths } from './support/queries.ts';

const { values } = parseArgs({
  options: {
    mode: { type: 'string', default: 'embedded' },
    jobs: { type: 'string', default: '100000' },
    duration: { type: 'string', default: '20' },
    connections: { type: 'string', default: '16' },
    rate: { type: 'string' },
  },
});
const mode = values.mode === 'server' ? 'server' : 'embedded';
const jobs = Number(values.jobs);
const duration = Number(values.duration);
const connections = Number(values.connections);
const root = join(import.meta.dirname, '..');
const dataDir = join(root, 'bench', '.data', `${mode}-${jobs}`);
mkdirSync(dataDir, { recursive: true });

const env: Record<string, string> = {
  ...(process.env as Record<string, string>),
  DATA_DIR: dataDir,
  SEED_JOBS: String(jobs),
  PORT: '0',
  LOG_LEVEL: 'warn',
  SQLITE_SYNCHRONOUS: 'NORMAL',
  ...(mode === 'server' ? { JOBS_MODE: 'server', SEARCH_PREFIX: `bench${jobs}_`, DATABASE_SCHEMA_PREFIX: `bench${jobs}`, AUTH_SECRET: 'bench-secret-bench-secret-0123456789ab' } : {}),
};
const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'ops', 'main.ts')], { env, stdio: ['ignore', 'pipe', 'inherit'] });
let out = '';
const url = await new Promise<string>((resolve, reject) => {
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    process.stdout.write(d);
    const m = /API\s+(http:\/\/[^\s/]+)\/v1/.exec(out);
    if (m?.[1] && /^Try:/m.test(out)) resolve(m[1]);
  });
  child.once('exit', (code) => reject(new Error(`service exited with ${String(code)}`)));
});

/** Resident memory of the service process, from /proc. */
function rssMb(): number | undefined {
  try {
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+)/.exec(status)?.[1];
    return kb ? Math.round(Number(kb) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * In server mode the projector works behind a lease and the banner does not
 * wait for it: poll the operator view until every projection has caught up.
 */
async function waitForProjections(): Promise<void> {
  const { createTokenService } = await import('../ops/http/tokens.ts');
  const token = await createTokenService(env.AUTH_SECRET ?? '').sign({ role: 'operator', sub: 'bench' }).catch(() => '');
  for (let last = ''; ; ) {
    const res = await fetch(`${url}/v1/ops/projections`, { headers: { authorization: `Bearer ${token}` } });
    if (res.status !== 200) return; // embedded with a generated secret: startServer already waited
    const body = (await res.json()) as { projections: Array<{ name: string; lagEvents: number; checkpoint: number; head: number }> };
    if (body.projections.length > 0 && body.projections.every((p) => p.lagEvents === 0)) return;
    const line = body.projections.map((p) => `${p.name} ${p.checkpoint}/${p.head}`).join(', ');
    if (line !== last) console.log(`catching up: ${line}`);
    last = line;
    await new Promise((r) => setTimeout(r, 2000));
  }
}

async function run(name: string, paths: string[], seconds: number) {
  let i = 0;
  const times: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections,
        duration: seconds,
        ...(values.rate ? { overallRate: Number(values.rate) } : {}),
        requests: [{ setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length]! }) }],
      },
      (err, res) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(res)),
    );
    // autocannon's summary has no p95: keep every response time for exact percentiles.
    instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => times.push(responseTime));
  });
  times.sort((a, b) => a - b);
  const pct = (q: number) => Number((times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? NaN).toFixed(2));
  return {
    name,
    requests: result.requests.total,
    rps: Math.round(result.requests.average),
    p50: pct(0.5),
    p95: pct(0.95),
    p99: pct(0.99),
    max: pct(1),
    errors: result.errors,
    non2xx: result.non2xx,
    rssMb: rssMb(),
  };
}

const caughtUpAt = Date.now();
await waitForProjections();
const catchUpS = (Date.now() - caughtUpAt) / 1000;
const search = searchPaths(500);
const map = mapPaths(420);
await run('warm-up', [...search, ...map], 5);
const results = [await run('search mix', search, duration), await run('map, zoom 0..20', map, duration)];
child.kill('SIGTERM');

const report = { at: new Date().toISOString(), mode, jobs, connections, durationS: duration, catchUpAfterBannerS: catchUpS, results };
mkdirSync(join(root, 'bench', 'results'), { recursive: true });
const file = join(root, 'bench', 'results', `read-${mode}-${jobs}-${report.at.replace(/[:.]/g, '-')}.json`);
writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
console.table(results.map((r) => ({ scenario: r.name, 'req/s': r.rps, 'p50 ms': r.p50, 'p95 ms': r.p95, 'p99 ms': r.p99, 'max ms': r.max, errors: r.errors, non2xx: r.non2xx, 'RSS MB': r.rssMb })));
console.log(`written ${file}`);
