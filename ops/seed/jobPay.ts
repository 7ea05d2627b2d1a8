import type { EmploymentType, Pay, PayUnit } from '../../eventstore/events/index.ts';
import type { CategoryContent } from './contentTypes.ts';
import { currencyOf, payLevelOf } from './content.ts';
import type { Rng } from './prng.ts';

const payUnits: readonly PayUnit[] = ['hour', 'day', 'shift', 'week', 'month'];
const payUnitWeights = [80, 7, 6, 4, 3];

export function roundPay(value: number, unit: PayUnit, level: number): number {
  if (unit === 'hour') return level >= 0.5 ? Math.round(value * 4) / 4 : Math.max(0.05, Math.round(value * 20) / 20);
  if (unit === 'month') return Math.round(value / 10) * 10;
  return Math.round(value);
}

export function makePay(rng: Rng, content: CategoryContent, country: string, type: EmploymentType, hoursPerWeek: number | undefined): Pay {
  const [lo, hi] = content.payPerHourUsd;
  const level = payLevelOf(country);
  const typeFactor = type === 'gig' ? 1.1 : type === 'full_time' ? 1.05 : 1;
  const hourlyMin = (lo + (hi - lo) * rng.range(0, 0.7)) * level * typeFactor;
  const hourlyMax = rng.chance(0.15) ? hourlyMin : hourlyMin * rng.range(1.05, 1.35);
  const unit = rng.weighted(payUnits, payUnitWeights);
  const hours =
    unit === 'hour' ? 1
    : unit === 'day' ? 8
    : unit === 'shift' ? rng.int(6, 10)
    : unit === 'week' ? (hoursPerWeek ?? 40)
    : ((hoursPerWeek ?? 40) * 52) / 12;
  const min = Math.max(roundPay(hourlyMin * hours, unit, level), unit === 'hour' ? 0.05 : 1);
  const max = Math.max(min, roundPay(hourlyMax * hours, unit, level));
  return { min, max, currency: currencyOf(country), unit };
}
