import type { FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import { buildApp } from './http/buildApp.ts';
import type { ReadinessCheck } from './http/buildApp.ts';
import { openRuntime } from './runtime.ts';
import { openReadSide } from './readSide.ts';
import type { Runtime } from './runtime.ts';
import { seedEventStore } from './seed/seedEventStore.ts';
import { demoPrincipals, printsDemoTokens, webAccounts } from './demoPrincipals.ts';
import { redisLeaderLock } from './leaderLock.ts';
import { Redis } from 'ioredis';
import { purgeIdempotencyKeys } from './scheduler/purgeIdempotencyKeys.ts';
import { composeWeeklySummaries } from './notify/composeWeeklySummaries.ts';
import { lastAlertOf } from './notify/lastAlertOf.ts';
import { openScheduler } from './scheduler/openScheduler.ts';
import { servingDriftCheck } from './drift/servingDriftCheck.ts';
import type { RunningScheduler } from './scheduler/openScheduler.ts';
import type { Telemetry } from './telemetry/telemetry.ts';
import { activeTelemetry, claimPreloadedTelemetry, startTelemetry, telemetryOptionsFrom } from './telemetry/telemetry.ts';
import type { CronStatusSource } from './telemetry/serviceMetrics.ts';
import type { Notifications } from './notify/openNotifications.ts';
import { openNotifications } from './notify/openNotifications.ts';
import { alertSourceOfReadSide, warmAlertSource } from './notify/alertSources.ts';
import { composeDigests } from './notify/composeDigests.ts';
import { cityPlaceLookup } from './web/placeLookup.ts';
import { remindExpiringJobs } from './notify/remindExpiringJobs.ts';

export const serverRoles = ['all', 'command', 'query', 'projector'] as const;
export type ServerRole = (typeof serverRoles)[number];

export interface RunningServer {
  app: FastifyInstance;
  runtime: Runtime;
  url: string;
  /** Shut down by stop(), unless it was already running when the server started. */
  telemetry: Telemetry;
  stop(): Promise<void>;
  /** The scheduled jobs, in roles all and projector unless SCHEDULER=off. */
  scheduler?: RunningScheduler;
  /** The notification outbox (and, in roles all and projector, its projector and delivery) unless NOTIFICATIONS=off. */
  notifications?: Notifications;
}

/**
 * Opens the configured stores, seeds the demo dataset on an empty log, and
 * listens. Prints where to go, and in embedded mode on a terminal tokens for
 * the demo accounts (printsDemoTokens); no token ever goes to a log.
 */
export async function startServer(
  config: Config,
  {
    quiet = false,
    handleSignals = true,
    role = 'all',
    telemetry: givenTelemetry,
    cronStatus,
  }: { quiet?: boolean; handleSignals?: boolean; role?: ServerRole; telemetry?: Telemetry; cronStatus?: CronStatusSource } = {},
): Promise<RunningServer> {
  // First, so that what connects after it is traced (main.ts and register.ts
  // start it even before the database clients load). This server stops what it
  // is given, claims or starts; a second server in one process (tests) shares
  // the running one and leaves it to the first.
  const owned = givenTelemetry ?? claimPreloadedTelemetry();
  const shared = owned ? undefined : activeTelemetry();
  const telemetry = owned ?? shared ?? startTelemetry(telemetryOptionsFrom(config));
  const say = (line: string) => {
    if (!quiet) process.stdout.write(`${line}\n`);
  };
  const started = Date.now();
  const runtime = await openRuntime(config);
  if (config.SEED && config.SEED_JOBS > 0 && (role === 'all' || role === 'command') && (await runtime.store.headPosition()) === 0) {
    say(`seeding the demo dataset: ${config.SEED_JOBS} jobs ...`);
    const seeded = await seedEventStore(runtime.store, { jobs: config.SEED_JOBS, seed: 42, now: new Date() });
    say(`seeded ${seeded.events} events in ${seeded.streams} streams (${(seeded.elapsedMs / 1000).toFixed(1)} s)`);
  }
  const lock = config.JOBS_MODE === 'server' && config.REDIS_URL ? redisLeaderLock(config.REDIS_URL) : undefined;
  const reads = role === 'command' ? undefined : await openReadSide(config, runtime.store, { runProjector: role === 'all' || role === 'projector', ...(lock ? { lock } : {}), log: say });
  if (reads?.runner && !lock) {
    const head = await runtime.store.headPosition();
    if (head > reads.progress.position()) {
      say(`projecting ${head - reads.progress.position()} events into the read models ...`);
      const t0 = Date.now();
      await reads.catchUp((applied, total) => say(`  ${applied} / ${total}`));
      say(`read models caught up in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
  }
  // The drift check repairs the read model this process serves (embedded: from a worker thread, into its in-memory store through the live-version proxy).
  const driftCheck = reads ? servingDriftCheck(config, runtime.store, reads.jobs) : undefined;
  let listening = config.PUBLIC_URL ?? `http://${config.HOST}:${config.PORT}`;
  const alerts = reads ? alertSourceOfReadSide(reads) : undefined;
  const notifications = config.NOTIFICATIONS === 'on'
    ? await openNotifications(config, runtime.store, { run: role === 'all' || role === 'projector', ...(lock ? { lock } : {}), ...(alerts ? { alerts } : {}), publicUrl: () => config.PUBLIC_URL ?? listening, log: say })
    : undefined;
  if (notifications?.runner) reads?.follow(notifications.runner);
  if (notifications?.runner && reads && alerts) warmAlertSource(reads);
  const digests = notifications ? (now: Date, slot: Date) => composeDigests(notifications.store, now, slot) : undefined;
  const expiryReminders = notifications && reads ? (now: Date) => remindExpiringJobs({ store: notifications.store, jobs: reads.jobs }, now) : undefined;
  const weeklySummaries = notifications && reads ? (now: Date) => composeWeeklySummaries({ store: notifications.store, lists: reads.lists }, now) : undefined;
  const scheduler = reads && config.SCHEDULER && (role === 'all' || role === 'projector') ? await openScheduler(config, { store: runtime.store, reads, log: say, ...(driftCheck ? { driftCheck } : {}), ...(digests ? { digests } : {}), ...(expiryReminders ? { expiryReminders } : {}), ...(weeklySummaries ? { weeklySummaries } : {}), ...(notifications ? { lastAlertOf: lastAlertOf(notifications.store) } : {}), purgeIdempotencyKeys: purgeIdempotencyKeys(runtime.idempotency, config.IDEMPOTENCY_TTL_HOURS) }) : undefined;
  const cron = cronStatus ?? scheduler?.status;
  const unobserve = telemetry.observe({ ...(reads ? { projections: () => reads.status() } : {}), ...(cron ? { cron } : {}), ...(notifications ? { outbox: () => notifications.store.stats(new Date()) } : {}) });
  // Rate-limit counters: in Redis in server mode, so that a limit holds across nodes (ops/http/rateLimits.ts).
  const limitsRedis = config.RATE_LIMIT === 'on' && config.JOBS_MODE === 'server' && config.REDIS_URL ? new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1 }) : undefined;
  // A Redis outage lets calls through (skipOnError) rather than failing them; ioredis reconnects by itself.
  limitsRedis?.on('error', () => {});
  // Once a stop begins, /readyz says so, so that a load balancer sends nothing new.
  let draining = false;
  const shutdownCheck: ReadinessCheck = {
    name: 'shutdown',
    check: () => (draining ? Promise.reject(new Error('shutting down')) : Promise.resolve()),
  };
  const app = await buildApp({
    telemetry,
    metricsAuth: config.METRICS_AUTH,
    trustProxy: config.TRUST_PROXY,
    ...(config.RATE_LIMIT === 'on'
      ? { rateLimit: { max: { search: config.RATE_LIMIT_SEARCH, write: config.RATE_LIMIT_WRITE, expensive: config.RATE_LIMIT_EXPENSIVE }, ...(limitsRedis ? { redis: limitsRedis, nameSpace: `${config.DATABASE_SCHEMA_PREFIX}:rate-limit:` } : {}) } }
      : {}),
    commands: role === 'all' || role === 'command',
    ...(reads && role !== 'projector' ? { reads: { jobs: reads.jobs, lists: reads.lists, ...(reads.matchCandidates ? { match: { candidates: reads.matchCandidates } } : {}), progress: reads.progress, minPositionWaitMs: config.MIN_POSITION_WAIT_MS, responseCacheBytes: config.RESPONSE_CACHE_MB * 1024 * 1024, mapMaxCells: config.MAP_MAX_CELLS } } : {}),
    readiness: [shutdownCheck, ...(reads?.readiness ?? []), ...(scheduler ? [scheduler.readiness] : []), ...(notifications ? [notifications.readiness] : [])],
    requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
    ...(reads && role !== 'projector' ? { web: { publicUrl: () => config.PUBLIC_URL ?? listening, places: cityPlaceLookup(), accounts: webAccounts(config, runtime.tokens) } } : {}),
    ...(notifications ? { notifications } : {}),
    ...(reads ? { ops: { reads, ...(scheduler ? { scheduler } : {}) } } : {}),
    store: runtime.store,
    idempotency: runtime.idempotency,
    idempotencyTtlMs: config.IDEMPOTENCY_TTL_HOURS * 3_600_000,
    tokens: runtime.tokens,
    viewerSalt: runtime.viewerSalt,
    bodyLimit: config.BODY_LIMIT,
    responseSerialization: config.RESPONSE_SERIALIZATION,
    logger: config.LOG_LEVEL === 'silent' ? false : { level: config.LOG_LEVEL },
  });
  await app.listen({ host: config.HOST, port: config.PORT });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const url = `http://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${port}`;
  listening = url;

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      draining = true;
      if (config.SHUTDOWN_DELAY_MS > 0) await new Promise((resolve) => setTimeout(resolve, config.SHUTDOWN_DELAY_MS));
      // New requests get 503 from here; those in flight finish, up to the deadline, then their connections are cut.
      const deadline = setTimeout(() => app.server.closeAllConnections(), config.SHUTDOWN_TIMEOUT_MS);
      // A keep-alive connection whose request finished during the drain would hold the close until the deadline.
      const sweep = setInterval(() => app.server.closeIdleConnections(), 100);
      try {
        await app.close();
      } finally {
        clearTimeout(deadline);
        clearInterval(sweep);
      }
      limitsRedis?.disconnect();
      await scheduler?.close();
      await notifications?.close();
      await reads?.close();
      await lock?.close();
      await runtime.close();
      unobserve();
      if (!shared) await telemetry.shutdown();
    })());

  if (handleSignals) {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        void stop().then(() => process.exit(0));
      });
    }
  }

  say('');
  say(`Job discovery service (${config.JOBS_MODE} mode, role ${role}, event store: ${config.EVENT_STORE}) ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (reads && role !== 'projector') say(`  web        ${url}/`);
  say(`  API        ${url}/v1`);
  say(`  search     ${url}/v1/search?text=barista&facets=true`);
  say(`  map        ${url}/v1/map?bbox=-125,24,-66,50&zoom=4`);
  say(`  API docs   ${url}/docs   (OpenAPI: ${url}/openapi.json)`);
  say(`  health     ${url}/healthz   ${url}/readyz${telemetry.metrics ? `   metrics ${url}/metrics` : ''}`);
  say('');
  if (!quiet && printsDemoTokens(config, process.stdout.isTTY === true)) {
    say(`Demo tokens, valid ${config.TOKEN_TTL} (Authorization: Bearer <token>; more with: npm run jobsctl -- token --role worker --sub w00002):`);
    for (const p of demoPrincipals) {
      say(`  ${p.role.padEnd(9)} ${p.sub.padEnd(8)} ${await runtime.tokens.sign(p)}`);
    }
  } else {
    say('Tokens: npm run jobsctl -- token --role worker --sub w00001 (same DATA_DIR or AUTH_SECRET)');
  }
  say('');
  say(`Try: curl '${url}/v1/search?text=harvest&sort=newest&size=5'`);
  scheduler?.start();
  await notifications?.start();
  return { app, runtime, url, telemetry, stop, ...(scheduler ? { scheduler } : {}), ...(notifications ? { notifications } : {}) };
}
