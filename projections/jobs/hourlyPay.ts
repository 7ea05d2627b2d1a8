import type { Pay } from '../../eventstore/events/index.ts';

/**
 * Hours a pay unit stands for, to compare every posting per hour: a shift and
 * a day are 8 hours, a week 40 (or the job's own hours per week), a month
 * 52 weeks / 12, a year 52 weeks.
 */
export function hoursPerUnit(unit: Pay['unit'], hoursPerWeek?: number): number {
  const week = hoursPerWeek !== undefined && hoursPerWeek > 0 ? hoursPerWeek : 40;
  switch (unit) {
    case 'hour':
      return 1;
    case 'shift':
    case 'day':
      return 8;
    case 'week':
      return week;
    case 'month':
      return (week * 52) / 12;
    case 'year':
      return week * 52;
  }
}

/** Rounded to the cent so both stores compare and facet on identical numbers. */
const cents = (n: number) => Math.round(n * 100) / 100;

export function hourlyRange(pay: Pay, hoursPerWeek?: number): { min: number; max: number } {
  const h = hoursPerUnit(pay.unit, hoursPerWeek);
  return { min: cents(pay.min / h), max: cents(pay.max / h) };
}
