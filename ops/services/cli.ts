// npm run services:up | services:down | services:status  [-- --json] [--base-dir DIR] [--only a,b]
//
// `up` prints the URLs as KEY=value lines on stdout (progress goes to stderr), so
//   set -a; eval "$(npm run -s services:up)"; set +a
// exports DATABASE_URL, REDIS_URL and SEARCH_URL into a shell.
import { Command, Option } from 'commander';
import { DEFAULT_BASE_DIR, down, envOf, SERVICE_NAMES, status, up, type ServiceName } from './index.ts';

function parseOnly(value: string): ServiceName[] {
  const names = value.split(',').map((s) => s.trim()).filter(Boolean);
  for (const n of names) {
    if (!(SERVICE_NAMES as readonly string[]).includes(n)) throw new Error(`unknown service ${n} (one of ${SERVICE_NAMES.join(', ')})`);
  }
  return names as ServiceName[];
}

const program = new Command('services')
  .description('PostgreSQL, Redis and OpenSearch on loopback for development and tests')
  .addOption(new Option('--base-dir <dir>', 'where data, logs and state.json live').default(DEFAULT_BASE_DIR))
  .option('--json', 'machine-readable output');

interface GlobalOptions {
  baseDir: string;
  json?: boolean;
}

program
  .command('up')
  .description('start the services that are not running and wait until healthy (idempotent)')
  .option('--only <names>', 'comma-separated subset: postgres,redis,opensearch')
  .action(async (opts: { only?: string }) => {
    const g = program.opts<GlobalOptions>();
    const result = await up({ baseDir: g.baseDir, ...(opts.only ? { only: parseOnly(opts.only) } : {}) });
    const env = envOf(result.state);
    if (g.json) {
      process.stdout.write(JSON.stringify({ env, started: result.started, reused: result.reused, services: result.state.services }, null, 2) + '\n');
      return;
    }
    for (const name of result.reused) {
      const s = result.state.services[name];
      if (s) process.stderr.write(`${name}: already running, ${s.version} on ${s.url} (pid ${s.pid})\n`);
    }
    for (const [key, value] of Object.entries(env)) process.stdout.write(`${key}=${value}\n`);
  });

program
  .command('down')
  .description('stop the services started by `up` (by PID) and wait for them to exit')
  .action(async () => {
    const g = program.opts<GlobalOptions>();
    const stopped = await down(g.baseDir, g.json ? () => undefined : undefined);
    if (g.json) process.stdout.write(JSON.stringify({ stopped }) + '\n');
    else if (stopped.length === 0) process.stderr.write('nothing was running\n');
  });

program
  .command('status')
  .description('show each service and whether it is healthy (exit 1 if any is not)')
  .action(async () => {
    const g = program.opts<GlobalOptions>();
    const rows = await status(g.baseDir);
    if (g.json) process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
    else {
      for (const r of rows) {
        const what = r.healthy ? 'healthy' : r.running ? 'UNHEALTHY' : 'stopped';
        const parts = [r.name.padEnd(10), what.padEnd(9), r.pid ? `pid ${r.pid}` : '', r.url ?? '', r.version ?? '', r.healthy ? '' : (r.detail ?? '')];
        process.stdout.write(parts.filter(Boolean).join('  ') + '\n');
      }
    }
    if (rows.some((r) => !r.healthy)) process.exitCode = 1;
  });

program.parseAsync().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
