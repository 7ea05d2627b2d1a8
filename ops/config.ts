import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/**
 * Every setting comes from the environment, validated once at start. The mode
 * is configuration, never a code fork: the same ports with other adapters.
 */
export const ConfigSchema = z
  .object({
    JOBS_MODE: z.enum(['embedded', 'server']).default('embedded'),
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: int(0, 65535).default(3000),
    DATA_DIR: z.string().min(1).default('./data'),
    EVENT_STORE: z.enum(['sqlite', 'postgres', 'eventstoredb']).optional(),
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
    EVENTSTOREDB_URL: z.string().startsWith('esdb').optional(),
    REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
    SEARCH_URL: z.url({ protocol: /^https?$/ }).optional(),
    /** Prefix of every index and alias name, so deployments (and tests) can share one cluster. */
    SEARCH_PREFIX: z.string().regex(/^[a-z0-9_-]*$/, 'lowercase letters, digits, _ and - only').default(''),
    /** Prefix of the PostgreSQL schemas (event store, idempotency keys, dead letters). */
    DATABASE_SCHEMA_PREFIX: z.string().regex(/^[a-z_][a-z0-9_]*$/, 'a lowercase SQL identifier').default('jobs'),
    AUTH_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    TOKEN_TTL: z.string().regex(/^\d+[smhdw]$/, 'like 30d, 12h').default('30d'),
    BODY_LIMIT: int(1024, 50 * 1024 * 1024).default(256 * 1024),
    SEED: bool.default(true),
    SEED_JOBS: int(0, 2_000_000).default(20_000),
    SQLITE_SYNCHRONOUS: z.enum(['FULL', 'NORMAL']).default('FULL'),
    MIN_POSITION_WAIT_MS: int(0, 60_000).default(2000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** `fast`: compiled response serializers; `checked`: each response encoded through its schema (what the tests run). */
    RESPONSE_SERIALIZATION: z.enum(['checked', 'fast']).default('fast'),
    /** MiB of whole search and map answers kept for repeated requests (embedded mode; 0 turns it off). */
    RESPONSE_CACHE_MB: int(0, 4096).default(64),
    /** Run the scheduled jobs (expiry, archive, digests) in roles all and projector; tests turn it off. */
    SCHEDULER: z.enum(['on', 'off', 'true', 'false', '1', '0']).default('on').transform((v) => v === 'on' || v === 'true' || v === '1'),
    // --- telemetry (ops/telemetry): exporters off by default, the /metrics scrape on ---
    OTEL_TRACES_EXPORTER: z.enum(['none', 'otlp', 'console']).default('none'),
    /** Base URL of an OTLP/HTTP collector (`/v1/traces` is appended); default http://localhost:4318. */
    OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
    OTEL_SERVICE_NAME: z.string().min(1).default('jobs-discovery'),
    METRICS: z.enum(['on', 'off']).default('on'),
  })
  .transform((c) => ({ ...c, EVENT_STORE: c.EVENT_STORE ?? (c.JOBS_MODE === 'embedded' ? 'sqlite' : 'postgres') }));

export type Config = z.output<typeof ConfigSchema>;

/**
 * Rules across variables, checked on the raw values so that they are reported
 * together with the per-variable problems.
 */
function crossProblems(env: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  const mode = env.JOBS_MODE || 'embedded';
  const store = env.EVENT_STORE || (mode === 'embedded' ? 'sqlite' : 'postgres');
  if (store === 'postgres' && !env.DATABASE_URL) problems.push('DATABASE_URL: required when the event store is postgres');
  if (store === 'eventstoredb' && !env.EVENTSTOREDB_URL) problems.push('EVENTSTOREDB_URL: required when EVENT_STORE=eventstoredb');
  if (mode === 'server' && !env.AUTH_SECRET) problems.push('AUTH_SECRET: required in server mode (all nodes must share it)');
  if (mode === 'server' && !env.SEARCH_URL) problems.push('SEARCH_URL: required in server mode (the read models live in the search engine)');
  return problems;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Reads the environment; throws ConfigError with one line per bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const known = Object.keys(ConfigSchema.in.shape);
  const picked = Object.fromEntries(known.filter((k) => env[k] !== undefined && env[k] !== '').map((k) => [k, env[k]]));
  const result = ConfigSchema.safeParse(picked);
  const problems = [
    ...(result.success
      ? []
      : result.error.issues.map((i) => {
          const key = i.path.join('.');
          const value = env[key];
          return `${key}: ${i.message}${value !== undefined ? ` (got ${JSON.stringify(value)})` : ''}`;
        })),
    ...crossProblems(picked),
  ];
  if (!result.success || problems.length > 0) throw new ConfigError(problems);
  return result.data;
}
