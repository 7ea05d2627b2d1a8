/**
 * The ways a read is refused. Each names a kind of refusal, not a transport
 * status: the HTTP layer in ops/ answers each kind with one status.
 */
export type ReadErrorKind = 'invalid' | 'forbidden' | 'not_found' | 'conflict' | 'gone' | 'unprocessable' | 'unavailable';

/**
 * A read refused on purpose. `code` is stable: clients switch on it, so
 * renaming one is a breaking change. `details` names the fields at fault.
 */
export class ReadError extends Error {
  constructor(
    readonly kind: ReadErrorKind,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** Seconds after which the same read may succeed (the read models are catching up). */
    readonly retryAfterS?: number,
  ) {
    super(message);
    this.name = 'ReadError';
  }
}

/** A 400 naming the one field at fault. */
export function invalidParam(field: string, message: string, code: string, errorCode = 'validation_failed'): ReadError {
  return new ReadError('invalid', errorCode, `${field}: ${message}`, [{ field, message, code }]);
}
