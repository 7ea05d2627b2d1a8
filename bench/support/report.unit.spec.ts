import { describe, expect, it } from 'vitest';
import { isReferenceRun, markdownOf } from './report.ts';
import type { Report, ScenarioResult } from './result.ts';

const row = (name: string, extra: Record<string, unknown>): ScenarioResult => ({ name, kind: 'scenario', description: name, errors: 0, timeouts: 0, non2xx: 0, checks: [], extra });

describe('the markdown report', () => {
  it('gives a log scenario\'s response-cache hit rate and what it replayed, and the captured engine requests of its baseline', () => {
    const report: Report = {
      at: '2026-12-07T00:00:00.000Z',
      quick: true,
      options: {},
      machine: { cpus: 2, cpuModel: 'x', memoryGiB: 8, platform: 'linux' },
      versions: {},
      elapsedS: 1,
      modes: [{
        mode: 'server',
        scenarios: [
          row('search-log', { cacheHits: 441, cacheMisses: 559, cacheHitRate: 0.441, runRequests: 6364, runDistinct: 3402, logRequests: 198176, logDistinct: 50000, zipf: 1, nextPages: 290, nextPagesLeftOut: 611, walked: 6000, wrapped: false }),
          row('engine map-log', { engineRequests: 2100, perServiceRequest: 1.5, walked: 2200, wrapped: true }),
          row('search-rate', { statusCodes: { 200: 10 } }),
        ],
      }],
    };
    const lines = markdownOf(report).split('\n').filter((l) => l.startsWith('- '));
    expect(lines).toEqual([
      '- search-log: response-cache hit rate 44.1% (441 hits, 559 misses, by x-cache); 6364 requests prepared for the run, 3402 distinct; 6000 sent (warm-up included); from a log of 198176 requests holding 50000 distinct searches (Zipf 1), 290 next pages by cursor, 611 left out (no next page)',
      "- engine map-log: 2200 sent (warm-up included), **wrapped to the log's start (repeats: caches favoured)**; 2100 captured engine requests, 1.5 per service request",
    ]);
  });
});

describe('the reference report', () => {
  const report = (jobs: number, modes: number, quick = false): Report => ({
    at: '2026-12-07T00:00:00.000Z',
    quick,
    options: { jobs },
    machine: {},
    versions: {},
    elapsedS: 1,
    modes: Array.from({ length: modes }, (_, i) => ({ mode: i === 0 ? 'embedded' : 'server', scenarios: [] })),
  });

  it('is only a full run at 1M jobs in both modes, so latest.* is never replaced by a smaller run', () => {
    expect(isReferenceRun(report(1_000_000, 2))).toBe(true);
    expect(isReferenceRun(report(100_000, 2))).toBe(false);
    expect(isReferenceRun(report(1_000_000, 1))).toBe(false);
    expect(isReferenceRun(report(1_000_000, 2, true))).toBe(false);
  });

  it('gives the soak\'s operator runs, slowest seconds, write latency and heap growth', () => {
    const soak = row('soak', { operatorRuns: [{ job: 'drift-check', atS: 150.2, status: 200, ms: 3100 }], worstSeconds: [{ s: 151, ms: 88.5 }, { s: 20, ms: 40 }], writeLatencyMs: { p95: 7.25, max: 30 }, heapGrowthMb: 12 });
    const r = report(1_000_000, 1);
    r.modes[0]!.scenarios.push(soak);
    const lines = markdownOf(r).split('\n').filter((l) => l.startsWith('- soak'));
    expect(lines).toEqual(["- soak: operator runs drift-check at 150.2 s (200, 3100 ms); slowest seconds 151 s: 88.5 ms, 20 s: 40 ms; writes p95 7.25 ms, max 30 ms; heap growth 12 MiB (last minute's mean over the first's)"]);
  });

  it('names the scheduled runs that overlapped a scenario, and says nothing for a scenario without any', () => {
    const r = report(1_000_000, 1);
    r.modes[0]!.scenarios.push(
      row('create', { scheduledRuns: [{ job: 'drift-check', startedAt: '2026-12-08T01:45:58.926Z', overlapS: 35.2 }, { job: 'expire-jobs', startedAt: '2026-12-08T01:46:00.000Z', endedAt: '2026-12-08T01:46:02.000Z', overlapS: 2, error: 'stopped' }] }),
      row('match', { scheduledRuns: [] }),
    );
    const lines = markdownOf(r).split('\n').filter((l) => l.startsWith('- create') || l.startsWith('- match'));
    expect(lines).toEqual(['- create: scheduled runs during it: drift-check started 01:45:58 UTC (35.2 s of the scenario, still running at its end); expire-jobs started 01:46:00 UTC (2 s of the scenario, failed: stopped)']);
  });
});
