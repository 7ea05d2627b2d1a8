import type { Season } from './contentTypes.ts';
import { capitalize, pad } from './seedText.ts';
import { DAY } from './seedTime.ts';

const northMonths: Record<Season, readonly number[]> = {
  winter: [11, 0, 1],
  spring: [2, 3, 4],
  summer: [5, 6, 7],
  autumn: [8, 9, 10],
  holiday: [10, 11],
};

function seasonMonths(season: Season, south: boolean): readonly number[] {
  const months = northMonths[season];
  return south && season !== 'holiday' ? months.map((m) => (m + 6) % 12) : months;
}

export interface SeasonWindow {
  season: Season;
  south: boolean;
  start: number;
  /** Last day of the season (00:00 UTC). */
  end: number;
  current: boolean;
}

/** The occurrence of `season` under way at `now`, or else the next one. */
export function seasonWindow(season: Season, south: boolean, now: number): SeasonWindow {
  const months = seasonMonths(season, south);
  const first = months[0] ?? 0;
  const d = new Date(now);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth();
  const offset = months.indexOf(month);
  const startMonth = offset >= 0 ? month - offset : month + ((first - month + 12) % 12);
  const end = Date.UTC(year, startMonth + months.length, 0);
  // A season about to end is not hired for any more: take its next occurrence.
  if (offset >= 0 && end - now < 30 * DAY) {
    return { season, south, start: Date.UTC(year, startMonth + 12, 1), end: Date.UTC(year, startMonth + 12 + months.length, 0), current: false };
  }
  return { season, south, start: Date.UTC(year, startMonth, 1), end, current: offset >= 0 };
}

export function seasonAt(ms: number, south: boolean): Season {
  const month = new Date(ms).getUTCMonth();
  for (const season of ['winter', 'spring', 'summer', 'autumn'] as const) {
    if (seasonMonths(season, south).includes(month)) return season;
  }
  return 'summer';
}

/** 'summer 2027', 'winter 2026/27' (a season spanning New Year), '2026 holiday'. */
export function seasonLabel(season: Season, start: number, south: boolean): string {
  const d = new Date(start);
  const year = d.getUTCFullYear();
  if (season === 'holiday') return `${year} holiday`;
  const months = seasonMonths(season, south);
  if (months.includes(11) && months.includes(0)) {
    // The occurrence that holds `start` began in December of this year or of the last.
    const from = d.getUTCMonth() === 11 ? year : year - 1;
    return `${season} ${from}/${pad((from + 1) % 100, 2)}`;
  }
  return `${season} ${year}`;
}

/** 'Summer 2027', 'Winter 2026/27', 'Holidays 2026'. */
export function titleSeasonLabel(window: SeasonWindow): string {
  const year = new Date(window.start).getUTCFullYear();
  if (window.season === 'holiday') return `Holidays ${year}`;
  return capitalize(seasonLabel(window.season, window.start, window.south));
}
