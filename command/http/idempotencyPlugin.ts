import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { IdempotencyStore } from '../idempotency/idempotencyStore.ts';
import { CommandError, invalidField } from '../commandError.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * `rerun`: the answer holds a secret, so it is never stored: a retry runs
     * the handler again (which must answer the same, e.g. an id derived from
     * the key); the claim still makes concurrent retries run one at a time.
     */
    idempotency?: 'replay' | 'rerun';
  }
  interface FastifyRequest {
    idempotency?: {
      key: string;
      clientKey: string;
      hash: string;
      /** Names this request in the metadata of what it appends, so a retry recognises its own events. */
      digest: string;
      settled: boolean;
      rerun: boolean;
    };
  }
}

export interface IdempotencyOptions {
  store: IdempotencyStore;
  /** How long an answer is kept and replayed (default 24 h). */
  ttlMs?: number;
  /** How long a request holds its key before a retry may take it over (its process may have died). */
  leaseMs?: number;
  /** How long a concurrent retry waits for the first request before answering 409. */
  waitMs?: number;
  clock?: () => Date;
}

export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;
const headerPattern = /^[\x21-\x7e]{1,200}$/;

/** Only the commands that declare the header take it; anywhere else it is ignored, and nothing is stored. */
function declaresKey(headers: unknown): boolean {
  return headers instanceof z.ZodObject && 'idempotency-key' in (headers.shape as Record<string, unknown>);
}

/**
 * `Idempotency-Key` on a command: the first request takes the key (an atomic
 * claim in the shared store, so two at once run once), its 2xx answer is kept
 * per (caller, route, key) for `ttlMs` and replayed verbatim on a retry; the
 * same key with another body is a 422. The events a keyed request appends
 * carry its digest: a retry after a crash between the append and the record
 * finds them and answers as the first did (command/execute.ts).
 */
export const idempotencyPlugin = fp<IdempotencyOptions>(
  (app: FastifyInstance, { store, ttlMs = IDEMPOTENCY_TTL_MS, leaseMs = 10_000, waitMs = 12_000, clock = () => new Date() }, done) => {
    const keyed = new Map<string, 'replay' | 'rerun'>();
    app.addHook('onRoute', (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      if (methods.includes('POST') && declaresKey(route.schema?.headers)) keyed.set(route.url, route.config?.idempotency ?? 'replay');
    });

    app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
      const header = request.headers['idempotency-key'];
      const mode = keyed.get(request.routeOptions.url ?? '');
      if (request.method !== 'POST' || header === undefined || !mode) return;
      if (typeof header !== 'string' || !headerPattern.test(header)) {
        throw invalidField('headers.idempotency-key', '1 to 200 visible ASCII characters', 'invalid_format');
      }
      const who = request.principal ? `${request.principal.role}:${request.principal.sub}` : 'anonymous';
      const key = `${who}|${request.method}|${request.url}|${header}`;
      const hash = createHash('sha256').update(JSON.stringify(request.body ?? null)).digest('hex');
      const deadline = Date.now() + waitMs;
      for (let pause = 10; ; pause = Math.min(pause * 2, 200)) {
        const claim = await store.claim(key, { requestHash: hash, now: clock(), leaseMs, ttlMs });
        if (claim.outcome === 'claimed') break;
        if (claim.outcome === 'done') {
          if (claim.record.requestHash !== hash) {
            throw new CommandError('unprocessable', 'idempotency_key_reused', 'this Idempotency-Key was already used with a different request body');
          }
          if (mode === 'rerun') break;
          return reply.code(claim.record.statusCode).header('idempotent-replayed', 'true').type('application/json; charset=utf-8').send(claim.record.body);
        }
        if (Date.now() + pause > deadline) {
          throw new CommandError('conflict', 'idempotency_key_in_use', 'a request with this Idempotency-Key is still running; retry shortly', undefined, 1);
        }
        await sleep(pause);
      }
      const digest = createHash('sha256').update(`${key}\n${hash}`).digest('base64url');
      request.idempotency = { key, clientKey: header, hash, digest, settled: false, rerun: mode === 'rerun' };
    });

    app.addHook('onSend', async (request, reply, payload) => {
      const idem = request.idempotency;
      if (!idem || idem.settled) return payload;
      idem.settled = true;
      if (reply.statusCode < 200 || reply.statusCode >= 300) {
        await store.release(idem.key);
        return payload;
      }
      const body = idem.rerun ? '' : typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : JSON.stringify(payload);
      await store.complete(idem.key, { requestHash: idem.hash, statusCode: reply.statusCode, body, createdAt: clock().toISOString() });
      return payload;
    });

    // A request that ended without an answer lets its key go at once instead of after the lease.
    const letGo = (request: FastifyRequest) => {
      const idem = request.idempotency;
      if (!idem || idem.settled) return;
      idem.settled = true;
      store.release(idem.key).catch((err: unknown) => request.log.warn({ err }, 'could not release an idempotency claim'));
    };
    app.addHook('onResponse', (request, _reply, next) => {
      letGo(request);
      next();
    });
    app.addHook('onRequestAbort', (request, next) => {
      letGo(request);
      next();
    });
    done();
  },
  { name: 'idempotency' },
);
