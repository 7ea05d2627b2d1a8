// Append throughput and latency of the event store adapters (npm run bench:append).
// Not a test: it measures, prints a table and writes bench/results/append-*.json.
//
// Each scenario appends EVENTS single-event appends with the expected revision
// of the stream (the command path), either one at a time (sequential) or with
// CONCURRENCY appends in flight, each in-flight worker owning its own streams
// so there are no conflicts. SQLite runs on a file in a temp dir, with
// synchronous=FULL (the default) and NORMAL; PostgreSQL on DATABASE_URL in a
// throwaway schema; EventStoreDB when EVENTSTOREDB_URL is set.
//
// The open-loop scenarios (BENCH_RATES, default 50 and 500 per second, for
// BENCH_RATE_SECONDS each) model job creation over HTTP: every arrival is a
// timer callback of its own (as every request is an I/O callback of its own),
// reads its new stream and appends two events with 'no_stream'. Latency counts
// from the arrival's scheduled time, so a stalled event loop shows. Adapters
// that count their group commits report appends per commit.
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import type { EventStore, NewEvent } from '../eventstore/port.ts';
import { openSqliteEventStore } from '../eventstore/sqlite/sqliteEventStore.ts';
import { openPostgresEventStore } from '../eventstore/postgres/postgresEventStore.ts';
import { openEventStoreDbEventStore } from '../eventstore/eventstoredb/eventStoreDbEventStore.ts';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 5000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const STREAMS_PER_WORKER = 20;
/** Comma-separated subset of sqlite,postgres,eventstoredb (default: all that are configured). */
const ONLY = new Set((process.env.BENCH_ADAPTERS ?? 'sqlite,postgres,eventstoredb').split(','));
const RATES = (process.env.BENCH_RATES ?? '50,500').split(',').map(Number).filter((r) => r > 0);
const RATE_SECONDS = Number(process.env.BENCH_RATE_SECONDS ?? 10);

