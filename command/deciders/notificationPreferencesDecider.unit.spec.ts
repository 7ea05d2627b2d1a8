import { describe, expect, it } from 'vitest';
import type { NotificationEvent, NotificationKind } from '../../eventstore/events/index.ts';
import type { NotificationPreferencesCommand } from './notificationPreferencesDecider.ts';
import { notificationPreferencesDecider } from './notificationPreferencesDecider.ts';
import { scenario } from '../../tests/support/deciderScenario.ts';

const { given } = scenario(notificationPreferencesDecider);
const now = '2026-05-01T10:00:00Z';
const who = { recipientRole: 'worker', recipientId: 'w1' } as const;
const setTo = (muted: NotificationKind[]): NotificationPreferencesCommand => ({ type: 'SetNotificationPreferences', ...who, muted, now });
const mute = (kind: NotificationKind): NotificationPreferencesCommand => ({ type: 'MuteNotificationKind', ...who, kind, now });
const wasSet = (muted: NotificationKind[]): NotificationEvent => ({ type: 'NotificationPreferencesSet', data: { ...who, muted, setAt: now } });

describe('SetNotificationPreferences', () => {
  it('records the muted kinds in the catalog order, without repeats', () => {
    given([]).when(setTo(['weekly_summary', 'application_status', 'weekly_summary'])).then([wasSet(['application_status', 'weekly_summary'])]);
  });

  it('emits nothing when nothing changes (everything on is the initial state)', () => {
    given([]).when(setTo([])).then([]);
    given([wasSet(['job_expired'])]).when(setTo(['job_expired'])).then([]);
  });

  it('switches kinds back on', () => {
    given([wasSet(['job_expired', 'weekly_summary'])]).when(setTo(['weekly_summary'])).then([wasSet(['weekly_summary'])]);
    expect(given([wasSet(['job_expired'])]).state).toEqual({ muted: ['job_expired'], setAt: now });
  });

  it('rejects an unknown kind and a malformed id', () => {
    given([]).when(setTo(['nonsense' as NotificationKind])).then('invalid_kind', 'unprocessable');
    given([]).when({ type: 'SetNotificationPreferences', recipientRole: 'worker', recipientId: 'w 1', muted: [], now }).then('invalid_id', 'unprocessable');
  });
});

describe('MuteNotificationKind (the unsubscribe link)', () => {
  it('adds one kind to those already muted', () => {
    given([wasSet(['weekly_summary'])]).when(mute('application_status')).then([wasSet(['application_status', 'weekly_summary'])]);
  });

  it('is a no-op when the kind is muted already, so a second click appends nothing', () => {
    given([wasSet(['application_status'])]).when(mute('application_status')).then([]);
  });
});
