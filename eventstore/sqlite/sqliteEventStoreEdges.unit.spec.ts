// Edges of the SQLite event store the contract does not reach: an append of
// no events, and every call on a store whose database is gone.
import { mkdtempSync, rmSync } from 'node:fs';
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
