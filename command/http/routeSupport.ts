import type { FastifyRequest } from 'fastify';
import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { EventStore } from '../../eventstore/port.ts';
import type { CommandContext } from '../execute.ts';
import { CommandError } from '../commandError.ts';
import type { Principal } from '../../eventstore/events/index.ts';

export interface CommandRouteOptions {
  store: EventStore;
  /** Injected so tests can move time; defaults to the wall clock. */
  clock?: () => Date;
}

export const CommandReplySchema = z
  .object({
    id: z.string(),
    revision: z.number().int().describe('revision of the stream after the command (-1: stream does not exist)'),
    position: z.number().int().describe('global log position to pass as minPosition for read-your-writes'),
  })
  .strict();

/** `If-Match: 3`, `"3"` or `W/"3"`: the stream revision the client last read. */
export const IfMatchHeaders = z.looseObject({
  'if-match': z
    .string()
    .regex(/^(W\/)?"?-?\d+"?$/, 'must be the stream revision, like "3"')
    .optional(),
  'idempotency-key': z.string().optional(),
});

/** The headers of a route that creates (no revision to match yet): only the idempotency key. */
export const IdempotencyHeaders = z.looseObject({ 'idempotency-key': z.string().optional() });

export function parseIfMatch(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  return Number(value.replace(/^W\//, '').replace(/"/g, ''));
}

export function contextOf(request: FastifyRequest, principal: Principal | undefined, now: Date): CommandContext {
  const header = request.headers['x-correlation-id'];
  const correlationId = typeof header === 'string' && header.length > 0 && header.length <= 200 ? header : request.id;
  return {
    actor: principal ? { role: principal.role, sub: principal.sub } : { role: 'system', sub: 'anonymous' },
    correlationId,
    causationId: request.id,
    now,
    ...(request.idempotency ? { idempotencyKey: request.idempotency.digest } : {}),
  };
}

/**
 * A new aggregate id. With an Idempotency-Key the id is derived from it, so a
 * retry after a crash between append and reply lands on the same stream.
 */
export function newId(request: FastifyRequest, principal: Principal): string {
  const key = request.idempotency?.clientKey;
  if (!key) return randomUUID();
  const h = createHash('sha256').update(`${principal.role}:${principal.sub}:${request.url}:${key}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}


export function conflictIfExists(exists: boolean, what: string): void {
  if (exists) throw new CommandError('conflict', 'already_exists', `${what} already exists`);
}
