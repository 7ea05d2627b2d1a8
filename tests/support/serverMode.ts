import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropServerModeState } from './fullApp.ts';

export interface ServerModeEnv {
  /** The settings, as `npm start` and `jobsctl` read them from the environment. */
  env: Record<string, string>;
  /** Drops the indexes, schemas and DATA_DIR this environment's service created. */
  dispose: () => Promise<void>;
}

/**
 * The whole service's settings in server mode on the PostgreSQL, Redis and
 * OpenSearch the global setup started (or found in the environment), with
 * index and schema names of its own so that no two test files share state.
 * The same settings serve `startServer(loadConfig(env))` and a `jobsctl`
 * child process working on that service.
 */
export function serverModeEnv(authSecret: string, extra: Record<string, string> = {}): ServerModeEnv {
  const { DATABASE_URL, SEARCH_URL, REDIS_URL } = process.env;
  if (!DATABASE_URL || !SEARCH_URL || !REDIS_URL) throw new Error('server mode needs DATABASE_URL, SEARCH_URL and REDIS_URL (the vitest global setup sets them)');
  const dir = mkdtempSync(join(tmpdir(), 'jobs-server-mode-'));
  const tag = `t${Math.random().toString(36).slice(2, 10)}`;
  const env = {
    JOBS_MODE: 'server',
    DATA_DIR: dir,
    DATABASE_URL,
    SEARCH_URL,
    REDIS_URL,
    SEARCH_PREFIX: `${tag}_`,
    DATABASE_SCHEMA_PREFIX: tag,
    AUTH_SECRET: authSecret,
    ...extra,
  };
  return {
    env,
    dispose: async () => {
      rmSync(dir, { recursive: true, force: true });
      await dropServerModeState(tag, SEARCH_URL, DATABASE_URL);
    },
  };
}
