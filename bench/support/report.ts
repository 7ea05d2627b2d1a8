import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, freemem, release, totalmem } from 'node:os';
import { join } from 'node:path';
import type { Check, Report, ScenarioResult } from './result.ts';
import { chartSvg } from './chart.ts';
import type { OverlappingRun } from './scheduledRuns.ts';

export function machineInfo(): Record<string, unknown> {
  const cpu = cpus();
  return {
    cpus: cpu.length,
    cpuModel: cpu[0]?.model ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    freeMemoryGiB: Math.round((freemem() / 2 ** 30) * 10) / 10,
    platform: `${process.platform} ${release()}`,
    arch: process.arch,
  };
}

const mark = (c: Check): string => (c.pass === undefined ? 'n/a' : c.pass ? 'pass' : 'MISS');
const fmt = (n: number | undefined, digits = 1): string => (n === undefined || !Number.isFinite(n) ? '-' : n.toFixed(digits).replace(/\.0+$/, ''));

function checkText(c: Check): string {
  const value = c.value === undefined ? '-' : `${fmt(c.value, 2)}${c.unit === '' ? '' : c.unit === '%' || c.unit === '×' ? c.unit : ` ${c.unit}`}`;
  return `${c.what}: ${value} (target ${c.target}) **${mark(c)}**${c.note ? ` _(${c.note})_` : ''}`;
}

function row(s: ScenarioResult): string {
  const l = s.latencyMs;
  const checks = s.checks.length > 0 ? s.checks.map(checkText).join('<br>') : '';
  return `| ${s.name} | ${s.kind} | ${fmt(s.offeredQps, 0)} | ${fmt(s.achievedQps)} | ${fmt(l?.p50, 2)} | ${fmt(l?.p95, 2)} | ${fmt(l?.p99, 2)} | ${fmt(l?.p999, 2)} | ${fmt(l?.max, 2)} | ${s.errors + s.timeouts} | ${s.non2xx} | ${fmt(s.rssMb, 0)} | ${checks} |`;
}

/** A log scenario's response-cache hit rate (from each answer's `x-cache` header) and what it replayed. */
/** The soak's operator runs, its slowest seconds and its memory. */
function soakLine(s: ScenarioResult): string | undefined {
  const x = s.extra ?? {};
  if (s.name !== 'soak') return undefined;
  const runs = (x.operatorRuns as Array<{ job: string; atS: number; status: number; ms: number }> | undefined) ?? [];
  const worst = (x.worstSeconds as Array<{ s: number; ms: number }> | undefined) ?? [];
  const write = x.writeLatencyMs as { p95?: number; max?: number } | undefined;
  const parts = [
    runs.length > 0 ? `operator runs ${runs.map((r) => `${r.job} at ${fmt(r.atS)} s (${r.status}, ${r.ms} ms)`).join(', ')}` : 'no operator runs',
    `slowest seconds ${worst.slice(0, 5).map((w) => `${w.s} s: ${fmt(w.ms)} ms`).join(', ')}`,
    `writes p95 ${fmt(write?.p95, 2)} ms, max ${fmt(write?.max, 2)} ms`,
    `heap growth ${typeof x.heapGrowthMb === 'number' ? `${x.heapGrowthMb} MiB` : 'not sampled'} (last minute's mean over the first's)`,
  ];
  return `- soak: ${parts.join('; ')}`;
}

/** The scheduled runs that shared the machine with a scenario (none: no line). */
function scheduledLine(s: ScenarioResult): string | undefined {
  const runs = s.extra?.scheduledRuns as OverlappingRun[] | undefined;
  if (!runs || runs.length === 0) return undefined;
  const text = runs.map((r) => `${r.job} started ${r.startedAt.slice(11, 19)} UTC (${fmt(r.overlapS)} s of the scenario${r.endedAt === undefined ? ', still running at its end' : ''}${r.error !== undefined ? `, failed: ${r.error}` : ''})`);
  return `- ${s.name}: scheduled runs during it: ${text.join('; ')}`;
}

