import { beforeAll, describe, expect, it } from 'vitest';
import type { DomainEventOf, EventType } from '../../eventstore/events/index.ts';
import { categories, eventCatalog } from '../../eventstore/events/index.ts';
import { SearchRequest } from '../../query/model/searchRequest.ts';
import type { City } from './cities.ts';
import { haversineKm, loadCities } from './cities.ts';
import type { SeedStream } from './seedStream.ts';
import { planDataset } from './datasetPlan.ts';
import { generateDataset } from './generateDataset.ts';

const now = new Date('2026-11-28T12:00:00.000Z');
const DAY = 86_400_000;

const eventsOf = <T extends EventType>(streams: readonly SeedStream[], type: T): DomainEventOf<T>[] =>
  streams.flatMap((s) => s.events).filter((e): e is DomainEventOf<T> => e.type === type);

const serialize = (streams: Iterable<SeedStream>): string => {
  let out = '';
  for (const s of streams) out += `${JSON.stringify(s)}\n`;
  return out;
};

let big: SeedStream[] = [];
let bigCounts: ReturnType<ReturnType<typeof generateDataset>['counts']>;

beforeAll(() => {
  const dataset = generateDataset({ jobs: 20_000, now });
  big = [...dataset];
  bigCounts = dataset.counts();
});

describe('generateDataset: determinism', () => {
  it('gives byte-identical output for the same seed and now', () => {
    const a = serialize(generateDataset({ jobs: 1500, seed: 7, now }));
    const b = serialize(generateDataset({ jobs: 1500, seed: 7, now: new Date(now.getTime()) }));
    expect(a.length).toBeGreaterThan(100_000);
    expect(b).toBe(a);
  });

  it('gives the same output when the same dataset is iterated twice', () => {
    const dataset = generateDataset({ jobs: 300, now });
    expect(serialize(dataset)).toBe(serialize(dataset));
  });

  it('gives different output for a different seed or a different now', () => {
    const base = serialize(generateDataset({ jobs: 300, seed: 1, now }));
    expect(serialize(generateDataset({ jobs: 300, seed: 2, now }))).not.toBe(base);
    expect(serialize(generateDataset({ jobs: 300, seed: 1, now: new Date(now.getTime() + DAY) }))).not.toBe(base);
  });

  it('keeps jobs independent of the worker and saved-search counts', () => {
    const jobsOf = (workers: number) =>
      serialize([...generateDataset({ jobs: 200, workers, savedSearches: workers, now })].filter((s) => s.kind === 'job'));
    expect(jobsOf(10)).toBe(jobsOf(90));
  });

  it('uses the default seed 42', () => {
    expect(serialize(generateDataset({ jobs: 100, now }))).toBe(serialize(generateDataset({ jobs: 100, seed: 42, now })));
  });
});

