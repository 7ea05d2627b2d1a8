import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { openSqliteIdempotencyStore } from '../../command/idempotency/sqliteIdempotencyStore.ts';
import { purgeIdempotencyKeys } from './purgeIdempotencyKeys.ts';

it('purge-idempotency-keys forgets the answers older than the time kept and keeps the younger ones', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'idem-purge-'));
  const store = openSqliteIdempotencyStore(join(dir, 'commands.db'));
  try {
    const now = new Date('2027-03-02T12:00:00.000Z');
    const keep = (key: string, hoursAgo: number) => {
      const at = new Date(now.getTime() - hoursAgo * 3_600_000);
      return store
        .claim(key, { requestHash: 'h', now: at, leaseMs: 10_000, ttlMs: 100 * 3_600_000 })
        .then(() => store.complete(key, { requestHash: 'h', statusCode: 201, body: '{}', createdAt: at.toISOString() }));
    };
    await keep('day-and-a-half', 36);
    await keep('a-day-and-a-minute', 24 + 1 / 60);
    await keep('an-hour', 1);
    expect(await purgeIdempotencyKeys(store, 24)(now)).toEqual({ items: 2 });
    const options = { requestHash: 'h', now, leaseMs: 10_000, ttlMs: 100 * 3_600_000 };
    expect((await store.claim('an-hour', options)).outcome).toBe('done');
    expect((await store.claim('day-and-a-half', options)).outcome).toBe('claimed');
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
