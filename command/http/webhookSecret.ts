import { createHmac } from 'node:crypto';

/**
 * A webhook's signing secret, `whsec_` + base64 of HMAC-SHA256(signing key,
 * webhook id): never stored, recomputed by delivery from the same key. The
 * business sees it once, in the answer to the registration.
 */
export function webhookSecretOf(signingKey: string, webhookId: string): string {
  return `whsec_${createHmac('sha256', signingKey).update(webhookId).digest('base64')}`;
}
