// A client span per engine request, named `engine <METHOD> <path template>`.
// Only @opentelemetry/api here (query/ never imports ops/): with no SDK
// registered the request goes straight through, without even a no-op span.
import { ProxyTracerProvider, SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import type { Tracer, TracerProvider } from '@opentelemetry/api';
import type { EngineName, EngineRequest, EngineResponse } from './searchClient.ts';

const NOOP_PROVIDER = new ProxyTracerProvider().getDelegate();
let cached: { provider: TracerProvider; tracer: Tracer } | undefined;

function engineTracer(): Tracer | undefined {
  const global = trace.getTracerProvider();
  const provider = global instanceof ProxyTracerProvider ? global.getDelegate() : global;
  if (provider === NOOP_PROVIDER) return undefined;
  if (cached?.provider !== provider) cached = { provider, tracer: provider.getTracer('jobs-discovery/engine') };
  return cached.tracer;
}

// Segments after these are document ids or alias names, not API words.
const ID_AFTER = new Set(['_doc', '_create', '_update', '_source', '_explain', '_termvectors']);
const ALIAS_AFTER = new Set(['_alias', '_aliases']);

/**
 * The request path with index, document and alias names replaced by
 * placeholders, so span names stay few: `/jobs_v3/_doc/42` → `/{index}/_doc/{id}`.
 */
export function pathTemplate(path: string): string {
  const segments = path.split('?', 1)[0]!.split('/').filter((s) => s.length > 0);
  const out = segments.map((s, i) => {
    if (s.startsWith('_')) return s;
    if (i === 0) return '{index}';
    const previous = segments[i - 1]!;
    if (ID_AFTER.has(previous)) return '{id}';
    if (ALIAS_AFTER.has(previous)) return '{alias}';
    return '{name}';
  });
  return `/${out.join('/')}`;
}

/**
 * Runs `send` inside a span for the request; an answer the caller did not ask
 * to ignore marks the span as failed. Only inside a traced request or batch:
 * the checkpoint polls and readiness probes would otherwise be a few root
 * spans a second that nobody asked for.
 */
export function withEngineSpan(engine: EngineName, req: EngineRequest, send: () => Promise<EngineResponse>): Promise<EngineResponse> {
  const tracer = engineTracer();
  if (!tracer || !trace.getSpan(context.active())) return send();
  const template = pathTemplate(req.path);
  return tracer.startActiveSpan(
    `engine ${req.method} ${template}`,
    {
      kind: SpanKind.CLIENT,
      attributes: { 'db.system.name': engine, 'http.request.method': req.method, 'url.template': template, ...(req.bulkBody ? { 'engine.bulk.lines': req.bulkBody.length } : {}) },
    },
    async (span) => {
      try {
        const res = await send();
        span.setAttribute('http.response.status_code', res.statusCode);
        if (res.statusCode >= 400 && !(req.ignore ?? []).includes(res.statusCode)) span.setStatus({ code: SpanStatusCode.ERROR, message: `HTTP ${res.statusCode}` });
        return res;
      } catch (err) {
        span.recordException(err instanceof Error ? err : String(err));
        span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
        throw err;
      } finally {
        span.end();
      }
    },
  );
}
