import type { Comparable } from './comparables.ts';
import { quartiles, toCents } from './percentiles.ts';

export const DEFAULT_MIN_SAMPLE = 10;

export interface CurrencyNote {
  /** The currency of the pay the percentiles are in. */
  code: string;
  /** The comparables paid in other currencies, left out of the sample. */
  excluded: number;
  note: string;
}

export type CompensationOutcome =
  | { kind: 'ok'; sampleSize: number; hourly: { p25: number; p50: number; p75: number }; currency: CurrencyNote }
  | { kind: 'insufficient'; sampleSize: number; minSample: number; currency?: CurrencyNote };

/**
 * The most common currency among the comparables (ties: the first code in
 * alphabetical order), so a percentile never mixes currencies.
 */
export function dominantCurrency(comparables: readonly Comparable[]): string | undefined {
  const counts = new Map<string, number>();
  for (const c of comparables) counts.set(c.currency, (counts.get(c.currency) ?? 0) + 1);
  let best: [string, number] | undefined;
  for (const [code, n] of [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) if (!best || n > best[1]) best = [code, n];
  return best?.[0];
}

/**
 * Hourly pay p25/p50/p75 of the comparables (values: each job's midpoint of
 * hourlyMin/hourlyMax; percentiles: `percentiles.ts`, rounded to the cent),
 * restricted to the most common currency; below `minSample` jobs, no numbers.
 */
export function suggestFrom(comparables: readonly Comparable[], minSample = DEFAULT_MIN_SAMPLE): CompensationOutcome {
  const code = dominantCurrency(comparables);
  if (code === undefined) return { kind: 'insufficient', sampleSize: 0, minSample };
  const sample = comparables.filter((c) => c.currency === code);
  const excluded = comparables.length - sample.length;
  const currency: CurrencyNote = {
    code,
    excluded,
    note:
      excluded === 0
        ? `pay normalised to ${code} per hour`
        : `pay normalised to ${code} per hour; comparables mix currencies, so only the ${sample.length} paid in ${code} (the most common) are used and ${excluded} in other currencies are left out`,
  };
  if (sample.length < minSample) return { kind: 'insufficient', sampleSize: sample.length, minSample, currency };
  const q = quartiles(sample.map((c) => c.hourly));
  return { kind: 'ok', sampleSize: sample.length, hourly: { p25: toCents(q.p25), p50: toCents(q.p50), p75: toCents(q.p75) }, currency };
}
