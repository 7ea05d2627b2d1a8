import type { Category } from '../../eventstore/events/index.ts';
import type { CategoryContent } from './contentTypes.ts';
import { healthcareToOther } from './healthcareToOther.ts';
import { hospitalityToChildcare } from './hospitalityToChildcare.ts';

/** The text and number pools of every catalog category, in the catalog's order (the dataset draws in this order). */
export const categoryContent: Record<Category, CategoryContent> = { ...hospitalityToChildcare, ...healthcareToOther };
