import type { Category, EmploymentType } from '../../eventstore/events/index.ts';
import type { CategoryContent, TitleSpec } from './contentTypes.ts';
import { categoryContent } from './categoryContent.ts';
import type { Rng } from './prng.ts';
import type { SeasonWindow } from './seasons.ts';
import { seasonWindow, titleSeasonLabel } from './seasons.ts';
import { DAY } from './seedTime.ts';

export interface TitleChoice {
  indexes: readonly number[];
  weights: readonly number[];
  windows: readonly (SeasonWindow | undefined)[];
}

/**
 * Title weights per category and hemisphere at `now`: titles of the season
 * under way or starting within 100 days are favoured, far-off ones are rare.
 */
export function titleChoices(now: number): (category: Category, south: boolean) => TitleChoice {
  const cache = new Map<string, TitleChoice>();
  return (category, south) => {
    const key = `${category}|${south ? 'S' : 'N'}`;
    const cached = cache.get(key);
    if (cached) return cached;
    const content = categoryContent[category];
    const windows = content.titles.map((spec) => {
      let best: SeasonWindow | undefined;
      for (const season of spec.seasons) {
        const w = seasonWindow(season, south, now);
        if (!best || (w.current && !best.current) || (w.current === best.current && w.start < best.start)) best = w;
      }
      return best;
    });
    const choice: TitleChoice = {
      indexes: content.titles.map((_, i) => i),
      weights: windows.map((w) => (!w ? 1 : w.current ? 1.6 : w.start - now <= 100 * DAY ? 1.2 : 0.1)),
      windows,
    };
    cache.set(key, choice);
    return choice;
  };
}

export function pickTitle(rng: Rng, content: CategoryContent, choice: TitleChoice): { spec: TitleSpec; window?: SeasonWindow } {
  const index = rng.weighted(choice.indexes, choice.weights);
  const spec = content.titles[index];
  if (!spec) throw new RangeError('title index out of range');
  const window = choice.windows[index];
  return window ? { spec, window } : { spec };
}

export function decorateTitle(
  rng: Rng,
  base: string,
  ctx: { type: EmploymentType; remote: boolean; experience: number; window: SeasonWindow | undefined },
): string {
  let title = base;
  const hasParen = title.includes('(');
  if (ctx.experience >= 2 && rng.chance(0.3)) title = `${rng.pick(['Senior', 'Lead', 'Experienced'])} ${title}`;
  else if (ctx.type === 'part_time' && rng.chance(0.2)) title = `Part-Time ${title}`;
  else if (ctx.type === 'temporary' && rng.chance(0.2)) title = `Temporary ${title}`;
  else if (ctx.type === 'seasonal' && !/^Seasonal /.test(title) && rng.chance(0.15)) title = `Seasonal ${title}`;
  if (ctx.window && rng.chance(0.4)) {
    title = `${title} – ${titleSeasonLabel(ctx.window)}`;
  } else if (ctx.remote) {
    title = `${title} (Remote)`;
  } else if (!hasParen && rng.chance(0.12)) {
    title = `${title} ${rng.pick(['(Weekends)', '(Evenings)', '(Early Shift)', '– Immediate Start', '– Flexible Hours'])}`;
  }
  return title;
}
