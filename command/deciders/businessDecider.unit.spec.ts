import { describe, expect, it } from 'vitest';
import type { BusinessEvent, BusinessProfile } from '../../eventstore/events/index.ts';
import type { BusinessCommand } from './businessDecider.ts';
import { businessDecider } from './businessDecider.ts';
import { scenario } from './testing.ts';

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
    expect(given([updated]).state).toEqual({ businessId, profile, updatedAt: now });
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
    given([]).when(update({ ...profile, name: ' ' })).then('invalid_profile', 422);
    given([]).when(update({ ...profile, website: 'not a url' })).then('invalid_profile', 422);
  });

  it('rejects a malformed business id or time', () => {
    given([]).when({ type: 'UpdateBusinessProfile', businessId: 'biz 1', profile, now }).then('invalid_id', 422);
    given([]).when({ type: 'UpdateBusinessProfile', businessId, profile, now: 'yesterday' }).then('invalid_time', 422);
  });
});
