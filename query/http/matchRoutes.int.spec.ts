import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workerDecider, workerStream } from '../../command/deciders/workerDecider.ts';
import { foldStream } from '../../command/execute.ts';
import { jobExample, workerProfileExample } from '../../command/http/examples.ts';
import type { WorkerProfile } from '../../eventstore/events/index.ts';
import type { FullApp } from '../../tests/support/fullApp.ts';
import { startFullApp } from '../../tests/support/fullApp.ts';
import { defaultWeights, matchScore } from '../match/matchScore.ts';

interface Item {
  job: { jobId: string; businessId: string };
  score: number;
  factors: Record<string, number>;
  details: Record<string, number>;
  reason: string;
}

const { startDate: _s, endDate: _e, ...withoutDates } = jobExample;
const at = (lat: number, lon: number) => ({ point: { lat, lon }, city: 'Somewhere', country: 'US' });

describe.each(['embedded', 'server'] as const)('matching reads (%s mode)', (mode) => {
  let t: FullApp;
  let head = 0;
  beforeAll(async () => {
    t = await startFullApp(mode, { minPositionWaitMs: 15_000 });
    t.clock.now = new Date('2027-03-01T12:00:00Z');
  });
  afterAll(async () => t?.close());

  const createJob = async (businessId: string, payload: Record<string, unknown>): Promise<string> => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/jobs', payload: { ...jobExample, ...payload }, headers: await t.auth({ role: 'business', sub: businessId }) });
    expect(res.statusCode).toBe(201);
    const { id, position } = res.json<{ id: string; position: number }>();
    head = Math.max(head, position);
    return id;
  };
  const putProfile = async (workerId: string, profile: Record<string, unknown>): Promise<number> => {
    const res = await t.app.inject({ method: 'PUT', url: '/v1/me/profile', payload: profile, headers: await t.auth({ role: 'worker', sub: workerId }) });
    expect(res.statusCode).toBe(200);
    return res.json<{ position: number }>().position;
  };
  const recommendations = async (workerId: string, qs = ''): Promise<Item[]> => {
    const res = await t.app.inject({ url: `/v1/me/recommendations?minPosition=${head}${qs}`, headers: await t.auth({ role: 'worker', sub: workerId }) });
    expect(res.statusCode).toBe(200);
    return res.json<{ items: Item[] }>().items;
  };
  const storedProfile = async (workerId: string): Promise<WorkerProfile> => {
    const profile = foldStream(workerDecider, await t.runtime.store.readStream(workerStream(workerId))).profile;
    if (!profile) throw new Error('no profile');
    return profile;
  };

  const ids: Record<string, string> = {};

  it('recommends near, available jobs best first with scores of the reference and a reason; excludes far and unavailable ones', async () => {
    ids.a = await createJob('b-m1', {}); // Tahoe, in the window, 2 of 3 skills
    ids.far = await createJob('b-m2', { location: at(39.9, -120.05) }); // ~89 km north
    ids.late = await createJob('b-m3', { startDate: '2027-11-01', endDate: '2027-12-15' }); // outside the window
    ids.remote = await createJob('b-m4', { remote: true, location: at(40.71, -74.0), skills: ['espresso'] });
    ids.undated = await createJob('b-m5', { ...withoutDates, location: at(39.15, -120.1), skills: [] });
    await putProfile('w-m1', { ...workerProfileExample });

    const items = await recommendations('w-m1');
    const got = items.map((i) => i.job.jobId);
    expect(got).toEqual(expect.arrayContaining([ids.a, ids.remote, ids.undated]));
    expect(got).not.toContain(ids.far);
    expect(got).not.toContain(ids.late);
    for (let i = 1; i < items.length; i++) expect(items[i - 1]!.score).toBeGreaterThanOrEqual(items[i]!.score);

    const profile = await storedProfile('w-m1');
    for (const item of items) {
      const doc = await t.reads.jobs.getJob(item.job.jobId);
      const ref = matchScore(profile, doc!, defaultWeights, t.clock.now);
      expect(item.score).toBeCloseTo(ref.score, 9);
      expect(item.factors).toEqual(ref.factors);
      expect(item.reason.length).toBeGreaterThan(0);
    }
    const a = items.find((i) => i.job.jobId === ids.a)!;
    expect(a.reason).toMatch(/^2 of 3 skills, .*km away, pays 8% above your ask, fits your availability$/);
    expect(items.find((i) => i.job.jobId === ids.remote)!.reason).toMatch(/^1 of 1 skill, remote/);
    expect(items.find((i) => i.job.jobId === ids.undated)!.reason).toMatch(/^no specific skills required, /);
  });

  it('honours the business cap, filling with the next best', async () => {
    const denver = (lat: number) => at(lat, -104.99);
    const own = [await createJob('b-cap', { location: denver(39.74) }), await createJob('b-cap', { location: denver(39.75) }), await createJob('b-cap', { location: denver(39.76) }), await createJob('b-cap', { location: denver(39.77) })];
    const other = await createJob('b-other', { location: denver(39.9), skills: ['forklift'] });
    await putProfile('w-m2', { ...workerProfileExample, location: { lat: 39.74, lon: -104.99 }, maxTravelKm: 30, availability: [] });

    const capped = await recommendations('w-m2', '&cap=2');
    expect(capped.filter((i) => i.job.businessId === 'b-cap')).toHaveLength(2);
    expect(capped.map((i) => i.job.jobId)).toContain(other);
    // The two kept are the best two of that business.
    const all = await recommendations('w-m2', '&cap=10');
    const best = all.filter((i) => i.job.businessId === 'b-cap').slice(0, 2).map((i) => i.job.jobId);
    expect(all.filter((i) => own.includes(i.job.jobId))).toHaveLength(4);
    expect(capped.filter((i) => i.job.businessId === 'b-cap').map((i) => i.job.jobId)).toEqual(best);
    expect((await recommendations('w-m2', '&cap=1')).filter((i) => i.job.businessId === 'b-cap')).toHaveLength(1);
    expect(await recommendations('w-m2', '&size=1&cap=1')).toHaveLength(1);
  });

  it('follows a profile change at once: new skills give a different top job', async () => {
    const boise = at(43.6, -116.2);
    const welding = await createJob('b-m6', { location: boise, skills: ['welding'] });
    const forklift = await createJob('b-m7', { location: boise, skills: ['forklift'] });
    const profile = { ...workerProfileExample, location: { lat: 43.6, lon: -116.2 }, maxTravelKm: 30 };
    await putProfile('w-m3', { ...profile, skills: ['welding'] });
    const topOwn = (items: Item[]) => items.map((i) => i.job.jobId).find((id) => id === welding || id === forklift);
    expect(topOwn(await recommendations('w-m3'))).toBe(welding);
    await putProfile('w-m3', { ...profile, skills: ['forklift'] });
    expect(topOwn(await recommendations('w-m3'))).toBe(forklift);
  });

  it('POST /v1/match scores given jobs with the reference and lists unknown ones as missing', async () => {
    const worker = await t.auth({ role: 'worker', sub: 'w-m1' });
    const res = await t.app.inject({ method: 'POST', url: `/v1/match?minPosition=${head}`, payload: { jobIds: [ids.a, ids.far, 'no-such-job'] }, headers: worker });
    expect(res.statusCode).toBe(200);
    const body = res.json<{ results: Array<{ jobId: string; score: number; factors: unknown; details: unknown }>; missing: string[] }>();
    expect(body.missing).toEqual(['no-such-job']);
    expect(body.results.map((r) => r.jobId)).toEqual([ids.a, ids.far]);
    const profile = await storedProfile('w-m1');
    for (const r of body.results) {
      const ref = matchScore(profile, (await t.reads.jobs.getJob(r.jobId))!, defaultWeights, t.clock.now);
      expect(r.score).toBe(ref.score);
      expect(r.factors).toEqual(ref.factors);
      expect(r.details).toEqual(ref.details);
    }

    const operator = await t.auth({ role: 'operator', sub: 'op-1' });
    const asOperator = await t.app.inject({ method: 'POST', url: '/v1/match', payload: { jobIds: [ids.a], workerId: 'w-m1' }, headers: operator });
    expect(asOperator.statusCode).toBe(200);
    expect(asOperator.json<{ results: Array<{ score: number }> }>().results[0]!.score).toBe(body.results[0]!.score);
  });

  it('rejects bad match requests: another worker (403), too many or repeated ids (400), no profile (422)', async () => {
    const worker = await t.auth({ role: 'worker', sub: 'w-m1' });
    const post = (payload: unknown, headers = worker) => t.app.inject({ method: 'POST', url: '/v1/match', payload: payload as Record<string, unknown>, headers });
    expect((await post({ jobIds: [ids.a], workerId: 'w-m2' })).statusCode).toBe(403);
    expect((await post({ jobIds: Array.from({ length: 501 }, (_, i) => `j-${i}`) })).statusCode).toBe(400);
    expect((await post({ jobIds: [ids.a, ids.a] })).statusCode).toBe(400);
    expect((await post({ jobIds: [] })).statusCode).toBe(400);
    expect((await post({ jobIds: [ids.a] }, await t.auth({ role: 'business', sub: 'b-m1' }))).statusCode).toBe(403);
    const nobody = await t.auth({ role: 'worker', sub: 'w-none' });
    const noProfile = await post({ jobIds: [ids.a] }, nobody);
    expect(noProfile.statusCode).toBe(422);
    expect(noProfile.json()).toMatchObject({ code: 'profile_required' });
    const rec = await t.app.inject({ url: '/v1/me/recommendations', headers: nobody });
    expect(rec.statusCode).toBe(422);
    expect(rec.json()).toMatchObject({ code: 'profile_required' });
    expect((await t.app.inject({ url: '/v1/me/recommendations?size=51', headers: worker })).statusCode).toBe(400);
    expect((await t.app.inject({ url: '/v1/me/recommendations?cap=0', headers: worker })).statusCode).toBe(400);
    expect((await t.app.inject({ url: '/v1/me/recommendations' })).statusCode).toBe(401);
  });
});
