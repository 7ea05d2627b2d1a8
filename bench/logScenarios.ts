// The query-log scenarios: the search log (searchLog.ts) and the map sessions
// (mapLog.ts) replayed in order at a fixed rate, as served (response cache on)
// and with every answer computed; and in server mode the engine requests the
// service's store sends for the very same requests (engineCapture.ts).
import { DEFAULT_MAP_MAX_CELLS } from '../query/model/readStore.ts';
import type { ScenarioContext } from './scenarios.ts';
import { captureEngineRequests } from './support/engineCapture.ts';
import { runLoad } from './support/load.ts';
import { fromLoad, get, noCache, RATES } from './support/loadRows.ts';
import type { LoadResult } from './support/loadSpec.ts';
import { resolvePages } from './support/logPaging.ts';
import { mapLog } from './support/mapLog.ts';
import type { ScenarioResult } from './support/result.ts';
import { searchLog } from './support/searchLog.ts';
import type { Topology } from './support/topology.ts';

type LogScenario = 'search-log' | 'search-log-nocache' | 'map-log' | 'map-log-nocache' | 'engine-log';

export interface PreparedLog {
  /** The requests a run walks (the log's first ones: enough for the warm-up and the measurement at the offered rate). */
  paths: string[];
  rate: number;
  extra: Record<string, unknown>;
}

const prepared = new WeakMap<Topology, Map<string, Promise<PreparedLog>>>();

/** Prepared once per service and reused by the cached, uncached and engine runs, so all three send the same requests. */
function once(t: Topology, key: string, make: () => Promise<PreparedLog>): Promise<PreparedLog> {
  let byKey = prepared.get(t);
  if (!byKey) prepared.set(t, (byKey = new Map<string, Promise<PreparedLog>>()));
  let p = byKey.get(key);
  if (!p) byKey.set(key, (p = make()));
  return p;
}

/**
 * A run at `rate` walks this many requests: a paced run sends rate × seconds
 * (support/pacedStream.ts); the margin keeps a run that is asked for a little
 * more (rounding, a longer warm-up) from wrapping to the log's start.
 */
const walked = (ctx: ScenarioContext, rate: number): number => Math.ceil(rate * (ctx.options.warmupS + ctx.options.durationS) * 1.3) + 256;

/** The search log's first `requests` paths (default: what a run of the log scenarios walks), next pages resolved. */
export function searchPrepared(ctx: ScenarioContext, requests = walked(ctx, ctx.options.rate)): Promise<PreparedLog> {
  const { topology: t, options: o } = ctx;
  return once(t, `search ${requests}`, async () => {
    const started = Date.now();
    const log = searchLog({ distinct: o.logSearches, zipf: o.zipf });
    ctx.log(`    search log: ${log.entries.length} requests, ${log.distinct} distinct searches (Zipf ${o.zipf}), in ${Date.now() - started} ms; resolving next pages ...`);
    const { paths, dropped } = await resolvePages(t.readUrl, log.entries, requests, noCache(t));
    const extra = { logRequests: log.entries.length, logDistinct: log.distinct, zipf: o.zipf, runRequests: paths.length, runDistinct: new Set(paths).size, nextPages: paths.filter((p) => p.includes('cursor=')).length, nextPagesLeftOut: dropped };
    return { paths, rate: o.rate, extra };
  });
}

/** The map log's first `requests` viewports. */
export function mapPrepared(ctx: ScenarioContext, requests = walked(ctx, RATES.map)): Promise<PreparedLog> {
  return once(ctx.topology, `map ${requests}`, () => {
    const paths = mapLog({ requests });
    return Promise.resolve({ paths, rate: RATES.map, extra: { runRequests: paths.length, runDistinct: new Set(paths).size } });
  });
}

/** The response cache's hit rate as the load generator saw it (the `x-cache` header of each answer). */
export function cacheExtra(r: LoadResult): Record<string, unknown> {
  if (!r.cache) return {};
  const { hits, misses } = r.cache;
  return { cacheHits: hits, cacheMisses: misses, cacheHitRate: hits + misses > 0 ? Math.round((1000 * hits) / (hits + misses)) / 1000 : undefined };
}

async function replay(ctx: ScenarioContext, name: string, what: string, log: PreparedLog, uncached: boolean): Promise<ScenarioResult> {
  const t = ctx.topology;
  const o = ctx.options;
  const connections = Math.max(16, Math.ceil(log.rate / 20));
  const headers = uncached ? noCache(t) : undefined;
  const r = await runLoad({ durationS: o.durationS, warmupS: o.warmupS, streams: [{ url: t.readUrl, connections, rate: log.rate, log: true, requests: log.paths.map((p) => get(p, headers)) }] });
  const how = uncached ? 'Cache-Control: no-cache (every answer computed)' : 'as served (response cache on)';
  const row = fromLoad(name, 'scenario', `${what}, in order at ${log.rate} QPS offered, ${how}`, r, connections);
  row.extra = { ...row.extra, ...log.extra, ...cacheExtra(r), walked: r.walked, wrapped: (r.walked ?? 0) > log.paths.length };
  return row;
}

/** Server mode: the captured engine requests of each log, replayed against the engine at the rate that sends them as the service did. */
async function engineLog(ctx: ScenarioContext): Promise<ScenarioResult[]> {
  const t = ctx.topology;
  if (!t.engine) return [];
  const o = ctx.options;
  const mapMaxCells = Number(t.env.MAP_MAX_CELLS) || DEFAULT_MAP_MAX_CELLS;
  const rows: ScenarioResult[] = [];
  for (const [kind, log] of [['search', await searchPrepared(ctx)], ['map', await mapPrepared(ctx)]] as const) {
    ctx.log(`    capturing the engine requests of ${log.paths.length} ${kind} requests ...`);
    const captured = await captureEngineRequests(t.engine, kind, log.paths, { mapMaxCells });
    const rate = Math.round(log.rate * captured.perRequest);
    const connections = Math.max(16, Math.ceil(rate / 20));
    const r = await runLoad({ durationS: o.durationS, warmupS: o.warmupS, streams: [{ url: t.engine.url, connections, rate, log: true, requests: captured.requests }] });
    const row = fromLoad(`engine ${kind}-log`, 'baseline', `OpenSearch _search with the requests the service's store sent for the ${kind} log (captured), in order at ${rate} QPS (${log.rate} service requests/s × ${captured.perRequest.toFixed(2)} engine requests each): the work of ${kind}-log-nocache`, r, connections);
    row.extra = { ...row.extra, engineRequests: captured.requests.length, perServiceRequest: Math.round(captured.perRequest * 1000) / 1000, walked: r.walked, wrapped: (r.walked ?? 0) > captured.requests.length };
    rows.push(row);
  }
  return rows;
}

export async function runLogScenario(name: LogScenario, ctx: ScenarioContext): Promise<ScenarioResult[]> {
  switch (name) {
    case 'search-log':
      return [await replay(ctx, name, 'the search log', await searchPrepared(ctx), false)];
    case 'search-log-nocache':
      return [await replay(ctx, name, 'the search log', await searchPrepared(ctx), true)];
    case 'map-log':
      return [await replay(ctx, name, 'map pan/zoom sessions', await mapPrepared(ctx), false)];
    case 'map-log-nocache':
      return [await replay(ctx, name, 'map pan/zoom sessions', await mapPrepared(ctx), true)];
    case 'engine-log':
      return engineLog(ctx);
  }
}
