import type { RecordedEvent } from '../eventstore/port.ts';

/**
 * A read model fed by the log. `apply` must store the documents and the
 * checkpoint (the position of the batch's last event) so that a crash at any
 * point replays, never skips: atomically where the store allows, else
 * documents first, and idempotent by position.
 */
export interface Projection {
  readonly name: string;
  checkpoint(): Promise<number>;
  apply(events: readonly RecordedEvent[]): Promise<void>;
  /** Records an event the projection cannot apply, then moves the checkpoint past it. */
  deadLetter(event: RecordedEvent, error: unknown): Promise<void>;
}

/**
 * Thrown by a projection when one event can never be applied (bad data, a
 * document the engine rejects): the runner dead-letters that event and goes on.
 * Any other error is taken as transient (engine down) and retried.
 */
export class PoisonEventError extends Error {
  constructor(
    readonly event: RecordedEvent,
    readonly reason: unknown,
  ) {
    super(`event at position ${event.position} (${event.type}) cannot be projected: ${reason instanceof Error ? reason.message : String(reason)}`);
  }
}
