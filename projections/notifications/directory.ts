import type { NotificationKind, RecipientRole, WebhookEventType } from '../../eventstore/events/index.ts';

// What the notifications projection remembers from the log to address and
// word its messages: people (name, address, muted kinds), jobs (title, owner)
// and applications (who applied where). Keyed entries carry the position of
// the last event applied, so a replay skips what an entry already includes.

export interface RecipientEntry {
  type: 'recipient';
  role: RecipientRole;
  id: string;
  name?: string;
  email?: string;
  muted: NotificationKind[];
}

export interface JobEntry {
  type: 'job';
  jobId: string;
  businessId: string;
  title: string;
  status: 'draft' | 'open' | 'closed' | 'expired';
  expiresAt?: string;
}

export interface ApplicationEntry {
  type: 'application';
  applicationId: string;
  jobId: string;
  workerId: string;
  businessId: string;
}

/** A saved search has been told of a job: never again for that job. */
export interface AlertedEntry {
  type: 'alerted';
  searchId: string;
  jobId: string;
}

/** A saved search's alert settings, for digests. */
export interface SearchEntry {
  type: 'search';
  workerId: string;
  searchId: string;
  name: string;
  alertFrequency: 'instant' | 'hourly' | 'daily' | 'weekly' | 'off';
  alertHour: number;
  alertWeekday: number;
  timeZone: string;
  status: 'active' | 'archived' | 'deleted';
}

/** A job waiting for its saved search's next digest. */
export interface DigestItemEntry {
  type: 'digest_item';
  workerId: string;
  searchId: string;
  jobId: string;
  jobTitle: string;
  city?: string;
}

/** A business's registered webhooks (removed ones left out), to address webhook deliveries. */
export interface WebhooksEntry {
  type: 'webhooks';
  businessId: string;
  webhooks: Array<{ webhookId: string; url: string; eventTypes: WebhookEventType[]; status: 'active' | 'disabled' }>;
}

export type DirectoryValue = RecipientEntry | JobEntry | ApplicationEntry | AlertedEntry | SearchEntry | DigestItemEntry | WebhooksEntry;

export interface DirectoryEntry {
  key: string;
  position: number;
  value: DirectoryValue;
}

export const recipientKey = (role: RecipientRole, id: string): string => `r|${role}|${id}`;
export const jobKey = (jobId: string): string => `j|${jobId}`;
export const applicationKey = (applicationId: string): string => `a|${applicationId}`;
export const alertedKey = (workerId: string, searchId: string, jobId: string): string => `s|${workerId}|${searchId}|${jobId}`;
export const searchKey = (workerId: string, searchId: string): string => `q|${workerId}|${searchId}`;
export const digestItemKey = (workerId: string, searchId: string, jobId: string): string => `d|${workerId}|${searchId}|${jobId}`;
export const webhooksKey = (businessId: string): string => `w|${businessId}`;
/** Every digest item sorts under this prefix. */
export const DIGEST_ITEM_PREFIX = 'd|';
