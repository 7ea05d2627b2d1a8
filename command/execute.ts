import { randomUUID } from 'node:crypto';
import type { Actor, DomainEvent, EventMetadata } from '../eventstore/events/index.ts';
import type { EventStore, NewEvent, RecordedEvent } from '../eventstore/port.ts';
import { WrongExpectedRevisionError } from '../eventstore/port.ts';
import type { Decider } from './decider.ts';
import { isDomainError } from './decider.ts';
import { ConcurrencyError, rejected } from './commandError.ts';

export interface CommandContext {
  actor: Actor;
  correlationId: string;
  causationId?: string;
  now: Date;
  idempotencyKey?: string;
}

export interface CommandReply {
  id: string;
  revision: number;
  position: number;
}

export interface Execution<Command, Event extends DomainEvent, State> {
  store: EventStore;
  streamId: string;
  id: string;
  decider: Decider<Command, Event, State>;
  /** Builds the command from the current state (some commands read their own stream). */
  command: Command | ((state: State) => Command);
  /** The client's `If-Match` revision: a mismatch is a 409 and there is no retry. */
  ifMatch?: number;
  ctx: CommandContext;
}

const maxAttempts = 5;

export function metadataOf(ctx: CommandContext): EventMetadata {
  return {
    actor: ctx.actor,
    correlationId: ctx.correlationId,
    causationId: ctx.causationId ?? ctx.correlationId,
    occurredAt: ctx.now.toISOString(),
    ...(ctx.idempotencyKey ? { idempotencyKey: ctx.idempotencyKey } : {}),
  };
}

/** Folds one stream's recorded events with its decider. */
export function foldStream<Event extends DomainEvent, State>(
  decider: Pick<Decider<unknown, Event, State>, 'evolve' | 'initialState'>,
  events: readonly RecordedEvent[],
): State {
  // A stream only ever holds its own aggregate's events (streams are named per aggregate).
  return events.reduce((state, e) => decider.evolve(state, e as unknown as Event), decider.initialState());
}

/**
 * Read the stream, decide, append with the revision that was read. Without
 * If-Match a concurrent append is retried on fresh state (the decision is taken
 * again, so no update is lost); with If-Match it is the client's 409.
 */
export async function execute<Command, Event extends DomainEvent, State>(x: Execution<Command, Event, State>): Promise<CommandReply & { appended: number; first?: RecordedEvent; replayed?: boolean }> {
  for (let attempt = 1; ; attempt++) {
    const recorded = await x.store.readStream(x.streamId);
    const last = recorded.at(-1);
    const revision = last ? last.revision : -1;
    if (x.ifMatch !== undefined && x.ifMatch !== revision) {
      throw new ConcurrencyError('revision_mismatch', `If-Match revision ${x.ifMatch} is stale: the current revision is ${revision}`, { currentRevision: revision });
    }
    // A retry of a request whose events are already in (the process died before it answered): the first answer again.
    const own = x.ctx.idempotencyKey ? recorded.filter((e) => e.metadata.idempotencyKey === x.ctx.idempotencyKey) : [];
    const lastOwn = own.at(-1);
    if (lastOwn) return { id: x.id, revision: lastOwn.revision, position: lastOwn.position, appended: 0, replayed: true };
    const state = foldStream(x.decider, recorded);
    const command = typeof x.command === 'function' ? (x.command as (s: State) => Command)(state) : x.command;
    const decided = x.decider.decide(command, state);
    if (isDomainError(decided)) {
      throw rejected(decided);
    }
    if (decided.length === 0) {
      return { id: x.id, revision, position: last?.position ?? 0, appended: 0, ...(recorded[0] ? { first: recorded[0] } : {}) };
    }
    const events: NewEvent[] = decided.map((e: DomainEvent) => ({
      ...e,
      eventId: randomUUID(),
      metadata: metadataOf(x.ctx),
    }));
    try {
      const result = await x.store.append(x.streamId, events, last ? revision : 'no_stream');
      return { id: x.id, revision: result.revision, position: result.position, appended: events.length };
    } catch (err) {
      if (!(err instanceof WrongExpectedRevisionError)) throw err;
      if (x.ifMatch !== undefined || attempt >= maxAttempts) {
        throw new ConcurrencyError('concurrent_modification', `${x.streamId} was changed concurrently; read it again and retry`);
      }
    }
  }
}
