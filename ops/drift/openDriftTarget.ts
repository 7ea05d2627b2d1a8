import { resolve } from 'node:path';
import { currentEmbeddedPath } from '../rebuild/embeddedVersions.ts';
import { EmbeddedJobStore } from '../../query/embedded/embeddedJobStore.ts';
import { connectSearch } from '../../query/engine/connect.ts';
import type { JobReadStore } from '../../query/model/readStore.ts';
import type { Config } from '../config.ts';
import type { DriftTarget } from './driftTarget.ts';
import { embeddedDriftTarget } from './embeddedDriftTarget.ts';
import { engineDriftTarget } from './engineDriftTarget.ts';

export interface OpenDriftTarget {
  target: DriftTarget;
  close(): Promise<void>;
}

const embeddedMode = (config: Config): boolean => config.JOBS_MODE === 'embedded' || !config.SEARCH_URL;

/**
 * The `jobs` read store the configuration names, opened for a drift check of
 * its own (the CLI). Embedded: the live version's file (DATA_DIR/read.db until a rebuild), loaded into this process, so
 * a repair here is seen by a server on the same DATA_DIR only once it restarts.
 */
export async function openDriftTarget(config: Config): Promise<OpenDriftTarget> {
  if (embeddedMode(config)) {
    // The live version (read-models.json, after blue/green rebuilds), not always read.db.
    const store = EmbeddedJobStore.open({ path: currentEmbeddedPath(resolve(config.DATA_DIR), 'jobs') });
    return { target: embeddedDriftTarget(store), close: async () => store.close() };
  }
  const client = await connectSearch(config.SEARCH_URL!);
  return { target: engineDriftTarget(client, { prefix: config.SEARCH_PREFIX }), close: () => client.close() };
}

/**
 * The drift target of a running server (its scheduler): the embedded store
 * object the server queries, so repairs reach its in-memory indexes at once;
 * in server mode a client of its own on the engine.
 */
export async function driftTargetOfReadSide(config: Config, jobs: JobReadStore): Promise<OpenDriftTarget> {
  if (jobs instanceof EmbeddedJobStore) return { target: embeddedDriftTarget(jobs), close: async () => undefined };
  return openDriftTarget(config);
}
