// A fixture of 3 jobs and 1 worker whose scores were worked
// out by hand (the arithmetic is in the comments), sent through the API in both
// modes. The engine computes these in painless (script_score) in server mode,
// the embedded store through the reference function.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobExample } from '../../command/http/examples.ts';
import type { FullApp } from '../../tests/support/fullApp.ts';
import { startFullApp } from '../../tests/support/fullApp.ts';

// Earth radius as Lucene's (6371008.7714 m). Jobs sit on latitudes Lucene stores
// exactly (45 = 2^30 units of 180/2^32; 45.703125 = 45 + 2^24 units), on the
// meridian 0, so worker → job is an arc of the meridian: R × Δlat × π/180.
const KM_PER_DEGREE = (6371008.7714 * Math.PI) / 180 / 1000; // 111.19507973436874...

const worker = {
  name: 'Fixture Worker',
  skills: ['Espresso', 'customer service', 'forklift'],
  location: { lat: 44.9, lon: 0 },
  maxTravelKm: 40,
  desiredHourlyPay: 20,
  currency: 'USD',
  availability: [{ from: '2027-06-01', to: '2027-06-30' }], // 30 days of June
  experienceYears: 1,
};

const at = (lat: number) => ({ point: { lat, lon: 0 }, city: 'Meridian', country: 'FR' });
const hourly = (min: number, max: number) => ({ min, max, currency: 'USD', unit: 'hour' });

const jobs = {
  // skills: espresso + customer service of 4 → 2/4 = 0.5
  // distance: 0.1° of meridian = 11.119507973 km → 1 − 11.119507973/40 = 0.722012300664
  // pay: 22 / 20 = 1.1 → min(1, 1.1) = 1
  // availability: 2027-06-16..07-15 is 30 days, June covers 16..30 = 15 → 0.5
  // experience: 1 / 2 = 0.5
  // score = 100 × (0.35×0.5 + 0.25×0.722012300664 + 0.2×1 + 0.1×0.5 + 0.1×0.5)
  //       = 100 × (0.175 + 0.180503075166 + 0.2 + 0.05 + 0.05) = 65.5503075166
  A: { ...jobExample, title: 'Barista at the meridian', location: at(45), skills: ['espresso', 'customer service', 'cash handling', 'latte art'], pay: hourly(18, 22), startDate: '2027-06-16', endDate: '2027-07-15', experienceYears: 2 },
  // skills: none listed → 1; distance: remote → 1; pay: 15/20 = 0.75
  // availability: no dates → 1; experience: none required → 1
  // score = 100 × (0.35 + 0.25 + 0.2×0.75 + 0.1 + 0.1) = 95
  B: { ...jobExample, title: 'Remote order support', remote: true, location: at(45), skills: [], pay: hourly(12, 15), startDate: undefined, endDate: undefined, experienceYears: 0 },
  // skills: Forklift = forklift → 1/1 = 1; distance: 0.803125° = 89.3 km > 40 → 0
  // pay: 20/20 = 1; availability: from 06-01 with no end = 90 days, June covers 30 → 1/3
  // experience: 1/4 = 0.25
  // score = 100 × (0.35 + 0 + 0.2 + 0.1/3 + 0.025) = 60.8333333333
  C: { ...jobExample, title: 'Forklift driver up north', location: at(45.703125), skills: ['Forklift'], pay: hourly(18, 20), startDate: '2027-06-01', endDate: undefined, experienceYears: 4 },
};

interface Scored {
  jobId: string;
  score: number;
  factors: Record<string, number>;
  details: Record<string, number>;
}

