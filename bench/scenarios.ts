// The scenarios and the HTTP baselines of one mode, each a bounded autocannon
// run (warm-up, then the measured duration) in a process of its own.
import { searchBody, mapBody } from '../query/engine/dsl/search.ts';
import { geohashPrecisionFor } from '../query/model/zoomPrecision.ts';
import { DEFAULT_MAP_MAX_CELLS } from '../query/model/readStore.ts';
import { jobIdOf, workerIdOf } from '../ops/seed/seedIds.ts';
import { createRng } from '../ops/seed/prng.ts';
import { measureLag } from './support/lag.ts';
import { runLoad } from './support/load.ts';
import type { LoadRequest, LoadStream } from './support/loadSpec.ts';
import { fromLoad, get, noCache, RATES } from './support/loadRows.ts';
import { runLogScenario } from './logScenarios.ts';
import { runSoak } from './soak.ts';
import type { BenchOptions, ScenarioName } from './support/options.ts';
import { pageModelPathOf, pagePathOf } from './support/pageQueries.ts';
import { cursorPaths, jobBodies, mapPaths, searchPaths } from './support/queries.ts';
import { mapRequestOf, searchRequestOf } from './support/requests.ts';
import type { ScenarioResult } from './support/result.ts';
import type { Topology } from './support/topology.ts';

export interface ScenarioContext {
  topology: Topology;
  options: BenchOptions;
  /** The bare fastify baseline's origin. */
  bareUrl?: string;
  log(line: string): void;
}

/** The search mix: text + filters, text + radius, filters only, sorts by distance and newest, and second pages by cursor. */
async function searchMix(url: string): Promise<string[]> {
  const first = searchPaths(500);
  const sorted = first.filter((p) => p.includes('sort='));
  const second = await cursorPaths(url, sorted, 50);
  // One in ten requests is a next page.
  const out: string[] = [];
  first.forEach((p, i) => {
    out.push(p);
    if (i % 9 === 8 && second.length > 0) out.push(second[(i / 9) % second.length | 0]!);
  });
  return out;
}

/** Distinct random seeded job ids (the first `jobs` of the dataset). */
function jobIds(count: number, jobs: number, seed: number): string[] {
  const rng = createRng(seed);
  const ids = new Set<string>();
  const want = Math.min(count, jobs);
  while (ids.size < want) ids.add(jobIdOf(rng.int(0, jobs - 1)));
  return [...ids];
}

