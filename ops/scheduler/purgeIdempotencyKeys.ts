import type { IdempotencyStore } from '../../command/idempotency/idempotencyStore.ts';
import type { JobRunResult } from './scheduledJob.ts';
import { HOUR_MS } from './scheduledJob.ts';

/** The scheduled purge: answers to Idempotency-Keys older than the time they are kept, and claims as old. */
export function purgeIdempotencyKeys(store: IdempotencyStore, ttlHours: number): (now: Date) => Promise<JobRunResult> {
  return async (now) => ({ items: await store.purge(new Date(now.getTime() - ttlHours * HOUR_MS)) });
}
