// The whole service in server mode (real PostgreSQL and OpenSearch) with the
// SDK started as startServer starts it, plus an in-memory span exporter.
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { FastifyInstance } from 'fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobExample } from '../../command/http/examples.ts';
import { dropServerModeState } from '../../tests/support/fullApp.ts';
import { loadConfig } from '../config.ts';
import { buildApp } from '../http/buildApp.ts';
import type { ReadSide } from '../readSide.ts';
import { openReadSide } from '../readSide.ts';
import type { Runtime } from '../runtime.ts';
import { openRuntime } from '../runtime.ts';
import { recordDrift } from './instruments.ts';
import type { Telemetry } from './telemetry.ts';
import { startTelemetry } from './telemetry.ts';

const tag = `t${Math.random().toString(36).slice(2, 10)}`;
const dir = mkdtempSync(join(tmpdir(), 'jobs-telemetry-'));
const exporter = new InMemorySpanExporter();
const logLines: Array<Record<string, unknown>> = [];
let telemetry: Telemetry;
let runtime: Runtime;
let reads: ReadSide;
let app: FastifyInstance;

beforeAll(async () => {
  telemetry = startTelemetry({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const config = loadConfig({
    JOBS_MODE: 'server',
    DATA_DIR: dir,
    DATABASE_URL: process.env.DATABASE_URL,
    SEARCH_URL: process.env.SEARCH_URL,
    AUTH_SECRET: 'telemetry-secret-telemetry-secret-0123456789',
    SEARCH_PREFIX: `${tag}_`,
    DATABASE_SCHEMA_PREFIX: tag,
  });
  runtime = await openRuntime(config);
  reads = await openReadSide(config, runtime.store, { runProjector: true });
  // The scheduler is another module's; this is the shape it hands in at wiring time.
  telemetry.observe({
    projections: () => reads.status(),
    cron: async () => [{ job: 'auto-close-expired', lastSuccessAt: '2026-11-27T23:59:00.000Z', overdue: false }],
  });
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line) logLines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  app = await buildApp({
    store: runtime.store,
    idempotency: runtime.idempotency,
    tokens: runtime.tokens,
    reads: { jobs: reads.jobs, lists: reads.lists, progress: reads.progress, minPositionWaitMs: 5000 },
    ops: { reads },
    telemetry,
    logger: { level: 'info', stream },
  });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await reads?.close();
  await runtime?.close();
  await telemetry?.shutdown();
  rmSync(dir, { recursive: true, force: true });
  await dropServerModeState(tag, process.env.SEARCH_URL!, process.env.DATABASE_URL!);
});

function ancestry(span: ReadableSpan, all: readonly ReadableSpan[]): ReadableSpan[] {
  const byId = new Map(all.map((s) => [s.spanContext().spanId, s]));
  const chain: ReadableSpan[] = [];
  for (let s: ReadableSpan | undefined = span; s; s = byId.get(s.parentSpanContext?.spanId ?? '')) chain.push(s);
  return chain;
}

const spansOfTrace = (traceId: string) => exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);

describe('telemetry of the running service (server mode)', () => {
  it('a search request is one trace: the engine call is a descendant of the request server span', async () => {
    const res = await app.inject({ url: '/v1/search?text=barista', headers: { 'x-request-id': 'telemetry-search-1' } });
    expect(res.statusCode).toBe(200);
    const server = exporter.getFinishedSpans().find((s) => s.kind === SpanKind.SERVER && s.name === 'GET /v1/search');
    expect(server).toBeDefined();
    const trace = spansOfTrace(server!.spanContext().traceId);
    const engine = trace.find((s) => s.name === 'engine POST /{index}/_search');
    expect(engine, trace.map((s) => s.name).join(', ')).toBeDefined();
    expect(engine!.kind).toBe(SpanKind.CLIENT);
    expect(engine!.attributes['db.system.name']).toBe('opensearch');
    expect(ancestry(engine!, trace).at(-1)).toBe(server);
    expect(server!.attributes['http.route']).toBe('/v1/search');
    expect(server!.attributes['http.response.status_code']).toBe(200);

    // A line logged while the request ran carries its trace.
    const lines = logLines.filter((l) => l.reqId === 'telemetry-search-1');
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.some((l) => l.trace_id === server!.spanContext().traceId)).toBe(true);
  });

  it('continues the trace of a caller that sends traceparent', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const res = await app.inject({ url: '/v1/search?text=cook', headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } });
    expect(res.statusCode).toBe(200);
    const server = spansOfTrace(traceId).find((s) => s.kind === SpanKind.SERVER);
    expect(server?.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
  });

  it('a projector batch is a span with its event count and positions, its engine writes under it', async () => {
    const token = await runtime.tokens.sign({ role: 'business', sub: 'b-telemetry' });
    const created = await app.inject({ method: 'POST', url: '/v1/jobs', payload: jobExample, headers: { authorization: `Bearer ${token}` } });
    expect(created.statusCode).toBe(201);
    const { position } = created.json<{ position: number }>();
    expect(await reads.progress.waitFor(position, 10_000)).toBe(true);
    const batch = exporter.getFinishedSpans().find((s) => s.name === 'projection jobs batch' && Number(s.attributes['projection.to_position']) >= position);
    expect(batch).toBeDefined();
    expect(batch!.parentSpanContext).toBeUndefined();
    expect(Number(batch!.attributes['projection.events'])).toBeGreaterThan(0);
    expect(Number(batch!.attributes['projection.from_position'])).toBeLessThanOrEqual(position);
    const writes = spansOfTrace(batch!.spanContext().traceId).filter((s) => s.name.startsWith('engine '));
    expect(writes.length).toBeGreaterThan(0);
  });

  it('GET /metrics answers Prometheus text with the request histogram, projection lag, cron and drift metrics', async () => {
    recordDrift('jobs', 'missing', 2, 2);
    // METRICS_AUTH defaults to operator: the scrape needs an operator token.
    expect((await app.inject('/metrics')).statusCode).toBe(401);
    const res = await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${await runtime.tokens.sign({ role: 'operator', sub: 'prometheus' })}` } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const body = res.body;
    expect(body).toMatch(/^http_server_request_duration_seconds_count\{http_request_method="GET",http_route="\/v1\/search",http_response_status_code="200"\} [1-9]/m);
    expect(body).toMatch(/^http_server_request_duration_seconds_bucket\{http_request_method="POST",http_route="\/v1\/jobs",http_response_status_code="201",le="\+Inf"\} 1$/m);
    expect(body).toMatch(/^jobs_projection_lag_events\{projection="jobs"\} \d+$/m);
    expect(body).toMatch(/^jobs_projection_lag_events\{projection="lists"\} \d+$/m);
    expect(body).toMatch(/^jobs_projection_lag_seconds\{projection="jobs"\} [\d.]+$/m);
    expect(body).toMatch(/^jobs_cron_last_success_timestamp_seconds\{job="auto-close-expired"\} 1795823940$/m);
    expect(body).toMatch(/^jobs_cron_overdue\{job="auto-close-expired"\} 0$/m);
    expect(body).toMatch(/^jobs_drift_found_total\{readModel="jobs",kind="missing"\} 2$/m);
    expect(body).toMatch(/^jobs_drift_repaired_total\{readModel="jobs",kind="missing"\} 2$/m);
    // A scrape is not traced, and the route is not part of the API document.
    expect(exporter.getFinishedSpans().some((s) => s.name === 'GET /metrics')).toBe(false);
    expect(Object.keys((await app.inject('/openapi.json')).json<{ paths: Record<string, unknown> }>().paths)).not.toContain('/metrics');
  });
});
