import type { JobDocumentStatus } from '../../mappings/jobDocument.ts';

/** Whether an expiry instant has come at `now` (a job without one never expires). */
export function expiryPast(expiresAt: string | undefined, now: Date): boolean {
  return expiresAt !== undefined && Date.parse(expiresAt) <= now.getTime();
}

/**
 * A job's status as every read shows it: an open job past its expiry is
 * expired from that moment, whether or not the expiry sweep has recorded it
 * yet (search and map leave it out by the same rule).
 */
export function effectiveStatus(job: { status: JobDocumentStatus; expiresAt?: string | undefined }, now: Date): JobDocumentStatus {
  return job.status === 'open' && expiryPast(job.expiresAt, now) ? 'expired' : job.status;
}

/**
 * One way the stored fields give an effective status: the stored status and,
 * where it matters, whether the expiry has come (`past`: expiresAt at or
 * before now; `notPast`: none or a later one).
 */
export interface StoredStatusCondition {
  status: JobDocumentStatus;
  expiry?: 'past' | 'notPast';
}

/**
 * The stored conditions (any of them) under which effectiveStatus answers
 * `status`: what a store filters on to select jobs by effective status.
 */
export function storedConditionsOf(status: JobDocumentStatus): readonly StoredStatusCondition[] {
  switch (status) {
    case 'open':
      return [{ status: 'open', expiry: 'notPast' }];
    case 'expired':
      return [{ status: 'expired' }, { status: 'open', expiry: 'past' }];
    default:
      return [{ status }];
  }
}
