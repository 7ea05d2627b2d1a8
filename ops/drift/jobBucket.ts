/** Jobs one pass of a full drift check holds at most, give or take (about 0.5 KB to 2 KB of heap each). */
export const JOBS_PER_PASS = 200_000;

/**
 * The pass (0 … passes-1) a job belongs to: 32-bit FNV-1a of its id modulo
 * `passes`. Stable across processes and stores, cheap enough to run on every
 * event of the log once per pass.
 */
export function jobBucket(jobId: string, passes: number): number {
  if (passes <= 1) return 0;
  let h = 0x811c9dc5;
  for (let i = 0; i < jobId.length; i++) {
    h ^= jobId.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % passes;
}

/** Passes for a read model of `jobCount` documents: enough that each holds about `perPass` jobs. */
export function passesFor(jobCount: number, perPass = JOBS_PER_PASS): number {
  return Math.max(1, Math.ceil(jobCount / perPass));
}
