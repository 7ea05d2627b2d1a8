/** One day in milliseconds: posted-within windows, day numbers, availability. */
export const DAY_MS = 86_400_000;
