import type { Latency } from './stats.ts';

/** One in-process engine's numbers: its load and memory, and latency per query kind. */
export interface InprocessResult {
  engine: 'embedded' | 'orama' | 'flexsearch';
  docs: number;
  loadS: number;
  /** JS heap + array buffers held after loading, per job (bytes; after a full GC). */
  bytesPerJob: number;
  rssDeltaMb: number;
  /** Per query kind: `textFilter`, `radius` (embedded and Orama), `textOnly` (embedded and FlexSearch), `mix`, `map` (embedded). */
  latency: Record<string, Latency & { opsPerS: number }>;
}
