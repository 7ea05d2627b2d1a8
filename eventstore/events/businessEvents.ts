import { z } from 'zod';
import { JobLocation, id, isoInstant } from './shared.ts';

/** Most places one business profile lists. */
export const MAX_BUSINESS_LOCATIONS = 20;

/**
 * A business as it describes itself. Name, description, website, logo and
 * locations are public (they appear on its jobs and its public page); email
 * and webhookUrl are private to the business.
 */
export const BusinessProfile = z
  .object({
    name: z.string().trim().min(1).max(200),
    description: z.string().trim().min(1).max(5000).optional(),
    website: z.url().optional(),
    logoUrl: z.url({ protocol: /^https$/ }).max(2000).optional().describe('an https image address'),
    locations: z.array(JobLocation).max(MAX_BUSINESS_LOCATIONS).optional(),
    email: z.email().optional(),
    webhookUrl: z.url().optional(),
  })
  .strict();
export type BusinessProfile = z.infer<typeof BusinessProfile>;

export const BusinessProfileUpdated = z
  .object({ businessId: id, profile: BusinessProfile, updatedAt: isoInstant })
  .strict();

/** What a business's webhook can be told of (Standard Webhooks `type`). */
export const webhookEventTypes = ['application.submitted', 'application.withdrawn', 'job.expired', 'job.expiring'] as const;
export const WebhookEventType = z.enum(webhookEventTypes);
export type WebhookEventType = z.infer<typeof WebhookEventType>;

/** Most webhooks one business may hold (active or disabled) at once. */
export const MAX_WEBHOOKS_PER_BUSINESS = 10;

export const WebhookRegistered = z
  .object({
    businessId: id,
    webhookId: id,
    url: z.url({ protocol: /^https?$/ }).max(2000),
    eventTypes: z.array(WebhookEventType).min(1).max(webhookEventTypes.length),
    registeredAt: isoInstant,
  })
  .strict();

export const WebhookRemoved = z.object({ businessId: id, webhookId: id, removedAt: isoInstant }).strict();

/** The service stopped delivering to a webhook that kept failing; the business registers it again to resume. */
export const WebhookDisabled = z
  .object({ businessId: id, webhookId: id, reason: z.string().min(1).max(500), disabledAt: isoInstant })
  .strict();
