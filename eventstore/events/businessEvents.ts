import { z } from 'zod';
import { id, isoInstant } from './shared.ts';

export const BusinessProfile = z
  .object({
    name: z.string().trim().min(1).max(200),
    website: z.url().optional(),
    email: z.email().optional(),
    webhookUrl: z.url().optional(),
  })
  .strict();
export type BusinessProfile = z.infer<typeof BusinessProfile>;

export const BusinessProfileUpdated = z
  .object({ businessId: id, profile: BusinessProfile, updatedAt: isoInstant })
  .strict();
