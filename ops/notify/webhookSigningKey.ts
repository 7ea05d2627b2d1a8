import { createHmac } from 'node:crypto';
import { authSecret } from '../authSecret.ts';
import type { Config } from '../config.ts';

/**
 * WEBHOOK_SIGNING_KEY, else a key derived from the token secret under a label
 * of its own: webhook secrets and bearer tokens never share a key, and every
 * node (sharing AUTH_SECRET) derives the same secrets.
 */
export function webhookSigningKey(config: Pick<Config, 'WEBHOOK_SIGNING_KEY' | 'AUTH_SECRET' | 'DATA_DIR'>): string {
  if (config.WEBHOOK_SIGNING_KEY) return config.WEBHOOK_SIGNING_KEY;
  return createHmac('sha256', authSecret(config)).update('jobs-discovery/webhook-signing-key/v1').digest('base64url');
}
