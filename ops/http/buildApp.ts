import fastifySwagger from '@fastify/swagger';
import fastifyHelmet from '@fastify/helmet';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify from 'fastify';
import type { FastifyInstance, FastifyRequest, FastifyServerOptions } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { jsonSchemaTransform, validatorCompiler } from 'fastify-type-provider-zod';
import type { ResponseSerialization } from './responseSerializer.ts';
import { responseSerializer } from './responseSerializer.ts';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { TokenService } from './tokens.ts';
import { authorization, readPrincipal, requireRole } from './authorization.ts';
import { clientErrorResponse, installErrorHandler } from './errorHandler.ts';
import { idempotencyPlugin } from '../../command/http/idempotencyPlugin.ts';
import { applicationRoutes } from '../../command/http/applicationRoutes.ts';
import { businessRoutes } from '../../command/http/businessRoutes.ts';
import { jobRoutes } from '../../command/http/jobRoutes.ts';
import { workerRoutes } from '../../command/http/workerRoutes.ts';
import { notificationPreferenceRoutes } from '../../command/http/notificationPreferenceRoutes.ts';
import { webhookRoutes } from '../../command/http/webhookRoutes.ts';
import type { WebhookRouteOptions } from '../../command/http/webhookRoutes.ts';
import type { UnsubscribeTokens } from '../../command/http/unsubscribeToken.ts';
import type { NotificationStore } from '../../projections/notifications/notificationStore.ts';
import { notificationRoutes } from '../../query/http/notificationRoutes.ts';
import type { IdempotencyStore } from '../../command/idempotency/idempotencyStore.ts';
import type { EventStore } from '../../eventstore/port.ts';
import type { ReadSide } from '../readSide.ts';
import { opsRoutes } from './opsRoutes.ts';
import type { Scheduler } from '../scheduler/scheduler.ts';
import { documentErrors } from './errorResponses.ts';
import type { RateLimitOptions } from './rateLimits.ts';
import { installRateLimits } from './rateLimits.ts';
import type { JobReadRouteOptions } from '../../query/http/jobReadRoutes.ts';
import { jobReadRoutes } from '../../query/http/jobReadRoutes.ts';
import { businessReadRoutes } from '../../query/http/businessReadRoutes.ts';
import { savedQueryIssues } from '../../query/model/savedQueryIssues.ts';
// --- list routes (saved jobs, saved searches, applications, a business's jobs) ---
import type { ListStores } from '../../query/lists/keyedStore.ts';
import { listRoutes } from '../../query/http/listRoutes.ts';
import { applicantRoutes } from '../../query/http/applicantRoutes.ts';
import { savedSearchResultsRoutes } from '../../query/http/savedSearchResultsRoutes.ts';
import { visitSavedSearch } from './visitSavedSearch.ts';
import { workerProfileOf } from './workerProfileOf.ts';
// --- matching reads (recommendations, match scores) ---
import type { MatchRouteOptions } from '../../query/http/matchRoutes.ts';
import { matchRoutes } from '../../query/http/matchRoutes.ts';
// --- compensation suggestion ---
import { compensationRoutes } from '../../query/http/compensationRoutes.ts';
import { paySuggester } from '../../query/compensation/paySuggester.ts';
// --- job analytics ---
import { jobStatsRoutes } from '../../query/http/jobStatsRoutes.ts';
// --- web pages (search, job pages, sitemap) ---
import type { WebRouteOptions } from '../../query/web/webRoutes.ts';
import { webRoutes } from '../../query/web/webRoutes.ts';
// --- telemetry: request spans, latency histogram, /metrics, trace ids in logs ---
import type { Telemetry } from '../telemetry/telemetry.ts';
import { telemetryPlugin } from '../telemetry/telemetryPlugin.ts';
import { withTraceIds } from '../telemetry/logTraceContext.ts';

export interface ReadinessCheck {
  name: string;
  check: () => Promise<void>;
}

