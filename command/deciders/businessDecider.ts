import type { z } from 'zod';
import type { Decider } from '../decider.ts';
import { DomainError, assertNever } from '../decider.ts';
import type { BusinessEvent, WebhookEventType } from '../../eventstore/events/index.ts';
import { BusinessProfile, MAX_WEBHOOKS_PER_BUSINESS, webhookEventTypes } from '../../eventstore/events/index.ts';
import { checkEnvelope, describeIssues, jsonEqual, withoutUndefined } from './shared.ts';

/** Stream `business-<businessId>`. */
export const businessStream = (businessId: string): string => `business-${businessId}`;

export interface UpdateBusinessProfile {
  readonly type: 'UpdateBusinessProfile';
  readonly businessId: string;
  readonly profile: z.input<typeof BusinessProfile>;
  readonly now: string;
}

/** The URL has passed the address guard already: the decider only checks its shape. */
export interface RegisterWebhook {
  readonly type: 'RegisterWebhook';
  readonly businessId: string;
  readonly webhookId: string;
  readonly url: string;
  readonly eventTypes: readonly WebhookEventType[];
  readonly now: string;
}

export interface RemoveWebhook {
  readonly type: 'RemoveWebhook';
  readonly businessId: string;
  readonly webhookId: string;
  readonly now: string;
}

export interface DisableWebhook {
  readonly type: 'DisableWebhook';
  readonly businessId: string;
  readonly webhookId: string;
  readonly reason: string;
  readonly now: string;
}

export type BusinessCommand = UpdateBusinessProfile | RegisterWebhook | RemoveWebhook | DisableWebhook;

export interface WebhookState {
  readonly webhookId: string;
  readonly url: string;
  readonly eventTypes: readonly WebhookEventType[];
  readonly registeredAt: string;
  readonly status: 'active' | 'disabled';
  readonly disabledAt?: string;
  readonly disabledReason?: string;
}

export interface BusinessState {
  /** Null until the stream has an event. */
  readonly businessId: string | null;
  readonly profile: BusinessProfile | null;
  readonly updatedAt: string | null;
  /** Registered and not removed, in registration order. */
  readonly webhooks: readonly WebhookState[];
}

function updateProfile(command: UpdateBusinessProfile, state: BusinessState): readonly BusinessEvent[] | DomainError {
  const nowMs = checkEnvelope({ businessId: command.businessId }, command.now);
  if (nowMs instanceof DomainError) return nowMs;
  const parsed = BusinessProfile.safeParse(command.profile);
  if (!parsed.success) return new DomainError('invalid_profile', describeIssues(parsed.error), 'unprocessable');
  const profile = withoutUndefined(parsed.data);
  if (jsonEqual(state.profile, profile)) return [];
  return [{ type: 'BusinessProfileUpdated', data: { businessId: command.businessId, profile, updatedAt: command.now } }];
}

/** Event types in the catalog's order, each once: two spellings of one subscription are one subscription. */
const normaliseEventTypes = (types: readonly WebhookEventType[]): WebhookEventType[] => webhookEventTypes.filter((t) => types.includes(t));

