// The soak: the query logs at the offered rate, uncached, for minutes, with
// job creation beside them and the scheduled work an operator would see run
// (a drift check, an expiry run) started in the serving process partway
// through; what it finds is whether anything stalls the service (p99.9, max,
// the slowest answer of each second) and whether its heap grows.
import { cacheExtra, mapPrepared, searchPrepared } from './logScenarios.ts';
import type { ScenarioContext } from './scenarios.ts';
import { runLoad } from './support/load.ts';
import type { LoadRequest, LoadStream } from './support/loadSpec.ts';
import { fromLoad, get, noCache } from './support/loadRows.ts';
import { jobBodies } from './support/queries.ts';
import type { ScenarioResult } from './support/result.ts';

/** Share of the reads that are map views (the rest are searches). */
const MAP_SHARE = 0.1;
const WRITES_PER_S = 50;
/** When each operator run starts, as a share of the measured duration. */
const RUNS = [
  { job: 'drift-check', at: 0.25 },
  { job: 'expire-jobs', at: 0.5 },
] as const;
const HEAP_EVERY_MS = 10_000;

interface RunOutcome {
  job: string;
  /** Seconds into the measurement it was asked. */
  atS: number;
  status: number;
  ms: number;
  report?: unknown;
}

interface MemorySample {
  atS: number;
  heapMb?: number;
  rssMb?: number;
}

/** Reads interleaved: a map view every 1 / MAP_SHARE requests, searches otherwise, each log in its order. */
export function interleave(search: readonly string[], map: readonly string[]): string[] {
  const out: string[] = [];
  const every = Math.round(1 / MAP_SHARE);
  let s = 0;
  let m = 0;
  while (s < search.length) out.push(out.length % every === every - 1 && m < map.length ? map[m++]! : search[s++]!);
  return out;
}

/** One gauge of the service's Prometheus text (the first series when several processes answer alike). */
export function gauge(text: string, name: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  const value = line === undefined ? NaN : Number(line.slice(line.lastIndexOf(' ') + 1));
  return Number.isFinite(value) ? value : undefined;
}

async function sampleMemory(url: string, token: string, atS: number): Promise<MemorySample> {
  try {
    const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    if (!res.ok) return { atS };
    const text = await res.text();
    const mb = (b: number | undefined) => (b === undefined ? undefined : Math.round(b / 2 ** 20));
    const heapMb = mb(gauge(text, 'nodejs_heap_used_bytes'));
    const rssMb = mb(gauge(text, 'process_resident_memory_bytes'));
    return { atS, ...(heapMb !== undefined ? { heapMb } : {}), ...(rssMb !== undefined ? { rssMb } : {}) };
  } catch {
    return { atS };
  }
}

