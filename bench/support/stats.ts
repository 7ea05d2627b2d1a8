/** Latency summary of a set of samples in milliseconds (nearest-rank percentiles). */
export interface Latency {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  /** Absent in figures taken before it was reported. */
  p999?: number;
  max: number;
  mean: number;
}

export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

const round = (n: number): number => (Number.isFinite(n) ? Math.round(n * 1000) / 1000 : n);

export function summarize(samples: readonly number[]): Latency {
  const sorted = Float64Array.from(samples).sort();
  const arr = Array.from(sorted);
  const mean = arr.length === 0 ? Number.NaN : arr.reduce((a, b) => a + b, 0) / arr.length;
  return { n: arr.length, p50: round(percentile(arr, 0.5)), p95: round(percentile(arr, 0.95)), p99: round(percentile(arr, 0.99)), p999: round(percentile(arr, 0.999)), max: round(percentile(arr, 1)), mean: round(mean) };
}
