import type { NotificationStore } from '../../projections/notifications/notificationStore.ts';
import type { LastAlertOf } from '../scheduler/archiveSavedSearches.ts';

/**
 * When a saved search last told its worker of a job: the newest instant alert
 * or digest that names it in the worker's own list (newest first, up to
 * `maxMessages` looked at: a search silent for that long counts as silent).
 */
export function lastAlertOf(store: NotificationStore, { maxMessages = 2000, page = 200 } = {}): LastAlertOf {
  return async (workerId, searchId) => {
    let after: { causePosition: number; id: string } | undefined;
    for (let seen = 0; seen < maxMessages; ) {
      const batch = await store.listFor({ role: 'worker', id: workerId }, page, after);
      for (const m of batch) {
        const names = m.data.kind === 'saved_search_alert' ? m.data.searches.some((s) => s.searchId === searchId) : m.data.kind === 'saved_search_digest' && m.data.searchId === searchId;
        if (names) return new Date(m.createdAt);
      }
      const last = batch.at(-1);
      if (!last || batch.length < page) return undefined;
      seen += batch.length;
      after = { causePosition: last.causePosition, id: last.id };
    }
    return undefined;
  };
}
