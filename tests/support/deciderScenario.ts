/**
 * Given / when / then for deciders, for the unit specs:
 *
 *   const { given } = scenario(jobDecider);
 *   given([drafted]).when(publish).then([published]);
 *   given([]).when(publish).then('job_not_found', 'not_found');
 *
 * Every event the decider emits is also checked against the catalog: it must
 * parse with its type's current schema and come out unchanged, i.e. the data is
 * exactly what the schema describes (no extra keys, nothing left to normalise).
 */
import { expect } from 'vitest';
import type { Decider, DomainErrorKind } from '../../command/decider.ts';
import { DomainError, fold } from '../../command/decider.ts';
import type { DomainEvent } from '../../eventstore/events/index.ts';
import { eventCatalog } from '../../eventstore/events/index.ts';

export interface Then<Event, State> {
  /** Expects exactly these events, or a DomainError with this code (and kind, when given). */
  then(expected: readonly Event[] | string, kind?: DomainErrorKind): void;
  /** The state the given events fold to, for assertions of its own. */
  readonly state: State;
  /** What decide returned. */
  readonly result: readonly Event[] | DomainError;
}

export interface When<Command, Event, State> {
  when(command: Command): Then<Event, State>;
  readonly state: State;
}

/** Asserts that `event` is valid for the catalog and that its schema leaves it as it is. */
export function expectCatalogValid(event: DomainEvent): void {
  const parsed = eventCatalog[event.type].schema.safeParse(event.data);
  expect(parsed.success, `${event.type}: ${parsed.error?.message ?? ''}`).toBe(true);
  expect(parsed.data).toStrictEqual(event.data);
}

export interface Scenario<Command, Event, State> {
  readonly given: (history: readonly Event[]) => When<Command, Event, State>;
}

export function scenario<Command, Event extends DomainEvent, State>(
  decider: Decider<Command, Event, State>,
): Scenario<Command, Event, State> {
  return {
    given: (history) => {
      const state = fold(decider, history);
      return {
        state,
        when(command: Command): Then<Event, State> {
          const result = decider.decide(command, state);
          return {
            state,
            result,
            then(expected, kind) {
              if (typeof expected === 'string') {
                expect(result, `expected DomainError ${expected}`).toBeInstanceOf(DomainError);
                const error = result as DomainError;
                expect(error.code).toBe(expected);
                if (kind !== undefined) expect(error.kind).toBe(kind);
                return;
              }
              if (result instanceof DomainError) {
                expect.fail(`expected events, got DomainError ${result.code} (${result.kind}): ${result.message}`);
              }
              expect(result).toStrictEqual(expected);
              for (const event of result) expectCatalogValid(event);
            },
          };
        },
      };
    },
  };
}
