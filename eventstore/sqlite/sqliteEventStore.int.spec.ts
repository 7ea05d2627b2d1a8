import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventStoreContract, readAllInBatches, viewed, waitFor } from '../../tests/contracts/eventStoreContract.ts';
import type { RecordedEvent } from '../port.ts';
import { openSqliteEventStore } from './sqliteEventStore.ts';

let dir: string;
let n = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'es-sqlite-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

eventStoreContract('sqlite (file, WAL, synchronous=FULL)', () =>
  openSqliteEventStore({ path: join(dir, `events-${++n}.db`) }),
);

describe('SqliteEventStore', () => {
  it('keeps every acknowledged append when the writing process is SIGKILLed', async () => {
    const path = join(dir, 'killed.db');
    const storeUrl = pathToFileURL(join(import.meta.dirname, 'sqliteEventStore.ts')).href;
    // The child appends as fast as it can and prints each event id once `append` has resolved.
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        `const { openSqliteEventStore } = await import(${JSON.stringify(storeUrl)});
         const { randomUUID } = await import('node:crypto');
         const store = await openSqliteEventStore({ path: ${JSON.stringify(path)} });
         for (let i = 0; ; i++) {
           const event = {
             eventId: randomUUID(),
             type: 'JobViewed',
             data: { jobId: 'k', viewedAt: new Date().toISOString() },
             metadata: { actor: { role: 'system', sub: 'k' }, correlationId: 'c', causationId: 'c', occurredAt: new Date().toISOString() },
           };
           await store.append('job-k' + (i % 5), [event], 'any');
           process.stdout.write(event.eventId + '\\n');
         }`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'], cwd: join(import.meta.dirname, '../..') },
    );
    const acknowledged: string[] = [];
    createInterface({ input: child.stdout }).on('line', (line) => acknowledged.push(line));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    await waitFor(() => acknowledged.length >= 300, 60_000, 'child to acknowledge appends');
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const store = await openSqliteEventStore({ path });
    try {
      const stored = await readAllInBatches(store, 0, 1000);
      const ids = new Set(stored.map((e) => e.eventId));
      for (const id of acknowledged) expect(ids.has(id)).toBe(true);
      expect(stored.map((e) => e.position)).toEqual(stored.map((_, i) => i + 1));
    } finally {
      await store.close();
    }
  }, 90_000);

  it('wakes a live subscriber on appends from another connection to the same file by polling', async () => {
    const path = join(dir, 'shared.db');
    const reader = await openSqliteEventStore({ path, pollIntervalMs: 50 });
    const writer = await openSqliteEventStore({ path });
    try {
      const seen: RecordedEvent[] = [];
      const subscription = reader.subscribeToAll({ after: 0 }, (batch) => {
        seen.push(...batch);
        return Promise.resolve();
      });
      for (let i = 0; i < 20; i++) await writer.append('job-shared', [viewed('s', i)], i === 0 ? 'no_stream' : i - 1);
      await waitFor(() => seen.length === 20, 5_000, 'polling subscriber');
      await subscription.stop();
      expect(seen.map((e) => e.position)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    } finally {
      await writer.close();
      await reader.close();
    }
  });

  it('group-commits appends of one tick and isolates one failing append from the others', async () => {
    const store = await openSqliteEventStore({ path: join(dir, 'group.db') });
    try {
      const duplicate = viewed('dup');
      await store.append('job-dup-a', [duplicate], 'no_stream');
      const good = Array.from({ length: 30 }, (_, i) => viewed('ok', i));
      const results = await Promise.allSettled([
        store.append('job-ok-0', [good[0]!], 'no_stream'),
        store.append('job-dup-b', [viewed('dup-b'), duplicate], 'any'),
        ...good.slice(1).map((e, i) => store.append(`job-ok-${i + 1}`, [e], 'no_stream')),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', ...good.slice(1).map(() => 'fulfilled')]);
      expect(await store.readStream('job-dup-b')).toEqual([]); // its first event was undone with it
      const all = await store.readAll({ after: 0, maxCount: 100 });
      expect(all.map((e) => e.position)).toEqual(Array.from({ length: 31 }, (_, i) => i + 1));
      expect(new Set(all.map((e) => e.eventId))).toEqual(new Set([duplicate, ...good].map((e) => e.eventId)));
    } finally {
      await store.close();
    }
  });

  it('group-commits appends that each arrive in a callback of their own, in queue order, in groups of bounded size', async () => {
    const store = await openSqliteEventStore({ path: join(dir, 'turns.db'), maxGroupAppends: 8 });
    try {
      // Each append from a callback of its own (with the microtasks drained after it), as each request comes
      // from an I/O callback of its own; setImmediate rather than a timer, so that all 40 fall in one turn.
      const commitsWhenResolved: number[] = [];
      const results = await Promise.all(
        Array.from(
          { length: 40 },
          (_, i) =>
            new Promise<{ position: number }>((resolve, reject) => {
              setImmediate(() => {
                store.append(`job-turn-${i}`, [viewed('turn', i)], 'no_stream').then((r) => {
                  commitsWhenResolved[i] = store.commitStats.commits;
                  resolve(r);
                }, reject);
              });
            }),
        ),
      );
      expect(store.commitStats).toEqual({ commits: 5, appends: 40 });
      expect(results.map((r) => r.position)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      // Each group's callers ran before the next group was committed.
      expect(commitsWhenResolved).toEqual(Array.from({ length: 40 }, (_, i) => Math.floor(i / 8) + 1));
    } finally {
      await store.close();
    }
  });

  it('bounds a group by its events too, and lets a larger append commit alone', async () => {
    const store = await openSqliteEventStore({ path: ':memory:', maxGroupEvents: 5 });
    try {
      const pairs = Array.from({ length: 6 }, (_, i) => store.append(`job-pair-${i}`, [viewed('p', i), viewed('p', i + 1)], 'no_stream'));
      const big = store.append('job-big', Array.from({ length: 9 }, (_, i) => viewed('big', i)), 'no_stream');
      const last = store.append('job-last', [viewed('last')], 'no_stream');
      await Promise.all([...pairs, big, last]);
      // [2+2] [2+2] [2+2] [9] [1]
      expect(store.commitStats).toEqual({ commits: 5, appends: 8 });
      expect(await store.headPosition()).toBe(22);
    } finally {
      await store.close();
    }
  });

  it('works in memory', async () => {
    const store = await openSqliteEventStore({ path: ':memory:' });
    await store.append('job-m', [viewed('m')], 'no_stream');
    expect(await store.headPosition()).toBe(1);
    await store.close();
  });
});
