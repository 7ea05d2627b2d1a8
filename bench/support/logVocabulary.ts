import { categories, type Category, type EmploymentType } from '../../eventstore/events/index.ts';
import { categoryContent } from '../../ops/seed/categoryContent.ts';
import { employmentTypeWeights } from '../../ops/seed/content.ts';
import { categoryWeights } from '../../ops/seed/seedWeights.ts';

/**
 * The words a query log types, taken from the seeded dataset's own pools, so
 * searches find what the seed wrote: per category its keywords (what workers
 * type most), the words of its job titles, its skills, and rarer words from
 * its duty and perk sentences (the long tail of what people type).
 */
export interface CategoryWords {
  category: Category;
  keywords: readonly string[];
  titleWords: readonly string[];
  skills: readonly string[];
  rare: readonly string[];
}

const STOP = new Set(['the', 'and', 'for', 'you', 'your', 'our', 'with', 'will', 'from', 'into', 'that', 'this', 'are', 'every', 'keep', 'make', 'all', 'any', 'per']);

const wordsOf = (texts: readonly string[]): string[] => {
  const out = new Set<string>();
  for (const t of texts) for (const w of t.toLowerCase().split(/[^a-z]+/)) if (w.length >= 4 && !STOP.has(w)) out.add(w);
  return [...out].sort();
};

export const categoryWords: readonly CategoryWords[] = categories.map((category) => {
  const c = categoryContent[category];
  const titleWords = wordsOf(c.titles.map((t) => t.title));
  const common = new Set([...c.keywords, ...titleWords]);
  return {
    category,
    keywords: c.keywords,
    titleWords,
    skills: c.skills,
    rare: wordsOf([...c.duties, ...c.perks]).filter((w) => !common.has(w)),
  };
});

/** The dataset's share of each category (the same weights the seed draws jobs with). */
export const categoryShares: readonly number[] = categoryWeights;

export const employmentTypes: readonly EmploymentType[] = employmentTypeWeights.map(([t]) => t);
export const employmentTypeShares: readonly number[] = employmentTypeWeights.map(([, w]) => w);
