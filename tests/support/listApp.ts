import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../ops/http/buildApp.ts';
import type { FullApp } from './fullApp.ts';

/**
 * The app serving the list routes on a full app's read side: the full app
 * itself when it serves them (startFullApp passes `reads.lists`), else a
 * second app on the same runtime and read side. `close` closes only what it built.
 */
export async function appWithLists(t: FullApp, minPositionWaitMs = 2000): Promise<{ app: FastifyInstance; close(): Promise<void> }> {
  const probe = await t.app.inject('/v1/me/saved-jobs');
  if (probe.statusCode !== 404) return { app: t.app, close: () => Promise.resolve() };
  const app = await buildApp({
    store: t.runtime.store,
    idempotency: t.runtime.idempotency,
    tokens: t.runtime.tokens,
    clock: () => t.clock.now,
    reads: { jobs: t.reads.jobs, progress: t.reads.progress, minPositionWaitMs, lists: t.reads.lists },
  });
  await app.ready();
  return { app, close: () => app.close() };
}
