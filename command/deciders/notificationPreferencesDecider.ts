import type { Decider } from '../decider.ts';
import { DomainError, assertNever } from '../decider.ts';
import type { NotificationEvent, NotificationKind, RecipientRole } from '../../eventstore/events/index.ts';
import { notificationKinds } from '../../eventstore/events/index.ts';
import { checkEnvelope } from './shared.ts';

/** Stream `notifications-<role>-<id>`: one per worker and one per business (their ids may coincide). */
export const notificationPreferencesStream = (role: RecipientRole, recipientId: string): string => `notifications-${role}-${recipientId}`;

export interface SetNotificationPreferences {
  readonly type: 'SetNotificationPreferences';
  readonly recipientRole: RecipientRole;
  readonly recipientId: string;
  readonly muted: readonly NotificationKind[];
  readonly now: string;
}

/** What an unsubscribe link does: one more kind switched off, the others left as they are. */
export interface MuteNotificationKind {
  readonly type: 'MuteNotificationKind';
  readonly recipientRole: RecipientRole;
  readonly recipientId: string;
  readonly kind: NotificationKind;
  readonly now: string;
}

export type NotificationPreferencesCommand = SetNotificationPreferences | MuteNotificationKind;

export interface NotificationPreferencesState {
  readonly muted: readonly NotificationKind[];
  readonly setAt: string | null;
}

/** The catalog's order, without repeats, so equal choices make equal events. */
const normalise = (kinds: readonly NotificationKind[]): NotificationKind[] => notificationKinds.filter((k) => kinds.includes(k));

function set(command: NotificationPreferencesCommand, state: NotificationPreferencesState, muted: readonly NotificationKind[]): readonly NotificationEvent[] | DomainError {
  const nowMs = checkEnvelope({ recipientId: command.recipientId }, command.now);
  if (nowMs instanceof DomainError) return nowMs;
  const unknown = muted.find((k) => !(notificationKinds as readonly string[]).includes(k));
  if (unknown !== undefined) return new DomainError('invalid_kind', `unknown notification kind ${String(unknown)}`, 'unprocessable');
  const next = normalise(muted);
  if (next.join() === state.muted.join()) return [];
  return [{ type: 'NotificationPreferencesSet', data: { recipientRole: command.recipientRole, recipientId: command.recipientId, muted: next, setAt: command.now } }];
}

export const notificationPreferencesDecider: Decider<NotificationPreferencesCommand, NotificationEvent, NotificationPreferencesState> = {
  decide(command, state) {
    switch (command.type) {
      case 'SetNotificationPreferences':
        return set(command, state, command.muted);
      case 'MuteNotificationKind':
        return set(command, state, [...state.muted, command.kind]);
      default:
        return assertNever(command);
    }
  },
  evolve(_state, event) {
    switch (event.type) {
      case 'NotificationPreferencesSet':
        return { muted: event.data.muted, setAt: event.data.setAt };
      default:
        return assertNever(event.type);
    }
  },
  initialState: () => ({ muted: [], setAt: null }),
};
