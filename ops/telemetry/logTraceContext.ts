// pino lines written inside a traced request or batch carry its trace and span
// ids, so a log search finds the trace and a trace view finds the log lines.
import { context, trace } from '@opentelemetry/api';
import type { FastifyServerOptions } from 'fastify';

/** pino `mixin`: the active span's ids (nothing when no span is recording, e.g. tracing off). */
export function traceLogFields(): Record<string, string> {
  const span = trace.getSpan(context.active());
  // A fresh object each time: pino merges the line's fields into what mixin returns.
  if (!span) return {};
  const { traceId, spanId, traceFlags } = span.spanContext();
  return { trace_id: traceId, span_id: spanId, trace_flags: traceFlags.toString(16).padStart(2, '0') };
}

/** Fastify logger options with the trace mixin added (an explicit mixin wins; false stays false). */
export function withTraceIds(logger: FastifyServerOptions['logger']): FastifyServerOptions['logger'] {
  if (logger === true) return { mixin: traceLogFields };
  if (!logger || typeof logger !== 'object') return logger;
  return { mixin: traceLogFields, ...logger };
}
