import { categories } from '../../eventstore/events/index.ts';
import { categoryContent } from './categoryContent.ts';

/** Weights for drawing from `categories`, in its order. */
export const categoryWeights = categories.map((c) => categoryContent[c].weight);

export const experienceValues = [0, 1, 2, 3, 4, 5];
export const experienceWeights = [55, 25, 10, 5, 3, 2];