describe('generateDataset: catalog events', () => {
  it('emits only events that parse with their catalog schema, unchanged', () => {
    const problems: string[] = [];
    for (const stream of big) {
      for (const event of stream.events) {
        const result = eventCatalog[event.type].schema.safeParse(event.data);
        if (!result.success) problems.push(`${stream.streamId} ${event.type}: ${result.error.message}`);
        else if (JSON.stringify(result.data) !== JSON.stringify(event.data)) problems.push(`${stream.streamId} ${event.type}: changed by parse`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('names streams and ids readably', () => {
    const problems: string[] = [];
    const patterns = { business: /^business-b\d{5}$/, job: /^job-j\d{6}$/, worker: /^worker-w\d{5}$/ };
    const firstType = { business: 'BusinessProfileUpdated', job: 'JobDrafted', worker: 'WorkerProfileUpdated' };
    for (const s of big) {
      if (!patterns[s.kind].test(s.streamId)) problems.push(`${s.streamId}: bad name`);
      if (s.events[0]?.type !== firstType[s.kind]) problems.push(`${s.streamId}: starts with ${s.events[0]?.type}`);
      for (const e of s.events) {
        const data = e.data as { jobId?: string; workerId?: string; businessId?: string };
        const owner = s.kind === 'job' ? `job-${data.jobId}` : s.kind === 'worker' ? `worker-${data.workerId}` : `business-${data.businessId}`;
        if (owner !== s.streamId) problems.push(`${s.streamId}: ${e.type} belongs to ${owner}`);
      }
    }
    expect(problems).toEqual([]);
    expect(new Set(big.map((s) => s.streamId)).size).toBe(big.length);
    expect(eventsOf(big, 'SearchSaved').filter((e) => !/^s\d{5}$/.test(e.data.searchId))).toEqual([]);
  });

  it('orders businesses, then jobs, then workers', () => {
    const kinds = big.map((s) => s.kind);
    const firstJob = kinds.indexOf('job');
    const firstWorker = kinds.indexOf('worker');
    expect(kinds.lastIndexOf('business')).toBeLessThan(firstJob);
    expect(kinds.lastIndexOf('job')).toBeLessThan(firstWorker);
  });

  it('gives each event an occurredAt, non-decreasing within a stream and not after now', () => {
    const problems: string[] = [];
    for (const s of big) {
      if (s.occurredAt.length !== s.events.length) problems.push(`${s.streamId}: ${s.occurredAt.length} times`);
      let previous = -Infinity;
      for (const at of s.occurredAt.map((t) => Date.parse(t))) {
        if (!(at >= previous && at <= now.getTime())) problems.push(`${s.streamId}: out of order or after now`);
        previous = at;
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('generateDataset: counts', () => {
  it('applies the default counts', () => {
    expect(planDataset({ jobs: 20_000, now })).toMatchObject({ businesses: 400, workers: 1000, savedSearches: 500, streams: 21_400 });
    expect(planDataset({ jobs: 100, now })).toMatchObject({ businesses: 20, workers: 50, savedSearches: 25, seed: 42 });
  });

  it('produces exactly the requested entities and reports them', () => {
    const dataset = generateDataset({ jobs: 321, businesses: 7, workers: 45, savedSearches: 60, now });
    const streams = [...dataset];
    const counts = dataset.counts();
    expect(eventsOf(streams, 'BusinessProfileUpdated')).toHaveLength(7);
    expect(eventsOf(streams, 'JobDrafted')).toHaveLength(321);
    expect(eventsOf(streams, 'WorkerProfileUpdated')).toHaveLength(45);
    expect(eventsOf(streams, 'SearchSaved')).toHaveLength(60);
    expect(counts.streams).toBe(7 + 321 + 45);
    expect(counts.streams).toBe(dataset.plan.streams);
    expect(counts.events).toBe(streams.reduce((n, s) => n + s.events.length, 0));
    for (const type of Object.keys(eventCatalog) as EventType[]) {
      expect(counts.byType[type]).toBe(streams.flatMap((s) => s.events).filter((e) => e.type === type).length);
    }
  });

  it('reports counts of the 20k dataset', () => {
    expect(bigCounts.byType.JobDrafted).toBe(20_000);
    expect(bigCounts.byType.BusinessProfileUpdated).toBe(400);
    expect(bigCounts.byType.WorkerProfileUpdated).toBe(1000);
    expect(bigCounts.byType.SearchSaved).toBe(500);
    const published = bigCounts.byType.JobPublished / 20_000;
    const closed = bigCounts.byType.JobClosed / 20_000;
    expect(published).toBeGreaterThan(0.9);
    expect(published).toBeLessThan(0.94);
    expect(closed).toBeGreaterThan(0.02);
    expect(closed).toBeLessThan(0.06);
    expect(bigCounts.openJobs).toBe(bigCounts.byType.JobPublished - bigCounts.byType.JobClosed);
    expect(bigCounts.byType.JobSaved).toBeGreaterThan(1000);
  });

  it('handles zero jobs and rejects impossible options', () => {
    const streams = [...generateDataset({ jobs: 0, now })];
    expect(eventsOf(streams, 'JobSaved')).toHaveLength(0);
    expect(eventsOf(streams, 'WorkerProfileUpdated')).toHaveLength(50);
    expect(() => generateDataset({ jobs: -1, now })).toThrow(RangeError);
    expect(() => generateDataset({ jobs: 1.5, now })).toThrow(RangeError);
    expect(() => generateDataset({ jobs: 10, businesses: 0, now })).toThrow(RangeError);
    expect(() => generateDataset({ jobs: 10, workers: 0, savedSearches: 3, now })).toThrow(RangeError);
    expect(() => generateDataset({ jobs: 10, now: new Date(Number.NaN) })).toThrow(RangeError);
  });
});

describe('generateDataset: places', () => {
  it('puts every job and worker within 10 km of a real city of the same name and country', () => {
    const byKey = new Map<string, City[]>();
    for (const c of loadCities().cities) {
      const key = `${c.name}|${c.country}`;
      byKey.set(key, [...(byKey.get(key) ?? []), c]);
    }
    let checked = 0;
    const far: string[] = [];
    for (const job of eventsOf(big, 'JobDrafted')) {
      const loc = job.data.location;
      if (!loc) {
        if (!job.data.remote) far.push(`${job.data.jobId}: no location but not remote`);
        continue;
      }
      const candidates = byKey.get(`${loc.city}|${loc.country}`) ?? [];
      const nearest = Math.min(...candidates.map((c) => haversineKm(c, loc.point)));
      if (!(nearest <= 10)) far.push(`${job.data.jobId}: ${loc.city}, ${loc.country} at ${nearest} km`);
      checked++;
    }
    expect(far).toEqual([]);
    expect(checked).toBeGreaterThan(19_000);
    const cityPoints = loadCities().cities;
    for (const worker of eventsOf(big, 'WorkerProfileUpdated').slice(0, 200)) {
      const point = worker.data.profile.location;
      expect(point).toBeDefined();
      if (!point) continue;
      // Workers carry a point only: some city of the table lies within 10 km.
      expect(cityPoints.some((c) => Math.abs(c.lat - point.lat) < 0.2 && haversineKm(c, point) <= 10)).toBe(true);
    }
  });

  it('draws places in proportion to population', () => {
    const table = loadCities();
    const popByKey = new Map<string, number>();
    for (const c of table.cities) popByKey.set(`${c.name}|${c.country}`, (popByKey.get(`${c.name}|${c.country}`) ?? 0) + c.population);
    const jobsByKey = new Map<string, number>();
    let located = 0;
    for (const job of eventsOf(big, 'JobDrafted')) {
      const loc = job.data.location;
      if (!loc) continue;
      located++;
      const key = `${loc.city}|${loc.country}`;
      jobsByKey.set(key, (jobsByKey.get(key) ?? 0) + 1);
    }
    const expected = (keys: string[]) => keys.reduce((n, k) => n + (popByKey.get(k) ?? 0), 0) * (located / table.totalPopulation);
    const observed = (keys: string[]) => keys.reduce((n, k) => n + (jobsByKey.get(k) ?? 0), 0);
    const ranked = [...popByKey.entries()].sort((a, b) => b[1] - a[1]).map(([k]) => k);
    const top = ranked.slice(0, 20);
    const small = ranked.slice(-5000);
    // Loose bounds: a fifth of the jobs sit in their business's home city (itself
    // drawn by population), which adds noise on top of the sampling noise.
    expect(observed(top) / expected(top)).toBeGreaterThan(0.7);
    expect(observed(top) / expected(top)).toBeLessThan(1.3);
    expect(observed(small) / expected(small)).toBeGreaterThan(0.7);
    expect(observed(small) / expected(small)).toBeLessThan(1.3);
    // Per city, the 20 biggest get far more jobs than the 5000 smallest.
    expect(observed(top) / top.length).toBeGreaterThan(50 * (observed(small) / small.length));
    expect(jobsByKey.get('Shanghai|CN') ?? 0).toBeGreaterThan(80);
  });
});

describe('generateDataset: job content', () => {
  const jobs = () => eventsOf(big, 'JobDrafted').map((e) => e.data);

  it('keeps pay ranges sane and in the local currency', () => {
    const units = new Map<string, number>();
    const problems: string[] = [];
    const currencies: Record<string, string> = { US: 'USD', GB: 'GBP', CA: 'CAD', AU: 'AUD', DE: 'EUR', FR: 'EUR', ES: 'EUR', CN: 'USD' };
    for (const j of jobs()) {
      const { min, max, currency, unit } = j.pay;
      if (!(min > 0 && max >= min)) problems.push(`${j.jobId}: ${min}..${max}`);
      units.set(unit, (units.get(unit) ?? 0) + 1);
      const country = j.location?.country;
      const want = country ? currencies[country] : undefined;
      if (want && currency !== want) problems.push(`${j.jobId}: ${country} paid in ${currency}`);
      if (country === 'US' && unit === 'hour' && (min < 10 || max > 60)) problems.push(`${j.jobId}: US ${min}..${max}/h`);
    }
    expect(problems).toEqual([]);
    expect((units.get('hour') ?? 0) / 20_000).toBeGreaterThan(0.7);
    for (const unit of ['day', 'shift', 'week', 'month']) expect(units.get(unit) ?? 0).toBeGreaterThan(100);
  });

  it('keeps dates consistent', () => {
    const today = new Date(now.getTime()).toISOString().slice(0, 10);
    const problems: string[] = [];
    let openEnded = 0;
    for (const j of jobs()) {
      if (j.endDate && !j.startDate) problems.push(`${j.jobId}: end without start`);
      if (j.startDate && j.endDate && j.endDate < j.startDate) problems.push(`${j.jobId}: ends before it starts`);
      if (j.endDate && j.endDate < today) problems.push(`${j.jobId}: ended before now`);
      if (j.startDate && !j.endDate) openEnded++;
    }
    const published = new Map(eventsOf(big, 'JobPublished').map((e) => [e.data.jobId, e.data]));
    for (const p of published.values()) {
      const publishedAt = Date.parse(p.publishedAt);
      const expiresAt = Date.parse(p.expiresAt);
      if (publishedAt > now.getTime()) problems.push(`${p.jobId}: published after now`);
      if (expiresAt < now.getTime() + 7 * DAY - 1000 || expiresAt > now.getTime() + 90 * DAY) problems.push(`${p.jobId}: expires ${p.expiresAt}`);
    }
    for (const c of eventsOf(big, 'JobClosed')) {
      const publishedAt = Date.parse(published.get(c.data.jobId)?.publishedAt ?? '');
      const closedAt = Date.parse(c.data.closedAt);
      if (!(closedAt > publishedAt && closedAt <= now.getTime())) problems.push(`${c.data.jobId}: closed ${c.data.closedAt}`);
    }
    expect(problems).toEqual([]);
    expect(openEnded).toBeGreaterThan(1000);
  });

  it('varies titles, categories, employment types and experience', () => {
    const all = jobs();
    expect(new Set(all.map((j) => j.title)).size).toBeGreaterThan(300);
    expect(new Set(all.map((j) => j.category))).toEqual(new Set(categories));
    const hourlyLike = all.filter((j) => ['seasonal', 'hourly', 'part_time', 'temporary'].includes(j.employmentType)).length;
    expect(hourlyLike / all.length).toBeGreaterThan(0.7);
    const junior = all.filter((j) => j.experienceYears <= 1).length;
    expect(junior / all.length).toBeGreaterThan(0.7);
    expect(Math.max(...all.map((j) => j.experienceYears))).toBeLessThanOrEqual(5);
    const remote = all.filter((j) => j.remote).length / all.length;
    expect(remote).toBeGreaterThan(0.04);
    expect(remote).toBeLessThan(0.1);
    expect(all.some((j) => j.remote && j.location)).toBe(true);
    expect(all.some((j) => /Summer|Winter|Holidays|Spring|Autumn/.test(j.title))).toBe(true);
    for (const j of all.slice(0, 500)) {
      expect(j.description.split('. ').length).toBeGreaterThanOrEqual(5);
      if (j.location) expect(j.description).toContain(j.location.city);
    }
  });

  it('links jobs to existing businesses', () => {
    const businesses = new Set(eventsOf(big, 'BusinessProfileUpdated').map((e) => e.data.businessId));
    expect(jobs().filter((j) => !businesses.has(j.businessId))).toEqual([]);
    // A few businesses post many jobs, every business of 400 posts some.
    const perBusiness = new Map<string, number>();
    for (const j of jobs()) perBusiness.set(j.businessId, (perBusiness.get(j.businessId) ?? 0) + 1);
    expect(perBusiness.size).toBeGreaterThan(380);
  });
});

describe('generateDataset: workers', () => {
  it('saves only open jobs, each at most once per worker, after publication', () => {
    const published = new Map(eventsOf(big, 'JobPublished').map((e) => [e.data.jobId, Date.parse(e.data.publishedAt)]));
    const closed = new Set(eventsOf(big, 'JobClosed').map((e) => e.data.jobId));
    const seen = new Set<string>();
    const problems: string[] = [];
    for (const e of eventsOf(big, 'JobSaved')) {
      const { workerId, jobId, savedAt } = e.data;
      const publishedAt = published.get(jobId);
      if (publishedAt === undefined || closed.has(jobId)) problems.push(`${workerId} saved ${jobId}, not open`);
      else if (Date.parse(savedAt) < publishedAt) problems.push(`${workerId} saved ${jobId} before publication`);
      if (seen.has(`${workerId}/${jobId}`)) problems.push(`${workerId} saved ${jobId} twice`);
      seen.add(`${workerId}/${jobId}`);
    }
    expect(problems).toEqual([]);
  });

  it('saves searches as valid search requests (query/model) near the worker', () => {
    const profiles = new Map(eventsOf(big, 'WorkerProfileUpdated').map((e) => [e.data.workerId, e.data.profile]));
    const ids = new Set<string>();
    const problems: string[] = [];
    for (const e of eventsOf(big, 'SearchSaved')) {
      ids.add(e.data.searchId);
      const parsed = SearchRequest.safeParse(e.data.query);
      if (!parsed.success) {
        problems.push(`${e.data.searchId}: ${parsed.error.message}`);
        continue;
      }
      const { text, category, near } = parsed.data;
      if (text === undefined && category === undefined) problems.push(`${e.data.searchId}: neither text nor category`);
      const home = profiles.get(e.data.workerId)?.location;
      if (!near || near.lat !== home?.lat || near.lon !== home.lon) problems.push(`${e.data.searchId}: not near the worker`);
    }
    expect(problems).toEqual([]);
    expect(ids.size).toBe(500);
  });

  it('gives workers skills, travel range, pay wish and availability', () => {
    for (const e of eventsOf(big, 'WorkerProfileUpdated')) {
      const p = e.data.profile;
      expect(p.skills.length).toBeGreaterThanOrEqual(3);
      expect(p.maxTravelKm).toBeGreaterThan(0);
      expect(p.desiredHourlyPay).toBeGreaterThan(0);
      expect(p.availability.length).toBeGreaterThanOrEqual(1);
      expect(p.experienceYears).toBeLessThanOrEqual(5);
    }
  });
});
