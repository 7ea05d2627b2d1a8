export * from './jobDecider.ts';
export * from './applicationDecider.ts';
export * from './workerDecider.ts';
export * from './businessDecider.ts';
export { MAX_EXPIRY_MS } from './shared.ts';
