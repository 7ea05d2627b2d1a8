import type { DigestItemEntry, JobEntry, RecipientEntry, SearchEntry } from '../../projections/notifications/directory.ts';
import { DIGEST_ITEM_PREFIX, jobKey, recipientKey, searchKey } from '../../projections/notifications/directory.ts';
import type { OutboxMessage } from '../../projections/notifications/notificationMessage.ts';
import type { NotificationStore } from '../../projections/notifications/notificationStore.ts';
import { yieldEvery } from '../support/yieldEvery.ts';

/** The local hour (0-23) and weekday (0: Sunday) of an instant in a time zone. */
export function localTime(at: Date, timeZone: string): { hour: number; weekday: number } {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', hourCycle: 'h23', weekday: 'short' }).formatToParts(at);
  } catch {
    // A zone this process's time zone data does not know: UTC rather than never.
    parts = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', hour: 'numeric', hourCycle: 'h23', weekday: 'short' }).formatToParts(at);
  }
  const hour = Number(parts.find((p) => p.type === 'hour')?.value ?? 0) % 24;
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(parts.find((p) => p.type === 'weekday')?.value ?? 'Sun');
  return { hour, weekday };
}

/** Whether a saved search's digest goes out in the hour that starts at `slot`. */
export function digestDue(search: Pick<SearchEntry, 'alertFrequency' | 'alertHour' | 'alertWeekday' | 'timeZone'>, slot: Date): boolean {
  if (search.alertFrequency === 'hourly') return true;
  if (search.alertFrequency !== 'daily' && search.alertFrequency !== 'weekly') return false;
  const { hour, weekday } = localTime(slot, search.timeZone);
  return hour === search.alertHour && (search.alertFrequency === 'daily' || weekday === search.alertWeekday);
}

export interface DigestRun {
  /** Digest items looked at. */
  items: number;
  messages: number;
}

/**
 * The hourly digest run: for each saved search whose digest is due in this
 * slot (its hour and weekday in its own time zone), one message with the jobs
 * queued for it since its last digest that are still open now; each job is
 * queued once per search (the projection's marker), and sent ones leave the
 * queue with the message, so the next digest holds only newer jobs. Nothing
 * is sent when nothing is left. A rerun of the same slot makes the same ids.
 */
export async function composeDigests(store: NotificationStore, now: Date, slot: Date, { maxItems = 200_000, page = 1000 } = {}): Promise<DigestRun> {
  const groups = new Map<string, { workerId: string; searchId: string; items: Array<{ key: string; position: number; value: DigestItemEntry }> }>();
  let after: string | undefined;
  let seen = 0;
  // The embedded outbox answers synchronously: pauses let queries run between pages and searches.
  const pause = yieldEvery();
  while (seen < maxItems) {
    await pause();
    const batch = await store.scanDirectory(DIGEST_ITEM_PREFIX, Math.min(page, maxItems - seen), after);
    if (batch.length === 0) break;
    for (const e of batch) {
      if (e.value.type !== 'digest_item') continue;
      const g = `${e.value.workerId}|${e.value.searchId}`;
      const group = groups.get(g) ?? { workerId: e.value.workerId, searchId: e.value.searchId, items: [] };
      group.items.push({ key: e.key, position: e.position, value: e.value });
      groups.set(g, group);
    }
    seen += batch.length;
    after = batch.at(-1)?.key;
  }
  if (groups.size === 0) return { items: 0, messages: 0 };
  const keys = [...groups.values()].flatMap((g) => [searchKey(g.workerId, g.searchId), recipientKey('worker', g.workerId), ...g.items.map((i) => jobKey(i.value.jobId))]);
  const directory = await store.loadDirectory(keys);
  const get = <T>(key: string, type: string) => {
    const v = directory.get(key)?.value;
    return v?.type === type ? (v as T) : undefined;
  };

  const messages: OutboxMessage[] = [];
  const remove: string[] = [];
  for (const g of groups.values()) {
    await pause();
    const search = get<SearchEntry>(searchKey(g.workerId, g.searchId), 'search');
    const digests = search?.status === 'active' && (search.alertFrequency === 'hourly' || search.alertFrequency === 'daily' || search.alertFrequency === 'weekly');
    if (!search || !digests) {
      // Deleted, archived, switched off or to instant alerts: its queue has no digest to wait for.
      remove.push(...g.items.map((i) => i.key));
      continue;
    }
    if (!digestDue(search, slot)) continue;
    remove.push(...g.items.map((i) => i.key));
    const open = g.items.filter((i) => {
      const job = get<JobEntry>(jobKey(i.value.jobId), 'job');
      return job?.status === 'open' && (job.expiresAt === undefined || Date.parse(job.expiresAt) > now.getTime());
    });
    const worker = get<RecipientEntry>(recipientKey('worker', g.workerId), 'recipient');
    if (open.length === 0 || worker?.muted.includes('saved_search_digest')) continue;
    const frequency = search.alertFrequency as 'hourly' | 'daily' | 'weekly';
    messages.push({
      id: `saved_search_digest.h${Math.floor(slot.getTime() / 3_600_000)}.${g.searchId}.worker.${g.workerId}`,
      kind: 'saved_search_digest',
      recipient: { role: 'worker', id: g.workerId },
      ...(worker?.email !== undefined ? { to: worker.email } : {}),
      data: {
        kind: 'saved_search_digest', searchId: g.searchId, searchName: search.name, frequency,
        jobs: open.sort((a, b) => a.position - b.position).map((i) => ({ jobId: i.value.jobId, title: i.value.jobTitle, ...(i.value.city !== undefined ? { city: i.value.city } : {}) })),
      },
      causePosition: Math.max(...open.map((i) => i.position)),
      createdAt: now.toISOString(),
      status: worker?.email === undefined ? 'unaddressed' : 'pending',
    });
  }
  if (messages.length > 0 || remove.length > 0) await store.commitDigests({ messages, remove });
  return { items: seen, messages: messages.length };
}
