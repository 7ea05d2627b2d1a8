import type { RecordedEvent } from '../../eventstore/port.ts';
import type { DeadLetterStore } from '../deadLetters.ts';
import type { Projection } from '../projection.ts';
import { PoisonEventError } from '../projection.ts';
import type { AlertSource, Percolation } from './alertSource.ts';
import { alertKeysOf, decideNotifications, keysOf, percolatesOn, referencesOf } from './decideNotifications.ts';
import type { DirectoryEntry } from './directory.ts';
import { jobKey } from './directory.ts';
import type { OutboxMessage } from './notificationMessage.ts';
import type { NotificationStore } from './notificationStore.ts';

export const NOTIFICATIONS_PROJECTION = 'notifications';

export interface NotificationsProjectionOptions {
  clock?: () => Date;
  /** A cause older than this is kept as `stale`, never mailed (default 24 h). */
  maxCauseAgeMs?: number;
  /** Saved searches matching a job that opened or changed: instant alerts (none without it). */
  alerts?: AlertSource;
  /** Told of the messages each committed batch added (wakes the dispatcher). */
  onMessages?: (messages: readonly OutboxMessage[]) => void;
}

/**
 * Events to outbox messages: loads the directory entries a batch touches (and
 * those they point at), decides event by event in log order, and commits the
 * changed entries, the new messages and the checkpoint in one transaction.
 */
export function notificationsProjection(store: NotificationStore, deadLetters: DeadLetterStore, { clock = () => new Date(), maxCauseAgeMs = 24 * 3600_000, alerts, onMessages }: NotificationsProjectionOptions = {}): Projection {
  const name = NOTIFICATIONS_PROJECTION;
  return {
    name,
    checkpoint: () => store.checkpoint(name),
    deadLetter: (event, error) => deadLetters.record(name, event, error instanceof Error ? error.message : String(error)),
    async apply(events: readonly RecordedEvent[]) {
      const last = events.at(-1);
      if (!last) return;
      const direct = events.flatMap(keysOf);
      const view = await store.loadDirectory(direct);
      const referenced = [...view.values()].flatMap((e) => referencesOf(e.value)).filter((k) => !view.has(k));
      for (const [k, v] of await store.loadDirectory(referenced)) view.set(k, v);
      const now = clock();
      const percolated = new Map<number, Percolation>();
      if (alerts) {
        // A cause that is no longer news alerts no one, so an old log is not percolated job by job.
        // An edit of a job that is not open (a draft, closed) alerts no one: no read-model round trip for it.
        const openJob = (jobId: string) => { const v = view.get(jobKey(jobId))?.value; return v?.type === 'job' && v.status === 'open'; };
        const fresh = events.filter((e) => {
          const jobId = percolatesOn(e);
          if (jobId === undefined || Date.parse(e.metadata.occurredAt) < now.getTime() - maxCauseAgeMs) return false;
          return e.type !== 'JobUpdated' || openJob(jobId);
        });
        for (const e of fresh) {
          const found = await alerts.percolate(percolatesOn(e)!, e.position);
          if (found && found.matches.length > 0) percolated.set(e.position, found);
        }
        const alertKeys = [...percolated.values()].flatMap(alertKeysOf).filter((k) => !view.has(k));
        for (const [k, v] of await store.loadDirectory(alertKeys)) view.set(k, v);
      }
      const changed = new Map<string, DirectoryEntry>();
      const messages: OutboxMessage[] = [];
      for (const event of events) {
        let decision;
        try {
          decision = decideNotifications(event, view, { now, maxCauseAgeMs, percolated });
        } catch (err) {
          throw new PoisonEventError(event, err);
        }
        for (const entry of decision.entries) {
          view.set(entry.key, entry);
          changed.set(entry.key, entry);
        }
        messages.push(...decision.messages);
      }
      await store.commit({ entries: [...changed.values()], messages }, name, last.position);
      if (messages.length > 0) onMessages?.(messages);
    },
  };
}
