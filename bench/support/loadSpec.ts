import type { Latency } from './stats.ts';

/** What one load run sends: one or more streams run side by side, merged into one result. */
export interface LoadRequest {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadStream {
  /** Origin, e.g. http://127.0.0.1:3000. */
  url: string;
  connections: number;
  /** Requests per second offered by this stream (closed loop when absent). */
  rate?: number;
  /** Sent in turn, round robin over all connections. */
  requests: LoadRequest[];
  /**
   * A query log: walked in order, the measurement going on where the warm-up
   * stopped (a cyclic mix restarts at its offset instead).
   */
  log?: boolean;
}

export interface LoadSpec {
  durationS: number;
  warmupS: number;
  streams: LoadStream[];
  /** Report the slowest response of each second (finding stalls in a long run). */
  timeline?: boolean;
}

export interface LoadResult {
  durationS: number;
  offeredQps?: number;
  achievedQps: number;
  requests: number;
  latencyMs: Latency;
  /** Per stream, in the spec's order, when there is more than one. */
  streamLatencyMs?: Latency[];
  /** With `timeline`: the slowest response of each second of the measurement, ms (0: none answered). */
  maxBySecond?: number[];
  errors: number;
  timeouts: number;
  /** Of the time-outs, arrivals a paced run dropped unsent, its queue full (the offered rate above what the service answered). */
  dropped?: number;
  non2xx: number;
  statusCodes: Record<string, number>;
  /** Requests taken from the log streams, warm-up included (past their length, a log wraps to its start). */
  walked?: number;
  /** Answers by their `x-cache` header (the service's response cache), when any had one. */
  cache?: { hits: number; misses: number };
}
