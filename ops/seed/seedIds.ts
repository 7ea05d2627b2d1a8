import { pad } from './seedText.ts';

export const businessIdOf = (i: number): string => `b${pad(i + 1, 5)}`;
export const jobIdOf = (i: number): string => `j${pad(i + 1, 6)}`;
export const workerIdOf = (i: number): string => `w${pad(i + 1, 5)}`;
export const searchIdOf = (i: number): string => `s${pad(i + 1, 5)}`;
