/** A page cursor that cannot be read (or belongs to another sort); the API answers 400 `invalid_cursor`. */
export class InvalidCursorError extends Error {
  constructor(message = 'invalid cursor') {
    super(message);
    this.name = 'InvalidCursorError';
  }
}
