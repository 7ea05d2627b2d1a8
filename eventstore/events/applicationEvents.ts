import { createHash } from 'node:crypto';
import { z } from 'zod';
import { id, isoInstant } from './shared.ts';

export const applicationStatuses = ['submitted', 'reviewing', 'shortlisted', 'rejected', 'hired'] as const;
export const ApplicationStatus = z.enum(applicationStatuses);
export type ApplicationStatus = z.infer<typeof ApplicationStatus>;
/** Where an application can be: the catalog's statuses plus withdrawn by the worker. */
export type ApplicationLifecycle = ApplicationStatus | 'withdrawn';
/** The statuses a business can move an application to. */
export type ApplicationTargetStatus = Exclude<ApplicationStatus, 'submitted'>;

/** Legal moves of a business's status change; withdrawn, rejected and hired are final. */
export const applicationTransitions: Readonly<Record<ApplicationLifecycle, readonly ApplicationTargetStatus[]>> = {
  submitted: ['reviewing', 'shortlisted', 'rejected', 'hired'],
  reviewing: ['shortlisted', 'rejected', 'hired'],
  shortlisted: ['rejected', 'hired'],
  rejected: [],
  hired: [],
  withdrawn: [],
};

/**
 * A phone number as E.164 writes it (`+`, country code, at most 15 digits in
 * all), a single space or hyphen allowed between digits as people type them.
 */
export const PHONE_PATTERN = /^\+[1-9](?:[ -]?[0-9]){6,14}$/;

/**
 * How the worker may be reached about one application, as the worker chose to
 * share it when applying (at least one way); only the job's business sees it.
 */
export const ApplicationContact = z
  .object({
    email: z.email().max(254).optional(),
    phone: z.string().max(30).regex(PHONE_PATTERN, 'an international number: +, country code, digits (e.g. +1 530 555 0142)').optional(),
  })
  .strict()
  .refine((c) => c.email !== undefined || c.phone !== undefined, { message: 'give an email, a phone or both' });
export type ApplicationContact = z.infer<typeof ApplicationContact>;

export const ApplicationSubmitted = z
  .object({
    applicationId: id,
    jobId: id,
    workerId: id,
    businessId: id,
    message: z.string().max(5000).optional(),
    contact: ApplicationContact.optional(),
    submittedAt: isoInstant,
  })
  .strict();
export const ApplicationWithdrawn = z
  .object({ applicationId: id, reason: z.string().max(1000).optional(), withdrawnAt: isoInstant })
  .strict();
export const ApplicationStatusChanged = z
  .object({
    applicationId: id,
    status: ApplicationStatus.exclude(['submitted']),
    note: z.string().max(2000).optional(),
    changedAt: isoInstant,
  })
  .strict();

/** One application per (job, worker): applying twice meets the same stream. */
export function applicationIdOf(jobId: string, workerId: string): string {
  return `a${createHash('sha256').update(`${jobId}|${workerId}`).digest('hex').slice(0, 31)}`;
}
