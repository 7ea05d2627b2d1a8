// The fast serializer must write what the checked one writes, for the
// responses the service really gives: the same app built both ways on one
// data dir, the same requests, equal bodies.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobExample, workerProfileExample } from '../../command/http/examples.ts';
import { seedEventStore } from '../seed/seedEventStore.ts';
import { loadConfig } from '../config.ts';
import { openReadSide } from '../readSide.ts';
import type { ReadSide } from '../readSide.ts';
import { openRuntime } from '../runtime.ts';
import type { Runtime } from '../runtime.ts';
import { buildApp } from './buildApp.ts';
import type { ResponseSerialization } from './responseSerializer.ts';

describe('fast response serialization', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jobs-serializer-'));
  let runtime: Runtime;
  let reads: ReadSide;
  const apps = {} as Record<ResponseSerialization, FastifyInstance>;
  const now = new Date('2027-03-01T12:00:00Z');

  beforeAll(async () => {
    const config = loadConfig({ DATA_DIR: dir, SEED: 'false', AUTH_SECRET: 'serializer-secret-serializer-secret-0123' });
    runtime = await openRuntime(config);
    await seedEventStore(runtime.store, { jobs: 400, seed: 3, now });
    reads = await openReadSide(config, runtime.store, { runProjector: true });
    await reads.catchUp();
    for (const mode of ['checked', 'fast'] as const) {
      apps[mode] = await buildApp({
        store: runtime.store,
        idempotency: runtime.idempotency,
        tokens: runtime.tokens,
        clock: () => now,
        responseSerialization: mode,
        reads: { jobs: reads.jobs, lists: reads.lists, progress: reads.progress },
        ops: { reads },
      });
    }
  });
  afterAll(async () => {
    for (const app of Object.values(apps)) await app.close();
    await reads?.close();
    await runtime?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the same bodies and statuses as the checked serializer for reads, writes and errors', async () => {
    const worker = { authorization: `Bearer ${await runtime.tokens.sign({ role: 'worker', sub: 'w-ser' })}` };
    const business = { authorization: `Bearer ${await runtime.tokens.sign({ role: 'business', sub: 'b-ser' })}` };
    const operator = { authorization: `Bearer ${await runtime.tokens.sign({ role: 'operator', sub: 'op-ser' })}` };
    const first = await apps.checked.inject('/v1/search?size=1');
    const jobId = first.json<{ hits: Array<{ job: { jobId: string } }> }>().hits[0]!.job.jobId;
    await apps.checked.inject({ method: 'PUT', url: '/v1/me/profile', payload: workerProfileExample, headers: worker });
    const requests = [
      '/v1/search?text=barista&facets=true&highlight=true',
      '/v1/search?category=hospitality&sort=newest&size=50',
      '/v1/search?lat=40.7&lon=-74&radiusKm=300&sort=distance',
      '/v1/search?payMin=15&sort=pay',
      '/v1/map?bbox=-180,-85,180,85&zoom=2',
      '/v1/map?bbox=-125,24,-66,50&zoom=12&category=retail',
      `/v1/jobs/${jobId}`,
      '/v1/jobs/no-such-job',
      '/v1/suggest?prefix=ba',
      '/v1/search?size=0',
      '/v1/search?unknown=1',
      '/v1/compensation/suggest?category=hospitality',
      { url: '/v1/me/recommendations?size=20', headers: worker },
      { url: '/v1/me/saved-jobs', headers: worker },
      { url: '/v1/ops/projections', headers: operator },
      { url: '/v1/businesses/me/jobs', headers: business },
      '/healthz',
    ];
    for (const r of requests) {
      const [checked, fast] = await Promise.all([apps.checked.inject(r), apps.fast.inject(r)]);
      // Same fields and values; key order may differ (required fields come first in compiled serializers).
      expect({ r, status: fast.statusCode, body: fast.json<unknown>() }).toEqual({ r, status: checked.statusCode, body: checked.json<unknown>() });
      expect(fast.headers['content-type']).toBe(checked.headers['content-type']);
    }
    // Writes answer the same shape (ids differ: compare keys and types).
    const created = await Promise.all((['checked', 'fast'] as const).map((m) => apps[m].inject({ method: 'POST', url: '/v1/jobs', payload: jobExample, headers: business })));
    expect(created.map((c) => c.statusCode)).toEqual([201, 201]);
    expect(Object.keys(created[1]!.json<object>()).sort()).toEqual(Object.keys(created[0]!.json<object>()).sort());
  });
});