function registerWebhook(command: RegisterWebhook, state: BusinessState): readonly BusinessEvent[] | DomainError {
  const nowMs = checkEnvelope({ businessId: command.businessId, webhookId: command.webhookId }, command.now);
  if (nowMs instanceof DomainError) return nowMs;
  let url: URL;
  try {
    url = new URL(command.url);
  } catch {
    return new DomainError('invalid_webhook_url', 'url is not a URL', 'unprocessable');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return new DomainError('invalid_webhook_url', 'url must be http or https', 'unprocessable');
  if (url.username !== '' || url.password !== '') return new DomainError('invalid_webhook_url', 'url must not carry credentials', 'unprocessable');
  if (command.url.length > 2000) return new DomainError('invalid_webhook_url', 'url is longer than 2000 characters', 'unprocessable');
  const unknown = command.eventTypes.filter((t) => !(webhookEventTypes as readonly string[]).includes(t));
  if (unknown.length > 0 || command.eventTypes.length === 0) {
    return new DomainError('invalid_event_types', `eventTypes must name one or more of ${webhookEventTypes.join(', ')}`, 'unprocessable');
  }
  const eventTypes = normaliseEventTypes(command.eventTypes);
  const existing = state.webhooks.find((w) => w.webhookId === command.webhookId);
  if (existing) {
    // A retried registration (the id comes from its Idempotency-Key) is the same webhook.
    if (existing.url === command.url && jsonEqual(existing.eventTypes, eventTypes)) return [];
    return new DomainError('webhook_exists', `webhook ${command.webhookId} exists with another url or event types`, 'conflict');
  }
  if (state.webhooks.length >= MAX_WEBHOOKS_PER_BUSINESS) {
    return new DomainError('webhook_limit_reached', `a business may have at most ${MAX_WEBHOOKS_PER_BUSINESS} webhooks; delete one first`, 'conflict');
  }
  return [{ type: 'WebhookRegistered', data: { businessId: command.businessId, webhookId: command.webhookId, url: command.url, eventTypes, registeredAt: command.now } }];
}

const webhookNotFound = (webhookId: string) => new DomainError('webhook_not_found', `webhook ${webhookId} not found`, 'not_found');

function removeWebhook(command: RemoveWebhook, state: BusinessState): readonly BusinessEvent[] | DomainError {
  const nowMs = checkEnvelope({ businessId: command.businessId, webhookId: command.webhookId }, command.now);
  if (nowMs instanceof DomainError) return nowMs;
  if (!state.webhooks.some((w) => w.webhookId === command.webhookId)) return webhookNotFound(command.webhookId);
  return [{ type: 'WebhookRemoved', data: { businessId: command.businessId, webhookId: command.webhookId, removedAt: command.now } }];
}

function disableWebhook(command: DisableWebhook, state: BusinessState): readonly BusinessEvent[] | DomainError {
  const nowMs = checkEnvelope({ businessId: command.businessId, webhookId: command.webhookId }, command.now);
  if (nowMs instanceof DomainError) return nowMs;
  const webhook = state.webhooks.find((w) => w.webhookId === command.webhookId);
  if (!webhook) return webhookNotFound(command.webhookId);
  // Disabling is what several failing deliveries may each ask for: once is enough.
  if (webhook.status === 'disabled') return [];
  const reason = command.reason.trim().slice(0, 500) || 'deliveries kept failing';
  return [{ type: 'WebhookDisabled', data: { businessId: command.businessId, webhookId: command.webhookId, reason, disabledAt: command.now } }];
}

function evolve(state: BusinessState, event: BusinessEvent): BusinessState {
  switch (event.type) {
    case 'BusinessProfileUpdated':
      return { ...state, businessId: event.data.businessId, profile: event.data.profile, updatedAt: event.data.updatedAt };
    case 'WebhookRegistered': {
      const { webhookId, url, eventTypes, registeredAt } = event.data;
      return { ...state, businessId: event.data.businessId, webhooks: [...state.webhooks, { webhookId, url, eventTypes, registeredAt, status: 'active' }] };
    }
    case 'WebhookRemoved':
      return { ...state, webhooks: state.webhooks.filter((w) => w.webhookId !== event.data.webhookId) };
    case 'WebhookDisabled':
      return {
        ...state,
        webhooks: state.webhooks.map((w) => (w.webhookId === event.data.webhookId ? { ...w, status: 'disabled', disabledAt: event.data.disabledAt, disabledReason: event.data.reason } : w)),
      };
    default:
      return assertNever(event);
  }
}

export const businessDecider: Decider<BusinessCommand, BusinessEvent, BusinessState> = {
  decide(command, state) {
    switch (command.type) {
      case 'UpdateBusinessProfile':
        return updateProfile(command, state);
      case 'RegisterWebhook':
        return registerWebhook(command, state);
      case 'RemoveWebhook':
        return removeWebhook(command, state);
      case 'DisableWebhook':
        return disableWebhook(command, state);
      default:
        return assertNever(command);
    }
  },
  evolve,
  initialState: () => ({ businessId: null, profile: null, updatedAt: null, webhooks: [] }),
};
