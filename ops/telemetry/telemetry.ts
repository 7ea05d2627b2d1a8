// The OpenTelemetry SDK for this process: traces (off unless an exporter is
// configured or a test hands in a span processor), metrics read by the
// Prometheus scrape at /metrics, and the auto-instrumentations that patch pg,
// ioredis and node:http. The SDK is process-global, so there is at most one
// running at a time and shutdown() hands every global back to the no-op API.
import { context, metrics, propagation, trace } from '@opentelemetry/api';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { FastifyOtelInstrumentation } from '@fastify/otel';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, ConsoleSpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Config } from '../config.ts';
import { observeServiceMetrics } from './serviceMetrics.ts';
import type { MetricSources } from './serviceMetrics.ts';

export type TracesExporter = 'none' | 'otlp' | 'console';

export interface TelemetryOptions {
  serviceName?: string;
  traces?: TracesExporter;
  /** Base URL of an OTLP/HTTP collector; `/v1/traces` is appended (default http://localhost:4318). */
  otlpEndpoint?: string;
  /** Collect metrics for the /metrics scrape (default true). */
  metrics?: boolean;
  /** More span processors (tests hand in an in-memory exporter); any processor turns tracing on. */
  spanProcessors?: SpanProcessor[];
  /** Patch pg, ioredis and node:http (default true); only modules loaded after start are patched. */
  autoInstrument?: boolean;
}

export interface Telemetry {
  /** Spans are recorded (an exporter or a processor is configured). */
  readonly tracing: boolean;
  /** Metrics are collected and /metrics is served. */
  readonly metrics: boolean;
  /** Request spans for fastify; undefined when tracing is off. */
  readonly fastify: FastifyOtelInstrumentation | undefined;
  /** Everything the meter provider holds, in the Prometheus text format (empty when metrics are off). */
  scrape(): Promise<string>;
  /** Registers the gauges read at each scrape (projection lag, cron health); returns their removal. */
  observe(sources: MetricSources): () => void;
  /** Flushes exporters and resets the global providers; idempotent. */
  shutdown(): Promise<void>;
}

let active: Telemetry | undefined;
let preloaded: Telemetry | undefined;

/** The running telemetry, if one was started in this process. */
export function activeTelemetry(): Telemetry | undefined {
  return active;
}

/** Starts telemetry before the app loads (register.ts); the server that claims it shuts it down. */
export function startPreloadedTelemetry(options: TelemetryOptions): Telemetry {
  preloaded = startTelemetry(options);
  return preloaded;
}

/** The preloaded telemetry, handed out once: to the server that will own (and stop) it. */
export function claimPreloadedTelemetry(): Telemetry | undefined {
  const claimed = preloaded;
  preloaded = undefined;
  return claimed;
}

export function telemetryOptionsFrom(config: Pick<Config, 'OTEL_TRACES_EXPORTER' | 'OTEL_EXPORTER_OTLP_ENDPOINT' | 'OTEL_SERVICE_NAME' | 'METRICS'>): TelemetryOptions {
  return {
    serviceName: config.OTEL_SERVICE_NAME,
    traces: config.OTEL_TRACES_EXPORTER,
    ...(config.OTEL_EXPORTER_OTLP_ENDPOINT ? { otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT } : {}),
    metrics: config.METRICS === 'on',
  };
}

function exporterProcessors(options: TelemetryOptions): SpanProcessor[] {
  switch (options.traces ?? 'none') {
    case 'none':
      return [];
    case 'console':
      return [new SimpleSpanProcessor(new ConsoleSpanExporter())];
    case 'otlp': {
      const base = (options.otlpEndpoint ?? 'http://localhost:4318').replace(/\/+$/, '');
      return [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${base}/v1/traces` }))];
    }
  }
}

/**
 * Starts the SDK. Nothing is read from OTEL_* variables behind our back: the
 * exporters are exactly the configured ones, so the default (no traces
 * exporter) registers no tracer provider and a span costs a no-op call.
 */
export function startTelemetry(options: TelemetryOptions = {}): Telemetry {
  if (active) throw new Error('telemetry is already running in this process; shut it down first');
  const spanProcessors = [...exporterProcessors(options), ...(options.spanProcessors ?? [])];
  const tracing = spanProcessors.length > 0;
  const collectMetrics = options.metrics ?? true;
  const reader = collectMetrics ? new PrometheusExporter({ preventServerStart: true }) : undefined;
  const fastify = tracing
    ? new FastifyOtelInstrumentation({
        // One span per request (plus the handler's), not one per hook.
        instrumentHooks: false,
        requestHook: (span, request) => span.updateName(`${request.method} ${request.routeOptions.url ?? 'unmatched'}`),
      })
    : undefined;
  const instrumentations: Instrumentation[] = [
    ...(fastify ? [fastify as unknown as Instrumentation] : []),
    ...(tracing && (options.autoInstrument ?? true)
      ? [
          new PgInstrumentation({ requireParentSpan: true }),
          new IORedisInstrumentation({ requireParentSpan: true }),
          // Outgoing calls only. Incoming requests get their span from @fastify/otel, which also sees inject();
          // (ignoreIncomingRequestHook would not do: it suppresses tracing for the whole request.)
          new HttpInstrumentation({ disableIncomingRequestInstrumentation: true, requireParentforOutgoingSpans: true }),
        ]
      : []),
  ];
  const sdk = new NodeSDK({
    serviceName: options.serviceName ?? 'jobs-discovery',
    autoDetectResources: false,
    spanProcessors,
    metricReaders: reader ? [reader] : [],
    logRecordProcessors: [],
    instrumentations,
  });
  sdk.start();
  // No otel_scope_* labels: every series here comes from our own meter.
  const serializer = new PrometheusSerializer(undefined, false, undefined, false, true);
  const removals = new Set<() => void>();

  let stopping: Promise<void> | undefined;
  const handle: Telemetry = {
    tracing,
    metrics: collectMetrics,
    fastify,
    async scrape() {
      if (!reader) return '';
      const { resourceMetrics, errors } = await reader.collect();
      if (errors.length > 0) process.emitWarning(`metrics collection: ${errors.map(String).join('; ')}`);
      return serializer.serialize(resourceMetrics);
    },
    observe(sources) {
      const remove = observeServiceMetrics(sources);
      removals.add(remove);
      return () => {
        removals.delete(remove);
        remove();
      };
    },
    shutdown: () =>
      (stopping ??= (async () => {
        for (const remove of removals) remove();
        for (const i of instrumentations) i.disable();
        try {
          await sdk.shutdown();
        } finally {
          trace.disable();
          metrics.disable();
          propagation.disable();
          context.disable();
          if (active === handle) active = undefined;
          if (preloaded === handle) preloaded = undefined;
        }
      })()),
  };
  active = handle;
  return handle;
}
