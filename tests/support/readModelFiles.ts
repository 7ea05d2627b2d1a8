// Aids for tests that compare read-model files built two ways (event by
// event against a bulk build): run a projection to the log head, read a
// table whole.
import Database from 'better-sqlite3';
import { expect } from 'vitest';
import type { EventStore } from '../../eventstore/port.ts';
import type { Projection } from '../../projections/projection.ts';
import { ProjectionRunner } from '../../projections/projectionRunner.ts';

/** The tables of an embedded lists file, the checkpoint included. */
export const LIST_TABLES = ['applications', 'saved_jobs', 'saved_searches', 'job_stats', 'checkpoints'] as const;

/** Applies the whole log (to its head at the call) through `projection`, batch by batch. */
export async function runToHead(store: EventStore, projection: Projection, batchSize: number): Promise<void> {
  const runner = new ProjectionRunner(store, projection, { batchSize });
  await runner.start();
  try {
    expect(await runner.waitFor(await store.headPosition(), 60_000)).toBe(true);
  } finally {
    await runner.stop();
  }
}

/** Every row of a table of a SQLite file, in the order of its first column. */
export function tableRows(path: string, table: string): unknown[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(`SELECT * FROM "${table}" ORDER BY 1`).all();
  } finally {
    db.close();
  }
}
