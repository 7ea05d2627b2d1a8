import type { LoadRequest, LoadResult } from './loadSpec.ts';
import type { ScenarioResult } from './result.ts';
import type { Topology } from './topology.ts';

/** Fixed offered rates of the latency scenarios (their targets are latencies, not throughput). */
export const RATES = { map: 200, page: 100, create: 50, match: 20, recommend: 50 } as const;

/**
 * Asks the service to compute the answer rather than serve it from its
 * response cache: honoured for operators only, so the bench asks as one.
 */
export const noCache = (t: Topology): Record<string, string> => ({ 'cache-control': 'no-cache', authorization: `Bearer ${t.operatorToken}` });

export const get = (path: string, headers?: Record<string, string>): LoadRequest => ({ method: 'GET', path, ...(headers ? { headers } : {}) });

/** A report row of one load run. */
export function fromLoad(name: string, kind: ScenarioResult['kind'], description: string, r: LoadResult, connections: number): ScenarioResult {
  return {
    name,
    kind,
    description,
    ...(r.offeredQps !== undefined ? { offeredQps: r.offeredQps } : {}),
    achievedQps: r.achievedQps,
    latencyMs: r.latencyMs,
    requests: r.requests,
    errors: r.errors,
    timeouts: r.timeouts,
    non2xx: r.non2xx,
    durationS: r.durationS,
    connections,
    extra: { statusCodes: r.statusCodes, ...(r.dropped !== undefined ? { droppedUnsent: r.dropped } : {}) },
    checks: [],
  };
}