export interface AppDeps {
  store: EventStore;
  idempotency: IdempotencyStore;
  /** How long an Idempotency-Key answer is kept and replayed (IDEMPOTENCY_TTL_HOURS; default 24 h). */
  idempotencyTtlMs?: number;
  tokens: TokenService;
  clock?: () => Date;
  bodyLimit?: number;
  /** `checked` (default): every response encoded through its zod schema; `fast`: compiled serializers (ops/http/responseSerializer.ts). */
  responseSerialization?: ResponseSerialization;
  logger?: FastifyServerOptions['logger'];
  readiness?: ReadinessCheck[];
  /** Longest a client may take to send a whole request (fastify's requestTimeout); none by default. */
  requestTimeoutMs?: number;
  version?: string;
  /** Serve the write routes (default true; false for the query and projector roles). */
  commands?: boolean;
  /** Operator status of the projectors running in this process; with its scheduler, running a scheduled job now. */
  ops?: { reads: Pick<ReadSide, 'status' | 'embeddedReadModels'>; scheduler?: Pick<Scheduler, 'runNow' | 'status' | 'recentRuns'> };
  /** The notification outbox: the signed-in user's list, preferences and the unsubscribe link. */
  notifications?: { store: NotificationStore; unsubscribe: UnsubscribeTokens; webhooks: Omit<WebhookRouteOptions, 'store' | 'clock'> };
  /** The running telemetry: request spans and latency, and GET /metrics when its metrics are on. */
  telemetry?: Telemetry;
  /** Who may scrape GET /metrics (METRICS_AUTH): `operator` (default) needs an operator token, `none` lets anyone. */
  metricsAuth?: 'operator' | 'none';
  /** Per-caller budgets for search, writes and expensive reads (ops/http/rateLimits.ts); none without it. */
  rateLimit?: RateLimitOptions;
  /** The daily key viewer hashes are made with (Runtime.viewerSalt: shared by every node); default: one of this process. */
  viewerSalt?: (day: string) => string;
  /** Fastify's `trustProxy` (TRUST_PROXY): which X-Forwarded-For hops give the client IP the limits count. */
  trustProxy?: FastifyServerOptions['trustProxy'];
  /** The web pages, served beside the read API (needs `reads`): where the service is reached publicly, and how typed place names resolve. */
  web?: Omit<WebRouteOptions, 'jobs' | 'clock' | 'lists'>;
  /** The read side; without it the app serves writes only (command role). */
  reads?: Omit<JobReadRouteOptions, 'clock'> & {
    /** The per-owner list read models; with them the list routes are served too. */
    lists?: ListStores;
    /** Matching: candidate source (e.g. engineCandidates: the engine's script sort), weights, default business cap. */
    match?: Pick<MatchRouteOptions, 'candidates' | 'weights' | 'defaultCap'>;
    /** Stats documents per page when analytics reads all of a business's jobs (default 1000). */
    analyticsPageSize?: number;
  };
}

