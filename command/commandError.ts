import type { DomainError } from './decider.ts';

/**
 * The ways a command is refused. Each names a kind of refusal, not a
 * transport status: the HTTP layer in ops/ answers each kind with one status.
 */
export type CommandErrorKind = 'invalid' | 'forbidden' | 'not_found' | 'conflict' | 'unprocessable';

/**
 * A command refused on purpose. `code` is stable: clients switch on it, so
 * renaming one is a breaking change. `details` names the fields at fault.
 */
export class CommandError extends Error {
  constructor(
    readonly kind: CommandErrorKind,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** Seconds after which a retry may succeed (the request is still running elsewhere). */
    readonly retryAfterS?: number,
  ) {
    super(message);
    this.name = 'CommandError';
  }
}

/** The stream moved on: an `If-Match` revision is stale, or another writer appended first. */
export class ConcurrencyError extends CommandError {
  constructor(code: 'revision_mismatch' | 'concurrent_modification', message: string, details?: unknown) {
    super('conflict', code, message, details);
    this.name = 'ConcurrencyError';
  }
}

/** A 400 naming the one field at fault. */
export function invalidField(field: string, message: string, code: string, errorCode = 'validation_failed'): CommandError {
  return new CommandError('invalid', errorCode, `${field}: ${message}`, [{ field, message, code }]);
}

/** The refusal a decider answered with, raised to the caller. */
export function rejected(decided: DomainError): CommandError {
  return new CommandError(decided.kind, decided.code, decided.message);
}
