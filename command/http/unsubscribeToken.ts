import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { NotificationKind, RecipientRole, id } from '../../eventstore/events/index.ts';

// The token in an e-mail's unsubscribe link: who and which kind, signed so
// that the link works without signing in and cannot be forged for someone
// else. It does not expire: a link in an old mail must still work, and all it
// can ever do is switch that one kind off for that one person.

// With `search`, the link switches that saved search's alerts off instead of a whole kind.
const Payload = z.object({ v: z.literal(1), role: RecipientRole, sub: id, kind: NotificationKind, search: id.optional() }).strict();
export type UnsubscribeClaims = Omit<z.infer<typeof Payload>, 'v'>;

export interface UnsubscribeTokens {
  sign(claims: UnsubscribeClaims): string;
  /** The claims, or undefined when the token is malformed or its signature is wrong. */
  verify(token: string): UnsubscribeClaims | undefined;
}

export function unsubscribeTokens(secret: string): UnsubscribeTokens {
  // A key of its own, so that nothing signed for one purpose passes for another.
  const key = createHmac('sha256', secret).update('unsubscribe-link').digest();
  const mac = (body: string) => createHmac('sha256', key).update(body).digest();
  return {
    sign(claims) {
      const body = Buffer.from(JSON.stringify({ v: 1, role: claims.role, sub: claims.sub, kind: claims.kind, ...(claims.search !== undefined ? { search: claims.search } : {}) })).toString('base64url');
      return `${body}.${mac(body).toString('base64url')}`;
    },
    verify(token) {
      const [body, signature, extra] = token.split('.');
      if (!body || !signature || extra !== undefined || body.length > 1000) return undefined;
      const given = Buffer.from(signature, 'base64url');
      const expected = mac(body);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      try {
        const parsed = Payload.safeParse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
        if (!parsed.success) return undefined;
        return { role: parsed.data.role, sub: parsed.data.sub, kind: parsed.data.kind, ...(parsed.data.search !== undefined ? { search: parsed.data.search } : {}) };
      } catch {
        return undefined;
      }
    },
  };
}
