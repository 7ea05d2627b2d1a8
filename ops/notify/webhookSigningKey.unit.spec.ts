import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { webhookSigningKey } from './webhookSigningKey.ts';

const AUTH_SECRET = 'auth-secret-auth-secret-auth-secret-0123';

describe('the webhook signing key', () => {
  it('defaults to a key derived from AUTH_SECRET under its own label: stable, and never the token secret itself', () => {
    const key = webhookSigningKey(loadConfig({ AUTH_SECRET }));
    expect(key).toBe(webhookSigningKey(loadConfig({ AUTH_SECRET })));
    expect(key).not.toBe(AUTH_SECRET);
    expect(key).not.toContain(AUTH_SECRET);
    expect(webhookSigningKey(loadConfig({ AUTH_SECRET: `${AUTH_SECRET}x` }))).not.toBe(key);
  });

  it('WEBHOOK_SIGNING_KEY wins, and must be long enough', () => {
    expect(webhookSigningKey(loadConfig({ AUTH_SECRET, WEBHOOK_SIGNING_KEY: 'k'.repeat(40) }))).toBe('k'.repeat(40));
    expect(() => loadConfig({ WEBHOOK_SIGNING_KEY: 'short' })).toThrow(/WEBHOOK_SIGNING_KEY/);
  });

  it('WEBHOOK_ALLOW_PRIVATE is off unless set', () => {
    expect(loadConfig({}).WEBHOOK_ALLOW_PRIVATE).toBe(false);
    expect(loadConfig({ WEBHOOK_ALLOW_PRIVATE: 'true' }).WEBHOOK_ALLOW_PRIVATE).toBe(true);
    expect(() => loadConfig({ WEBHOOK_ALLOW_PRIVATE: 'maybe' })).toThrow(/WEBHOOK_ALLOW_PRIVATE/);
  });
});
