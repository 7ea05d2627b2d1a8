import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { STATUS_CODES } from 'node:http';
import { CommandError, type CommandErrorKind } from '../../command/commandError.ts';
import { pathOf } from '../../command/http/fieldPath.ts';
import { InvalidCursorError } from '../../query/model/invalidCursorError.ts';
import { ReadError, type ReadErrorKind } from '../../query/model/readError.ts';
import { HttpError } from './httpError.ts';

export interface ErrorBody {
  statusCode: number;
  code: string;
  error: string;
  message: string;
  details?: unknown;
}

function body(statusCode: number, code: string, message: string, details?: unknown): ErrorBody {
  return { statusCode, code, error: STATUS_CODES[statusCode] ?? 'Error', message, ...(details === undefined ? {} : { details }) };
}

/** Longest request address (path and query) served; longer ones answer 414. */
export const MAX_URL_LENGTH = 8192;

/**
 * The raw answer to a request Node's HTTP parser refused before fastify saw it
 * (headers past the size limit: 431; anything unparsable: 400), in the error
 * shape of every other answer. The connection is closed after it.
 */
export function clientErrorResponse(err: { code?: string }): string {
  const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
  const status = tooLarge ? 431 : 400;
  const payload = JSON.stringify(tooLarge ? body(431, 'headers_too_large', 'the request headers are larger than the server accepts') : body(400, 'bad_request', 'the request could not be parsed as HTTP'));
  return `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(payload)}\r\nconnection: close\r\n\r\n${payload}`;
}

/** The one status each kind of refused command or read is answered with. */
export const statusOfKind: Record<CommandErrorKind | ReadErrorKind, number> = {
  invalid: 400,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  unprocessable: 422,
  unavailable: 503,
};

/**
 * One error shape for every failure: fastify's `{statusCode, code, error,
 * message}` plus `details` on validation. 5xx messages are hidden from clients
 * and logged instead.
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof HttpError) {
      if (err.headers) void reply.headers(err.headers);
      return reply.code(err.statusCode).send(body(err.statusCode, err.code, err.message, err.details));
    }
    if (err instanceof CommandError || err instanceof ReadError) {
      const status = statusOfKind[err.kind];
      if (err.retryAfterS !== undefined) void reply.header('retry-after', String(err.retryAfterS));
      return reply.code(status).send(body(status, err.code, err.message, err.details));
    }
    if (err instanceof InvalidCursorError) return reply.code(400).send(body(400, 'invalid_cursor', err.message));
    if (hasZodFastifySchemaValidationErrors(err)) {
      const context = err.validationContext ?? 'body';
      const details = err.validation.flatMap((v) => {
        const path = (v.instancePath ?? '').split('/').filter(Boolean).map((part) => (/^\d+$/.test(part) ? Number(part) : part));
        const at = (parts: readonly PropertyKey[]) => {
          const field = pathOf(parts);
          return field ? `${context}.${field}` : context;
        };
        const unknownKeys = (v.params as { keys?: unknown } | undefined)?.keys;
        if (v.keyword === 'unrecognized_keys' && Array.isArray(unknownKeys)) {
          return unknownKeys.map((k) => ({ field: at([...path, String(k)]), message: 'unknown field', code: 'unknown_field' }));
        }
        return [{ field: at(path), message: v.message ?? 'invalid', code: v.keyword }];
      });
      const first = details[0];
      const message = first ? `${first.field}: ${first.message}` : 'invalid request';
      return reply.code(400).send(body(400, 'validation_failed', message, details));
    }
    if (isResponseSerializationError(err)) {
      request.log.error({ err, issues: err.cause.issues }, 'response did not match its schema');
      return reply.code(500).send(body(500, 'internal_error', 'internal server error'));
    }
    const status = typeof err.statusCode === 'number' && err.statusCode >= 400 ? err.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err }, 'unhandled error');
      return reply.code(status).send(body(status, 'internal_error', 'internal server error'));
    }
    // Fastify's own 4xx (bad JSON, body too large, unsupported media type...).
    const code = fastifyCodes[err.code] ?? 'bad_request';
    return reply.code(status).send(body(status, code, err.message));
  });
  // An address past this length is refused before routing, in the same shape as every error.
  app.addHook('onRequest', async (request, reply) => {
    if (request.url.length > MAX_URL_LENGTH) return reply.code(414).send(body(414, 'uri_too_long', `the address is longer than ${MAX_URL_LENGTH} characters`));
  });
  app.setNotFoundHandler((request, reply) => {
    return reply.code(404).send(body(404, 'route_not_found', `route ${request.method} ${request.url.split('?')[0] ?? ''} not found`));
  });
}

const fastifyCodes: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'body_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'empty_body',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_content_length',
};
