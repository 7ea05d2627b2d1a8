// The map's cell cap, as both stores apply it.
import { describe, expect, it } from 'vitest';
import { geohashGridAggs } from '../engine/dsl/aggs.ts';
import { DEFAULT_MAP_MAX_CELLS, ENGINE_MAX_BUCKETS, mapCellCap } from './readStore.ts';

describe('mapCellCap', () => {
  it('defaults to 10 000 and stays within 1..65 535 (the engine\'s search.max_buckets)', () => {
    expect(DEFAULT_MAP_MAX_CELLS).toBe(10_000);
    expect(mapCellCap(undefined)).toBe(10_000);
    expect(mapCellCap(3)).toBe(3);
    expect(mapCellCap(0)).toBe(1);
    expect(mapCellCap(1e9)).toBe(ENGINE_MAX_BUCKETS);
    expect(mapCellCap(Number.NaN)).toBe(DEFAULT_MAP_MAX_CELLS);
  });

  it('the engine is asked for one bucket past the cap, never past its ceiling', () => {
    const size = (n?: number) => (geohashGridAggs(5, n) as { cells: { geohash_grid: { size: number } } }).cells.geohash_grid.size;
    expect(size(mapCellCap(undefined) + 1)).toBe(10_001);
    expect(size(mapCellCap(65_535) + 1)).toBe(65_535);
    expect(size()).toBe(65_535);
  });
});
