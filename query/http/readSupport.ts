import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { ReadError, invalidParam } from '../model/readError.ts';
import type { ReadProgress } from './readProgress.ts';

/** Validates a value built from the request against a model schema; a failure is a 400 naming the fields. */
export function parseModel<S extends z.ZodType>(schema: S, value: unknown, context: 'querystring' | 'body'): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const details = result.error.issues.map((i) => ({
    field: [context, ...i.path.map(String)].join('.'),
    message: i.message,
    code: i.code,
  }));
  const first = details[0];
  throw new ReadError('invalid', 'validation_failed', first ? `${first.field}: ${first.message}` : 'invalid request', details);
}

/** `minPosition` from the query or the `X-Min-Position` header. */
export function minPositionOf(request: FastifyRequest, fromQuery: number | undefined): number | undefined {
  if (fromQuery !== undefined) return fromQuery;
  const header = request.headers['x-min-position'];
  if (header === undefined) return undefined;
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || !/^\d{1,15}$/.test(value)) {
    throw invalidParam('headers.x-min-position', 'must be a non-negative integer', 'invalid_type');
  }
  return Number(value);
}

/**
 * Read-your-writes: waits, bounded, until the read models reached
 * `minPosition`; on timeout a 503 with Retry-After and the current position,
 * never silently old data.
 */
export async function awaitPosition(progress: ReadProgress, minPosition: number | undefined, waitMs: number): Promise<void> {
  if (minPosition === undefined || progress.position() >= minPosition) return;
  if (await progress.waitFor(minPosition, waitMs)) return;
  throw new ReadError(
    'unavailable',
    'stale_read',
    `the read model has applied the log up to position ${progress.position()}, not yet ${minPosition}; retry shortly`,
    { minPosition, currentPosition: progress.position() },
    1,
  );
}
