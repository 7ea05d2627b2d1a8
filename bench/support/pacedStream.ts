// Open-loop load at a fixed rate: request i is due at start + i / rate and is
// sent then, whatever the answers before it did, over at most `connections`
// keep-alive sockets (more waiting in the agent's queue); its latency counts
// from when it was due, so waiting for a socket or behind a stall counts too.
// Offered more than the service answers, the queue is bounded: an arrival
// that finds a second's worth of requests already waiting is dropped unsent
// (a time-out), as a user gives up on a service that does not answer; the
// time-out of a sent request counts from when it got its socket, so the
// service is not handed requests its client is about to abandon (work thrown
// away, which would make an overload look like a collapse).
// autocannon's overallRate is not that: it refills each connection's
// allowance once a second and sends it back to back, so "50 QPS" arrived as a
// burst of 50 on 8 connections at the top of every second and the latencies
// measured the queue of the burst, not the service at 50 QPS.
import http from 'node:http';
import type { LoadRequest } from './loadSpec.ts';

/** The answers a run saw: every latency, the slowest of each second, the status codes. */
export interface Answers {
  times: number[];
  /** Slowest answer per second since the start, bucketed by when it came back: a stall shows as a run of slow answers at its end. */
  maxBySecond: number[];
  codes: Map<number, number>;
}

/** Records one answer that took `ms` and came back `sinceStartMs` after the run started. */
export function recordAnswer(a: Answers, sinceStartMs: number, ms: number, status: number): void {
  a.times.push(ms);
  const second = Math.floor(sinceStartMs / 1000);
  if (!(ms <= (a.maxBySecond[second] ?? 0))) a.maxBySecond[second] = ms;
  a.codes.set(status, (a.codes.get(status) ?? 0) + 1);
}

/** What a paced run saw, per answer and in total; `times` are latencies from due time of every request answered (late answers of the window included). */
export interface PacedOutcome extends Answers {
  /** Answers that came back within the window: what the achieved rate counts. */
  answeredInWindow: number;
  /** Arrivals dropped unsent, the queue being full (counted in `timeouts` too). */
  dropped: number;
  cache: { hits: number; misses: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}

export interface PacedStream {
  url: string;
  connections: number;
  rate: number;
  /** The next request to send. */
  next: () => LoadRequest;
  seconds: number;
  /** A request not answered this long after it got its socket is abandoned as a time-out (autocannon's 10 s). */
  timeoutMs?: number;
  /** Requests waiting for a socket beyond which an arrival is dropped (default: a second of arrivals, at least `connections`). */
  queueLimit?: number;
}

/** Runs one paced stream for `seconds`, then waits for the answers still due (each bounded by its time-out). */
export function runPaced({ url, connections, rate, next, seconds, timeoutMs = 10_000, queueLimit = Math.max(connections, Math.ceil(rate)) }: PacedStream): Promise<PacedOutcome> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const origin = new URL(url);
  const out: PacedOutcome = { times: [], answeredInWindow: 0, maxBySecond: [], codes: new Map(), cache: { hits: 0, misses: 0 }, errors: 0, timeouts: 0, non2xx: 0, dropped: 0 };
  const interval = 1000 / rate;
  const total = Math.max(1, Math.round(rate * seconds));
  const started = performance.now();
  const windowEnd = started + seconds * 1000;
  let sent = 0;
  let open = 0;
  let waiting = 0;
  return new Promise((resolve) => {
    const settle = (): void => {
      open--;
      if (sent === total && open === 0) {
        agent.destroy();
        resolve(out);
      }
    };
    const answered = (due: number, status: number, xCache: string | string[] | undefined): void => {
      const now = performance.now();
      recordAnswer(out, now - started, now - due, status);
      if (now <= windowEnd) out.answeredInWindow++;
      if (status < 200 || status > 299) out.non2xx++;
      if (xCache === 'hit') out.cache.hits++;
      else if (xCache === 'miss') out.cache.misses++;
    };
    const send = (due: number): void => {
      const r = next();
      open++;
      if (waiting >= queueLimit) {
        out.dropped++;
        out.timeouts++;
        settle();
        return;
      }
      waiting++;
      let done = false;
      let timer: NodeJS.Timeout | undefined;
      let queued = true;
      const leaveQueue = (): void => {
        if (queued) waiting--;
        queued = false;
      };
      const finish = (): void => {
        if (done) return;
        done = true;
        leaveQueue();
        clearTimeout(timer);
        settle();
      };
      const req = http.request(
        { host: origin.hostname, port: origin.port, path: r.path, method: r.method, agent, headers: { ...(r.body !== undefined ? { 'content-type': 'application/json' } : {}), ...r.headers } },
        (res) => {
          res.on('data', () => undefined);
          res.on('end', () => {
            if (!done) answered(due, res.statusCode ?? 0, res.headers['x-cache']);
            finish();
          });
          res.on('error', () => {
            if (!done) out.errors++;
            finish();
          });
        },
      );
      req.on('socket', () => {
        leaveQueue();
        timer = setTimeout(() => {
          if (done) return;
          out.timeouts++;
          req.destroy(new Error('timeout'));
          finish();
        }, timeoutMs);
      });
      req.on('error', () => {
        if (!done) out.errors++;
        finish();
      });
      req.end(r.body);
    };
    // Every arrival due by now is sent in this turn; then sleep until the next one is due.
    const tick = (): void => {
      const now = performance.now();
      while (sent < total && started + sent * interval <= now) send(started + sent++ * interval);
      if (sent < total) setTimeout(tick, Math.max(0, started + sent * interval - performance.now()));
    };
    tick();
  });
}
