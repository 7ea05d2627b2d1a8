import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClaimOptions, IdempotencyStore } from '../../command/idempotency/idempotencyStore.ts';

/** Every IdempotencyStore adapter gives a key to one request at a time and keeps its first answer for the time stated. */
export function idempotencyStoreContract(name: string, makeStore: () => Promise<IdempotencyStore>): void {
  describe(`IdempotencyStore contract: ${name}`, () => {
    let store: IdempotencyStore;
    beforeEach(async () => {
      store = await makeStore();
    });
    afterEach(async () => store.close());

    const t0 = new Date('2027-03-01T12:00:00.000Z');
    const at = (ms: number) => new Date(t0.getTime() + ms);
    const opts = (now = t0, requestHash = 'h1'): ClaimOptions => ({ requestHash, now, leaseMs: 10_000, ttlMs: 86_400_000 });
    const record = (body: string, createdAt = t0) => ({ requestHash: 'h1', statusCode: 201, body, createdAt: createdAt.toISOString() });

    it('gives an unknown key to the first request that asks', async () => {
      expect(await store.claim('nobody|POST|/v1/jobs|k', opts())).toEqual({ outcome: 'claimed' });
    });

    it('gives a key to exactly one of many concurrent requests; the others are told it is busy', async () => {
      const claims = await Promise.all(Array.from({ length: 20 }, () => store.claim('k-burst', opts())));
      expect(claims.filter((c) => c.outcome === 'claimed')).toHaveLength(1);
      expect(claims.filter((c) => c.outcome === 'busy')).toHaveLength(19);
    });

    it('answers the completed record, exactly, to every later claim', async () => {
      await store.claim('k1', opts());
      await store.complete('k1', record('{"id":"a","revision":0,"position":7}'));
      expect(await store.claim('k1', opts(at(1000)))).toEqual({ outcome: 'done', record: record('{"id":"a","revision":0,"position":7}') });
      expect(await store.claim('k1', opts(at(2000), 'other-body'))).toEqual({ outcome: 'done', record: record('{"id":"a","revision":0,"position":7}') });
    });

    it('lets a released key be claimed again at once', async () => {
      await store.claim('k2', opts());
      await store.release('k2');
      expect(await store.claim('k2', opts(at(1)))).toEqual({ outcome: 'claimed' });
    });

    it('hands a claim whose lease lapsed to the next request (its holder died)', async () => {
      await store.claim('k3', opts());
      expect(await store.claim('k3', opts(at(9_000)))).toEqual({ outcome: 'busy' });
      expect(await store.claim('k3', opts(at(10_001)))).toEqual({ outcome: 'claimed' });
    });

    it('forgets an answer older than the time kept, and purges what was made before a time', async () => {
      await store.claim('old', opts());
      await store.complete('old', record('"old"'));
      await store.claim('new', opts(at(3_600_000)));
      await store.complete('new', record('"new"', at(3_600_000)));
      expect(await store.claim('old', opts(at(86_400_001)))).toEqual({ outcome: 'claimed' });
      await store.release('old');
      expect(await store.purge(at(1_800_000))).toBe(0);
      expect(await store.purge(at(7_200_000))).toBe(1);
      expect(await store.claim('new', opts(at(7_200_001)))).toEqual({ outcome: 'claimed' });
    });

    it('keeps keys apart', async () => {
      await store.claim('a', opts());
      await store.complete('a', record('"a"'));
      await store.claim('b', opts());
      await store.complete('b', record('"b"'));
      const a = await store.claim('a', opts(at(1)));
      const b = await store.claim('b', opts(at(1)));
      expect(a.outcome === 'done' && a.record.body).toBe('"a"');
      expect(b.outcome === 'done' && b.record.body).toBe('"b"');
    });
  });
}
