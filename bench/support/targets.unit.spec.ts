import { describe, expect, it } from 'vitest';
import { parseOptions, UsageError } from './options.ts';
import type { ModeResult, ScenarioResult } from './result.ts';
import { percentile, summarize } from './stats.ts';
import { applyTargets } from './targets.ts';

const latency = (p95: number, p50 = p95 / 2) => ({ n: 100, p50, p95, p99: p95, max: p95, mean: p50 });
const scenario = (name: string, extra: Partial<ScenarioResult> = {}): ScenarioResult => ({ name, kind: 'scenario', description: name, errors: 0, timeouts: 0, non2xx: 0, checks: [], ...extra });
const dataset = (jobs: number) => ({ jobs, seededHead: 10, head: 10, seeded: false, startS: 1 });

describe('bench targets', () => {
  it('marks a p95 against the mode target and notes a run off the target size', () => {
    const m: ModeResult = { mode: 'embedded', dataset: dataset(10_000), scenarios: [scenario('create', { latencyMs: latency(12) }), scenario('lag', { latencyMs: latency(100) })] };
    applyTargets(m, 60);
    const create = m.scenarios.find((s) => s.name === 'create')!.checks[0]!;
    expect(create).toMatchObject({ value: 12, pass: false, target: '≤ 10 ms' });
    expect(create.note).toContain('100,000 jobs');
    expect(m.scenarios.find((s) => s.name === 'lag')!.checks[0]).toMatchObject({ pass: true });
  });

  it('uses the server targets in server mode', () => {
    const m: ModeResult = { mode: 'server', dataset: dataset(100_000), scenarios: [scenario('create', { latencyMs: latency(12) })] };
    applyTargets(m, 60);
    expect(m.scenarios.find((s) => s.name === 'create')!.checks[0]).toMatchObject({ pass: true, target: '≤ 25 ms' });
    expect(m.scenarios.find((s) => s.name === 'create')!.checks[0]!.note).toBeUndefined();
  });

  it('holds job creation offered at 500 QPS or more to the high-rate target', () => {
    const m: ModeResult = { mode: 'embedded', dataset: dataset(100_000), scenarios: [scenario('create', { latencyMs: latency(20), offeredQps: 500 })] };
    applyTargets(m, 60);
    expect(m.scenarios.find((s) => s.name === 'create')!.checks[0]).toMatchObject({ value: 20, pass: true, target: '≤ 25 ms' });
    const slow: ModeResult = { mode: 'embedded', dataset: dataset(100_000), scenarios: [scenario('create', { latencyMs: latency(20), offeredQps: 50 })] };
    applyTargets(slow, 60);
    expect(slow.scenarios.find((s) => s.name === 'create')!.checks[0]).toMatchObject({ value: 20, pass: false, target: '≤ 10 ms' });
  });

  it('offers job creation at --create-rate, 50 QPS unless told', () => {
    expect(parseOptions([], '/out')).toMatchObject({ createRate: 50 });
    expect(parseOptions(['--create-rate', '500'], '/out')).toMatchObject({ createRate: 500 });
    expect(() => parseOptions(['--create-rate', '0'], '/out')).toThrow(/--create-rate/);
  });

  it('counts any error, timeout or non-2xx against the fixed-rate search', () => {
    const m: ModeResult = { mode: 'embedded', dataset: dataset(100_000), scenarios: [scenario('search-rate', { latencyMs: latency(5), non2xx: 1 })] };
    applyTargets(m, 60);
    const [errors, p95] = m.scenarios.find((s) => s.name === 'search-rate')!.checks;
    expect(errors).toMatchObject({ value: 1, pass: false });
    expect(p95).toMatchObject({ pass: true });
  });

  it('holds the logs to the search and map targets and gives the uncached run\'s p95 over its engine-direct baseline of equal work', () => {
    const baseline = (name: string, p95: number): ScenarioResult => ({ ...scenario(name, { latencyMs: latency(p95) }), kind: 'baseline' });
    const m: ModeResult = {
      mode: 'server',
      dataset: dataset(100_000),
      scenarios: [scenario('search-log', { latencyMs: latency(20) }), scenario('search-log-nocache', { latencyMs: latency(130) }), scenario('map-log-nocache', { latencyMs: latency(90), errors: 1 }), baseline('engine search-log', 55.5), baseline('engine map-log', 70)],
    };
    applyTargets(m, 60);
    const checks = (name: string) => m.scenarios.find((s) => s.name === name)!.checks;
    expect(checks('search-log')).toHaveLength(2);
    expect(checks('search-log-nocache')[1]).toMatchObject({ pass: false, target: '≤ 100 ms' });
    expect(checks('search-log-nocache')[2]).toMatchObject({ value: 74.5, unit: 'ms' });
    expect(checks('map-log-nocache')[0]).toMatchObject({ value: 1, pass: false });
    expect(checks('map-log-nocache')[1]).toMatchObject({ pass: true, target: '≤ 150 ms' });
    expect(checks('map-log-nocache')[2]).toMatchObject({ value: 20 });
  });

  it('holds the search page to 50 ms p95 at 20k jobs, in either mode, and counts any failed page against it', () => {
    const m: ModeResult = { mode: 'server', dataset: dataset(20_000), scenarios: [scenario('page', { latencyMs: latency(40), non2xx: 2 }), { ...scenario('page-api', { latencyMs: latency(10) }), kind: 'baseline' }] };
    applyTargets(m, 60);
    const [errors, p95] = m.scenarios.find((s) => s.name === 'page')!.checks;
    expect(errors).toMatchObject({ value: 2, pass: false });
    expect(p95).toMatchObject({ value: 40, pass: true, target: '≤ 50 ms' });
    expect(p95!.note).toBeUndefined();
    const bigger: ModeResult = { mode: 'embedded', dataset: dataset(100_000), scenarios: [scenario('page', { latencyMs: latency(60) })] };
    applyTargets(bigger, 60);
    const check = bigger.scenarios.find((s) => s.name === 'page')!.checks[1]!;
    expect(check).toMatchObject({ pass: false });
    expect(check.note).toContain('20,000 jobs');
    expect(m.scenarios.find((s) => s.name === 'page-api')!.checks).toEqual([]);
  });

  it('compares saturation with the baseline of the mode: bare fastify embedded, the engine in server mode', () => {
    const embedded: ModeResult = { mode: 'embedded', dataset: dataset(100_000), scenarios: [scenario('search-max', { achievedQps: 3000 }), { ...scenario('bare', { achievedQps: 10_000 }), kind: 'baseline' }] };
    applyTargets(embedded, 60);
    expect(embedded.scenarios.find((s) => s.name === 'search-max')!.checks[0]).toMatchObject({ value: 30, unit: '%', pass: true });
    const server: ModeResult = { mode: 'server', dataset: dataset(100_000), scenarios: [scenario('search-max', { achievedQps: 700 }), { ...scenario('engine', { achievedQps: 1000 }), kind: 'baseline' }] };
    applyTargets(server, 60);
    expect(server.scenarios.find((s) => s.name === 'search-max')!.checks[0]).toMatchObject({ value: 70, pass: false });
  });

  it('leaves a figure unmarked when its baseline or sample is missing', () => {
    const m: ModeResult = { mode: 'embedded', dataset: dataset(100_000), scenarios: [scenario('search-max', { achievedQps: 3000 }), scenario('match')] };
    applyTargets(m, 60);
    expect(m.scenarios.find((s) => s.name === 'search-max')!.checks[0]!.pass).toBeUndefined();
    expect(m.scenarios.find((s) => s.name === 'match')!.checks[0]!.pass).toBeUndefined();
  });

  it('needs Orama to be 10× slower than our store and to hold more memory per job', () => {
    const base = (name: string, p50: number, bytesPerJob: number): ScenarioResult => ({ ...scenario(name, { latencyMs: latency(p50 * 2, p50), extra: { bytesPerJob } }), kind: 'baseline' });
    const m: ModeResult = { mode: 'embedded', dataset: dataset(100_000), scenarios: [base('embedded-direct text+filter', 0.5, 1000), base('orama text+filter', 4, 5000), base('embedded-direct radius', 0.1, 1000), base('orama radius', 2, 5000)] };
    applyTargets(m, 60);
    const textFilter = m.scenarios.find((s) => s.name === 'orama text+filter')!.checks;
    expect(textFilter[0]).toMatchObject({ value: 8, pass: false });
    expect(textFilter[1]).toMatchObject({ value: 0.2, pass: true });
    expect(m.scenarios.find((s) => s.name === 'orama radius')!.checks[0]).toMatchObject({ value: 20, pass: true });
  });
  it('holds our text-only p50 to twice FlexSearch\'s and notes a different document count', () => {
    const base = (name: string, p50: number, docs: number): ScenarioResult => ({ ...scenario(name, { latencyMs: latency(p50 * 2, p50), extra: { docs } }), kind: 'baseline' });
    const close: ModeResult = { mode: 'embedded', dataset: dataset(1_000_000), scenarios: [base('embedded-direct text-only', 0.3, 1_000_000), base('flexsearch text-only', 0.2, 1_000_000)] };
    applyTargets(close, 60);
    const check = close.scenarios.find((s) => s.name === 'flexsearch text-only')!.checks[0]!;
    expect(check).toMatchObject({ value: 1.5, pass: true, target: '≤ 2 ×' });
    expect(check.note).toBeUndefined();
    const far: ModeResult = { mode: 'embedded', dataset: dataset(1_000_000), scenarios: [base('embedded-direct text-only', 1, 1_000_000), base('flexsearch text-only', 0.25, 500_000)] };
    applyTargets(far, 60);
    const farCheck = far.scenarios.find((s) => s.name === 'flexsearch text-only')!.checks[0]!;
    expect(farCheck).toMatchObject({ value: 4, pass: false });
    expect(farCheck.note).toContain('FlexSearch held 500000 jobs');
  });

  it('holds uncached search at 1M to 1,000 QPS achieved within the mode\'s p95, and recommendations to theirs', () => {
    const m: ModeResult = {
      mode: 'embedded',
      dataset: dataset(1_000_000),
      scenarios: [scenario('search-log-nocache', { latencyMs: latency(40), offeredQps: 1000, achievedQps: 995 }), scenario('search-rate-nocache', { latencyMs: latency(60), offeredQps: 1000, achievedQps: 400 }), scenario('recommend', { latencyMs: latency(60) })],
    };
    applyTargets(m, 60);
    const log = m.scenarios.find((s) => s.name === 'search-log-nocache')!.checks;
    expect(log.find((c) => c.what.startsWith('achieved'))).toMatchObject({ value: 995, pass: true });
    expect(log.find((c) => c.what === 'p95 (the 1M target)')).toMatchObject({ value: 40, pass: true, target: '≤ 50 ms' });
    const rate = m.scenarios.find((s) => s.name === 'search-rate-nocache')!.checks;
    expect(rate.find((c) => c.what.startsWith('achieved'))).toMatchObject({ value: 400, pass: false });
    expect(rate.find((c) => c.what === 'p95 (the 1M target)')).toMatchObject({ pass: false });
    expect(m.scenarios.find((s) => s.name === 'recommend')!.checks[0]).toMatchObject({ value: 60, pass: false, target: '≤ 50 ms' });
    const server: ModeResult = { mode: 'server', dataset: dataset(1_000_000), scenarios: [scenario('recommend', { latencyMs: latency(60) })] };
    applyTargets(server, 60);
    expect(server.scenarios.find((s) => s.name === 'recommend')!.checks[0]).toMatchObject({ pass: true, target: '≤ 150 ms' });
  });
});

