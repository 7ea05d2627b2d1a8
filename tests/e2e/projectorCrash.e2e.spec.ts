import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openEventStore } from '../../eventstore/openEventStore.ts';
import type { EventStore } from '../../eventstore/port.ts';
import { seedEventStore } from '../../ops/seed/seedEventStore.ts';
import type { JobDocument } from '../../mappings/jobDocument.ts';
import { JobsFold } from '../../projections/jobs/jobsFold.ts';
import { openEmbeddedJobStore } from '../../query/embedded/embeddedJobStore.ts';
import { connectSearch } from '../../query/engine/connect.ts';
import { allEvents } from '../support/commandApp.ts';
import { dropServerModeState } from '../support/fullApp.ts';
import { jobsctlServe, spawnServer, waitForExit } from '../support/serverProcess.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

/** The read model as a fresh replay of the whole log gives it. */
async function freshReplay(store: EventStore): Promise<Map<string, JobDocument>> {
  const fold = new JobsFold();
  for (const e of await allEvents(store)) fold.apply(e);
  return fold.docs;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each([
  { mode: 'embedded' as const, jobs: 15_000, killPollMs: 5 },
  { mode: 'server' as const, jobs: 4_000, killPollMs: 20 },
])('projector killed mid-batch ($mode mode)', ({ mode, jobs, killPollMs }) => {
  it('restarts from its checkpoint and leaves the read model identical to a fresh replay', async () => {
    const dir = mkdtempSync(join(tmpdir(), `jobs-projcrash-${mode}-`));
    const tag = `pc${Math.random().toString(36).slice(2, 8)}`;
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const env: Record<string, string> =
      mode === 'embedded'
        ? { DATA_DIR: dir, SEED: 'false' }
        : {
            JOBS_MODE: 'server',
            DATA_DIR: dir,
            DATABASE_URL: process.env.DATABASE_URL!,
            SEARCH_URL: process.env.SEARCH_URL!,
            REDIS_URL: process.env.REDIS_URL!,
            AUTH_SECRET: 'projector-crash-secret-0123456789abcdef',
            SEARCH_PREFIX: `${tag}_`,
            DATABASE_SCHEMA_PREFIX: tag,
            SEED: 'false',
          };
    const store =
      mode === 'embedded'
        ? await openEventStore({ kind: 'sqlite', path: join(dir, 'events.db'), synchronous: 'NORMAL' })
        : await openEventStore({ kind: 'postgres', connectionString: env.DATABASE_URL!, schema: `${tag}_events` });
    if (mode === 'server') {
      cleanups.push(() => dropServerModeState(tag, env.SEARCH_URL!, env.DATABASE_URL!));
    }
    try {
      await seedEventStore(store, { jobs, seed: 7, now: new Date('2027-03-01T00:00:00Z') });
      const head = await store.headPosition();

      const first = await spawnServer(env, 120_000, jobsctlServe('projector'), { waitFor: 'spawn' });
      const started = Date.now();
      while (!/projector jobs: active|projecting/.test(first.output())) {
        if (Date.now() - started > 60_000) throw new Error(`projector did not start:\n${first.output()}`);
        await sleep(20);
      }
      // Kill right after the first batch is committed, while the next is in flight.
      const readCheckpoint = async (): Promise<number> => {
        if (mode === 'embedded') {
          try {
            const db = new Database(join(dir, 'read.db'), { readonly: true, fileMustExist: true });
            try {
              return (db.prepare("SELECT position FROM projection_checkpoints WHERE name = 'jobs'").pluck().get() as number | undefined) ?? 0;
            } finally {
              db.close();
            }
          } catch {
            return 0; // not created yet
          }
        }
        const client = await connectSearch(env.SEARCH_URL!);
        try {
          return (await client.get<{ position: number }>(`${tag}_projection_checkpoints`, 'jobs'))?._source.position ?? 0;
        } catch {
          return 0; // the checkpoint index is being created
        } finally {
          await client.close();
        }
      };
      while ((await readCheckpoint()) === 0) {
        if (Date.now() - started > 120_000) throw new Error(`projector made no progress:\n${first.output()}`);
        await sleep(killPollMs);
      }
      first.child.kill('SIGKILL');
      await waitForExit(first.child);
      // The kill must land before the projector caught up, or this test proves nothing.
      const killedAt = await readCheckpoint();
      expect(killedAt).toBeGreaterThan(0);
      expect(killedAt).toBeLessThan(head);
      console.info(`${mode}: projector killed at checkpoint ${killedAt} of ${head}`);

      const second = await spawnServer(env, 180_000, jobsctlServe('projector'), { waitFor: 'spawn' });
      // The projector is caught up when its stored checkpoint reaches the head.
      const expected = await freshReplay(store);
      let actual = new Map<string, JobDocument>();
      const deadline = Date.now() + 120_000;
      for (;;) {
        actual = new Map();
        if (mode === 'embedded') {
          if (/ready in/.test(second.output())) {
            second.child.kill('SIGTERM');
            await waitForExit(second.child);
            const read = await openEmbeddedJobStore({ path: join(dir, 'read.db') });
            expect(await read.getCheckpoint('jobs')).toBe(head);
            for (const id of expected.keys()) {
              const doc = await read.getJob(id);
              if (doc) actual.set(id, doc);
            }
            expect(await read.count()).toBe(expected.size);
            read.close();
            break;
          }
        } else {
          const client = await connectSearch(env.SEARCH_URL!);
          const checkpoint = await client.get<{ position: number }>(`${tag}_projection_checkpoints`, 'jobs');
          if ((checkpoint?._source.position ?? 0) >= head) {
            await client.refresh(`${tag}_jobs_v1`);
            const res = await client.search<JobDocument>(`${tag}_jobs_v1`, { size: 10_000, query: { match_all: {} }, sort: [{ jobId: 'asc' }] });
            for (const hit of res.hits.hits) if (hit._source) actual.set(hit._id, hit._source);
            await client.close();
            second.child.kill('SIGTERM');
            await waitForExit(second.child);
            break;
          }
          await client.close();
        }
        if (Date.now() > deadline) throw new Error(`projector did not catch up:\n${second.output()}`);
        await sleep(200);
      }
      expect(actual.size).toBe(expected.size);
      for (const [id, doc] of expected) expect(actual.get(id), id).toEqual(doc);
    } finally {
      await store.close();
    }
  }, 300_000);
});
