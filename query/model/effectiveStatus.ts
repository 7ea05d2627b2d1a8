import type { JobDocumentStatus } from '../../mappings/jobDocument.ts';

/**
 * A job's status as every read shows it: an open job past its expiry is
 * expired from that moment, whether or not the expiry sweep has recorded it
 * yet (search and map leave it out by the same rule).
 */
export function effectiveStatus(job: { status: JobDocumentStatus; expiresAt?: string | undefined }, now: Date): JobDocumentStatus {
  return job.status === 'open' && job.expiresAt !== undefined && Date.parse(job.expiresAt) <= now.getTime() ? 'expired' : job.status;
}
