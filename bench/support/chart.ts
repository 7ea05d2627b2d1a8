import type { Report, ScenarioResult } from './result.ts';

// A hand-written SVG: per mode, one row per scenario and baseline; left, the
// latency percentiles on a log scale (p99 light, p95 mid, p50 dark, the p95
// target as a red tick); right, the achieved throughput on a log scale
// (offered as a dashed tick).

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const ROW = 22;
const LABEL = 200;
const LAT_W = 420;
const QPS_X = LABEL + LAT_W + 40;
const QPS_W = 260;
const WIDTH = QPS_X + QPS_W + 120;
const LOG_MIN = 0.01;
const LOG_MAX = 10_000;

const QPS_MIN = 1;
const QPS_MAX = 100_000;
const xQps = (qps: number): number => QPS_X + (Math.log10(Math.min(QPS_MAX, Math.max(QPS_MIN, qps)) / QPS_MIN) / Math.log10(QPS_MAX / QPS_MIN)) * QPS_W;

const xLat = (ms: number): number => {
  const v = Math.min(LOG_MAX, Math.max(LOG_MIN, ms));
  return LABEL + (Math.log10(v / LOG_MIN) / Math.log10(LOG_MAX / LOG_MIN)) * LAT_W;
};

function p95Target(s: ScenarioResult): number | undefined {
  const c = s.checks.find((k) => k.what.startsWith('p95'));
  const m = c ? /≤ ([\d.]+) ms/.exec(c.target) : null;
  return m ? Number(m[1]) : undefined;
}

export function chartSvg(r: Report): string {
  const parts: string[] = [];
  let y = 30;
  parts.push(`<text x="10" y="20" font-size="14" font-weight="bold">Benchmark ${esc(r.at)}${r.quick ? ' (quick)' : ''}: latency percentiles (log scale) and throughput per scenario, with baselines</text>`);
  for (const mode of r.modes) {
    const rows = mode.scenarios.filter((s) => s.latencyMs !== undefined || s.achievedQps !== undefined);
    y += 20;
    parts.push(`<text x="10" y="${y}" font-size="13" font-weight="bold">${esc(mode.mode)} mode${mode.dataset ? `, ${mode.dataset.jobs.toLocaleString('en')} jobs` : ''}</text>`);
    y += 8;
    // Axis ticks.
    for (const t of [0.01, 0.1, 1, 10, 100, 1000, 10000]) {
      parts.push(`<line x1="${xLat(t)}" y1="${y}" x2="${xLat(t)}" y2="${y + rows.length * ROW + 4}" stroke="#ddd"/>`, `<text x="${xLat(t)}" y="${y + rows.length * ROW + 16}" font-size="9" text-anchor="middle">${t} ms</text>`);
    }
    for (const t of [1, 10, 100, 1000, 10_000, 100_000]) {
      parts.push(`<line x1="${xQps(t)}" y1="${y}" x2="${xQps(t)}" y2="${y + rows.length * ROW + 4}" stroke="#ddd"/>`, `<text x="${xQps(t)}" y="${y + rows.length * ROW + 16}" font-size="9" text-anchor="middle">${t >= 1000 ? `${t / 1000}k` : t}/s</text>`);
    }
    for (const s of rows) {
      const cy = y + 4;
      const color = s.kind === 'baseline' ? '#7a5195' : '#1f77b4';
      const miss = s.checks.some((c) => c.pass === false);
      const pass = s.checks.length > 0 && s.checks.every((c) => c.pass !== false) && s.checks.some((c) => c.pass === true);
      parts.push(`<text x="${LABEL - 6}" y="${cy + 12}" font-size="11" text-anchor="end">${esc(s.name)}${s.kind === 'baseline' ? ' (baseline)' : ''}</text>`);
      const l = s.latencyMs;
      if (l && Number.isFinite(l.p50)) {
        parts.push(
          `<rect x="${LABEL}" y="${cy}" width="${xLat(l.p99) - LABEL}" height="16" fill="${color}" opacity="0.25"><title>p99 ${l.p99} ms</title></rect>`,
          `<rect x="${LABEL}" y="${cy}" width="${xLat(l.p95) - LABEL}" height="16" fill="${color}" opacity="0.5"><title>p95 ${l.p95} ms</title></rect>`,
          `<rect x="${LABEL}" y="${cy}" width="${xLat(l.p50) - LABEL}" height="16" fill="${color}"><title>p50 ${l.p50} ms</title></rect>`,
        );
        const target = p95Target(s);
        if (target !== undefined) parts.push(`<line x1="${xLat(target)}" y1="${cy - 2}" x2="${xLat(target)}" y2="${cy + 18}" stroke="#d62728" stroke-width="2"><title>p95 target ${target} ms</title></line>`);
      }
      if (s.achievedQps !== undefined) {
        const w = xQps(s.achievedQps) - QPS_X;
        parts.push(`<rect x="${QPS_X}" y="${cy}" width="${w}" height="16" fill="${color}" opacity="0.8"><title>${s.achievedQps} req/s</title></rect>`);
        parts.push(`<text x="${QPS_X + w + 4}" y="${cy + 12}" font-size="10">${Math.round(s.achievedQps)}</text>`);
      }
      if (s.offeredQps !== undefined) {
        const x = xQps(s.offeredQps);
        parts.push(`<line x1="${x}" y1="${cy - 2}" x2="${x}" y2="${cy + 18}" stroke="#333" stroke-dasharray="2,2"><title>offered ${s.offeredQps} req/s</title></line>`);
      }
      if (miss || pass) parts.push(`<text x="${QPS_X + QPS_W + 50}" y="${cy + 12}" font-size="11" font-weight="bold" fill="${miss ? '#d62728' : '#2ca02c'}">${miss ? 'miss' : 'pass'}</text>`);
      y += ROW;
    }
    y += 30;
  }
  parts.push(
    `<text x="10" y="${y}" font-size="10">Bars: p50 dark, p95 mid, p99 light (ms, log scale); red tick: p95 target. Right: achieved req/s, log scale (dashed: offered). Blue: scenarios; purple: baselines. pass/miss: every target of the row.</text>`,
  );
  y += 10;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${y}" viewBox="0 0 ${WIDTH} ${y}" font-family="sans-serif">\n<rect width="100%" height="100%" fill="white"/>\n${parts.join('\n')}\n</svg>\n`;
}
