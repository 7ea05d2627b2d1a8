import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const ttlUnitSeconds: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };
/** Seconds in `30m`, `12h`, `7d` (as ops/http/tokens.ts reads them). */
const ttlSecondsOf = (ttl: string) => Number(ttl.slice(0, -1)) * (ttlUnitSeconds[ttl.slice(-1)] ?? Number.NaN);
const ttl = z.string().regex(/^[1-9]\d{0,6}[smhdw]$/, 'a duration like 30m, 12h, 7d');

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
    /** The secret before AUTH_SECRET during a rotation: its tokens still verify, none is signed with it. */
    AUTH_SECRET_PREVIOUS: z.string().min(32, 'must be at least 32 characters').optional(),
    /** Lifetime of the tokens this service signs (demo tokens, `jobsctl token` without --ttl). */
    TOKEN_TTL: ttl.default('12h'),
    /** Longest lifetime signed or accepted (from the token's `iat`). */
    TOKEN_MAX_TTL: ttl.default('12h'),
    BODY_LIMIT: int(1024, 50 * 1024 * 1024).default(256 * 1024),
    /** Longest a client may take to send a whole request (slow senders hold no socket past it); 408 after. */
    REQUEST_TIMEOUT_MS: int(1000, 600_000).default(30_000),
    /** On SIGTERM: how long /readyz answers 503 while requests are still served (for a load balancer to stop sending), before draining. */
    SHUTDOWN_DELAY_MS: int(0, 120_000).default(0),
    /** On SIGTERM: how long in-flight requests may take to finish before their connections are closed. */
    SHUTDOWN_TIMEOUT_MS: int(100, 300_000).default(10_000),
    /** Per-caller request budgets (ops/http/rateLimits.ts): per minute, by subject for signed calls, by client IP for anonymous ones. */
    RATE_LIMIT: z.enum(['on', 'off']).default('on'),
    /** How long the answer to a command's Idempotency-Key is kept and replayed; the hourly purge forgets older ones. */
    IDEMPOTENCY_TTL_HOURS: int(1, 720).default(24),
    RATE_LIMIT_SEARCH: int(1, 1_000_000).default(600),
    RATE_LIMIT_WRITE: int(1, 1_000_000).default(120),
    RATE_LIMIT_EXPENSIVE: int(1, 1_000_000).default(60),
    /**
     * Behind a load balancer: a comma-separated list of the proxies' addresses
     * or CIDRs (X-Forwarded-For is read through those), or `true` (trust every
     * hop: only when nothing reaches the port but the proxy); `false`: the
     * socket's address is the client. (Fastify refuses hop counts: they cannot
     * tell a proxy from a client.)
     */
    TRUST_PROXY: z
      .string()
      .regex(/^(true|false|[\da-fA-F.:/]+(\s*,\s*[\da-fA-F.:/]+)*)$/, 'true, false or a comma-separated list of addresses/CIDRs')
      .default('false')
      .transform((v): boolean | string => (v === 'true' ? true : v === 'false' ? false : v.split(',').map((a) => a.trim()).join(','))),
    /** Seed the demo dataset into an empty log: on by default in embedded mode, off in server mode (ask for it there). */
    SEED: bool.optional(),
    SEED_JOBS: int(0, 2_000_000).default(20_000),
    SQLITE_SYNCHRONOUS: z.enum(['FULL', 'NORMAL']).default('FULL'),
    MIN_POSITION_WAIT_MS: int(0, 60_000).default(2000),
    /** Embedded mode: a read model that holds nothing yet is built in bulk at start when the log has at least this many events (0: never, always event by event). */
    BULK_CATCH_UP_EVENTS: int(0, Number.MAX_SAFE_INTEGER).default(100_000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** `fast`: compiled response serializers; `checked`: each response encoded through its schema (what the tests run). */
    RESPONSE_SERIALIZATION: z.enum(['checked', 'fast']).default('fast'),
    /** MiB of whole search and map answers kept for repeated requests (embedded mode; 0 turns it off). */
    RESPONSE_CACHE_MB: int(0, 4096).default(64),
    /** Most geohash cells in one map answer (both stores); past it the most populated, `truncated: true`. The engine's own ceiling is 65 535. */
    MAP_MAX_CELLS: int(1, 65_535).default(10_000),
    /** Run the scheduled jobs (expiry, archive, digests) in roles all and projector; tests turn it off. */
    SCHEDULER: z.enum(['on', 'off', 'true', 'false', '1', '0']).default('on').transform((v) => v === 'on' || v === 'true' || v === '1'),
    // --- telemetry (ops/telemetry): exporters off by default, the /metrics scrape on ---
    OTEL_TRACES_EXPORTER: z.enum(['none', 'otlp', 'console']).default('none'),
    /** Base URL of an OTLP/HTTP collector (`/v1/traces` is appended); default http://localhost:4318. */
    OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
    OTEL_SERVICE_NAME: z.string().min(1).default('jobs-discovery'),
    // --- notifications (ops/notify): the outbox projector and its delivery run in roles all and projector ---
    NOTIFICATIONS: z.enum(['on', 'off']).default('on'),
    /** Mail relay, `smtp://user:pass@host:587` or `smtps://...`; without it (embedded) mail is filed under DATA_DIR/mail. */
    SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
    MAIL_FROM: z.string().min(3).max(300).default('Job discovery <no-reply@jobs.localhost>'),
    /** The address links in messages point at; default http://HOST:PORT. */
    PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
    /** First retry of a failed delivery; doubling, with jitter, up to NOTIFY_RETRY_MAX_MS. */
    NOTIFY_RETRY_INITIAL_MS: int(1, 3_600_000).default(30_000),
    NOTIFY_RETRY_MAX_MS: int(1, 86_400_000).default(3_600_000),
    /** A message still failing this long after it was queued is dead-lettered. */
    NOTIFY_GIVE_UP_AFTER_MS: int(1, 7 * 86_400_000).default(86_400_000),
    /** /readyz answers 503 when the oldest pending message is older than this. */
    NOTIFY_MAX_PENDING_AGE_S: int(1, 7 * 86_400).default(3600),
    /** Key each webhook's secret is derived from (whsec_ = HMAC of it and the webhook id, never stored); default: derived from AUTH_SECRET. Changing it changes every secret. */
    WEBHOOK_SIGNING_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
    /** Lets webhooks reach loopback and private addresses: for tests with a local receiver only, never in production. */
    WEBHOOK_ALLOW_PRIVATE: bool.default(false),
    METRICS: z.enum(['on', 'off']).default('on'),
    /** Who may read /metrics: `operator` (an operator bearer token) or `none` (anyone who reaches the port). */
    METRICS_AUTH: z.enum(['operator', 'none']).default('operator'),
  })
  .transform((c) => ({ ...c, EVENT_STORE: c.EVENT_STORE ?? (c.JOBS_MODE === 'embedded' ? 'sqlite' : 'postgres'), SEED: c.SEED ?? c.JOBS_MODE === 'embedded' }));

