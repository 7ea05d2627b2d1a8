import type { FastifyInstance } from 'fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropSchemas } from './postgres.ts';
import type { Principal } from '../../eventstore/events/index.ts';
import { loadConfig } from '../../ops/config.ts';
import { buildApp } from '../../ops/http/buildApp.ts';
import type { ReadSide } from '../../ops/readSide.ts';
import { openReadSide } from '../../ops/readSide.ts';
import type { Runtime } from '../../ops/runtime.ts';
import { openRuntime } from '../../ops/runtime.ts';
import { connectSearch } from '../../query/engine/connect.ts';
import type { Notifications } from '../../ops/notify/openNotifications.ts';
import { openNotifications } from '../../ops/notify/openNotifications.ts';
import { alertSourceOfReadSide } from '../../ops/notify/alertSources.ts';
import { cityPlaceLookup } from '../../ops/web/placeLookup.ts';
import { webAccounts } from '../../ops/demoPrincipals.ts';
import type { RunningScheduler } from '../../ops/scheduler/openScheduler.ts';
import { openScheduler } from '../../ops/scheduler/openScheduler.ts';
import { servingDriftCheck } from '../../ops/drift/servingDriftCheck.ts';

export type Mode = 'embedded' | 'server';

export interface FullApp {
  mode: Mode;
  app: FastifyInstance;
  runtime: Runtime;
  reads: ReadSide;
  clock: { now: Date };
  /** With the `notifications` option: the outbox, its projector and its delivery, running. */
  notifications?: Notifications;
  /** With the `scheduler` option: the scheduled jobs as startServer wires them (drift check included), not armed; behind POST /v1/ops/jobs/:name/run. */
  scheduler?: RunningScheduler;
  auth(p: Principal): Promise<{ authorization: string }>;
  /** Whether the read models (and the outbox, when it runs) have applied the whole log within `timeoutMs`. */
  settled(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * The whole service in one process, as `npm start` (embedded) or as the server
 * mode on the real PostgreSQL and OpenSearch the global setup started, with
 * names of its own so test files never share state.
 */
export async function startFullApp(
  mode: Mode,
  { minPositionWaitMs = 2000, responseCacheBytes = 0, mapMaxCells, notifications: notificationEnv, scheduler: withScheduler = false }: { minPositionWaitMs?: number; responseCacheBytes?: number; mapMaxCells?: number; notifications?: Record<string, string>; scheduler?: boolean } = {},
): Promise<FullApp> {
  const dir = mkdtempSync(join(tmpdir(), `jobs-${mode}-`));
  const tag = `t${Math.random().toString(36).slice(2, 10)}`;
  const env: Record<string, string | undefined> =
    mode === 'embedded'
      ? { DATA_DIR: dir, SEED: 'false', AUTH_SECRET: 'full-app-secret-full-app-secret-0123456789' }
      : {
          JOBS_MODE: 'server',
          DATA_DIR: dir,
          DATABASE_URL: process.env.DATABASE_URL,
          SEARCH_URL: process.env.SEARCH_URL,
          AUTH_SECRET: 'full-app-secret-full-app-secret-0123456789',
          SEARCH_PREFIX: `${tag}_`,
          DATABASE_SCHEMA_PREFIX: tag,
        };
  const config = loadConfig({ ...env, ...notificationEnv });
  const runtime = await openRuntime(config);
  const reads = await openReadSide(config, runtime.store, { runProjector: true });
  const clock = { now: new Date() };
  let url = 'http://127.0.0.1';
  const alerts = alertSourceOfReadSide(reads, () => clock.now);
  const scheduler = withScheduler ? await openScheduler(config, { store: runtime.store, reads, driftCheck: servingDriftCheck(config, runtime.store, reads.jobs), clock: () => clock.now }) : undefined;
  const notifications = notificationEnv ? await openNotifications(config, runtime.store, { run: true, publicUrl: () => url, clock: () => clock.now, ...(alerts ? { alerts } : {}) }) : undefined;
  if (notifications?.runner) reads.follow(notifications.runner);
  const app = await buildApp({
    store: runtime.store,
    idempotency: runtime.idempotency,
    tokens: runtime.tokens,
    viewerSalt: runtime.viewerSalt,
    clock: () => clock.now,
    reads: { jobs: reads.jobs, lists: reads.lists, ...(reads.matchCandidates ? { match: { candidates: reads.matchCandidates } } : {}), progress: reads.progress, minPositionWaitMs, responseCacheBytes, ...(mapMaxCells !== undefined ? { mapMaxCells } : {}) },
    readiness: [...reads.readiness, ...(notifications ? [notifications.readiness] : [])],
    ops: { reads, ...(scheduler ? { scheduler } : {}) },
    // The demo picker in embedded mode (as with the demo data), token sign-in only in server mode.
    web: { publicUrl: () => url, places: cityPlaceLookup(), accounts: webAccounts({ ...config, SEED: mode === 'embedded' }, runtime.tokens) },
    ...(notifications ? { notifications } : {}),
  });
  await app.ready();
  if (notifications) {
    // Links in messages must point somewhere real: the app listens on a free loopback port.
    url = await app.listen({ host: '127.0.0.1', port: 0 });
    await notifications.start();
  }
  return {
    mode,
    app,
    runtime,
    reads,
    clock,
    ...(notifications ? { notifications } : {}),
    ...(scheduler ? { scheduler } : {}),
    auth: async (p) => ({ authorization: `Bearer ${await runtime.tokens.sign(p)}` }),
    async settled(timeoutMs = 15_000) {
      const head = await runtime.store.headPosition();
      return (await reads.progress.waitFor(head, timeoutMs)) && (!notifications?.runner || (await notifications.runner.waitFor(head, timeoutMs)));
    },
    async close() {
      await app.close();
      await scheduler?.close();
      await notifications?.close();
      await reads.close();
      await runtime.close();
      rmSync(dir, { recursive: true, force: true });
      if (mode === 'server') {
        await dropServerModeState(tag, config.SEARCH_URL!, config.DATABASE_URL!);
      }
    },
  };
}

/**
 * Removes what a server-mode run with SEARCH_PREFIX `<tag>_` and
 * DATABASE_SCHEMA_PREFIX `<tag>` created: its indexes (named, since
 * Elasticsearch 8 refuses wildcard deletes) and its PostgreSQL schemas.
 */
export async function dropServerModeState(tag: string, searchUrl: string, databaseUrl: string): Promise<void> {
  const client = await connectSearch(searchUrl);
  const indexes = ['jobs', 'businesses', 'applications', 'saved_jobs', 'saved_searches', 'job_stats'].map((m) => `${tag}_${m}_v1`);
  await client.deleteIndex([...indexes, `${tag}_projection_checkpoints`], { ignoreMissing: true });
  await client.close();
  await dropSchemas(databaseUrl, ['events', 'commands', 'projections', 'notifications'].map((s) => `${tag}_${s}`));
}
