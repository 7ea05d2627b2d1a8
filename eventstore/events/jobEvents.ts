import { z } from 'zod';
import { Category, EmploymentType, JobLocation, Pay, Skills, id, isoDate, isoInstant } from './shared.ts';

/** The editable content of a job posting. */
export const JobContent = z
  .object({
    title: z.string().trim().min(3).max(200),
    description: z.string().trim().min(1).max(20_000),
    category: Category,
    employmentType: EmploymentType,
    pay: Pay,
    location: JobLocation.optional(),
    remote: z.boolean(),
    skills: Skills,
    startDate: isoDate.optional(),
    endDate: isoDate.optional(),
    hoursPerWeek: z.number().min(0).max(168).optional(),
    experienceYears: z.number().min(0).max(60),
  })
  .strict();
export type JobContent = z.infer<typeof JobContent>;

export const JobDraftedV1 = z
  .object({
    jobId: id,
    businessId: id,
    title: z.string(),
    description: z.string(),
    category: Category,
    employmentType: EmploymentType,
    /** v1 carried a single amount; v2 carries a range and currency (see upcasters.ts). */
    pay: z.object({ amount: z.number(), unit: Pay.shape.unit }).strict(),
    location: JobLocation.optional(),
    remote: z.boolean(),
    skills: Skills,
    startDate: isoDate.optional(),
    endDate: isoDate.optional(),
    experienceYears: z.number(),
  })
  .strict();

export const JobDrafted = z.object({ jobId: id, businessId: id, ...JobContent.shape }).strict();
export const JobUpdated = z.object({ jobId: id, changes: JobContent.partial() }).strict();
export const JobPublished = z.object({ jobId: id, publishedAt: isoInstant, expiresAt: isoInstant }).strict();
export const JobClosed = z.object({ jobId: id, reason: z.enum(['filled', 'withdrawn']), closedAt: isoInstant }).strict();
export const JobExpired = z.object({ jobId: id, expiredAt: isoInstant }).strict();
export const JobReopened = z.object({ jobId: id, reopenedAt: isoInstant, expiresAt: isoInstant }).strict();
/** A draft the business threw away before it was ever published: its document leaves the read models. */
export const JobDiscarded = z.object({ jobId: id, discardedAt: isoInstant }).strict();
export const JobViewed = z.object({ jobId: id, viewedAt: isoInstant, viewerId: id.optional() }).strict();
