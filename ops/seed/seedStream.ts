import type { DomainEvent } from '../../eventstore/events/index.ts';

export type SeedStreamKind = 'business' | 'job' | 'worker';

export interface SeedStream {
  /** Businesses come first, then jobs, then workers (whose saved jobs point at jobs). */
  kind: SeedStreamKind;
  streamId: string;
  events: DomainEvent[];
  /** When each event happened (ISO instant), one per event, non-decreasing: for the metadata. */
  occurredAt: string[];
}
