// POST /v1/ops/rebuild (embedded mode): operators only, bad input is a 400
// naming the field, a refused rebuild a 409, and two at once never overlap.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobExample } from '../../command/http/examples.ts';
import type { FullApp } from '../../tests/support/fullApp.ts';
import { startFullApp } from '../../tests/support/fullApp.ts';
import type { EmbeddedJobStore } from '../../query/embedded/embeddedJobStore.ts';

describe('POST /v1/ops/rebuild (embedded mode)', () => {
  let t: FullApp;
  let operator: { authorization: string };
  beforeAll(async () => {
    t = await startFullApp('embedded');
    t.clock.now = new Date('2027-03-01T12:00:00Z');
    operator = await t.auth({ role: 'operator', sub: 'ops-1' });
    const res = await t.app.inject({ method: 'POST', url: '/v1/jobs', payload: { ...jobExample, title: 'Rebuild Route Cook' }, headers: await t.auth({ role: 'business', sub: 'b-route' }) });
    expect(res.statusCode).toBe(201);
    await t.reads.catchUp();
  });
  afterAll(async () => t?.close());

  const post = (payload: object, headers: Record<string, string>) => t.app.inject({ method: 'POST', url: '/v1/ops/rebuild', payload, headers });

  it('is for operators only', async () => {
    expect((await post({ readModel: 'jobs' }, {})).statusCode).toBe(401);
    expect((await post({ readModel: 'jobs' }, await t.auth({ role: 'worker', sub: 'w-1' }))).statusCode).toBe(403);
  });

  it('answers 400 naming the field for an unknown read model or action', async () => {
    const res = await post({ readModel: 'everything' }, operator);
    expect(res.statusCode).toBe(400);
    expect(JSON.stringify(res.json())).toContain('body.readModel');
    expect((await post({ action: 'undo' }, operator)).statusCode).toBe(400);
  });

  it('answers 409 when there is no version to roll back to', async () => {
    const res = await post({ readModel: 'jobs', action: 'rollback' }, operator);
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'rebuild_refused' });
  });

  it('runs one rebuild at a time: a second one meanwhile is a 409, the first swaps in a store that still finds the job', async () => {
    const [a, b] = await Promise.all([post({ readModel: 'jobs' }, operator), post({ readModel: 'jobs' }, operator)]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const ok = a.statusCode === 200 ? a : b;
    expect(ok.json<{ results: Array<{ readModel: string; version: number; documents: number }> }>().results).toEqual([expect.objectContaining({ readModel: 'jobs', version: 2, documents: 1 })]);
    const found = await t.app.inject('/v1/search?text=rebuild%20route%20cook');
    expect(found.json<{ total: number }>().total).toBe(1);
  });

  it('folds the log in bulk in a worker thread: the new version opens from the segments the build saved, and counts every event from the start', async () => {
    const head = await t.runtime.store.headPosition();
    const res = await post({ readModel: 'jobs' }, operator);
    expect(res.statusCode).toBe(200);
    expect(res.json<{ results: unknown[] }>().results).toEqual([expect.objectContaining({ readModel: 'jobs', from: 0, to: head, events: head, documents: 1 })]);
    expect((t.reads.jobs as EmbeddedJobStore).openedFrom).toBe('segments');
  });
});