interface Result {
  adapter: string;
  mode: 'sequential' | 'concurrent' | 'rate';
  inFlight: number;
  /** Arrivals per second offered (open loop); 0 for the closed-loop modes. */
  offeredPerSecond?: number;
  /** Appends per group-commit transaction, where the adapter counts its commits. */
  appendsPerCommit?: number;
  events: number;
  seconds: number;
  appendsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

function event(jobId: string): NewEvent {
  return {
    eventId: randomUUID(),
    type: 'JobViewed',
    data: { jobId, viewedAt: new Date().toISOString(), viewerId: 'worker-1' },
    metadata: {
      actor: { role: 'worker', sub: 'worker-1' },
      correlationId: randomUUID(),
      causationId: randomUUID(),
      occurredAt: new Date().toISOString(),
    },
  };
}

function percentile(sorted: readonly number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

const round = (n: number, digits = 3): number => Number(n.toFixed(digits));

async function scenario(adapter: string, store: EventStore, inFlight: number): Promise<Result> {
  const run = randomUUID().slice(0, 8);
  const latencies: number[] = [];
  let next = 0;
  const worker = async (w: number): Promise<void> => {
    const revisions = new Map<string, number>();
    for (;;) {
      const i = next++;
      if (i >= EVENTS) return;
      const stream = `job-bench-${run}-${w}-${i % STREAMS_PER_WORKER}`;
      const expected = revisions.get(stream) ?? 'no_stream';
      const t0 = performance.now();
      const { revision } = await store.append(stream, [event(stream)], expected);
      latencies.push(performance.now() - t0);
      revisions.set(stream, revision);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: inFlight }, (_, w) => worker(w)));
  const seconds = (performance.now() - started) / 1000;
  const commits = commitStats(store)?.commits ?? 0;
  return {
    adapter,
    mode: inFlight === 1 ? 'sequential' : 'concurrent',
    inFlight,
    events: EVENTS,
    seconds: round(seconds),
    appendsPerSecond: Math.round(EVENTS / seconds),
    ...(commits > 0 ? { appendsPerCommit: round(EVENTS / commits, 2) } : {}),
    ...summary(latencies),
  };
}

/** The group-commit counters of the adapters that keep them. */
function commitStats(store: EventStore): { commits: number; appends: number } | undefined {
  return (store as Partial<{ commitStats: { commits: number; appends: number } }>).commitStats;
}

function summary(latencies: number[]): Pick<Result, 'p50Ms' | 'p95Ms' | 'p99Ms' | 'maxMs'> {
  latencies.sort((a, b) => a - b);
  return {
    p50Ms: round(percentile(latencies, 50)),
    p95Ms: round(percentile(latencies, 95)),
    p99Ms: round(percentile(latencies, 99)),
    maxMs: round(latencies.at(-1) ?? Number.NaN),
  };
}

/** Open loop: `rate` job creations per second for RATE_SECONDS, each arrival in a timer callback of its own. */
async function rateScenario(adapter: string, store: EventStore, rate: number): Promise<Result> {
  const run = randomUUID().slice(0, 8);
  const total = Math.max(1, Math.round(rate * RATE_SECONDS));
  const before = commitStats(store);
  const latencies: number[] = [];
  const started = performance.now() + 50;
  const arrivals = Array.from(
    { length: total },
    (_, i) =>
      new Promise<void>((resolve, reject) => {
        const due = started + (i * 1000) / rate;
        setTimeout(() => {
          // A timer may fire a fraction of a millisecond early: count from whichever came first.
          const from = Math.min(due, performance.now());
          const stream = `job-bench-${run}-${i}`;
          store
            .readStream(stream)
            .then(() => store.append(stream, [event(stream), event(stream)], 'no_stream'))
            .then(() => {
              latencies.push(performance.now() - from);
              resolve();
            }, reject);
        }, Math.max(0, due - performance.now()));
      }),
  );
  await Promise.all(arrivals);
  const seconds = (performance.now() - started) / 1000;
  const after = commitStats(store);
  const commits = before && after ? after.commits - before.commits : 0;
  return {
    adapter,
    mode: 'rate',
    inFlight: 0,
    offeredPerSecond: rate,
    events: total * 2,
    seconds: round(seconds),
    appendsPerSecond: Math.round(total / seconds),
    ...(commits > 0 ? { appendsPerCommit: round(total / commits, 2) } : {}),
    ...summary(latencies),
  };
}

async function both(adapter: string, open: () => Promise<EventStore>, results: Result[]): Promise<void> {
  for (const inFlight of [1, CONCURRENCY]) {
    const store = await open();
    try {
      const result = await scenario(adapter, store, inFlight);
      results.push(result);
      process.stderr.write(`  ${adapter} ${result.mode}: ${result.appendsPerSecond}/s\n`);
    } finally {
      await store.close();
    }
  }
  for (const rate of RATES) {
    const store = await open();
    try {
      const result = await rateScenario(adapter, store, rate);
      results.push(result);
      process.stderr.write(`  ${adapter} ${rate}/s offered: p95 ${result.p95Ms} ms\n`);
    } finally {
      await store.close();
    }
  }
}

async function main(): Promise<void> {
  const results: Result[] = [];
  const skipped: string[] = [];
  if (ONLY.has('sqlite')) {
    const dir = mkdtempSync(join(tmpdir(), 'bench-append-'));
    try {
      let n = 0;
      await both('sqlite (synchronous=FULL)', () => openSqliteEventStore({ path: join(dir, `full-${++n}.db`) }), results);
      await both(
        'sqlite (synchronous=NORMAL)',
        () => openSqliteEventStore({ path: join(dir, `normal-${++n}.db`), synchronous: 'NORMAL' }),
        results,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  } else {
    skipped.push('sqlite: not in BENCH_ADAPTERS');
  }

  const databaseUrl = process.env.DATABASE_URL;
  if (!ONLY.has('postgres')) skipped.push('postgres: not in BENCH_ADAPTERS');
  else if (databaseUrl) {
    const schemas: string[] = [];
    try {
      await both(
        'postgres',
        () => {
          const schema = `bench_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
          schemas.push(schema);
          return openPostgresEventStore({ connectionString: databaseUrl, schema, poolSize: CONCURRENCY });
        },
        results,
      );
    } finally {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    }
  } else {
    skipped.push('postgres: DATABASE_URL is not set');
  }

  const esdbUrl = process.env.EVENTSTOREDB_URL;
  if (!ONLY.has('eventstoredb')) skipped.push('eventstoredb: not in BENCH_ADAPTERS');
  else if (esdbUrl) await both('eventstoredb', () => openEventStoreDbEventStore({ connectionString: esdbUrl }), results);
  else skipped.push('eventstoredb: EVENTSTOREDB_URL is not set');

  const report = {
    benchmark: 'append',
    at: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    eventsPerScenario: EVENTS,
    concurrency: CONCURRENCY,
    rates: RATES,
    rateSeconds: RATE_SECONDS,
    note: 'closed loop: single-event appends with the expected stream revision, latency per append call; rate: job creations (read + two-event append) offered open loop, latency from the scheduled arrival',
    results,
    skipped,
  };
  const outDir = join(import.meta.dirname, 'results');
  mkdirSync(outDir, { recursive: true });
  const stamp = report.at.replaceAll(':', '-').replace(/\.\d+Z$/, 'Z');
  const body = `${JSON.stringify(report, null, 2)}\n`;
  writeFileSync(join(outDir, `append-${stamp}.json`), body);
  writeFileSync(join(outDir, 'append-latest.json'), body);

  console.table(
    results.map((r) => ({
      adapter: r.adapter,
      mode: r.mode === 'rate' ? `rate (${r.offeredPerSecond}/s offered)` : `${r.mode} (${r.inFlight})`,
      'appends/s': r.appendsPerSecond,
      'appends/commit': r.appendsPerCommit ?? '',
      'p50 ms': r.p50Ms,
      'p95 ms': r.p95Ms,
      'p99 ms': r.p99Ms,
      'max ms': r.maxMs,
    })),
  );
  for (const line of skipped) console.log(`skipped ${line}`);
  console.log(`written bench/results/append-${stamp}.json and append-latest.json`);
}

await main();
