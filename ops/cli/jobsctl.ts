import cluster from 'node:cluster';
import { Command, Option } from 'commander';
import { tokenRoles } from '../../eventstore/events/index.ts';
import { TokenTtlError, createTokenService } from '../http/tokens.ts';
import { authSecrets } from '../authSecret.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { Presets, SingleBar } from 'cli-progress';
import { openReadSide } from '../readSide.ts';
import { openRuntime } from '../runtime.ts';
import { seedEventStore } from '../seed/seedEventStore.ts';
import { serverRoles, startServer } from '../startServer.ts';
import type { ServerRole } from '../startServer.ts';
import { CliError, parseCount } from './cliSupport.ts';
import { registerRebuildCommands } from './rebuildCommands.ts';
import { registerRunJob } from './runJobCommand.ts';
import { registerDriftCheck } from './driftCommand.ts';
import { registerNotifications } from './notificationsCommand.ts';
import { driftTargetOfReadSide } from '../drift/openDriftTarget.ts';
import { scheduledDriftCheck } from '../drift/scheduledDriftCheck.ts';

const program = new Command('jobsctl').description('Operate the job discovery service').showHelpAfterError();

program
  .command('token')
  .description('print a bearer token the running server accepts (same DATA_DIR or AUTH_SECRET)')
  .addOption(new Option('--role <role>', 'token role').choices(tokenRoles).makeOptionMandatory())
  .requiredOption('--sub <id>', 'subject: the business, worker or operator id')
  .option('--ttl <duration>', 'lifetime like 30m, 12h (default TOKEN_TTL; at most TOKEN_MAX_TTL)')
  .option('--json', 'print JSON')
  .action(async (opts: { role: (typeof tokenRoles)[number]; sub: string; ttl?: string; json?: boolean }) => {
    const config = loadConfig();
    const tokens = createTokenService(authSecrets(config), config.TOKEN_TTL, { maxTtl: config.TOKEN_MAX_TTL });
    const token = await tokens.sign({ role: opts.role, sub: opts.sub }, opts.ttl).catch((err: unknown) => {
      throw err instanceof TokenTtlError ? new CliError(`--ttl: ${err.message}`) : err;
    });
    process.stdout.write(opts.json ? `${JSON.stringify({ role: opts.role, sub: opts.sub, token })}\n` : `${token}\n`);
  });

program
  .command('serve')
  .description('run the service, or one role of it (server mode scales each role out)')
  .addOption(new Option('--role <role>', 'which role this process plays').choices(serverRoles).default('all'))
  .option('--workers <n>', 'query role: this many processes (node:cluster) sharing the port', (v) => parseCount(v, '--workers'), 1)
  .action(async (opts: { role: ServerRole; workers: number }) => {
    if (opts.workers < 1) throw new CliError('--workers must be at least 1');
    if (opts.workers > 1 && opts.role !== 'query') throw new CliError('--workers is for --role query only (the other roles hold state or a lease per process)');
    if (opts.workers > 1 && cluster.isPrimary) {
      loadConfig(); // a bad configuration fails once, here, not in every worker
      // Workers run this same command line; listen() in a worker goes through the primary, so all share one port (PORT=0 included).
      let stoppingWorkers = false;
      const listening = new Set<number>();
      cluster.on('listening', (worker) => listening.add(worker.id));
      cluster.on('exit', (worker, code, signal) => {
        if (stoppingWorkers) {
          if (Object.keys(cluster.workers ?? {}).length === 0) process.exit();
          return;
        }
        // One that served and then died is replaced; one that never listened would only die again.
        if (listening.has(worker.id)) {
          console.error(`query worker ${String(worker.process.pid)} exited (${signal ?? String(code)}); starting another`);
          cluster.fork();
          return;
        }
        console.error(`query worker ${String(worker.process.pid)} exited (${signal ?? String(code)}) before listening; stopping`);
        stoppingWorkers = true;
        for (const w of Object.values(cluster.workers ?? {})) w?.kill();
        process.exitCode = 1;
        if (Object.keys(cluster.workers ?? {}).length === 0) process.exit();
      });
      for (const sig of ['SIGINT', 'SIGTERM'] as const) {
        process.once(sig, () => {
          stoppingWorkers = true;
          for (const w of Object.values(cluster.workers ?? {})) w?.kill(sig);
        });
      }
      for (let i = 0; i < opts.workers; i++) cluster.fork();
      return;
    }
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
registerRebuildCommands(program);
registerRunJob(program, {
  // Embedded: only the serving process may write its read store; it runs this job itself every 5 minutes.
  driftCheck: ({ config, store, reads }) =>
    config.JOBS_MODE === 'server' && config.SEARCH_URL
      ? scheduledDriftCheck({ store, openTarget: () => driftTargetOfReadSide(config, reads.jobs) })
      : () => Promise.reject(new CliError('drift-check: in embedded mode the serving process runs it (every 5 minutes); to check or repair the files, stop the server and run `jobsctl drift-check [--repair]`')),
});
registerDriftCheck(program);
registerNotifications(program);


try {
  await program.parseAsync();
} catch (err) {
  if (err instanceof ConfigError || err instanceof CliError) {
    console.error(err.message);
    process.exit(2);
  }
  throw err;
}
