// Every operation documents the errors it can answer, in the one error shape,
// without each route listing them: the statuses follow from what the route
// declares (roles, path parameters, a body, If-Match, its rate budget) and
// from what any command can refuse. A route's own entry for a status wins.
import type { RouteOptions } from 'fastify';
import { z } from 'zod';
import { budgetOf } from './rateLimits.ts';

export const ErrorReply = z
  .object({
    statusCode: z.number().int().min(400).max(599),
    code: z.string().describe('stable, snake_case: clients switch on it'),
    error: z.string().describe('the HTTP reason phrase'),
    message: z.string(),
    details: z.unknown().optional().describe('on validation errors: [{field, message, code}]; on a revision mismatch: {currentRevision}'),
  })
  .describe('The error shape of every answer from 400 up');

const descriptions: Record<number, string> = {
  400: 'Invalid input: `details` names each field at fault',
  401: 'No valid bearer token where one is needed, or a token that is malformed, expired or signed with an unknown key',
  403: 'The token is valid but its role, or its owner, may not do this',
  404: 'No such resource (or not one the caller may see)',
  409: 'Conflicts with the current state: the resource exists, was changed concurrently, or the If-Match revision is stale',
  410: 'The job has expired',
  413: 'The body is larger than the server accepts',
  414: 'The address is longer than the server accepts (8,192 characters), or a path parameter longer than 100',
  415: 'The body is not JSON',
  422: 'Understood but refused by the rules (a transition the state does not allow, a cap reached, an Idempotency-Key reused with another body)',
  431: 'The request headers are larger than the server accepts',
  429: 'Past the caller\'s rate budget: see `Retry-After` and `RateLimit-*`',
  503: 'A dependency (the event log, the search engine) is unavailable, or the read model has not caught up in time',
};

/** Statuses beyond the ones derived from a route's shape. */
const extras: Record<string, readonly number[]> = {
  'GET /v1/jobs/:id': [410],
  // Closed jobs are for their owner and operators; sort=match for a worker without a profile.
  'GET /v1/search': [403, 422],
  'POST /v1/search': [403, 422],
  // Too few comparable jobs, or a match over more jobs than allowed.
  'GET /v1/compensation/suggest': [422],
  'POST /v1/match': [422],
  'GET /v1/me/profile': [404],
  'GET /v1/businesses/me/profile': [404],
};

type Schema = NonNullable<RouteOptions['schema']>;

const hasInput = (schema: Schema): boolean => ['body', 'querystring', 'params', 'headers'].some((k) => (schema as Record<string, unknown>)[k] !== undefined);
const headerNames = (schema: Schema): string[] => {
  const headers = schema.headers;
  return headers instanceof z.ZodObject ? Object.keys(headers.shape) : [];
};

/** The error statuses an operation can answer. */
export function errorStatusesOf(method: string, url: string, schema: Schema, roles: readonly string[] | undefined): number[] {
  // Any address can be too long and any headers too large: the HTTP layer refuses those before routing.
  const statuses = new Set<number>([401, 414, 431, 503]);
  if (hasInput(schema)) statuses.add(400);
  if (roles) statuses.add(403);
  if (url.includes(':')) statuses.add(404);
  const write = method !== 'GET' && method !== 'HEAD' && budgetOf(method, url) === 'write';
  if (write) [403, 404, 409, 422].forEach((s) => statuses.add(s));
  if (schema.body !== undefined) [413, 415].forEach((s) => statuses.add(s));
  if (headerNames(schema).includes('if-match')) statuses.add(409);
  // Operators are never limited.
  if (budgetOf(method, url) !== undefined && !(roles?.length === 1 && roles[0] === 'operator')) statuses.add(429);
  (extras[`${method} ${url}`] ?? []).forEach((s) => statuses.add(s));
  return [...statuses].sort((a, b) => a - b);
}

/**
 * An onRoute hook for the API's operations: adds the error responses and says
 * whether a token is needed (`security`), so the OpenAPI document lists every
 * status and a client generator knows which calls can go anonymous.
 */
export function documentErrors(route: RouteOptions): void {
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  const schema = route.schema;
  const probe = route.url === '/healthz' || route.url === '/readyz';
  if ((!route.url.startsWith('/v1/') && !probe) || !schema || (schema as { hide?: boolean }).hide) return;
  const method = methods.find((m) => m !== 'HEAD') ?? 'GET';
  const roles = route.config?.roles;
  const response = { ...((schema.response ?? {}) as Record<string, unknown>) };
  // The probes answer for themselves; only what the HTTP layer and the token check refuse applies to them.
  const statuses = probe ? [401, 414, 431] : errorStatusesOf(method, route.url, schema, roles);
  for (const status of statuses) {
    response[status] ??= ErrorReply.describe(descriptions[status] ?? 'Error');
  }
  schema.response = response;
  // A route without roles serves anonymous callers too (a token personalises what it answers).
  (schema as { security?: unknown }).security ??= roles ? [{ bearer: [] }] : [{}, { bearer: [] }];
}
