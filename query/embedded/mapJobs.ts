// The map: matches counted per geohash cell at the zoom's precision (from the
// pyramid's aggregates where it can answer, else cell by cell over the sorted
// points), with the points themselves when few.

import type { MapCluster, MapPoint, MapResult } from '../model/readStore.ts';
import { mapCellCap } from '../model/readStore.ts';
import { geohashPrecisionFor, mapPointsThreshold } from '../model/zoomPrecision.ts';
import { collect, refreshGeo } from './collectMatches.ts';
import type { EmbeddedState } from './embeddedState.ts';
import type { MapQuery } from './filterInput.ts';
import { planFilters } from './filterPlan.ts';
import { KEY_BITS, LAT_DECODE, LON_DECODE, coverRanges, geohashBounds, keyToGeohash } from '../model/geo.ts';
import { pyramidFilter } from './pyramidQuery.ts';

export function mapJobs(st: EmbeddedState, request: MapQuery, now: Date): MapResult {
  const precision = geohashPrecisionFor(request.zoom);
  const plan = planFilters(st.cols, request, now);
  const div = 2 ** (KEY_BITS - 5 * precision);
  const { lat, lon, latE, lonE, geoKey } = st.cols;
  // Sums of integer (Lucene) coordinates: exact, so the pyramid's aggregates and a scan agree bit for bit.
  const cells = new Map<number, { count: number; sumLat: number; sumLon: number }>();
  let total = 0;
  const points: number[] = [];
  const add = (key: number, count: number, sumLat: number, sumLon: number): void => {
    const c = cells.get(key);
    if (c) {
      c.count += count;
      c.sumLat += sumLat;
      c.sumLon += sumLon;
    } else cells.set(key, { count, sumLat, sumLon });
  };
  const one = (s: number): void => {
    total++;
    if (points.length <= mapPointsThreshold) points.push(s);
    add(Math.floor(geoKey[s]! / div), 1, latE[s]!, lonE[s]!);
  };

  if (plan.terms !== undefined) {
    const m = collect(st, plan);
    for (let i = 0; i < m.count; i++) one(m.slots[i]!);
  } else {
    refreshGeo(st);
    const g = st.geo;
    const { keys, slots, dead } = g;
    const pred = plan.pred;
    // Cell by cell: each geohash cell at this precision is one run of the sorted points.
    const sums = new Float64Array(3);
    const box = request.bbox;
    /** Whether a cell lies inside the viewport, so its points need no box test. */
    const cellInside = (key: number): boolean => {
      const c = geohashBounds(keyToGeohash(key, precision));
      if (c.minLat < box.minLat || c.maxLat > box.maxLat) return false;
      if (box.minLon <= box.maxLon) return c.minLon >= box.minLon && c.maxLon <= box.maxLon;
      return c.minLon >= box.minLon || c.maxLon <= box.maxLon;
    };
    const collecting = (from: number, to: number): void => {
      for (let i = from; i < to && points.length <= mapPointsThreshold; i++) if (dead[i] === 0 && at(i)) points.push(slots[i]!);
    };
    const at = plan.predicateOver(g.view);
    const pf = st.pyramid ? pyramidFilter(request) : undefined;
    const fromPyramid: Array<[number, number]> = [];
    const scannedAt: number[] = [];
    const fast = pf !== undefined && st.pyramid!.map({ precision, box: request.bbox, catMask: pf.mask, now: now.getTime(), ranges: coverRanges(request.bbox), at, add }, fromPyramid, scannedAt) !== undefined;
    if (!fast) for (const [fromKey, toKey] of coverRanges(plan.geo ?? request.bbox)) {
      let i = g.lowerBound(fromKey);
      const end = g.lowerBound(toKey);
      while (i < end) {
        const key = Math.floor(keys[i]! / div);
        const runEnd = Math.min(end, g.lowerBound((key + 1) * div));
        plan.sumRun(g.view, dead, g.openUntil, cellInside(key), i, runEnd, sums);
        if (sums[0]! > 0) {
          add(key, sums[0]!, sums[1]!, sums[2]!);
          if (points.length <= mapPointsThreshold) collecting(i, runEnd);
        }
        i = runEnd;
      }
    }
    for (const c of cells.values()) total += c.count;
    for (const s of g.delta) if (pred(s)) one(s);
    if (fast && total <= mapPointsThreshold) {
      const found = scannedAt;
      st.pyramid!.pointsOf(fromPyramid, at, found);
      for (const i of found) points.push(slots[i]!);
    }
  }

  const clusters: MapCluster[] = [...cells.entries()].map(([k, c]) => {
    const key = keyToGeohash(k, precision);
    return { key, count: c.count, centroid: { lat: (c.sumLat / c.count) * LAT_DECODE, lon: (c.sumLon / c.count) * LON_DECODE }, bounds: geohashBounds(key) };
  });
  clusters.sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  // As the engine: the most populated cells up to the cap; `total` still counts every job in the viewport.
  const cap = mapCellCap(request.maxCells ?? st.mapMaxCells);
  const truncated = clusters.length > cap;
  if (truncated) clusters.length = cap;
  const result: MapResult = { zoom: request.zoom, precision, total, clusters, ...(truncated ? { truncated } : {}) };
  if (total <= mapPointsThreshold) {
    const ids = st.cols.jobIds;
    const titles = st.cols.titles;
    result.points = points
      .map((s): MapPoint => ({ jobId: ids[s]!, lat: lat[s]!, lon: lon[s]!, title: titles[s]! }))
      .sort((a, b) => (a.jobId < b.jobId ? -1 : a.jobId > b.jobId ? 1 : 0));
  }
  return result;
}
