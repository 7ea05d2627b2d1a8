/**
 * A decider is the pure heart of an aggregate: no I/O, no clock, no random ids.
 * Time and ids arrive inside the command.
 */
export interface Decider<Command, Event, State> {
  decide(command: Command, state: State): readonly Event[] | DomainError;
  evolve(state: State, event: Event): State;
  initialState(): State;
}

/** Which kind of rule refused: ownership, an unknown aggregate, a state conflict, or any other rule. */
export type DomainErrorKind = 'forbidden' | 'not_found' | 'conflict' | 'unprocessable';

/** A broken business rule, with a stable machine-readable code. */
export class DomainError {
  constructor(
    readonly code: string,
    readonly message: string,
    readonly kind: DomainErrorKind = 'unprocessable',
  ) {}
}

export function isDomainError(value: unknown): value is DomainError {
  return value instanceof DomainError;
}

/** Folds a stream's events into state. */
export function fold<Event, State>(decider: Pick<Decider<unknown, Event, State>, 'evolve' | 'initialState'>, events: readonly Event[]): State {
  return events.reduce((state, event) => decider.evolve(state, event), decider.initialState());
}

/** Exhaustiveness guard for switches over command and event types. */
export function assertNever(value: never): never {
  throw new Error(`unhandled variant: ${JSON.stringify(value)}`);
}
