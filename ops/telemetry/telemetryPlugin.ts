// HTTP side of telemetry: a server span per request (@fastify/otel, only when
// tracing is on), the request latency histogram, and GET /metrics for the
// Prometheus scrape. Registered before any route so every route is covered.
import { metrics } from '@opentelemetry/api';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Telemetry } from './telemetry.ts';

const PROMETHEUS_TEXT = 'text/plain; version=0.0.4; charset=utf-8';

// Seconds, from a cache hit to a slow aggregation.
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

export interface TelemetryPluginOptions {
  telemetry: Telemetry;
  /**
   * Runs before GET /metrics answers and throws (an HttpError: 401, 403) to
   * refuse the scrape; buildApp passes an operator-role check unless
   * METRICS_AUTH=none. Without it anyone who reaches the port may scrape.
   */
  authorizeScrape?: (request: FastifyRequest) => Promise<void>;
}

const metricsRoute: FastifyPluginAsync<TelemetryPluginOptions> = async (app, { telemetry, authorizeScrape }) => {
  // Not traced: a scrape every few seconds would drown the request spans.
  app.get('/metrics', { schema: { hide: true }, config: { otel: false }, ...(authorizeScrape ? { onRequest: authorizeScrape } : {}) }, async (_request, reply) => {
    const body = await telemetry.scrape();
    return reply.type(PROMETHEUS_TEXT).send(body);
  });
};

export const telemetryPlugin = fp<TelemetryPluginOptions>(
  async (app, { telemetry, authorizeScrape }) => {
    if (telemetry.fastify) await app.register(telemetry.fastify.plugin());
    if (!telemetry.metrics) return;
    // Named as Prometheus expects (the exporter appends no unit suffix); the labels follow OTel semantic conventions.
    const duration = metrics.getMeter('jobs-discovery').createHistogram('http_server_request_duration_seconds', {
      description: 'HTTP request time from receipt to the last byte, by method, route template and status code',
      unit: 's',
      advice: { explicitBucketBoundaries: LATENCY_BUCKETS },
    });
    app.addHook('onResponse', (request, reply, done) => {
      duration.record(reply.elapsedTime / 1000, {
        'http.request.method': request.method,
        // The template, never the raw URL: ids in paths would explode the series count.
        'http.route': request.routeOptions.url ?? 'unmatched',
        'http.response.status_code': reply.statusCode,
      });
      done();
    });
    // Encapsulated: the route and whatever it adds stay out of the rest of the app.
    await app.register(metricsRoute, { telemetry, ...(authorizeScrape ? { authorizeScrape } : {}) });
  },
  { name: 'jobs-telemetry' },
);
