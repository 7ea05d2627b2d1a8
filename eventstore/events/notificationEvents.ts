import { z } from 'zod';
import { id, isoInstant } from './shared.ts';

/**
 * What a person can be told about. Each kind can be switched off by its
 * recipient (signed in, or from the unsubscribe link in the message).
 */
export const notificationKinds = [
  'application_received',
  'application_withdrawn',
  'application_status',
  'job_expiring',
  'job_expired',
  'saved_search_alert',
  'saved_search_digest',
  'weekly_summary',
] as const;
export const NotificationKind = z.enum(notificationKinds);
export type NotificationKind = z.infer<typeof NotificationKind>;

/** How mails and pages name each kind to the person who gets it ("stop e-mails about ..."). */
export const notificationKindLabels: Record<NotificationKind, string> = {
  application_received: 'new applicants',
  application_withdrawn: 'withdrawn applications',
  application_status: 'your applications',
  job_expiring: 'jobs about to expire',
  job_expired: 'expired jobs',
  saved_search_alert: 'saved search alerts',
  saved_search_digest: 'saved search digests',
  weekly_summary: 'weekly summaries',
};

export const recipientRoles = ['worker', 'business'] as const;
export const RecipientRole = z.enum(recipientRoles);
export type RecipientRole = z.infer<typeof RecipientRole>;

/** Stream `notifications-<role>-<id>`: the kinds a worker or a business does not want. */
export const NotificationPreferencesSet = z
  .object({
    recipientRole: RecipientRole,
    recipientId: id,
    muted: z.array(NotificationKind).max(notificationKinds.length),
    setAt: isoInstant,
  })
  .strict();
