import { describe, expect, it } from 'vitest';
import { webhookSecretOf } from '../../command/http/webhookSecret.ts';
import type { StoredMessage } from '../../projections/notifications/notificationMessage.ts';
import { webhookBodyOf } from './webhookDispatcher.ts';
import { classifyWebhookStatus, signWebhook, webhookChannel } from './webhookChannel.ts';

describe('webhook signatures (Standard Webhooks)', () => {
  it('reproduces the specification’s published test vector', () => {
    expect(signWebhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}'))
      .toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('a derived secret is whsec_ + 32 bytes of base64 and changes with the webhook and with the key', () => {
    const secret = webhookSecretOf('signing-key-signing-key-signing-key', 'wh-1');
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    expect(webhookSecretOf('signing-key-signing-key-signing-key', 'wh-2')).not.toBe(secret);
    expect(webhookSecretOf('another-key-another-key-another-key', 'wh-1')).not.toBe(secret);
  });
});

describe('webhook answers', () => {
  it.each([[200, undefined], [204, undefined], [408, false], [429, false], [500, false], [503, false], [400, true], [401, true], [404, true], [410, true], [301, true]])(
    'HTTP %i: %s (undefined: sent; false: retried; true: dead-lettered)',
    (status, permanent) => {
      expect(classifyWebhookStatus(status)?.permanent).toBe(permanent);
    },
  );

  it('refuses to deliver to an internal address, however the URL got into the outbox', async () => {
    const channel = webhookChannel();
    await expect(channel.send({ id: 'webhook.x', url: 'http://169.254.169.254/latest', secret: 'whsec_AAAA', body: '{}' })).rejects.toMatchObject({ permanent: true, message: expect.stringContaining('refused') });
  });
});

describe('webhook body', () => {
  it('is {type, timestamp, data} with the cause’s facts and the business, without the internal kind', () => {
    const m = {
      id: 'webhook.application.submitted.7.wh-1', kind: 'application_received', recipient: { role: 'business', id: 'b1' },
      data: { kind: 'application_received', applicationId: 'a1', jobId: 'j1', jobTitle: 'Picker', workerId: 'w1' },
      causePosition: 7, createdAt: '2027-03-01T10:00:00.000Z', status: 'pending', enqueuedAt: '2027-03-01T10:00:00.000Z', attempts: 0,
      webhook: { webhookId: 'wh-1', eventType: 'application.submitted', url: 'https://hooks.example/' },
    } satisfies StoredMessage;
    expect(JSON.parse(webhookBodyOf(m))).toEqual({
      type: 'application.submitted',
      timestamp: '2027-03-01T10:00:00.000Z',
      data: { businessId: 'b1', applicationId: 'a1', jobId: 'j1', jobTitle: 'Picker', workerId: 'w1' },
    });
  });
});
