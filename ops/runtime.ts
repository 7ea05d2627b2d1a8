import { createHmac } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TokenService } from './http/tokens.ts';
import { createTokenService } from './http/tokens.ts';
import type { IdempotencyStore } from '../command/idempotency/idempotencyStore.ts';
import { openPostgresIdempotencyStore } from '../command/idempotency/postgresIdempotencyStore.ts';
import { openSqliteIdempotencyStore } from '../command/idempotency/sqliteIdempotencyStore.ts';
import { type EventStoreConfig, openEventStore } from '../eventstore/openEventStore.ts';
import type { EventStore } from '../eventstore/port.ts';
import { authSecrets } from './authSecret.ts';
import type { Config } from './config.ts';

/** The adapters the configuration selects, opened and ready. */
export interface Runtime {
  config: Config;
  store: EventStore;
  idempotency: IdempotencyStore;
  tokens: TokenService;
  /** The daily key of viewer hashes (POST /v1/jobs/:id/views): derived from the auth secret, so every node agrees and nobody without it can test an IP against a hash. */
  viewerSalt: (day: string) => string;
  close(): Promise<void>;
}

/** Where the configuration keeps the log: what a worker thread opens a connection of its own with. */
export function eventStoreConfigOf(config: Config): EventStoreConfig {
  const dataDir = resolve(config.DATA_DIR);
  if (config.EVENT_STORE === 'sqlite') return { kind: 'sqlite', path: join(dataDir, 'events.db'), synchronous: config.SQLITE_SYNCHRONOUS };
  if (config.EVENT_STORE === 'postgres') return { kind: 'postgres', connectionString: config.DATABASE_URL ?? '', schema: `${config.DATABASE_SCHEMA_PREFIX}_events` };
  return { kind: 'eventstoredb', connectionString: config.EVENTSTOREDB_URL ?? '' };
}

export async function openRuntime(config: Config): Promise<Runtime> {
  const dataDir = resolve(config.DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  const store = await openEventStore(eventStoreConfigOf(config));
  const idempotency = config.DATABASE_URL && config.JOBS_MODE === 'server'
    ? await openPostgresIdempotencyStore(config.DATABASE_URL, `${config.DATABASE_SCHEMA_PREFIX}_commands`)
    : openSqliteIdempotencyStore(join(dataDir, 'commands.db'));
  const secrets = authSecrets(config);
  const tokens = createTokenService(secrets, config.TOKEN_TTL, { maxTtl: config.TOKEN_MAX_TTL });
  const viewerSalt = (day: string) => createHmac('sha256', secrets.current).update(`jobs-discovery-viewers:${day}`).digest('base64url');
  return {
    config,
    store,
    idempotency,
    tokens,
    viewerSalt,
    async close() {
      await idempotency.close();
      await store.close();
    },
  };
}
