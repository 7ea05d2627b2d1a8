// Child process that drives the load, so the load generator never shares an
// event loop with what it measures: for each LoadSpec it is sent, it warms up,
// measures, and answers a LoadResult. Streams with a rate are paced open loop
// (pacedStream.ts); closed-loop streams run on autocannon.
import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';
import type { LoadRequest, LoadResult, LoadSpec, LoadStream } from './loadSpec.ts';
import { type Answers, recordAnswer, runPaced } from './pacedStream.ts';
import { summarize } from './stats.ts';

interface StreamOutcome extends Answers {
  errors: number;
  timeouts: number;
  non2xx: number;
  /** Answers that count toward the achieved rate (a paced run's late answers do not). */
  answered: number;
  dropped: number;
  cache: { hits: number; misses: number };
}

/** Where each stream's next request is taken from. */
type Positions = number[];

function runStream(stream: LoadStream, seconds: number, positions: Positions, index: number): Promise<StreamOutcome> {
  const pick = (): LoadRequest => stream.requests[positions[index]!++ % stream.requests.length]!;
  // A rate is offered open loop, paced (pacedStream.ts); autocannon runs the closed-loop (saturation) streams.
  if (stream.rate !== undefined) return runPaced({ url: stream.url, connections: stream.connections, rate: stream.rate, next: pick, seconds }).then((o) => ({ ...o, answered: o.answeredInWindow }));
  return runClosed(stream, seconds, pick);
}

function runClosed(stream: LoadStream, seconds: number, pick: () => LoadRequest): Promise<StreamOutcome> {
  const answers: Answers = { times: [], maxBySecond: [], codes: new Map() };
  const started = performance.now();
  const cache = { hits: 0, misses: 0 };
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: stream.url,
        connections: stream.connections,
        duration: seconds,
        timeout: 10,
        requests: [
          {
            setupRequest: (req) => {
              const r = pick();
              return { ...req, method: r.method, path: r.path, headers: { ...(r.body !== undefined ? { 'content-type': 'application/json' } : {}), ...r.headers }, ...(r.body !== undefined ? { body: r.body } : { body: undefined }) };
            },
            // The response cache says per answer whether it served it (x-cache: hit) or computed it (miss).
            onResponse: (_status, _body, _context, headers) => {
              const x = headers?.['x-cache'];
              if (x === 'hit') cache.hits++;
              else if (x === 'miss') cache.misses++;
            },
          },
        ],
      },
      (err, res) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve({ errors: res.errors, timeouts: res.timeouts, non2xx: res.non2xx, dropped: 0, answered: answers.times.length, ...answers, cache })),
    );
    // The summary has no p95: keep every response time (autocannon passes the client first, unlike its typings).
    (instance as unknown as NodeJS.EventEmitter).on('response', (_client: unknown, status: number, _bytes: number, ms: number) => recordAnswer(answers, performance.now() - started, ms, status));
  });
}

const offsets = (spec: LoadSpec): Positions => spec.streams.map((_, i) => i * 7919);

async function runAll(spec: LoadSpec, seconds: number, positions: Positions): Promise<StreamOutcome[]> {
  return Promise.all(spec.streams.map((s, i) => runStream(s, seconds, positions, i)));
}

function mergedMaxBySecond(outcomes: readonly StreamOutcome[], seconds: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < seconds; i++) out.push(Math.round(Math.max(0, ...outcomes.map((o) => o.maxBySecond[i] ?? 0)) * 10) / 10);
  return out;
}

async function measure(spec: LoadSpec): Promise<LoadResult> {
  const warm = offsets(spec);
  if (spec.warmupS > 0) await runAll(spec, spec.warmupS, warm);
  // A log goes on where the warm-up stopped; a mix starts over at its offset.
  const start = offsets(spec).map((o, i) => (spec.streams[i]!.log ? warm[i]! : o));
  const outcomes = await runAll(spec, spec.durationS, start);
  const times = outcomes.flatMap((o) => o.times);
  const statusCodes: Record<string, number> = {};
  for (const o of outcomes) for (const [code, n] of o.codes) statusCodes[String(code)] = (statusCodes[String(code)] ?? 0) + n;
  const requests = outcomes.reduce((a, o) => a + o.answered, 0);
  const rates = spec.streams.map((s) => s.rate);
  return {
    durationS: spec.durationS,
    ...(rates.every((r) => r !== undefined) ? { offeredQps: rates.reduce<number>((a, b) => a + (b ?? 0), 0) } : {}),
    achievedQps: Math.round((requests / spec.durationS) * 10) / 10,
    requests,
    latencyMs: summarize(times),
    ...(outcomes.length > 1 ? { streamLatencyMs: outcomes.map((o) => summarize(o.times)) } : {}),
    ...(spec.timeline ? { maxBySecond: mergedMaxBySecond(outcomes, spec.durationS) } : {}),
    errors: outcomes.reduce((a, o) => a + o.errors, 0),
    timeouts: outcomes.reduce((a, o) => a + o.timeouts, 0),
    non2xx: outcomes.reduce((a, o) => a + o.non2xx, 0),
    ...(outcomes.some((o) => o.dropped > 0) ? { dropped: outcomes.reduce((a, o) => a + o.dropped, 0) } : {}),
    statusCodes,
    ...(spec.streams.some((st) => st.log) ? { walked: spec.streams.reduce((a, st, i) => a + (st.log ? start[i]! - offsets(spec)[i]! : 0), 0) } : {}),
    ...(outcomes.some((o) => o.cache.hits + o.cache.misses > 0)
      ? { cache: { hits: outcomes.reduce((a, o) => a + o.cache.hits, 0), misses: outcomes.reduce((a, o) => a + o.cache.misses, 0) } }
      : {}),
  };
}

// One process serves every run of a bench (starting tsx per run costs seconds
// on a busy machine): each message names a spec file, each reply is its result.
process.on('message', (msg: { file: string }) => {
  const spec = JSON.parse(readFileSync(msg.file, 'utf8')) as LoadSpec;
  measure(spec).then(
    (result) => process.send?.({ result }),
    (err: unknown) => process.send?.({ error: err instanceof Error ? err.message : String(err) }),
  );
});
process.send?.({ ready: true });
