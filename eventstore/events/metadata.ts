import { z } from 'zod';
import { id, isoInstant } from './shared.ts';

export const roles = ['business', 'worker', 'operator', 'system'] as const;
export const Role = z.enum(roles);
export type Role = z.infer<typeof Role>;

export const Actor = z.object({ role: Role, sub: id }).strict();
export type Actor = z.infer<typeof Actor>;

/** The roles a bearer token can carry: every actor but the system itself. */
export const tokenRoles = ['business', 'worker', 'operator'] as const satisfies readonly Role[];
export type TokenRole = (typeof tokenRoles)[number];

/** Who calls: the role and subject of a verified token, the actor of what the call appends. */
export interface Principal {
  role: TokenRole;
  sub: string;
}

/** Metadata every stored event carries, whatever its type. */
export const EventMetadata = z
  .object({
    actor: Actor,
    correlationId: z.string().min(1).max(200),
    causationId: z.string().min(1).max(200),
    occurredAt: isoInstant,
    /** A digest of the caller, route, Idempotency-Key and body of the request that appended it: a retry finds its own events by it. */
    idempotencyKey: z.string().max(200).optional(),
  })
  .strict();
export type EventMetadata = z.infer<typeof EventMetadata>;