async function askRun(url: string, token: string, job: string, atS: number): Promise<RunOutcome> {
  const started = performance.now();
  try {
    const res = await fetch(`${url}/v1/ops/jobs/${job}/run`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' });
    const body: unknown = await res.json().catch(() => undefined);
    return { job, atS, status: res.status, ms: Math.round(performance.now() - started), ...(body !== undefined ? { report: body } : {}) };
  } catch (err) {
    return { job, atS, status: 0, ms: Math.round(performance.now() - started), report: String(err) };
  }
}

/** Mean of the samples taken from `from` to `to` seconds into the measurement. */
function meanOver(samples: readonly MemorySample[], pick: (s: MemorySample) => number | undefined, from: number, to: number): number | undefined {
  const values = samples.filter((s) => s.atS >= from && s.atS <= to).map(pick).filter((v): v is number => v !== undefined);
  return values.length === 0 ? undefined : Math.round(values.reduce((a, b) => a + b, 0) / values.length);
}

export async function runSoak(ctx: ScenarioContext): Promise<ScenarioResult[]> {
  const { topology: t, options: o } = ctx;
  const seconds = o.soakS;
  const walk = (rate: number) => Math.ceil(rate * (o.warmupS + seconds) * 1.3) + 256;
  const mapRate = Math.round(o.rate * MAP_SHARE);
  const search = await searchPrepared(ctx, walk(o.rate - mapRate));
  const map = await mapPrepared(ctx, walk(mapRate));
  const reads = interleave(search.paths, map.paths);
  const headers = noCache(t);
  const token = await t.token('business', 'b00004');
  const writes = jobBodies(2000, new Date(), 17).map((body): LoadRequest => ({ method: 'POST', path: '/v1/jobs', headers: { authorization: `Bearer ${token}` }, body }));
  const streams: LoadStream[] = [
    { url: t.readUrl, connections: Math.max(16, Math.ceil(o.rate / 20)), rate: o.rate, log: true, requests: reads.map((p) => get(p, headers)) },
    { url: t.writeUrl, connections: 4, rate: WRITES_PER_S, requests: writes },
  ];

  // The operator runs and the memory samples keep time from the measurement's start (after the warm-up).
  const runs: Array<Promise<RunOutcome>> = [];
  const memory: Array<Promise<MemorySample>> = [];
  const timers: NodeJS.Timeout[] = [];
  const measuring = Date.now() + o.warmupS * 1000;
  const sinceStart = () => Math.round((Date.now() - measuring) / 100) / 10;
  for (const r of RUNS) timers.push(setTimeout(() => runs.push(askRun(t.schedulerUrl, t.operatorToken, r.job, sinceStart())), o.warmupS * 1000 + r.at * seconds * 1000));
  const sampler = setInterval(() => {
    if (Date.now() >= measuring) memory.push(sampleMemory(t.readUrl, t.operatorToken, sinceStart()));
  }, HEAP_EVERY_MS);
  memory.push(sampleMemory(t.readUrl, t.operatorToken, -o.warmupS));
  let r;
  try {
    r = await runLoad({ durationS: seconds, warmupS: o.warmupS, streams, timeline: true });
  } finally {
    for (const timer of timers) clearTimeout(timer);
    clearInterval(sampler);
  }
  memory.push(sampleMemory(t.readUrl, t.operatorToken, seconds));
  const [runOutcomes, samples] = await Promise.all([Promise.all(runs), Promise.all(memory)]);

  const readLatency = r.streamLatencyMs?.[0] ?? r.latencyMs;
  const row = fromLoad('soak', 'scenario', `${seconds} s: the search and map logs interleaved (${Math.round(MAP_SHARE * 100)}% map) at ${o.rate} QPS offered, Cache-Control: no-cache, beside POST /v1/jobs at ${WRITES_PER_S}/s; a drift check and an expiry run asked of the service at ${RUNS.map((x) => `${x.at * 100}%`).join(' and ')} of the run`, r, streams.reduce((a, s) => a + s.connections, 0));
  // The row's latency is the reads' (its targets); the writes' sit in extra.
  row.latencyMs = readLatency;
  const worst = (r.maxBySecond ?? []).map((ms, s) => ({ s, ms })).sort((a, b) => b.ms - a.ms).slice(0, 10);
  const heapFirst = meanOver(samples, (s) => s.heapMb, 0, 60);
  const heapLast = meanOver(samples, (s) => s.heapMb, seconds - 60, seconds);
  row.extra = {
    ...row.extra,
    ...cacheExtra(r),
    readLatencyMs: readLatency,
    writeLatencyMs: r.streamLatencyMs?.[1],
    operatorRuns: runOutcomes,
    worstSeconds: worst,
    maxBySecond: r.maxBySecond,
    memory: samples,
    heapGrowthMb: heapFirst !== undefined && heapLast !== undefined ? heapLast - heapFirst : undefined,
    searchLog: search.extra,
    walked: r.walked,
    wrapped: (r.walked ?? 0) > reads.length,
  };
  return [row];
}
