// The read models a search engine holds, as the rebuild sees them: which
// aliases each owns, the create-index body of each from the code's current
// mappings, and the projection that fills a concrete set of indexes.
import type { IndexDefinition } from '../../mappings/indexDefinition.ts';
import { jobsAliasName, jobsIndexDefinition } from '../../mappings/jobsIndex.ts';
import { businessesAliasName, businessesIndexDefinition } from '../../mappings/businessesIndex.ts';
import type { ListModelName } from '../../mappings/listIndexes.ts';
import { listAliasName, listIndexDefinition } from '../../mappings/listIndexes.ts';
import type { DeadLetterStore } from '../../projections/deadLetters.ts';
import { JOBS_PROJECTION, jobsProjection } from '../../projections/jobs/jobsProjection.ts';
import { LISTS_PROJECTION, listsProjection } from '../../projections/lists/listsProjection.ts';
import type { Projection } from '../../projections/projection.ts';
import { engineJobSink } from '../../query/engine/engineJobSink.ts';
import { createEngineJobStore } from '../../query/engine/engineJobStore.ts';
import type { SearchClient } from '../../query/engine/searchClient.ts';
import { openEngineListStores } from '../../query/lists/engineListStore.ts';

export const readModelNames = ['jobs', 'lists'] as const;
export type ReadModelName = (typeof readModelNames)[number];

const LIST_MODELS: readonly ListModelName[] = ['applications', 'saved_jobs', 'saved_searches', 'job_stats'];

export interface EngineReadModel {
  name: ReadModelName;
  /** The live projection's name (its checkpoint document id). */
  projection: string;
  /** Batch size of the projector that fills a new version. */
  batchSize: number;
  /** The aliases this read model owns; they move together. */
  aliases(prefix: string): string[];
  /** The create-index body for one alias's next version, from the current mappings. */
  definition(alias: string, prefix: string): IndexDefinition;
  /**
   * The projection writing the concrete indexes `targets` (alias → index),
   * with its checkpoint stored under `checkpointName`.
   */
  projectionInto(client: SearchClient, prefix: string, targets: ReadonlyMap<string, string>, checkpointName: string, deadLetters: DeadLetterStore): Projection;
}

function target(targets: ReadonlyMap<string, string>, alias: string): string {
  const t = targets.get(alias);
  if (t === undefined) throw new Error(`no target index for alias ${alias}`);
  return t;
}

export const jobsReadModel: EngineReadModel = {
  name: 'jobs',
  projection: JOBS_PROJECTION,
  batchSize: 1000,
  // The business profiles belong to the jobs read model: the same projection writes both.
  aliases: (prefix) => [jobsAliasName(prefix), businessesAliasName(prefix)],
  definition: (alias, prefix) => (alias === businessesAliasName(prefix) ? businessesIndexDefinition() : jobsIndexDefinition()),
  projectionInto(client, prefix, targets, checkpointName, deadLetters) {
    const index = target(targets, jobsAliasName(prefix));
    const businesses = target(targets, businessesAliasName(prefix));
    // refresh false: the new index is not searched until the swap, and the
    // projection's own reads (_mget) are real-time; `wait_for` would block on
    // an index whose refresh is switched off during the load.
    const store = createEngineJobStore(client, { prefix, alias: index, index, refresh: false, businesses: { alias: businesses, index: businesses } });
    // Nor a refresh per batch (the sink makes a large batch searchable at once): the rebuild refreshes once before the swap.
    const unrefreshed = { ...store, refresh: () => Promise.resolve() };
    return jobsProjection(engineJobSink(client, unrefreshed, { prefix, projection: checkpointName }), deadLetters);
  },
};

export const listsReadModel: EngineReadModel = {
  name: 'lists',
  projection: LISTS_PROJECTION,
  batchSize: 5000,
  aliases: (prefix) => LIST_MODELS.map((m) => listAliasName(m, prefix)),
  definition(alias, prefix) {
    const model = LIST_MODELS.find((m) => listAliasName(m, prefix) === alias);
    if (!model) throw new Error(`${alias} is not a list alias`);
    return listIndexDefinition(model);
  },
  projectionInto(client, prefix, targets, checkpointName, deadLetters) {
    const stores = openEngineListStores(client, {
      prefix,
      refresh: false,
      targets: Object.fromEntries(LIST_MODELS.map((m) => [m, target(targets, listAliasName(m, prefix))])),
    });
    return listsProjection(stores, deadLetters, checkpointName);
  },
};

export const engineReadModels: Record<ReadModelName, EngineReadModel> = { jobs: jobsReadModel, lists: listsReadModel };
