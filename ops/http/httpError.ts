/**
 * An answer the HTTP layer itself gives (a missing or bad token, a spent rate
 * budget, a refused operator action), with its status. Commands and reads
 * raise their own errors (command/commandError.ts, query/model/readError.ts);
 * errorHandler.ts maps those.
 */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const unauthorized = (message = 'a valid bearer token is required') => new HttpError(401, 'unauthorized', message);
export const forbidden = (message: string) => new HttpError(403, 'forbidden', message);
