import { Command, Option } from 'commander';
import { tokenRoles } from '../../command/http/auth.ts';
import { createTokenService } from '../../command/http/auth.ts';
import { authSecret } from '../authSecret.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { Presets, SingleBar } from 'cli-progress';
import { openReadSide } from '../readSide.ts';
import { openRuntime } from '../runtime.ts';
import { seedEventStore } from '../seed/seedEventStore.ts';
import { serverRoles, startServer } from '../startServer.ts';
import type { ServerRole } from '../startServer.ts';
import { CliError, parseCount } from './cliSupport.ts';

const program = new Command('jobsctl').description('Operate the job discovery service').showHelpAfterError();

program
  .command('token')
  .description('print a bearer token the running server accepts (same DATA_DIR or AUTH_SECRET)')
  .addOption(new Option('--role <role>', 'token role').choices(tokenRoles).makeOptionMandatory())
  .requiredOption('--sub <id>', 'subject: the business, worker or operator id')
  .option('--ttl <duration>', 'lifetime like 30d, 12h')
  .option('--json', 'print JSON')
  .action(async (opts: { role: (typeof tokenRoles)[number]; sub: string; ttl?: string; json?: boolean }) => {
    const config = loadConfig();
    const tokens = createTokenService(authSecret(config), opts.ttl ?? config.TOKEN_TTL);
    const token = await tokens.sign({ role: opts.role, sub: opts.sub });
    process.stdout.write(opts.json ? `${JSON.stringify({ role: opts.role, sub: opts.sub, token })}\n` : `${token}\n`);
  });

program
  .command('serve')
  .description('run the service, or one role of it (server mode scales each role out)')
  .addOption(new Option('--role <role>', 'which role this process plays').choices(serverRoles).default('all'))
  .action(async (opts: { role: ServerRole }) => {
    await startServer(loadConfig(), { role: opts.role });
  });

program
  .command('seed')
  .description('append a deterministic dataset (jobs around real cities, businesses, workers, saved searches) to the log')
  .option('--jobs <n>', 'number of jobs', (v) => parseCount(v, '--jobs'), 20_000)
  .option('--seed <n>', 'generator seed: the same seed gives the same data', (v) => parseCount(v, '--seed'), 42)
  .option('--now <iso>', 'the instant dates are relative to (default: now)')
  .option('--json', 'print JSON')
  .action(async (opts: { jobs: number; seed: number; now?: string; json?: boolean }) => {
    const config = loadConfig();
    const now = opts.now ? new Date(opts.now) : new Date();
    if (Number.isNaN(now.getTime())) throw new CliError('--now must be an ISO instant');
    const runtime = await openRuntime(config);
    const bar = opts.json ? undefined : new SingleBar({ format: 'seeding |{bar}| {value}/{total} streams, {events} events, {eta_formatted} left', hideCursor: true }, Presets.shades_classic);
    try {
      let started = false;
      const result = await seedEventStore(runtime.store, { jobs: opts.jobs, seed: opts.seed, now }, {
        onProgress: (p) => {
          if (!bar) return;
          if (!started) bar.start(p.totalStreams, 0, { events: 0 });
          started = true;
          bar.update(p.streams, { events: p.events });
        },
      });
      bar?.stop();
      const summary = { jobs: opts.jobs, seed: opts.seed, streams: result.streams, events: result.events, seconds: Math.round(result.elapsedMs) / 1000, head: await runtime.store.headPosition() };
      process.stdout.write(opts.json ? `${JSON.stringify(summary)}\n` : `seeded ${summary.events} events in ${summary.streams} streams in ${summary.seconds} s; log head ${summary.head}\n`);
    } finally {
      bar?.stop();
      await runtime.close();
    }
  });

const projections = program.command('projections').description('the read-model projections');
projections
  .command('status')
  .description('checkpoint, lag and dead letters of each projection, read from the stored checkpoints')
  .option('--json', 'print JSON')
  .action(async (opts: { json?: boolean }) => {
    const config = loadConfig();
    const runtime = await openRuntime(config);
    const reads = await openReadSide(config, runtime.store, { runProjector: false });
    try {
      const status = await reads.status();
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ projections: status })}\n`);
      } else {
        for (const p of status) {
          process.stdout.write(`${p.name.padEnd(8)} checkpoint ${p.checkpoint} / head ${p.head}  lag ${p.lagEvents} events  dead letters ${p.deadLetters}\n`);
        }
      }
      if (status.some((p) => p.deadLetters > 0)) process.exitCode = 1;
    } finally {
      await reads.close();
      await runtime.close();
    }
  });

// Further commands live in their own files (ops/cli/*Command.ts), each exporting
// register<Name>(program); one line per command here:


try {
  await program.parseAsync();
} catch (err) {
  if (err instanceof ConfigError || err instanceof CliError) {
    console.error(err.message);
    process.exit(2);
  }
  throw err;
}
