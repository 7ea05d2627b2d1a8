import type { Command } from 'commander';
import { Presets, SingleBar } from 'cli-progress';
import { loadConfig } from '../config.ts';
import { type DriftMode, type DriftReport, checkDrift } from '../drift/checkDrift.ts';
import { openDriftTarget } from '../drift/openDriftTarget.ts';
import { openRuntime } from '../runtime.ts';
import { CliError, parseCount } from './cliSupport.ts';

const EMBEDDED_NOTE = `
Embedded mode works on DATA_DIR's files (events.db, read.db). A check is safe
while a server runs there; a --repair from here reaches that server's
in-memory indexes only when it restarts, so repair with the server stopped
(a running server checks and repairs itself on its schedule).
Exit codes: 0 no drift (or all of it repaired), 1 drift left, 2 bad usage.`;

function describeReport(r: DriftReport): string {
  const lines = [
    `jobs read model, ${r.mode} check: ${r.checkedJobs} jobs compared with the log ${r.mode === 'incremental' ? `after position ${r.fromPosition} ` : ''}up to ${r.toPosition} (head ${r.head}) in ${(r.durationMs / 1000).toFixed(1)} s`,
    `  missing ${r.missing}  extra ${r.extra}  stale ${r.stale}`,
  ];
  for (const kind of ['missing', 'extra', 'stale'] as const) {
    if (r.samples[kind].length > 0) lines.push(`  ${kind}: ${r.samples[kind].join(', ')}${r[kind] > r.samples[kind].length ? ', ...' : ''}`);
  }
  if (r.repaired) lines.push(`  repaired: missing ${r.repaired.missing}  extra ${r.repaired.extra}  stale ${r.repaired.stale}`);
  if (r.poisonEvents > 0) lines.push(`  ${r.poisonEvents} events the projection refuses were skipped (see projections status)`);
  const drifted = r.missing + r.extra + r.stale;
  lines.push(drifted === 0 ? 'no drift' : r.clean ? 'all drift repaired' : r.repaired ? 'drift left: some documents changed since they were checked; run it again' : 'drift found: run with --repair to fix it');
  return `${lines.join('\n')}\n`;
}

function parsePasses(value: string): number {
  const n = parseCount(value, '--passes');
  if (n < 1) throw new CliError('--passes must be at least 1');
  return n;
}

export function registerDriftCheck(program: Command): void {
  program
    .command('drift-check')
    .description('replay the log and compare it with the jobs read model: missing, extra and stale documents')
    .option('--repair', 'put back each missing or stale document and delete each extra one')
    .option('--since <position>', 'check only jobs the log changed after this position (and documents claiming a later one)', (v) => parseCount(v, '--since'))
    .option('--full', 'compare every document (default: what changed since the last clean check; everything when there was none)')
    .option('--passes <n>', 'check the jobs in n passes over the log, each holding 1/n of them in memory (default: one per 200,000 jobs)', (v) => parsePasses(v))
    .option('--json', 'print JSON')
    .addHelpText('after', EMBEDDED_NOTE)
    .action(async (opts: { repair?: boolean; since?: number; full?: boolean; passes?: number; json?: boolean }) => {
      if (opts.since !== undefined && opts.full) throw new CliError('--since and --full exclude each other');
      const mode: DriftMode = opts.full ? 'full' : opts.since !== undefined ? { since: opts.since } : 'incremental';
      const config = loadConfig();
      const runtime = await openRuntime(config);
      const bar = opts.json ? undefined : new SingleBar({ format: '{phase} |{bar}| log position {value}/{total}', hideCursor: true, clearOnComplete: true }, Presets.shades_classic);
      let started = false;
      try {
        const opened = await openDriftTarget(config);
        try {
          const report = await checkDrift(
            { store: runtime.store, target: opened.target },
            {
              mode,
              repair: opts.repair === true,
              ...(opts.passes !== undefined ? { passes: opts.passes } : {}),
              onProgress: (p) => {
                if (!bar) return;
                const phase = p.phase === 'fold' ? `replaying the log${p.passes > 1 ? ` (pass ${p.pass}/${p.passes})` : ''}` : 'reading changes';
                if (!started) bar.start(p.to, 0, { phase });
                started = true;
                bar.setTotal(p.to);
                bar.update(p.position, { phase });
              },
            },
          );
          bar?.stop();
          process.stdout.write(opts.json ? `${JSON.stringify(report)}\n` : describeReport(report));
          process.exitCode = report.clean ? 0 : 1;
        } finally {
          await opened.close();
        }
      } finally {
        bar?.stop();
        await runtime.close();
      }
    });
}
