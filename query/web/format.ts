import type { JobDocument } from '../../mappings/jobDocument.ts';
import { DAY_MS } from '../model/units.ts';

/** `food_service` → `Food service`. */
export function humanize(key: string): string {
  const words = key.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const moneyFormats = new Map<string, Intl.NumberFormat>();
/** An amount in its currency ("$18", "€12.50"); a code Intl does not know is written out. */
export function money(amount: number, currency: string): string {
  const whole = Number.isInteger(amount);
  const key = `${currency}:${whole}`;
  let format = moneyFormats.get(key);
  if (!format) {
    try {
      format = new Intl.NumberFormat('en', { style: 'currency', currency, minimumFractionDigits: whole ? 0 : 2, maximumFractionDigits: 2 });
    } catch {
      return `${amount} ${currency}`;
    }
    moneyFormats.set(key, format);
  }
  return format.format(amount);
}

const unitWords: Record<JobDocument['pay']['unit'], string> = { hour: 'hour', shift: 'shift', day: 'day', week: 'week', month: 'month', year: 'year' };

/** "$18–$22 per hour", and the hourly equivalent when the job pays by another unit. */
export function payText(job: Pick<JobDocument, 'pay' | 'hourlyMin' | 'hourlyMax'>): string {
  const { min, max, currency, unit } = job.pay;
  const range = min === max ? money(min, currency) : `${money(min, currency)}–${money(max, currency)}`;
  const base = `${range} per ${unitWords[unit]}`;
  if (unit === 'hour') return base;
  const hourly = job.hourlyMin === job.hourlyMax ? money(round(job.hourlyMin), currency) : `${money(round(job.hourlyMin), currency)}–${money(round(job.hourlyMax), currency)}`;
  return `${base} (about ${hourly} per hour)`;
}

const round = (n: number): number => Math.round(n * 100) / 100;

/** Where the job is: "Hood River, OR", "Remote", "Lyon, FR or remote". */
export function placeText(job: Pick<JobDocument, 'city' | 'region' | 'country' | 'remote'>): string {
  const where = job.city ? [job.city, job.region ?? job.country].filter(Boolean).join(', ') : '';
  if (job.remote) return where ? `${where} or remote` : 'Remote';
  return where || 'Location not given';
}

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** "3 Dec 2026", in UTC: the same date for every reader and on every node (ICU versions spell months differently). */
export function dateText(iso: string): string {
  const d = new Date(iso);
  return `${d.getUTCDate()} ${months[d.getUTCMonth()] ?? ''} ${d.getUTCFullYear()}`;
}

/** "today", "yesterday", "5 days ago", or the date past a month. */
export function agoText(iso: string, now: Date): string {
  const days = Math.floor((now.getTime() - new Date(iso).getTime()) / DAY_MS);
  if (days <= 0) return 'today';
  if (days === 1) return 'yesterday';
  if (days < 31) return `${days} days ago`;
  return dateText(iso);
}

/** "12 km", "850 m", "1,204 km". */
export function distanceText(km: number): string {
  if (km < 1) return `${Math.round(km * 1000)} m`;
  return `${(km < 10 ? Math.round(km * 10) / 10 : Math.round(km)).toLocaleString('en')} km`;
}

/** The first sentences of a text, cut at a word, at most `max` characters. */
export function excerpt(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s.,;:!?-]+$/, '')}…`;
}