describe('bench stats and options', () => {
  it('takes nearest-rank percentiles', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(xs, 0.5)).toBe(50);
    expect(percentile(xs, 0.95)).toBe(95);
    expect(percentile(xs, 1)).toBe(100);
    expect(summarize([3, 1, 2])).toMatchObject({ n: 3, p50: 2, max: 3, mean: 2 });
    expect(Number.isNaN(summarize([]).p50)).toBe(true);
  });

  it('defaults --quick to embedded, 10k jobs, 5 s, and refuses unknown scenarios and bad numbers', () => {
    expect(parseOptions(['--quick'], '/out')).toMatchObject({ modes: ['embedded'], jobs: 10_000, durationS: 5, out: '/out' });
    expect(parseOptions([], '/out')).toMatchObject({ modes: ['embedded', 'server'], jobs: 100_000, durationS: 60 });
    expect(() => parseOptions(['--scenarios', 'search-max,nope'], '/out')).toThrow(UsageError);
    expect([...parseOptions(['--scenarios', 'page,search-rate'], '/out').scenarios]).toEqual(['page', 'search-rate']);
    expect(() => parseOptions(['--jobs', '-3'], '/out')).toThrow(/--jobs/);
    expect(() => parseOptions(['--mode', 'cloud'], '/out')).toThrow(/--mode/);
  });

  it('takes the query log scenarios and their options: 50,000 distinct searches at Zipf 1 unless told', () => {
    expect(parseOptions([], '/out')).toMatchObject({ logSearches: 50_000, zipf: 1 });
    const o = parseOptions(['--scenarios', 'search-log,search-log-nocache,map-log,engine-log', '--log-searches', '80000', '--zipf', '1.2'], '/out');
    expect(o).toMatchObject({ logSearches: 80_000, zipf: 1.2 });
    expect([...o.scenarios]).toEqual(['search-log', 'search-log-nocache', 'map-log', 'engine-log']);
    expect(() => parseOptions(['--zipf', '0'], '/out')).toThrow(/--zipf/);
  });
});