function logLine(s: ScenarioResult): string | undefined {
  const x = s.extra ?? {};
  if (typeof x.runRequests !== 'number' && typeof x.engineRequests !== 'number') return undefined;
  const parts: string[] = [];
  if (typeof x.cacheHitRate === 'number') parts.push(`response-cache hit rate ${fmt(x.cacheHitRate * 100, 1)}% (${String(x.cacheHits)} hits, ${String(x.cacheMisses)} misses, by x-cache)`);
  if (typeof x.runRequests === 'number') parts.push(`${String(x.runRequests)} requests prepared for the run, ${String(x.runDistinct)} distinct`);
  if (typeof x.walked === 'number') parts.push(`${String(x.walked)} sent (warm-up included)${x.wrapped === true ? ', **wrapped to the log\'s start (repeats: caches favoured)**' : ''}`);
  if (typeof x.logDistinct === 'number') parts.push(`from a log of ${String(x.logRequests)} requests holding ${String(x.logDistinct)} distinct searches (Zipf ${String(x.zipf)}), ${String(x.nextPages)} next pages by cursor, ${String(x.nextPagesLeftOut)} left out (no next page)`);
  if (typeof x.engineRequests === 'number') parts.push(`${String(x.engineRequests)} captured engine requests, ${String(x.perServiceRequest)} per service request`);
  return `- ${s.name}: ${parts.join('; ')}`;
}

export function markdownOf(r: Report): string {
  const lines: string[] = [];
  lines.push(`# Benchmark ${r.at}${r.quick ? ' (quick)' : ''}`, '');
  const m = r.machine;
  lines.push(`Machine: ${String(m.cpus)} × ${String(m.cpuModel)}, ${String(m.memoryGiB)} GiB, ${String(m.platform)}. Versions: ${Object.entries(r.versions).map(([k, v]) => `${k} ${v}`).join(', ')}. Took ${r.elapsedS} s.`, '');
  const all = r.modes.flatMap((mode) => mode.scenarios.flatMap((s) => s.checks));
  lines.push(`Targets: ${all.filter((c) => c.pass === true).length} pass, ${all.filter((c) => c.pass === false).length} miss, ${all.filter((c) => c.pass === undefined).length} not measured.`, '');
  for (const mode of r.modes) {
    const d = mode.dataset;
    lines.push(`## ${mode.mode} mode`, '');
    if (d) lines.push(`Dataset: ${d.jobs.toLocaleString('en')} jobs (log head ${d.head}, seeded head ${d.seededHead}; ${d.seeded ? `seeded in ${fmt(d.seedS)} s, ${d.rebuildS !== undefined ? `projected from scratch in ${fmt(d.rebuildS)} s` : 'read models already there'}` : 'reused from bench/.data'}); service ready in ${fmt(d.startS)} s.`, '');
    if (mode.error) lines.push(`**Failed:** ${mode.error}`, '');
    lines.push('| scenario | kind | offered QPS | achieved QPS | p50 ms | p95 ms | p99 ms | p99.9 ms | max ms | errors | non-2xx | RSS MiB | target |', '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
    for (const s of mode.scenarios) lines.push(row(s));
    lines.push('');
    for (const s of mode.scenarios) {
      const mem = s.extra?.bytesPerJob;
      if (typeof mem === 'number') lines.push(`- ${s.name}: ${JSON.stringify(s.extra?.docs)} jobs loaded in ${JSON.stringify(s.extra?.loadS)} s, ${mem} bytes per job (heap + buffers), RSS +${JSON.stringify(s.extra?.rssDeltaMb)} MiB`);
      const log = logLine(s) ?? soakLine(s);
      if (log) lines.push(log);
      const scheduled = scheduledLine(s);
      if (scheduled) lines.push(scheduled);
    }
    lines.push('');
  }
  lines.push('Each scenario: warm-up, then a fixed duration; the load generator in a process of its own on loopback, paced open loop at an offered rate (latency from when each request was due), autocannon closed loop otherwise. See bench/README.md.', '');
  return lines.join('\n');
}

/** The run `latest.*` stands for: the full one at 1M jobs in both modes (a smaller run must not replace it). */
export function isReferenceRun(r: Report): boolean {
  const jobs = r.options.jobs;
  return !r.quick && typeof jobs === 'number' && jobs >= 1_000_000 && r.modes.length === 2;
}

/** Writes <out>/<timestamp>.{json,md,svg} (kept: one report per run), and the same as latest.{json,md,svg} for a reference run. */
export function writeReport(r: Report, out: string): { paths: string[]; markdown: string } {
  mkdirSync(out, { recursive: true });
  const json = `${JSON.stringify(r, null, 2)}\n`;
  const markdown = markdownOf(r);
  const svg = chartSvg(r);
  const stamp = r.at.replace(/[:.]/g, '-');
  const paths: string[] = [];
  for (const name of isReferenceRun(r) ? [stamp, 'latest'] : [stamp]) {
    for (const [ext, text] of [['json', json], ['md', markdown], ['svg', svg]] as const) {
      const path = join(out, `${name}.${ext}`);
      writeFileSync(path, text);
      paths.push(path);
    }
  }
  return { paths, markdown };
}
