import { describe, expect, it } from 'vitest';
import type { BusinessEvent, BusinessProfile, WebhookEventType } from '../../eventstore/events/index.ts';
import type { BusinessCommand } from './businessDecider.ts';
import { businessDecider } from './businessDecider.ts';
import { scenario } from '../../tests/support/deciderScenario.ts';

const { given } = scenario(businessDecider);

const businessId = 'biz-1';
const now = '2026-03-01T09:00:00Z';
const profile: BusinessProfile = { name: 'Green Mountain Orchards', website: 'https://gmo.example', email: 'jobs@gmo.example' };
const updated: BusinessEvent = { type: 'BusinessProfileUpdated', data: { businessId, profile, updatedAt: now } };
const update = (p: Extract<BusinessCommand, { type: 'UpdateBusinessProfile' }>['profile']): BusinessCommand => ({
  type: 'UpdateBusinessProfile', businessId, profile: p, now,
});

describe('UpdateBusinessProfile', () => {
  it('records a first profile', () => {
    given([]).when(update(profile)).then([updated]);
    expect(given([updated]).state).toEqual({ businessId, profile, updatedAt: now, webhooks: [] });
  });

  it('normalises the way the schema does', () => {
    given([]).when(update({ ...profile, name: '  Green Mountain Orchards ', webhookUrl: undefined })).then([updated]);
  });

  it('emits nothing for an identical profile', () => {
    given([updated]).when(update({ ...profile })).then([]);
  });

  it('records a changed profile', () => {
    const changed = { ...profile, webhookUrl: 'https://gmo.example/hooks' };
    given([updated])
      .when(update(changed))
      .then([{ type: 'BusinessProfileUpdated', data: { businessId, profile: changed, updatedAt: now } }]);
  });

  it('rejects an invalid profile', () => {
    given([]).when(update({ ...profile, name: ' ' })).then('invalid_profile', 'unprocessable');
    given([]).when(update({ ...profile, website: 'not a url' })).then('invalid_profile', 'unprocessable');
  });

  it('rejects a malformed business id or time', () => {
    given([]).when({ type: 'UpdateBusinessProfile', businessId: 'biz 1', profile, now }).then('invalid_id', 'unprocessable');
    given([]).when({ type: 'UpdateBusinessProfile', businessId, profile, now: 'yesterday' }).then('invalid_time', 'unprocessable');
  });
});

describe('webhooks', () => {
  const url = 'https://hooks.gmo.example/jobs';
  const register = (webhookId: string, over: Partial<Extract<BusinessCommand, { type: 'RegisterWebhook' }>> = {}): BusinessCommand => ({
    type: 'RegisterWebhook', businessId, webhookId, url, eventTypes: ['application.submitted'], now, ...over,
  });
  const registered = (webhookId: string, eventTypes: WebhookEventType[] = ['application.submitted']): BusinessEvent => ({
    type: 'WebhookRegistered', data: { businessId, webhookId, url, eventTypes, registeredAt: now },
  });
  const later = '2026-03-02T09:00:00Z';

  it('registers a webhook with its event types in catalog order, each once', () => {
    given([])
      .when(register('wh-1', { eventTypes: ['job.expired', 'application.submitted', 'job.expired'] }))
      .then([registered('wh-1', ['application.submitted', 'job.expired'])]);
    expect(given([updated, registered('wh-1')]).state).toMatchObject({ profile, webhooks: [{ webhookId: 'wh-1', url, status: 'active' }] });
  });

  it('a retried registration of the same webhook is a no-op; another url under its id is a conflict', () => {
    given([registered('wh-1')]).when(register('wh-1')).then([]);
    given([registered('wh-1')]).when(register('wh-1', { url: 'https://other.example/' })).then('webhook_exists', 'conflict');
  });

  it('refuses an eleventh webhook, and takes one again once another is removed', () => {
    const ten = Array.from({ length: 10 }, (_, i) => registered(`wh-${i}`));
    given(ten).when(register('wh-10')).then('webhook_limit_reached', 'conflict');
    const removed: BusinessEvent = { type: 'WebhookRemoved', data: { businessId, webhookId: 'wh-3', removedAt: later } };
    given([...ten, removed]).when(register('wh-10')).then([registered('wh-10')]);
  });

  it('refuses a URL that is not http(s) or carries credentials, and unknown or no event types', () => {
    given([]).when(register('wh-1', { url: 'ftp://files.example/x' })).then('invalid_webhook_url', 'unprocessable');
    given([]).when(register('wh-1', { url: 'https://user:pw@hooks.example/' })).then('invalid_webhook_url', 'unprocessable');
    given([]).when(register('wh-1', { url: 'not a url' })).then('invalid_webhook_url', 'unprocessable');
    given([]).when(register('wh-1', { eventTypes: [] })).then('invalid_event_types', 'unprocessable');
    given([]).when(register('wh-1', { eventTypes: ['job.published' as WebhookEventType] })).then('invalid_event_types', 'unprocessable');
  });

  it('removes a webhook it has, and answers not found for one it does not', () => {
    given([registered('wh-1')])
      .when({ type: 'RemoveWebhook', businessId, webhookId: 'wh-1', now: later })
      .then([{ type: 'WebhookRemoved', data: { businessId, webhookId: 'wh-1', removedAt: later } }]);
    given([registered('wh-1')]).when({ type: 'RemoveWebhook', businessId, webhookId: 'wh-2', now: later }).then('webhook_not_found', 'not_found');
    const removed: BusinessEvent = { type: 'WebhookRemoved', data: { businessId, webhookId: 'wh-1', removedAt: later } };
    given([registered('wh-1'), removed]).when({ type: 'RemoveWebhook', businessId, webhookId: 'wh-1', now: later }).then('webhook_not_found', 'not_found');
  });

  it('disables a webhook once; a disabled one stays listed and can be removed', () => {
    const disable: BusinessCommand = { type: 'DisableWebhook', businessId, webhookId: 'wh-1', reason: 'failing for 24 h', now: later };
    const disabled: BusinessEvent = { type: 'WebhookDisabled', data: { businessId, webhookId: 'wh-1', reason: 'failing for 24 h', disabledAt: later } };
    given([registered('wh-1')]).when(disable).then([disabled]);
    given([registered('wh-1'), disabled]).when(disable).then([]);
    expect(given([registered('wh-1'), disabled]).state.webhooks).toMatchObject([{ webhookId: 'wh-1', status: 'disabled', disabledReason: 'failing for 24 h' }]);
    given([]).when(disable).then('webhook_not_found', 'not_found');
    given([registered('wh-1'), disabled]).when({ type: 'RemoveWebhook', businessId, webhookId: 'wh-1', now: later }).then([{ type: 'WebhookRemoved', data: { businessId, webhookId: 'wh-1', removedAt: later } }]);
  });

  it('a profile update keeps the webhooks', () => {
    expect(given([registered('wh-1'), updated]).state.webhooks).toHaveLength(1);
  });
});