describe.each(['embedded', 'server'] as const)('hand-computed match fixture through the API (%s mode)', (mode) => {
  let t: FullApp;
  const ids: Record<keyof typeof jobs, string> = { A: '', B: '', C: '' };
  let head = 0;

  beforeAll(async () => {
    t = await startFullApp(mode, { minPositionWaitMs: 15_000 });
    t.clock.now = new Date('2027-03-01T12:00:00Z');
    for (const [key, payload] of Object.entries(jobs) as Array<[keyof typeof jobs, Record<string, unknown>]>) {
      const body = Object.fromEntries(Object.entries(payload).filter(([, v]) => v !== undefined));
      const res = await t.app.inject({ method: 'POST', url: '/v1/jobs', payload: body, headers: await t.auth({ role: 'business', sub: `b-fixture-${key}` }) });
      expect(res.statusCode, res.body).toBe(201);
      const created = res.json<{ id: string; position: number }>();
      ids[key] = created.id;
      head = Math.max(head, created.position);
    }
    const res = await t.app.inject({ method: 'PUT', url: '/v1/me/profile', payload: worker, headers: await t.auth({ role: 'worker', sub: 'w-fixture' }) });
    expect(res.statusCode, res.body).toBe(200);
    head = Math.max(head, res.json<{ position: number }>().position);
  });
  afterAll(async () => t?.close());

  const expectA = (r: Scored) => {
    expect(r.score).toBeCloseTo(65.5503075166, 9);
    expect(r.factors).toMatchObject({ skills: 0.5, pay: 1, availability: 0.5, experience: 0.5 });
    expect(r.factors.distance).toBeCloseTo(0.722012300664, 11);
    expect(r.details).toMatchObject({ skillsMatched: 2, skillsRequired: 4, availableDays: 15, jobDays: 30, experienceRatio: 0.5 });
    expect(r.details.distanceKm).toBeCloseTo(0.1 * KM_PER_DEGREE, 9);
    expect(r.details.payRatio).toBeCloseTo(1.1, 12);
  };
  const expectB = (r: Scored) => {
    expect(r.score).toBeCloseTo(95, 9);
    expect(r.factors).toEqual({ skills: 1, distance: 1, pay: 0.75, availability: 1, experience: 1 });
    expect(r.details).toEqual({ skillsMatched: 0, skillsRequired: 0, payRatio: 0.75 });
  };
  const expectC = (r: Scored) => {
    expect(r.score).toBeCloseTo(60.8333333333, 9);
    expect(r.factors).toMatchObject({ skills: 1, distance: 0, pay: 1, experience: 0.25 });
    expect(r.factors.availability).toBeCloseTo(1 / 3, 12);
    expect(r.details).toMatchObject({ skillsMatched: 1, skillsRequired: 1, payRatio: 1, availableDays: 30, jobDays: 90, experienceRatio: 0.25 });
    expect(r.details.distanceKm).toBeCloseTo(0.803125 * KM_PER_DEGREE, 9);
  };

  it('POST /v1/match returns the hand-computed score, factors and details of each job, in the order asked', async () => {
    const res = await t.app.inject({ method: 'POST', url: `/v1/match?minPosition=${head}`, payload: { jobIds: [ids.A, ids.B, ids.C] }, headers: await t.auth({ role: 'worker', sub: 'w-fixture' }) });
    expect(res.statusCode, res.body).toBe(200);
    const { results, missing } = res.json<{ results: Scored[]; missing: string[] }>();
    expect(missing).toEqual([]);
    expect(results.map((r) => r.jobId)).toEqual([ids.A, ids.B, ids.C]);
    expectA(results[0]!);
    expectB(results[1]!);
    expectC(results[2]!);
  });

  it('recommends B (95) then A (65.55) with hand-written reasons, and leaves out C, 89 km away beyond the 40 km the worker travels', async () => {
    const res = await t.app.inject({ url: `/v1/me/recommendations?minPosition=${head}`, headers: await t.auth({ role: 'worker', sub: 'w-fixture' }) });
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json<{ items: Array<Scored & { job: { jobId: string }; reason: string }> }>().items;
    expect(items.map((i) => i.job.jobId)).toEqual([ids.B, ids.A]);
    expectB({ ...items[0]!, jobId: ids.B });
    expectA({ ...items[1]!, jobId: ids.A });
    expect(items[0]!.reason).toBe('no specific skills required, remote, pays 25% below your ask');
    expect(items[1]!.reason).toBe('2 of 4 skills, 11 km away, pays 10% above your ask, you are free 15 of 30 days, asks for more experience');
  });
});