export type Config = z.output<typeof ConfigSchema>;

/**
 * Rules across variables, checked on the raw values so that they are reported
 * together with the per-variable problems.
 */
function crossProblems(env: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  const mode = env.JOBS_MODE || 'embedded';
  // An unknown mode is reported on its own line; what a mode would require is not guessed at.
  if (mode !== 'embedded' && mode !== 'server') return [];
  const store = env.EVENT_STORE || (mode === 'embedded' ? 'sqlite' : 'postgres');
  if (store === 'postgres' && !env.DATABASE_URL) problems.push('DATABASE_URL: required when the event store is postgres');
  if (store === 'eventstoredb' && !env.EVENTSTOREDB_URL) problems.push('EVENTSTOREDB_URL: required when EVENT_STORE=eventstoredb');
  if (mode === 'server' && !env.AUTH_SECRET) problems.push('AUTH_SECRET: required in server mode (all nodes must share it)');
  const tokenTtl = env.TOKEN_TTL || '12h';
  const tokenMaxTtl = env.TOKEN_MAX_TTL || '12h';
  if (ttlSecondsOf(tokenTtl) > ttlSecondsOf(tokenMaxTtl)) problems.push(`TOKEN_TTL: ${tokenTtl} is longer than TOKEN_MAX_TTL (${tokenMaxTtl})`);
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