/** Builds the HTTP app without listening, so tests drive it through inject(). */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: withTraceIds(deps.logger ?? false),
    bodyLimit: deps.bodyLimit ?? 256 * 1024,
    ...(deps.requestTimeoutMs !== undefined ? { requestTimeout: deps.requestTimeoutMs } : {}),
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.:-]{1,100}$/.test(given) ? given : randomUUID();
    },
    ajv: { customOptions: { removeAdditional: false } },
    clientErrorHandler: (err: Error & { code?: string }, socket) => {
      if (socket.writable) socket.end(clientErrorResponse(err));
      else socket.destroy(err);
    },
    ...(deps.trustProxy !== undefined ? { trustProxy: deps.trustProxy } : {}),
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(responseSerializer(deps.responseSerialization ?? 'checked'));
  installErrorHandler(app);
  // Before any route: every operation's error answers are documented from what it declares.
  app.addHook('onRoute', documentErrors);
  if (deps.telemetry) {
    // The metrics route is registered before the principal hook below, so it checks the token itself.
    const authorizeScrape = async (request: FastifyRequest) => {
      request.principal ??= await readPrincipal(deps.tokens, request);
      requireRole(request, ['operator']);
    };
    await app.register(telemetryPlugin, { telemetry: deps.telemetry, ...((deps.metricsAuth ?? 'operator') === 'operator' ? { authorizeScrape } : {}) });
  }

  // Security headers on every answer. The API answers JSON, which needs no script, style or frame:
  // its policy allows nothing; the web pages and the docs page set a policy of their own.
  await app.register(fastifyHelmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] } },
    // Cross-origin API clients (browser apps on other origins) are expected: resources may be read from anywhere.
    crossOriginResourcePolicy: { policy: 'cross-origin' },
  });
  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'Job discovery API', version: deps.version ?? '1.0.0', description: 'Post, find and apply to seasonal and hourly jobs.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  // swagger-ui's own page policy, narrowed: nothing from other origins (no validator badge), no framing;
  // inline styles stay allowed because swagger-ui writes some at run time (styles only, never scripts).
  await app.register(fastifySwaggerUi, {
    routePrefix: '/docs',
    uiConfig: { validatorUrl: null },
    staticCSP: true,
    transformStaticCSP: () =>
      "default-src 'self'; base-uri 'none'; font-src 'self' data:; frame-ancestors 'none'; img-src 'self' data:; object-src 'none'; script-src 'self'; script-src-attr 'none'; style-src 'self' 'unsafe-inline'; form-action 'self'",
  });

  await app.register(authorization, { tokens: deps.tokens });
  // After the principal is read (a signed call counts against its subject), before the routes.
  if (deps.rateLimit) await installRateLimits(app, deps.rateLimit);

  if (deps.commands ?? true) {
    await app.register(idempotencyPlugin, { store: deps.idempotency, ...(deps.idempotencyTtlMs ? { ttlMs: deps.idempotencyTtlMs } : {}), ...(deps.clock ? { clock: deps.clock } : {}) });
    const commandOptions = { store: deps.store, ...(deps.clock ? { clock: deps.clock } : {}) };
    await app.register(jobRoutes, { ...commandOptions, ...(deps.viewerSalt ? { viewerSalt: deps.viewerSalt } : {}), ...(deps.reads ? { compensation: paySuggester(deps.reads.jobs, deps.clock) } : {}) });
    await app.register(applicationRoutes, commandOptions);
    // A saved query is checked by the query side's own search request schema.
    await app.register(workerRoutes, { ...commandOptions, validateSavedQuery: savedQueryIssues });
    await app.register(businessRoutes, commandOptions);
    if (deps.notifications) await app.register(notificationPreferenceRoutes, { ...commandOptions, unsubscribe: deps.notifications.unsubscribe });
    // Only where notifications run: nothing else would deliver.
    if (deps.notifications) await app.register(webhookRoutes, { ...commandOptions, ...deps.notifications.webhooks });
  }
  if (deps.reads && deps.notifications) await app.register(notificationRoutes, { notifications: deps.notifications.store });
  // One fold cache of workers' streams for every read that scores a worker.
  const profileOf = workerProfileOf(deps.store);
  if (deps.reads) {
    // Sort `match` ranks for the worker asking, by the profile their own stream holds, with the recommendations' weights.
    const weights = deps.reads.match?.weights;
    await app.register(jobReadRoutes, { ...deps.reads, profileOf, ...(weights ? { weights } : {}), ...(deps.clock ? { clock: deps.clock } : {}) });
  }
  if (deps.reads) {
    const { jobs, progress, minPositionWaitMs } = deps.reads;
    await app.register(businessReadRoutes, { jobs, progress, ...(minPositionWaitMs !== undefined ? { minPositionWaitMs } : {}), ...(deps.clock ? { clock: deps.clock } : {}) });
  }
  if (deps.reads) await app.register(compensationRoutes, { ...deps.reads, ...(deps.clock ? { clock: deps.clock } : {}) });
  if (deps.reads) {
    const { jobs, progress, minPositionWaitMs, match } = deps.reads;
    await app.register(matchRoutes, { profileOf, jobs, progress, ...(minPositionWaitMs !== undefined ? { minPositionWaitMs } : {}), ...match, ...(deps.clock ? { clock: deps.clock } : {}) });
  }
  if (deps.reads?.lists) await app.register(listRoutes, { ...deps.reads, lists: deps.reads.lists, ...(deps.clock ? { clock: deps.clock } : {}) });
  if (deps.reads?.lists) {
    // The applicants of a job carry each worker's profile summary and match score, read as the matching reads do.
    const { jobs, progress, minPositionWaitMs, match } = deps.reads;
    await app.register(applicantRoutes, {
      lists: deps.reads.lists, jobs, progress, profileOf,
      ...(match?.weights ? { weights: match.weights } : {}), ...(minPositionWaitMs !== undefined ? { minPositionWaitMs } : {}), ...(deps.clock ? { clock: deps.clock } : {}),
    });
  }
  if (deps.reads) {
    const { jobs, progress, minPositionWaitMs } = deps.reads;
    await app.register(savedSearchResultsRoutes, { jobs, progress, visit: visitSavedSearch(deps.store), ...(minPositionWaitMs !== undefined ? { minPositionWaitMs } : {}), ...(deps.clock ? { clock: deps.clock } : {}) });
  }
  if (deps.reads?.lists) {
    const { minPositionWaitMs, analyticsPageSize } = deps.reads;
    await app.register(jobStatsRoutes, {
      lists: deps.reads.lists, progress: deps.reads.progress,
      ...(minPositionWaitMs !== undefined ? { minPositionWaitMs } : {}), ...(analyticsPageSize !== undefined ? { analyticsPageSize } : {}),
    });
  }

  if (deps.reads && deps.web) await app.register(webRoutes, { ...deps.web, jobs: deps.reads.jobs, ...(deps.reads.lists ? { lists: deps.reads.lists } : {}), ...(deps.clock ? { clock: deps.clock } : {}) });

  if (deps.ops) await app.register(opsRoutes, { ...deps.ops, ...(deps.notifications ? { notifications: deps.notifications.store } : {}), ...(deps.clock ? { clock: deps.clock } : {}) });

  app.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());

  app.get('/healthz', { schema: { tags: ['ops'], security: [], response: { 200: z.object({ status: z.literal('ok') }) } } }, () => ({ status: 'ok' as const }));

  const checks: ReadinessCheck[] = [{ name: 'eventStore', check: async () => void (await deps.store.headPosition()) }, ...(deps.readiness ?? [])];
  app.get('/readyz', {
    schema: {
      tags: ['ops'],
      // Anyone may ask; an operator token adds the dependencies' own error text.
      security: [{}, { bearer: [] }],
      response: {
        200: z.object({ status: z.literal('ready'), checks: z.record(z.string(), z.string()) }),
        503: z.object({ status: z.literal('not_ready'), checks: z.record(z.string(), z.string()) }),
      },
    },
  }, async (request, reply) => {
    // A dependency's own error text (hosts, users, versions) is for operators; everyone else sees ok or failed.
    const detailed = request.principal?.role === 'operator';
    const results = await Promise.all(
      checks.map(async (c) => {
        try {
          await c.check();
          return [c.name, 'ok'] as const;
        } catch (err) {
          request.log.warn({ check: c.name, err }, 'readiness check failed');
          return [c.name, detailed && err instanceof Error ? err.message : 'failed'] as const;
        }
      }),
    );
    const ok = results.every(([, r]) => r === 'ok');
    const body = { checks: Object.fromEntries(results) };
    return ok ? reply.code(200).send({ status: 'ready' as const, ...body }) : reply.code(503).send({ status: 'not_ready' as const, ...body });
  });

  return app;
}
