import type { DomainEvent, EventType } from './catalog.ts';
import { eventCatalog, isEventType } from './catalog.ts';
import { EventMetadata } from './metadata.ts';
import { upcast } from './upcasters.ts';

export class UnknownEventTypeError extends Error {
  constructor(readonly type: string) {
    super(`unknown event type ${type}`);
  }
}

/** Validates stored data against its schema after upcasting it to the current version. */
export function decodeEvent(type: string, storedVersion: number, data: unknown): DomainEvent {
  if (!isEventType(type)) throw new UnknownEventTypeError(type);
  const current = upcast(type, storedVersion, data);
  const parsed: unknown = eventCatalog[type].schema.parse(current);
  return { type, data: parsed } as DomainEvent;
}

export function decodeMetadata(raw: unknown): EventMetadata {
  return EventMetadata.parse(raw);
}

/** The version new events of `type` are written with. */
export function currentVersion(type: EventType): number {
  return eventCatalog[type].version;
}

