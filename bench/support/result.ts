import type { Dataset, Mode } from './topology.ts';
import type { Latency } from './stats.ts';

/** One figure next to its target. `pass` is absent when the figure could not be taken. */
export interface Check {
  what: string;
  value?: number;
  unit: string;
  target: string;
  pass?: boolean;
  /** Why the comparison is only indicative here (another dataset size, a shorter run). */
  note?: string;
}

export interface ScenarioResult {
  name: string;
  kind: 'scenario' | 'baseline';
  description: string;
  offeredQps?: number;
  achievedQps?: number;
  latencyMs?: Latency;
  requests?: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  /** RSS of every service process at the end of the run, MiB (max sampled during the run). */
  rssMb?: number;
  /** RSS of the process(es) answering reads (server mode: the query role's workers), MiB. */
  queryRssMb?: number;
  durationS?: number;
  connections?: number;
  extra?: Record<string, unknown>;
  checks: Check[];
}

export interface ModeResult {
  mode: Mode;
  dataset?: Dataset;
  scenarios: ScenarioResult[];
  /** Set when the mode could not run to the end. */
  error?: string;
}

export interface Report {
  at: string;
  quick: boolean;
  options: Record<string, unknown>;
  machine: Record<string, unknown>;
  versions: Record<string, string>;
  modes: ModeResult[];
  elapsedS: number;
}
