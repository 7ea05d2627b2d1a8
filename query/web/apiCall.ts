// The signed-in pages are clients of the public API: every read and write
// they make goes through the API's own routes (in-process, by inject) with
// the session's token, so authorization, validation and limits are the
// API's and nothing is decided twice.
import type { FastifyInstance, FastifyRequest } from 'fastify';

export interface ApiAnswer {
  statusCode: number;
  body: Record<string, unknown>;
}

export interface ApiRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  body?: Record<string, unknown>;
  /** Preconditions of the call (If-Match). */
  headers?: Record<string, string>;
}

export type ApiCall = (request: FastifyRequest, call: ApiRequest) => Promise<ApiAnswer>;

/** Calls the API of `app` as the signed-in user of `request` (anonymously when nobody is). */
export function injectApi(app: FastifyInstance): ApiCall {
  return async (request, { method, url, body, headers: extra }) => {
    const headers: Record<string, string> = { ...extra, 'x-request-id': `${request.id}.api`, accept: 'application/json' };
    if (request.web) headers.authorization = `Bearer ${request.web.token}`;
    if (body) headers['content-type'] = 'application/json';
    const res = await app.inject({ method, url, headers, ...(body ? { payload: JSON.stringify(body) } : {}) });
    let parsed: unknown;
    try {
      parsed = res.body ? JSON.parse(res.body) : {};
    } catch {
      parsed = {};
    }
    return { statusCode: res.statusCode, body: typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {} };
  };
}

/** The API's message for a refused call, with the fields at fault. */
export function refusal(answer: ApiAnswer): { message: string; problems: string[] } {
  const message = typeof answer.body.message === 'string' ? answer.body.message : 'the request was refused';
  const details = Array.isArray(answer.body.details) ? (answer.body.details as Array<{ field?: unknown; message?: unknown }>) : [];
  const text = (v: unknown): string => (typeof v === 'string' ? v : '');
  return { message, problems: details.map((d) => `${text(d.field)}: ${text(d.message)}`) };
}
