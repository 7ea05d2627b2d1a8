// Embedded mode, a service starting on a log whose read models hold nothing
// yet (a fresh read side, a restored log): projecting event by event reads
// and rewrites each document once per event and keeps the in-memory indexes
// current after every batch. The bulk build (bulkEmbeddedBuild.ts) folds the
// log in memory and writes each document once instead, both read models side
// by side in worker threads. It builds under the `.building` name and renames
// only when complete, so a crash mid-build leaves the empty read model as it
// was and the next start builds again; the projector then resumes from the
// checkpoint stored with the documents. A build that dead-letters an event is
// thrown away: the projector goes event by event and records it as usual.
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { EventStoreConfig } from '../../eventstore/openEventStore.ts';
import { JOBS_PROJECTION } from '../../projections/jobs/jobsProjection.ts';
import { LISTS_PROJECTION } from '../../projections/lists/listsProjection.ts';
import { getCheckpointSql } from '../../query/embedded/jobRows.ts';
import { removeBuilding } from './bulkEmbeddedBuild.ts';
import type { ReadModelName } from './engineReadModels.ts';
import { readModelNames } from './engineReadModels.ts';
import { embeddedFileName, readPointer, removeEmbeddedVersion } from './embeddedVersions.ts';
import { buildVersionInWorker } from './buildVersionInWorker.ts';

/** Where each read model's file keeps its checkpoint (the table is missing in a file nothing was written to). */
const checkpointOf: Record<ReadModelName, { table: string; sql: string; name: string }> = {
  jobs: { table: 'projection_checkpoints', sql: getCheckpointSql, name: JOBS_PROJECTION },
  lists: { table: 'checkpoints', sql: 'SELECT position FROM checkpoints WHERE name = ?', name: LISTS_PROJECTION },
};

/** The checkpoint stored in a read model's file; 0 when there is no file or nothing was ever committed to it. */
export function storedCheckpoint(path: string, model: ReadModelName): number {
  if (!existsSync(path)) return 0;
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const { table, sql, name } = checkpointOf[model];
    if (db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) === undefined) return 0;
    return db.prepare<[string], number>(sql).pluck().get(name) ?? 0;
  } finally {
    db.close();
  }
}

export interface BulkCatchUpResult {
  /** The read models built in bulk (their live version, in place). */
  built: ReadModelName[];
  /** Why an empty read model was left to the projector (its build failed or dead-lettered an event). */
  skipped?: string;
}

/**
 * Builds, in place, the live version of every read model that holds nothing
 * yet, when the log has at least `minEvents` events. Call before the read
 * models are opened, in the process that would project them.
 */
export async function bulkBuildEmptyReadModels(
  dir: string,
  eventStore: EventStoreConfig,
  head: number,
  { minEvents, log = () => undefined }: { minEvents: number; log?: (line: string) => void },
): Promise<BulkCatchUpResult> {
  if (head < minEvents) return { built: [] };
  const pointer = readPointer(dir);
  const empty = readModelNames.filter((m) => storedCheckpoint(join(dir, embeddedFileName(m, pointer[m])), m) === 0);
  if (empty.length === 0) return { built: [] };
  log(`building ${empty.join(' and ')} from ${head} events in bulk ...`);
  const t0 = Date.now();
  // Nothing was projected into them: what they hold (an empty schema) is replaced whole.
  for (const m of empty) removeEmbeddedVersion(dir, m, pointer[m]);
  const settled = await Promise.allSettled(empty.map((model) => buildVersionInWorker({ dir, model, version: pointer[model], eventStore })));
  const built: ReadModelName[] = [];
  const problems: string[] = [];
  settled.forEach((s, i) => {
    const model = empty[i]!;
    if (s.status === 'fulfilled' && s.value.deadLetters === 0) {
      built.push(model);
      return;
    }
    problems.push(s.status === 'rejected' ? `${model}: ${s.reason instanceof Error ? s.reason.message : String(s.reason)}` : `${model}: ${s.value.deadLetters} events dead-lettered`);
    removeBuilding(dir, model, pointer[model]);
    removeEmbeddedVersion(dir, model, pointer[model]);
  });
  if (problems.length > 0) log(`not built in bulk (the projector goes event by event): ${problems.join('; ')}`);
  if (built.length === 0) return { built, skipped: problems.join('; ') };
  log(`built ${built.join(' and ')} in bulk in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return { built, ...(problems.length > 0 ? { skipped: problems.join('; ') } : {}) };
}
