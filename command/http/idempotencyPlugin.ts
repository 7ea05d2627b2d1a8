import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { createHash } from 'node:crypto';
import type { IdempotencyStore } from '../idempotency/idempotencyStore.ts';
import { ApiError } from './apiError.ts';

declare module 'fastify' {
  interface FastifyRequest {
    idempotency?: { key: string; clientKey: string; hash: string; release: () => void };
  }
}

const headerPattern = /^[\x21-\x7e]{1,200}$/;

/**
 * `Idempotency-Key` on a POST: the first 2xx answer is stored per (caller,
 * route, key) and replayed verbatim on a retry; the same key with another body
 * is a 422. Concurrent retries in this process wait for the first to finish.
 */
export const idempotencyPlugin = fp<{ store: IdempotencyStore }>(
  (app: FastifyInstance, { store }, done) => {
    const inFlight = new Map<string, Promise<void>>();

    app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
      const header = request.headers['idempotency-key'];
      if (request.method !== 'POST' || header === undefined) return;
      if (typeof header !== 'string' || !headerPattern.test(header)) {
        throw new ApiError(400, 'validation_failed', 'headers.idempotency-key: 1 to 200 visible ASCII characters', [
          { field: 'headers.idempotency-key', message: '1 to 200 visible ASCII characters', code: 'invalid_format' },
        ]);
      }
      const who = request.principal ? `${request.principal.role}:${request.principal.sub}` : 'anonymous';
      const key = `${who}|${request.method}|${request.url}|${header}`;
      const hash = createHash('sha256').update(JSON.stringify(request.body ?? null)).digest('hex');
      for (let pending = inFlight.get(key); pending; pending = inFlight.get(key)) await pending;
      const stored = await store.get(key);
      if (stored) {
        if (stored.requestHash !== hash) {
          throw new ApiError(422, 'idempotency_key_reused', 'this Idempotency-Key was already used with a different request body');
        }
        return reply.code(stored.statusCode).header('idempotent-replayed', 'true').type('application/json; charset=utf-8').send(stored.body);
      }
      let release!: () => void;
      inFlight.set(key, new Promise<void>((resolve) => (release = resolve)));
      request.idempotency = {
        key,
        clientKey: header,
        hash,
        release: () => {
          inFlight.delete(key);
          release();
        },
      };
    });

    app.addHook('onSend', async (request, reply, payload) => {
      const idem = request.idempotency;
      if (!idem || reply.statusCode < 200 || reply.statusCode >= 300 || reply.getHeader('idempotent-replayed')) return payload;
      const body = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : JSON.stringify(payload);
      await store.put(idem.key, { requestHash: idem.hash, statusCode: reply.statusCode, body, createdAt: new Date().toISOString() });
      return payload;
    });

    app.addHook('onResponse', (request, _reply, next) => {
      request.idempotency?.release();
      next();
    });
    app.addHook('onRequestAbort', (request, next) => {
      request.idempotency?.release();
      next();
    });
    done();
  },
  { name: 'idempotency' },
);
