// The `jobs` read-model document, owned here so that the projection writing it,
// the index mapping describing it and the read stores serving it share one
// shape without importing one another.
import type { JobContent, JobLocation, Pay } from '../eventstore/events/index.ts';

export type JobDocumentStatus = 'draft' | 'open' | 'closed' | 'expired';

/**
 * The `jobs` read model: one document per job, the same for every read store.
 * `position` is the log position of the last event applied; a store refuses a
 * write whose position is not newer, so replays and retries are idempotent.
 */
export interface JobDocument {
  jobId: string;
  businessId: string;
  /** The business's name as its profile says now; absent while it has no profile. */
  businessName?: string;
  title: string;
  description: string;
  category: JobContent['category'];
  employmentType: JobContent['employmentType'];
  pay: Pay;
  hourlyMin: number;
  hourlyMax: number;
  location?: { lat: number; lon: number };
  city?: string;
  region?: string;
  country?: string;
  remote: boolean;
  skills: string[];
  startDate?: string;
  endDate?: string;
  hoursPerWeek?: number;
  experienceYears: number;
  status: JobDocumentStatus;
  closedReason?: 'filled' | 'withdrawn' | 'expired';
  createdAt: string;
  updatedAt: string;
  publishedAt?: string;
  expiresAt?: string;
  views: number;
  saves: number;
  applications: number;
  position: number;
}

/**
 * A business's public profile, kept by the `jobs` projection beside the job
 * documents (the names on its jobs come from it) and served by its public page.
 * Private fields of the profile (email, webhook address) are never in it.
 */
export interface BusinessDocument {
  businessId: string;
  name: string;
  description?: string;
  website?: string;
  logoUrl?: string;
  locations?: JobLocation[];
  updatedAt: string;
  position: number;
}
