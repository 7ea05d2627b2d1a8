import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler, onSendHookHandler } from 'fastify';
import { LRUCache } from 'lru-cache';
import type { JobReadStore } from '../model/readStore.ts';
import type { ReadProgress } from './readProgress.ts';
import { awaitPosition, minPositionOf } from './readSupport.ts';

/**
 * Whole answers of the public read routes (search, map), kept as the bytes
 * sent, keyed by the request URL. An answer is served again only while
 * nothing it depends on has moved: the read models' position, the store's
 * content generation, and the clock not yet at the next expiry of an open job
 * (see JobReadStore.freshness). Popular searches and map viewports repeat far
 * more often than the read model changes; when it changes, every entry is
 * stale at once and rebuilt on demand.
 *
 * Server mode: the engine's content moves with the position the query node
 * polls, so the position stands for the generation; what changes the index
 * without moving the position (a drift repair, a blue/green swap) is bounded
 * by `maxAgeMs`.
 */
export interface ResponseCacheOptions {
  maxBytes: number;
  jobs: JobReadStore;
  progress: ReadProgress;
  clock: () => Date;
  minPositionWaitMs: number;
  /** Longest an entry is served (default: unbounded, as long as it is fresh). */
  maxAgeMs?: number;
}

interface Entry {
  body: string;
  position: number;
  generation: number;
  from: number;
  until: number;
}

interface Stamp {
  position: number;
  generation: number;
  from: number;
  until: number;
}

/** Answers that depend on who asks (an owner listing, a worker's `match` order) or move with time by the day: never cached. */
const uncacheable = (query: unknown): boolean => {
  const q = query as { includeClosed?: unknown; postedWithinDays?: unknown; sort?: unknown } | undefined;
  return q === undefined || q.includeClosed === true || q.postedWithinDays !== undefined || q.sort === 'match';
};

/**
 * `Cache-Control: no-cache` (or `no-store`) from an operator: answer from the
 * store, as HTTP caches do. Anyone else is served from the cache as usual, so
 * the header cannot turn every request into a full computation.
 */
const clientRefuses = (request: FastifyRequest): boolean => {
  if (request.principal?.role !== 'operator') return false;
  const cc = request.headers['cache-control'];
  return typeof cc === 'string' && /\bno-(cache|store)\b/i.test(cc);
};

export interface ResponseCache {
  onRequest: onRequestAsyncHookHandler;
  onSend: onSendHookHandler<unknown>;
  stats(): { hits: number; misses: number; entries: number; bytes: number };
}

export function responseCache({ maxBytes, jobs, progress, clock, minPositionWaitMs, maxAgeMs = Infinity }: ResponseCacheOptions): ResponseCache | undefined {
  const freshness = jobs.freshness?.bind(jobs);
  if (maxBytes <= 0 || freshness === undefined) return undefined;
  const entries = new LRUCache<string, Entry>({ maxSize: maxBytes, sizeCalculation: (e, key) => Math.max(1, e.body.length + key.length) });
  const stamps = new WeakMap<FastifyRequest, Stamp>();
  let hits = 0;
  let misses = 0;

  const onRequest = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    // Read-your-writes first (the route's own wait then passes at once), so the stamp below is the state the answer is computed from.
    const fromQuery = (request.query as { minPosition?: unknown } | undefined)?.minPosition;
    const minPosition = minPositionOf(request, typeof fromQuery === 'string' && /^\d{1,15}$/.test(fromQuery) ? Number(fromQuery) : undefined);
    await awaitPosition(progress, minPosition, minPositionWaitMs);
    const now = clock().getTime();
    const position = progress.position();
    const f = await freshness(new Date(now), position);
    // Stamped before the handler runs: the state only moves forward, so an answer is never older than its stamp.
    stamps.set(request, { position, generation: f.generation, from: now, until: Math.min(f.validUntil, now + maxAgeMs) });
    if (clientRefuses(request)) return undefined;
    const e = entries.get(request.url);
    if (e && e.position === position && e.generation === f.generation && e.from <= now && now < e.until) {
      hits++;
      return reply.header('content-type', 'application/json; charset=utf-8').header('x-cache', 'hit').send(e.body);
    }
    misses++;
    void reply.header('x-cache', 'miss');
    return undefined;
  };

  const onSend: onSendHookHandler<unknown> = (request, reply, payload, done) => {
    const stamp = stamps.get(request);
    if (stamp && reply.statusCode === 200 && typeof payload === 'string' && reply.getHeader('x-cache') === 'miss' && !uncacheable(request.query)) {
      entries.set(request.url, { body: payload, ...stamp });
    }
    done(null, payload);
  };

  return {
    onRequest,
    onSend,
    stats: () => ({ hits, misses, entries: entries.size, bytes: entries.calculatedSize }),
  };
}
