import { trace } from '@opentelemetry/api';
import Fastify from 'fastify';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.ts';
import { recordCronRun, recordDrift } from './instruments.ts';
import type { Telemetry } from './telemetry.ts';
import { activeTelemetry, claimPreloadedTelemetry, startPreloadedTelemetry, startTelemetry, telemetryOptionsFrom } from './telemetry.ts';
import { telemetryPlugin } from './telemetryPlugin.ts';

let running: Telemetry | undefined;
afterEach(async () => {
  await running?.shutdown();
  running = undefined;
});

async function appWith(telemetry: Telemetry) {
  const app = Fastify();
  await app.register(telemetryPlugin, { telemetry });
  app.get('/items/:id', async () => ({ ok: true }));
  await app.ready();
  return app;
}

describe('telemetry configuration', () => {
  it('defaults to no traces exporter and metrics on', () => {
    expect(telemetryOptionsFrom(loadConfig({}))).toEqual({ serviceName: 'jobs-discovery', traces: 'none', metrics: true });
  });

  it('takes the OTLP exporter and endpoint and METRICS=off from the environment', () => {
    const config = loadConfig({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', METRICS: 'off', OTEL_SERVICE_NAME: 'query-7' });
    expect(telemetryOptionsFrom(config)).toEqual({ serviceName: 'query-7', traces: 'otlp', otlpEndpoint: 'http://collector:4318', metrics: false });
  });

  it('refuses an unknown exporter and a bad endpoint, naming each variable', () => {
    const problems = (() => {
      try {
        loadConfig({ OTEL_TRACES_EXPORTER: 'jaeger', OTEL_EXPORTER_OTLP_ENDPOINT: 'ftp://x', METRICS: 'maybe' });
        return [];
      } catch (err) {
        return err instanceof ConfigError ? err.problems : [];
      }
    })();
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['METRICS', 'OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_TRACES_EXPORTER']);
  });
});

describe('telemetry lifecycle', () => {
  it('registers no tracer provider when no exporter is configured, so spans are no-ops', () => {
    running = startTelemetry();
    expect(running.tracing).toBe(false);
    expect(running.fastify).toBeUndefined();
    const span = trace.getTracer('t').startSpan('x');
    expect(span.isRecording()).toBe(false);
    span.end();
  });

  it('records spans once a processor is given and hands every global back on shutdown', async () => {
    const exporter = new InMemorySpanExporter();
    running = startTelemetry({ spanProcessors: [new SimpleSpanProcessor(exporter)], autoInstrument: false });
    expect(activeTelemetry()).toBe(running);
    trace.getTracer('t').startSpan('recorded').end();
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['recorded']);
    await running.shutdown();
    await running.shutdown();
    expect(activeTelemetry()).toBeUndefined();
    expect(trace.getTracer('t').startSpan('after').isRecording()).toBe(false);
    // A fresh start after shutdown works (tests start one per file).
    running = startTelemetry({ metrics: false });
    expect(running.metrics).toBe(false);
  });

  it('hands preloaded telemetry to one claimant only, the server that will stop it', () => {
    running = startPreloadedTelemetry({ metrics: false });
    expect(claimPreloadedTelemetry()).toBe(running);
    expect(claimPreloadedTelemetry()).toBeUndefined();
    expect(activeTelemetry()).toBe(running);
  });

  it('refuses a second start while one is running', () => {
    running = startTelemetry();
    expect(() => startTelemetry()).toThrow(/already running/);
  });
});

describe('telemetry over HTTP', () => {
  it('GET /metrics serves the request histogram by method, route template and status code', async () => {
    running = startTelemetry();
    const app = await appWith(running);
    expect((await app.inject('/items/42')).statusCode).toBe(200);
    expect((await app.inject('/nowhere/7')).statusCode).toBe(404);
    const res = await app.inject('/metrics');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.body).toMatch(/^# TYPE http_server_request_duration_seconds histogram$/m);
    expect(res.body).toMatch(/^http_server_request_duration_seconds_count\{http_request_method="GET",http_route="\/items\/:id",http_response_status_code="200"\} 1$/m);
    expect(res.body).toMatch(/^http_server_request_duration_seconds_count\{http_request_method="GET",http_route="unmatched",http_response_status_code="404"\} 1$/m);
    // Raw paths never become labels.
    expect(res.body).not.toContain('/items/42');
    expect(res.body).not.toContain('/nowhere');
    await app.close();
  });

  it('shows the drift and cron counters other modules record, and the gauges of observed sources', async () => {
    running = startTelemetry();
    const app = await appWith(running);
    recordDrift('jobs', 'stale', 4, 3);
    recordCronRun('drift-check', 'success', 1.5);
    running.observe({ cron: async () => [{ job: 'digest', lastSuccessAt: '2026-11-28T10:00:00.000Z', overdue: false }, { job: 'weekly-summary', overdue: true }], projections: async () => [{ name: 'jobs', checkpoint: 90, lagEvents: 10, lagSeconds: 2.5, deadLetters: 0 }] });
    const body = (await app.inject('/metrics')).body;
    expect(body).toMatch(/^jobs_drift_found_total\{readModel="jobs",kind="stale"\} 4$/m);
    expect(body).toMatch(/^jobs_drift_repaired_total\{readModel="jobs",kind="stale"\} 3$/m);
    expect(body).toMatch(/^jobs_cron_runs_total\{job="drift-check",outcome="success"\} 1$/m);
    expect(body).toMatch(new RegExp(`^jobs_cron_last_success_timestamp_seconds\\{job="digest"\\} ${Date.parse('2026-11-28T10:00:00.000Z') / 1000}$`, 'm'));
    expect(body).not.toMatch(/^jobs_cron_last_success_timestamp_seconds\{job="weekly-summary"\}/m);
    expect(body).toMatch(/^jobs_cron_overdue\{job="weekly-summary"\} 1$/m);
    expect(body).toMatch(/^jobs_cron_overdue\{job="digest"\} 0$/m);
    expect(body).toMatch(/^jobs_projection_lag_events\{projection="jobs"\} 10$/m);
    expect(body).toMatch(/^jobs_projection_lag_seconds\{projection="jobs"\} 2.5$/m);
    expect(body).toMatch(/^process_resident_memory_bytes \d+/m);
    await app.close();
  });

  it('serves no /metrics when metrics are off', async () => {
    running = startTelemetry({ metrics: false });
    const app = await appWith(running);
    expect((await app.inject('/metrics')).statusCode).toBe(404);
    expect(await running.scrape()).toBe('');
    await app.close();
  });
});
