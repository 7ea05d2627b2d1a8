/**
 * Text and number pools for the demo dataset: seasonal and hourly work, per
 * catalog category. Everything here is plain data; the dataset's stream
 * builders draw from it with a seeded generator.
 */

export type Season = 'winter' | 'spring' | 'summer' | 'autumn' | 'holiday';

export interface TitleSpec {
  title: string;
  /** Seasons the job belongs to; none means all year round. */
  seasons: readonly Season[];
}

export interface CategoryContent {
  /** Relative share of jobs. */
  weight: number;
  titles: readonly TitleSpec[];
  /** Lowercase, trimmed (the catalog's Skill schema lowercases and trims). */
  skills: readonly string[];
  /** Words a worker would type in a saved search. */
  keywords: readonly string[];
  /** US pay per hour in USD, [low, high], before the country's level. */
  payPerHourUsd: readonly [number, number];
  /** Probability that a job of this category is remote. */
  remoteShare: number;
  duties: readonly string[];
  perks: readonly string[];
  businessSuffixes: readonly string[];
}

/** 'Ski Lift Operator@winter' or 'Harvest Picker@summer,autumn'. */
export function titles(...specs: string[]): TitleSpec[] {
  return specs.map((spec) => {
    const [title = spec, seasons] = spec.split('@');
    return { title, seasons: seasons ? (seasons.split(',') as Season[]) : [] };
  });
}
