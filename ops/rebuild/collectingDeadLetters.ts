import type { RecordedEvent } from '../../eventstore/port.ts';
import type { DeadLetter, DeadLetterStore } from '../../projections/deadLetters.ts';

/**
 * Dead letters of a rebuild or replay, kept in memory and reported in its
 * summary: the live projector already recorded the same events in the
 * durable store, so recording them again would only duplicate them.
 */
export function collectingDeadLetters(): DeadLetterStore & { readonly letters: DeadLetter[] } {
  const letters: DeadLetter[] = [];
  return {
    letters,
    record(projection: string, event: RecordedEvent, reason: string) {
      letters.push({ projection, position: event.position, eventType: event.type, streamId: event.streamId, reason, at: new Date().toISOString() });
      return Promise.resolve();
    },
    list: (projection?: string) => Promise.resolve(letters.filter((l) => projection === undefined || l.projection === projection)),
    close: () => Promise.resolve(),
  };
}
