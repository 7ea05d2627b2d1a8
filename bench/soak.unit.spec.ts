import { describe, expect, it } from 'vitest';
import { gauge, interleave } from './soak.ts';

describe('the soak', () => {
  it('sends one map view in ten reads, each log in its own order, until the searches run out', () => {
    const search = Array.from({ length: 27 }, (_, i) => `/v1/search?s=${i}`);
    const map = Array.from({ length: 100 }, (_, i) => `/v1/map?m=${i}`);
    const reads = interleave(search, map);
    expect(reads.filter((p) => p.startsWith('/v1/search'))).toEqual(search);
    expect(reads.filter((p) => p.startsWith('/v1/map'))).toEqual(map.slice(0, 2));
    expect(reads[9]).toBe('/v1/map?m=0');
    expect(reads[19]).toBe('/v1/map?m=1');
  });

  it('keeps every search when the map log is shorter', () => {
    const reads = interleave(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k'], []);
    expect(reads).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k']);
  });

  it('reads a gauge from Prometheus text, with or without labels, and nothing for an absent one', () => {
    const text = ['# HELP nodejs_heap_used_bytes V8 heap in use', '# TYPE nodejs_heap_used_bytes gauge', 'nodejs_heap_used_bytes 123456789', 'process_resident_memory_bytes{service="jobs"} 2048', ''].join('\n');
    expect(gauge(text, 'nodejs_heap_used_bytes')).toBe(123456789);
    expect(gauge(text, 'process_resident_memory_bytes')).toBe(2048);
    expect(gauge(text, 'process_cpu_seconds_total')).toBeUndefined();
  });
});
