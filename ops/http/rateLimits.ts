// Abuse limits: @fastify/rate-limit counters, one budget per
// kind of call, keyed by the signed subject, or by the client IP for anonymous
// calls. Server mode keeps the counters in Redis so that a limit holds across
// nodes; embedded mode keeps them in memory.
import fastifyRateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { HttpError } from './httpError.ts';

/** search: search, map, suggest and the other plain reads; write: every command; expensive: compensation, matching, analytics. */
export const rateBudgets = ['search', 'write', 'expensive'] as const;
export type RateBudget = (typeof rateBudgets)[number];

export interface RateLimitOptions {
  /** Requests per window per caller, for each budget. */
  max: Record<RateBudget, number>;
  /** Window length in ms (default one minute). */
  windowMs?: number;
  /** Shared counters (server mode); without it they live in this process. */
  redis?: Redis;
  /** Prefix of the Redis keys. */
  nameSpace?: string;
}

const expensiveRoutes = new Set(['GET /v1/compensation/suggest', 'GET /v1/me/recommendations', 'POST /v1/match', 'GET /v1/businesses/me/analytics', 'GET /v1/jobs/:id/stats']);
const readsByPost = new Set(['POST /v1/search']);

// Pages run the same searches as the API; the sitemap pages through every open job; recommendations
// score candidates. A signed-in page's own API calls count again, against the signed-in subject.
const pageBudgets: Record<string, RateBudget> = { '/': 'search', '/map': 'search', '/jobs/:id': 'search', '/sitemap.xml': 'expensive', '/sign-in': 'search', '/me/recommendations': 'expensive' };

/** The budget a route draws on; undefined for what is neither the API nor a page (health, readiness, metrics, docs, assets) and for unmatched URLs. */
export function budgetOf(method: string, route: string | undefined): RateBudget | undefined {
  if (route === undefined) return undefined;
  const page = !route.startsWith('/v1/');
  if (page && (method === 'GET' || method === 'HEAD')) return pageBudgets[route] ?? (route.startsWith('/me/') || route.startsWith('/business') ? 'search' : undefined);
  // Every form a page posts (sign-in included: password guessing is a write) draws on the write budget.
  if (page && method === 'POST') return 'write';
  const key = `${method} ${route}`;
  if (expensiveRoutes.has(key)) return 'expensive';
  if (method === 'GET' || method === 'HEAD' || readsByPost.has(key)) return 'search';
  return 'write';
}

/** Who a call is counted against: the token's subject, else the client IP (as `trustProxy` reads it; IPv6 by /64). */
export function callerKey(request: Pick<FastifyRequest, 'principal' | 'ip'>): string {
  const p = request.principal;
  return p ? `sub:${p.role}:${p.sub}` : `ip:${normalizeIP(request.ip)}`;
}

/**
 * Installs the limits as an onRequest hook. Call it after the hook that reads
 * the bearer token and before the routes: hooks run in the order they were
 * added, so the principal is known when the call is counted. Operators are
 * not limited. Past the budget: 429 `rate_limited` with `Retry-After`; every
 * counted answer carries `RateLimit-Limit`, `RateLimit-Remaining` and
 * `RateLimit-Reset` (seconds). A store failure (Redis down) lets calls through.
 */
export async function installRateLimits(app: FastifyInstance, options: RateLimitOptions): Promise<void> {
  await app.register(fastifyRateLimit, {
    global: false,
    skipOnError: true,
    ...(options.redis ? { redis: options.redis, nameSpace: options.nameSpace ?? 'jobs-rate-limit:' } : {}),
  });
  const timeWindow = options.windowMs ?? 60_000;
  const limiters = Object.fromEntries(
    rateBudgets.map((budget) => [budget, app.createRateLimit({ max: options.max[budget], timeWindow, keyGenerator: (request) => `${budget}:${callerKey(request)}` })]),
  ) as Record<RateBudget, ReturnType<FastifyInstance['createRateLimit']>>;
  app.addHook('onRequest', async (request, reply) => {
    const budget = budgetOf(request.method, request.routeOptions.url);
    if (!budget || request.principal?.role === 'operator') return;
    const limit = await limiters[budget](request);
    if (limit.isAllowed) return;
    void reply.headers({ 'ratelimit-limit': limit.max, 'ratelimit-remaining': limit.remaining, 'ratelimit-reset': limit.ttlInSeconds });
    if (limit.isExceeded) {
      throw new HttpError(429, 'rate_limited', `too many ${budget} requests: at most ${limit.max} per ${Math.round(limit.timeWindow / 1000)} s, retry in ${limit.ttlInSeconds} s`, undefined, { 'retry-after': String(limit.ttlInSeconds) });
    }
  });
}