export async function runScenario(name: ScenarioName, ctx: ScenarioContext): Promise<ScenarioResult[]> {
  const { topology: t, options: o } = ctx;
  const base = { durationS: o.durationS, warmupS: o.warmupS };
  const jobs = t.dataset.jobs;
  const workers = Math.max(50, Math.floor(jobs / 20)); // the seed's default: every worker has a profile
  switch (name) {
    case 'search-rate': {
      const paths = await searchMix(t.readUrl);
      const connections = Math.max(16, Math.ceil(o.rate / 20));
      const r = await runLoad({ ...base, streams: [{ url: t.readUrl, connections, rate: o.rate, requests: paths.map((p) => get(p)) }] });
      // The mix repeats its ~550 URLs, so the first run is answered mostly from the response cache; the second computes every answer.
      const u = await runLoad({ ...base, streams: [{ url: t.readUrl, connections, rate: o.rate, requests: paths.map((p) => get(p, noCache(t))) }] });
      return [
        fromLoad('search-rate', 'scenario', `search mix at ${o.rate} QPS offered`, r, connections),
        fromLoad('search-rate-nocache', 'scenario', `search mix at ${o.rate} QPS offered, Cache-Control: no-cache (every answer computed)`, u, connections),
      ];
    }
    case 'search-max': {
      const paths = await searchMix(t.readUrl);
      const r = await runLoad({ ...base, streams: [{ url: t.readUrl, connections: o.connections, requests: paths.map((p) => get(p)) }] });
      const u = await runLoad({ ...base, streams: [{ url: t.readUrl, connections: o.connections, requests: paths.map((p) => get(p, noCache(t))) }] });
      return [
        fromLoad('search-max', 'scenario', `search mix, closed loop on ${o.connections} connections (saturation)`, r, o.connections),
        fromLoad('search-max-nocache', 'scenario', `search mix, closed loop on ${o.connections} connections, Cache-Control: no-cache (every answer computed)`, u, o.connections),
      ];
    }
    case 'page': {
      // The search mix as the search page's URLs. The page has no response cache (it calls the store itself), so
      // every page is computed; its baseline asks /v1/search, uncached, for the very query model the page runs
      // (the mix's filters, sort and cursors, with the facets, highlights and 20 hits the page always asks for),
      // at the same rate right after it: the difference is rendering the HTML.
      const mix = await searchMix(t.readUrl);
      const connections = 16;
      const html = { accept: 'text/html' };
      const p = await runLoad({ ...base, streams: [{ url: t.readUrl, connections, rate: RATES.page, requests: mix.map((path) => get(pagePathOf(path), html)) }] });
      const a = await runLoad({ ...base, streams: [{ url: t.readUrl, connections, rate: RATES.page, requests: mix.map((path) => get(pageModelPathOf(path), noCache(t))) }] });
      const urls = { urls: new Set(mix).size };
      const page = fromLoad('page', 'scenario', `GET / (the search page, server-rendered) for the search mix (${mix.length} requests, ${urls.urls} distinct), ${RATES.page} QPS offered; no response cache: every page computed`, p, connections);
      const api = fromLoad('page-api', 'baseline', `GET /v1/search for the query models the page runs (the same queries, with facets, highlights, 20 hits), Cache-Control: no-cache, ${RATES.page} QPS offered right after the page run`, a, connections);
      page.extra = { ...page.extra, ...urls, p95OverApiMs: Math.round((p.latencyMs.p95 - a.latencyMs.p95) * 100) / 100 };
      api.extra = { ...api.extra, ...urls };
      return [page, api];
    }
    case 'map': {
      const connections = 16;
      const r = await runLoad({ ...base, streams: [{ url: t.readUrl, connections, rate: RATES.map, requests: mapPaths(420).map((p) => get(p)) }] });
      return [fromLoad('map', 'scenario', `map viewports, zoom 0..20, half with a filter, ${RATES.map} QPS offered`, r, connections)];
    }
    case 'create': {
      const token = await t.token('business', 'b00001');
      const bodies = jobBodies(500, new Date());
      // A connection waits for each answer: enough of them that the offered rate is never bounded by the latency.
      const connections = Math.max(8, Math.ceil(o.createRate / 20));
      const r = await runLoad({ ...base, streams: [{ url: t.writeUrl, connections, rate: o.createRate, requests: bodies.map((body) => ({ method: 'POST', path: '/v1/jobs', headers: { authorization: `Bearer ${token}` }, body })) }] });
      return [fromLoad('create', 'scenario', `POST /v1/jobs (published), ${o.createRate} QPS offered`, r, connections)];
    }
    case 'lag': {
      const token = await t.token('business', 'b00002');
      const template = JSON.parse(jobBodies(1, new Date(), 9)[0]!) as Record<string, unknown>;
      const started = Date.now();
      const r = await measureLag({
        writeUrl: t.writeUrl,
        readUrl: t.readUrl,
        businessToken: token,
        samples: o.lagSamples,
        maxSeconds: Math.max(o.durationS, 10),
        body: (word) => JSON.stringify({ ...template, title: `Bench lag ${word}`, description: `Measures command to searchable: ${word}.` }),
      });
      const seconds = (Date.now() - started) / 1000;
      return [{
        name: 'lag',
        kind: 'scenario',
        description: 'POST /v1/jobs, then GET /v1/search?text=<its word>&minPosition=<position> until it holds the job; one at a time',
        achievedQps: Math.round((r.samples / seconds) * 10) / 10,
        latencyMs: r.lagMs,
        requests: r.samples,
        errors: r.failures,
        timeouts: 0,
        non2xx: 0,
        durationS: Math.round(seconds * 10) / 10,
        connections: 1,
        extra: { commandMs: r.commandMs, totalMs: r.totalMs },
        checks: [],
      }];
    }
    case 'match': {
      const connections = 4;
      const requests: LoadRequest[] = [];
      for (let i = 0; i < 40; i++) {
        const token = await t.token('worker', workerIdOf(i % workers));
        requests.push({ method: 'POST', path: '/v1/match', headers: { authorization: `Bearer ${token}` }, body: JSON.stringify({ jobIds: jobIds(500, jobs, 100 + i) }) });
      }
      const r = await runLoad({ ...base, streams: [{ url: t.readUrl, connections, rate: RATES.match, requests }] });
      return [fromLoad('match', 'scenario', `POST /v1/match with 500 job ids, ${RATES.match} QPS offered`, r, connections)];
    }
    case 'recommend': {
      const connections = 8;
      const requests: LoadRequest[] = [];
      for (let i = 0; i < 40; i++) requests.push(get('/v1/me/recommendations?size=20', { authorization: `Bearer ${await t.token('worker', workerIdOf((i * 7) % workers))}` }));
      const r = await runLoad({ ...base, streams: [{ url: t.readUrl, connections, rate: RATES.recommend, requests }] });
      return [fromLoad('recommend', 'scenario', `GET /v1/me/recommendations, ${RATES.recommend} QPS offered`, r, connections)];
    }
    case 'mixed': {
      const search = await searchMix(t.readUrl);
      const map = mapPaths(420);
      // 90 searches and 8 map views per 98 reads; writes are 2% of the offered rate, sent to the command side.
      const reads: LoadRequest[] = [];
      for (let i = 0; i < 98 * 10; i++) reads.push(get(i % 49 < 45 ? search[i % search.length]! : map[i % map.length]!));
      const token = await t.token('business', 'b00003');
      const writes = jobBodies(200, new Date(), 11).map((body): LoadRequest => ({ method: 'POST', path: '/v1/jobs', headers: { authorization: `Bearer ${token}` }, body }));
      const readRate = Math.round(o.rate * 0.98);
      const writeRate = Math.max(1, o.rate - readRate);
      const streams: LoadStream[] = [
        { url: t.readUrl, connections: Math.max(16, Math.ceil(readRate / 20)), rate: readRate, requests: reads },
        { url: t.writeUrl, connections: 4, rate: writeRate, requests: writes },
      ];
      const r = await runLoad({ ...base, streams });
      return [fromLoad('mixed', 'scenario', `90% search / 8% map / 2% job creation at ${o.rate} QPS offered`, r, streams.reduce((a, s) => a + s.connections, 0))];
    }
    case 'bare': {
      if (!ctx.bareUrl) return [];
      const r = await runLoad({ ...base, streams: [{ url: ctx.bareUrl, connections: o.connections, requests: [get('/bare')] }] });
      return [fromLoad('bare', 'baseline', `bare fastify route, fixed JSON body, closed loop on ${o.connections} connections`, r, o.connections)];
    }
    case 'engine': {
      if (!t.engine) return [];
      const now = new Date();
      const paths = await searchMix(t.readUrl);
      const search = paths.map((p): LoadRequest => ({ method: 'POST', path: `/${t.engine!.alias}/_search`, body: JSON.stringify(searchBody(searchRequestOf(p), now).body) }));
      const r = await runLoad({ ...base, streams: [{ url: t.engine.url, connections: o.connections, requests: search }] });
      const map = mapPaths(420).map((p): LoadRequest => {
        const req = mapRequestOf(p);
        // The bucket count the service asks for at its default cap (one past it, to tell a truncated answer).
        return { method: 'POST', path: `/${t.engine!.alias}/_search`, body: JSON.stringify(mapBody(req, geohashPrecisionFor(req.zoom), now, DEFAULT_MAP_MAX_CELLS + 1)) };
      });
      const m = await runLoad({ ...base, streams: [{ url: t.engine.url, connections: 16, rate: RATES.map, requests: map }] });
      return [
        fromLoad('engine', 'baseline', `OpenSearch _search with the DSL our service builds for the same search mix, closed loop on ${o.connections} connections`, r, o.connections),
        fromLoad('engine map', 'baseline', `OpenSearch geohash_grid bodies of the same map viewports, ${RATES.map} QPS offered`, m, 16),
      ];
    }
    case 'search-log':
    case 'search-log-nocache':
    case 'map-log':
    case 'map-log-nocache':
    case 'engine-log':
      return runLogScenario(name, ctx);
    case 'soak':
      return runSoak(ctx);
    case 'inprocess':
      return []; // run by run.ts once the service of the mode has stopped
  }
}
