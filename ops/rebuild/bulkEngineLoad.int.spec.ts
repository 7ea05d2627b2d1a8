// Server-mode rebuild with the bulk load (fold in memory, each document
// written once, load settings while it runs): the new version holds exactly
// the documents the live projector wrote into the old one, and the load
// settings are back to the live ones before the aliases move. Real OpenSearch.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEventStore } from '../../eventstore/openEventStore.ts';
import type { EventStore } from '../../eventstore/port.ts';
import { engineJobSink } from '../../query/engine/engineJobSink.ts';
import { jobsProjection } from '../../projections/jobs/jobsProjection.ts';
import { listsProjection } from '../../projections/lists/listsProjection.ts';
import type { Projection } from '../../projections/projection.ts';
import { ProjectionRunner } from '../../projections/projectionRunner.ts';
import { connectSearch } from '../../query/engine/connect.ts';
import { createEngineJobStore } from '../../query/engine/engineJobStore.ts';
import type { SearchClient } from '../../query/engine/searchClient.ts';
import { openEngineLists } from '../../query/lists/listsWiring.ts';
import { seedEventStore } from '../seed/seedEventStore.ts';
import { collectingDeadLetters } from './collectingDeadLetters.ts';
import { engineReadModels } from './engineReadModels.ts';
import { rebuildEngineReadModel } from './engineRebuild.ts';

const searchUrl = process.env.SEARCH_URL;

async function runToHead(store: EventStore, projection: Projection): Promise<void> {
  const runner = new ProjectionRunner(store, projection, { batchSize: 250 });
  await runner.start();
  try {
    expect(await runner.waitFor(await store.headPosition(), 60_000)).toBe(true);
  } finally {
    await runner.stop();
  }
}

/** Every stored source behind an index or alias (tombstones included), by id. */
async function sourcesOf(client: SearchClient, index: string): Promise<Map<string, unknown>> {
  await client.refresh(index);
  const res = await client.search<Record<string, unknown>>(index, { query: { match_all: {} }, size: 10_000, sort: [{ _id: 'asc' }] });
  return new Map(res.hits.hits.map((h) => [h._id, h._source]));
}

describe.skipIf(!searchUrl)('server rebuild with the bulk load', () => {
  const prefix = `t${Math.random().toString(36).slice(2, 10)}_`;
  const dir = mkdtempSync(join(tmpdir(), 'bulk-engine-'));
  let store: EventStore;
  let client: SearchClient;

  beforeAll(async () => {
    client = await connectSearch(searchUrl!);
    store = await openEventStore({ kind: 'sqlite', path: join(dir, 'events.db'), synchronous: 'NORMAL' });
    await seedEventStore(store, { jobs: 300, seed: 21, now: new Date('2027-03-01T00:00:00Z') });
    // Version 1 as the live service builds it: its projectors through the aliases.
    const jobs = createEngineJobStore(client, { prefix });
    await jobs.ensureIndex();
    await runToHead(store, jobsProjection(engineJobSink(client, jobs, { prefix }), collectingDeadLetters()));
    await runToHead(store, listsProjection(await openEngineLists(client, prefix), collectingDeadLetters()));
  }, 180_000);
  afterAll(async () => {
    const all = Object.keys(await client.getAliases()).filter((i) => i.startsWith(prefix));
    if (all.length > 0) await client.deleteIndex(all, { ignoreMissing: true });
    await client.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(['jobs', 'lists'] as const)('rebuilds %s into v2 with the live documents, its checkpoint at the head, and the live settings back', async (name) => {
    const model = engineReadModels[name];
    const summary = await rebuildEngineReadModel(model, { client, store, prefix });
    const head = await store.headPosition();
    expect(summary).toMatchObject({ version: 2, previousVersion: 1, to: head, events: head, deadLetters: 0 });
    let documents = 0;
    for (const [i, alias] of model.aliases(prefix).entries()) {
      expect(summary.index[i]).toBe(`${alias}_v2`);
      expect(Object.keys(await client.getAliases(alias))).toEqual([`${alias}_v2`]);
      const fresh = await sourcesOf(client, `${alias}_v2`);
      documents += fresh.size;
      expect(fresh).toEqual(await sourcesOf(client, `${alias}_v1`));
      const res = await client.request({ method: 'GET', path: `/${alias}_v2/_settings?flat_settings=true` });
      const settings = (res.body as Record<string, { settings: Record<string, string> }>)[`${alias}_v2`]!.settings;
      expect(settings['index.refresh_interval']).toBeUndefined();
      expect(settings['index.translog.durability']).toBeUndefined();
    }
    expect(documents).toBeGreaterThan(0);
    const checkpoint = await client.get<{ position: number }>(`${prefix}projection_checkpoints`, `${model.projection}@v2`);
    expect(checkpoint?._source.position).toBe(head);
  }, 120_000);

  it('raises the live projector checkpoint to the rebuilt position when that projector never ran, so it does not replay the log', async () => {
    const checkpoints = `${prefix}projection_checkpoints`;
    await client.request({ method: 'DELETE', path: `/${checkpoints}/_doc/jobs`, ignore: [404] });
    expect(await client.get(checkpoints, 'jobs')).toBeNull();
    const summary = await rebuildEngineReadModel(engineReadModels.jobs, { client, store, prefix });
    const head = await store.headPosition();
    expect(summary).toMatchObject({ version: 3, to: head });
    expect((await client.get<{ position: number }>(checkpoints, 'jobs'))?._source.position).toBe(head);
  }, 120_000);
});
