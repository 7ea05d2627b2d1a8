// Child process that drives autocannon, so the load generator never shares an
// event loop with what it measures: for each LoadSpec it is sent, it warms up,
// measures, and answers a LoadResult.
import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';
import type { LoadRequest, LoadResult, LoadSpec, LoadStream } from './loadSpec.ts';
import { summarize } from './stats.ts';

interface StreamOutcome {
  result: autocannon.Result;
  times: number[];
  codes: Map<number, number>;
}

function runStream(stream: LoadStream, seconds: number, offset: number): Promise<StreamOutcome> {
  let next = offset;
  const times: number[] = [];
  const codes = new Map<number, number>();
  const pick = (): LoadRequest => stream.requests[next++ % stream.requests.length]!;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: stream.url,
        connections: stream.connections,
        duration: seconds,
        timeout: 10,
        ...(stream.rate !== undefined ? { overallRate: stream.rate } : {}),
        requests: [
          {
            setupRequest: (req) => {
              const r = pick();
              return { ...req, method: r.method, path: r.path, headers: { ...(r.body !== undefined ? { 'content-type': 'application/json' } : {}), ...r.headers }, ...(r.body !== undefined ? { body: r.body } : { body: undefined }) };
            },
          },
        ],
      },
      (err, res) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve({ result: res, times, codes })),
    );
    // The summary has no p95: keep every response time (autocannon passes the client first, unlike its typings).
    (instance as unknown as NodeJS.EventEmitter).on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
      times.push(ms);
      codes.set(status, (codes.get(status) ?? 0) + 1);
    });
  });
}

async function runAll(spec: LoadSpec, seconds: number): Promise<StreamOutcome[]> {
  return Promise.all(spec.streams.map((s, i) => runStream(s, seconds, i * 7919)));
}

async function measure(spec: LoadSpec): Promise<LoadResult> {
  if (spec.warmupS > 0) await runAll(spec, spec.warmupS);
  const outcomes = await runAll(spec, spec.durationS);
  const times = outcomes.flatMap((o) => o.times);
  const statusCodes: Record<string, number> = {};
  for (const o of outcomes) for (const [code, n] of o.codes) statusCodes[String(code)] = (statusCodes[String(code)] ?? 0) + n;
  const requests = times.length;
  const rates = spec.streams.map((s) => s.rate);
  return {
    durationS: spec.durationS,
    ...(rates.every((r) => r !== undefined) ? { offeredQps: rates.reduce<number>((a, b) => a + (b ?? 0), 0) } : {}),
    achievedQps: Math.round((requests / spec.durationS) * 10) / 10,
    requests,
    latencyMs: summarize(times),
    errors: outcomes.reduce((a, o) => a + o.result.errors, 0),
    timeouts: outcomes.reduce((a, o) => a + o.result.timeouts, 0),
    non2xx: outcomes.reduce((a, o) => a + o.result.non2xx, 0),
    statusCodes,
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
