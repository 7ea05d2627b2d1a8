// The map's cell cap is a setting (query/model/readStore.ts applies it).
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAP_MAX_CELLS } from '../query/model/readStore.ts';
import { loadConfig } from './config.ts';

describe('MAP_MAX_CELLS', () => {
  it('defaults to 10 000 and accepts 1..65 535 only', () => {
    expect(loadConfig({}).MAP_MAX_CELLS).toBe(DEFAULT_MAP_MAX_CELLS);
    expect(loadConfig({ MAP_MAX_CELLS: '65535' }).MAP_MAX_CELLS).toBe(65_535);
    expect(() => loadConfig({ MAP_MAX_CELLS: '65536' })).toThrow(/MAP_MAX_CELLS/);
    expect(() => loadConfig({ MAP_MAX_CELLS: '0' })).toThrow(/MAP_MAX_CELLS/);
  });
});
