import type { EmploymentType } from '../../eventstore/events/index.ts';
import type { CategoryContent } from './contentTypes.ts';
import { closingSentences, generalPerks, shiftSentences } from './content.ts';
import type { Rng } from './prng.ts';
import { longDate } from './seedTime.ts';

const employmentPhrase: Record<EmploymentType, string> = {
  seasonal: 'seasonal',
  hourly: 'hourly',
  part_time: 'part-time',
  full_time: 'full-time',
  temporary: 'temporary',
  gig: 'short-term',
};

const article = (word: string): string => (/^[aeiou]/i.test(word) ? 'an' : 'a');

export function describe(
  rng: Rng,
  ctx: {
    business: string;
    title: string;
    content: CategoryContent;
    type: EmploymentType;
    place: string | undefined;
    remote: boolean;
    season: string;
    skills: readonly string[];
    hoursPerWeek: number | undefined;
    startDate: number | undefined;
    endDate: number | undefined;
  },
): string {
  const { business, title, content, type } = ctx;
  const phrase = employmentPhrase[type];
  const where = ctx.place ?? 'a fully remote team';
  const intros = [
    `${business} is hiring ${article(phrase)} ${phrase} ${title} in ${where} for the ${ctx.season} season.`,
    `Join the team at ${business} in ${where} as ${article(title)} ${title} this ${ctx.season.replace(/ \d{4}(\/\d\d)?$/, '')}.`,
    `${ctx.place ? `${ctx.place}: ` : ''}${business} needs ${phrase} ${title} staff for ${ctx.season}.`,
    `Looking for ${phrase} work${ctx.place ? ` in ${ctx.place}` : ''} this ${ctx.season.replace(/ \d{4}(\/\d\d)?$/, '')}? ${business} has an opening for ${article(title)} ${title}.`,
  ];
  const sentences: string[] = [rng.pick(intros), ...rng.sample(content.duties, 2), rng.pick(shiftSentences)];
  if (ctx.remote) sentences.push(ctx.place ? `The role is remote; the team meets now and then in ${ctx.place}.` : 'The role is fully remote: you work from home with a company laptop.');
  const [a, b, c] = ctx.skills;
  if (a && b && c) {
    sentences.push(
      rng.pick([`Experience with ${a}, ${b} or ${c} is a plus.`, `Useful skills: ${ctx.skills.join(', ')}.`, `We value ${a} and ${b}; we train the rest.`]),
    );
  } else if (a) {
    sentences.push(`Useful skills: ${ctx.skills.join(', ')}.`);
  }
  if (ctx.hoursPerWeek !== undefined) sentences.push(`Around ${ctx.hoursPerWeek} hours a week.`);
  if (ctx.startDate !== undefined) {
    sentences.push(
      ctx.endDate !== undefined
        ? `The job starts on ${longDate(ctx.startDate)} and runs until ${longDate(ctx.endDate)}.`
        : `Start date: ${longDate(ctx.startDate)}, ongoing.`,
    );
  } else {
    sentences.push('Start as soon as possible.');
  }
  sentences.push(...rng.sample([...content.perks, ...generalPerks], rng.int(1, 2)), rng.pick(closingSentences));
  return sentences.join(' ');
}
