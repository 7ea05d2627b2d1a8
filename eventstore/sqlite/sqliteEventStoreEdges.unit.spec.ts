// Edges of the SQLite event store the contract does not reach: an append of
// no events, every call on a store whose database is gone, and the WAL
// synced off the event loop (nothing acknowledged or read before it is on disk).
import { pbkdf2 } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { viewed } from '../../tests/contracts/eventStoreContract.ts';
import { WrongExpectedRevisionError } from '../port.ts';
import { openSqliteEventStore } from './sqliteEventStore.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'es-sqlite-edges-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('SqliteEventStore edges', () => {
  it('an append of no events checks the expected revision, writes nothing and answers the log head', async () => {
    const store = await openSqliteEventStore({ path: ':memory:' });
    try {
      await store.append('jobviews-j1', [viewed('j1', 1), viewed('j1', 2)], 'no_stream');
      expect(await store.append('jobviews-j1', [], 1)).toEqual({ revision: 1, position: 2 });
      expect(await store.append('jobviews-j2', [], 'no_stream')).toEqual({ revision: -1, position: 2 });
      await expect(store.append('jobviews-j1', [], 'no_stream')).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      expect(await store.headPosition()).toBe(2);
      expect((await store.readStream('jobviews-j2'))).toEqual([]);
      expect((await store.readStream('jobviews-j1', { fromRevision: 1 })).map((e) => e.revision)).toEqual([1]);
      expect((await store.readStream('jobviews-j1', { maxCount: 1 })).map((e) => e.revision)).toEqual([0]);
    } finally {
      await store.close();
    }
  });

  it('acknowledges no append whose WAL could not be synced (synchronous=FULL in a file)', async () => {
    const path = join(dir, 'unsynced.db');
    const store = await openSqliteEventStore({ path });
    try {
      // The WAL SQLite writes to is gone from the folder, so it cannot be opened to be synced.
      expect(existsSync(`${path}-wal`)).toBe(true);
      rmSync(`${path}-wal`);
      await expect(store.append('jobviews-j1', [viewed('j1', 1)], 'no_stream')).rejects.toThrow(/ENOENT/);
    } finally {
      await store.close();
    }
  });

  it('shows an append to readers of the whole log only once its WAL is synced', async () => {
    const store = await openSqliteEventStore({ path: join(dir, 'visible.db') });
    try {
      await store.append('jobviews-j0', [viewed('j0', 1)], 'no_stream');
      // The libuv pool is held by slow hashes, so the WAL sync queued behind them is still pending while we read.
      const busy = Array.from({ length: 8 }, () => new Promise((done) => pbkdf2('x', 'salt', 400_000, 32, 'sha256', done)));
      let acknowledged = false;
      const appending = store.append('jobviews-j1', [viewed('j1', 2)], 'no_stream').then(() => (acknowledged = true));
      while (store.commitStats.commits < 2) await new Promise((next) => setImmediate(next));
      expect(acknowledged).toBe(false);
      expect((await store.readAll({ after: 0, maxCount: 10 })).map((e) => e.position)).toEqual([1]);
      expect(await store.headPosition()).toBe(1);
      // A command reading its own stream sees the commit (its next append is synced after this one).
      expect(await store.readStream('jobviews-j1')).toHaveLength(1);
      await appending;
      expect((await store.readAll({ after: 0, maxCount: 10 })).map((e) => e.position)).toEqual([1, 2]);
      expect(await store.headPosition()).toBe(2);
      await Promise.all(busy);
    } finally {
      await store.close();
    }
  });

  it('acknowledges appends once synced, and without a sync of its own under synchronous=NORMAL', async () => {
    for (const synchronous of ['FULL', 'NORMAL'] as const) {
      const path = join(dir, `synced-${synchronous}.db`);
      const store = await openSqliteEventStore({ path, synchronous });
      await Promise.all([store.append('jobviews-j1', [viewed('j1', 1)], 'no_stream'), store.append('jobviews-j2', [viewed('j2', 2)], 'no_stream')]);
      await store.append('jobviews-j1', [viewed('j1', 3)], 0);
      expect(store.commitStats).toEqual({ commits: 2, appends: 3 });
      await store.close();
      const reopened = await openSqliteEventStore({ path });
      expect((await reopened.readAll({ after: 0, maxCount: 10 })).map((e) => e.streamId)).toEqual(['jobviews-j1', 'jobviews-j2', 'jobviews-j1']);
      await reopened.close();
    }
  });

  it('refuses to open a database in a folder that does not exist', async () => {
    await expect(openSqliteEventStore({ path: join(dir, 'missing', 'events.db') })).rejects.toThrow(/directory does not exist|unable to open/i);
  });

  it('rejects reads and appends once the database is closed, and closing again does nothing', async () => {
    const store = await openSqliteEventStore({ path: join(dir, 'closed.db') });
    await store.append('jobviews-j1', [viewed('j1', 1)], 'any');
    await store.close();
    await expect(store.headPosition()).rejects.toThrow(/not open/);
    await expect(store.readAll({ after: 0, maxCount: 10 })).rejects.toThrow(/not open/);
    await expect(store.readStream('jobviews-j1')).rejects.toThrow(/not open/);
    const appends = [store.append('jobviews-j1', [viewed('j1', 2)], 'any'), store.append('jobviews-j2', [viewed('j2', 3)], 'any')];
    for (const a of appends) await expect(a).rejects.toThrow(/not open/);
    await expect(store.close()).resolves.toBeUndefined();
  });
});
