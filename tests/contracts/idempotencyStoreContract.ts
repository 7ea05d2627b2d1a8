import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IdempotencyStore } from '../../command/idempotency/idempotencyStore.ts';

/** Every IdempotencyStore adapter keeps the first answer per key and nothing else. */
export function idempotencyStoreContract(name: string, makeStore: () => Promise<IdempotencyStore>): void {
  describe(`IdempotencyStore contract: ${name}`, () => {
    let store: IdempotencyStore;
    beforeEach(async () => {
      store = await makeStore();
    });
    afterEach(async () => store.close());

    const record = (body: string) => ({ requestHash: 'h1', statusCode: 201, body, createdAt: '2027-03-01T12:00:00.000Z' });

    it('answers undefined for an unknown key', async () => {
      expect(await store.get('nobody|POST|/v1/jobs|k')).toBeUndefined();
    });

    it('returns what was put, exactly', async () => {
      await store.put('k1', record('{"id":"a","revision":0,"position":7}'));
      expect(await store.get('k1')).toEqual(record('{"id":"a","revision":0,"position":7}'));
    });

    it('keeps the first record when a key is put twice, also concurrently', async () => {
      await Promise.all(Array.from({ length: 20 }, (_, i) => store.put('k2', record(`{"n":${i}}`))));
      const first = await store.get('k2');
      await store.put('k2', record('{"n":"late"}'));
      expect(await store.get('k2')).toEqual(first);
    });

    it('keeps keys apart', async () => {
      await store.put('a', record('"a"'));
      await store.put('b', record('"b"'));
      expect((await store.get('a'))?.body).toBe('"a"');
      expect((await store.get('b'))?.body).toBe('"b"');
    });
  });
}
