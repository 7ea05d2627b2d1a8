import type { z } from 'zod';
import type { Decider } from '../decider.ts';
import { DomainError, assertNever } from '../decider.ts';
import type { BusinessEvent } from '../../eventstore/events/index.ts';
import { BusinessProfile } from '../../eventstore/events/index.ts';
import { checkEnvelope, describeIssues, jsonEqual, withoutUndefined } from './shared.ts';

/** Stream `business-<businessId>`. */
export const businessStream = (businessId: string): string => `business-${businessId}`;

export interface UpdateBusinessProfile {
  readonly type: 'UpdateBusinessProfile';
  readonly businessId: string;
  readonly profile: z.input<typeof BusinessProfile>;
  readonly now: string;
}

export type BusinessCommand = UpdateBusinessProfile;

export interface BusinessState {
  /** Null until the stream has an event. */
  readonly businessId: string | null;
  readonly profile: BusinessProfile | null;
  readonly updatedAt: string | null;
}

function updateProfile(command: UpdateBusinessProfile, state: BusinessState): readonly BusinessEvent[] | DomainError {
  const nowMs = checkEnvelope({ businessId: command.businessId }, command.now);
  if (nowMs instanceof DomainError) return nowMs;
  const parsed = BusinessProfile.safeParse(command.profile);
  if (!parsed.success) return new DomainError('invalid_profile', describeIssues(parsed.error), 422);
  const profile = withoutUndefined(parsed.data);
  if (jsonEqual(state.profile, profile)) return [];
  return [{ type: 'BusinessProfileUpdated', data: { businessId: command.businessId, profile, updatedAt: command.now } }];
}

function evolve(state: BusinessState, event: BusinessEvent): BusinessState {
  switch (event.type) {
    case 'BusinessProfileUpdated':
      return { businessId: event.data.businessId, profile: event.data.profile, updatedAt: event.data.updatedAt };
    default:
      return assertNever(event.type);
  }
}

export const businessDecider: Decider<BusinessCommand, BusinessEvent, BusinessState> = {
  decide(command, state) {
    switch (command.type) {
      case 'UpdateBusinessProfile':
        return updateProfile(command, state);
      default:
        return assertNever(command.type);
    }
  },
  evolve,
  initialState: () => ({ businessId: null, profile: null, updatedAt: null }),
};
