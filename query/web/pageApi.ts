import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { ApiAnswer, ApiCall, ApiRequest } from './apiCall.ts';
import { refusal } from './apiCall.ts';
import { pageError } from './pageError.ts';
import type { WebRole } from './session.ts';

/** Signed-in pages for one role: anyone else is sent to sign in, or told these pages are not theirs. */
export function requireWebRole(role: WebRole, otherwise: string): preHandlerAsyncHookHandler {
  return async (request, reply) => {
    if (!request.web) return reply.redirect(`/sign-in?next=${encodeURIComponent(request.method === 'GET' ? request.url : '/')}`, 303);
    if (request.web.user.role !== role) throw pageError(403, otherwise);
    void reply.header('cache-control', 'private, no-store');
  };
}

/** The API as the pages use it: an answer that is not one of `ok` becomes the page's error, with the API's status and fields. */
export function pageApi(api: ApiCall) {
  function check(answer: ApiAnswer, ok: readonly number[] = [200, 201]): ApiAnswer {
    if (ok.includes(answer.statusCode)) return answer;
    if (answer.statusCode === 401) throw pageError(401, 'Your session has ended. Please sign in again.', [], [{ href: '/sign-in', label: 'Sign in' }]);
    if (answer.statusCode >= 500) throw pageError(502, 'Something went wrong on our side. Please try again in a moment.');
    const { message, problems } = refusal(answer);
    throw pageError(answer.statusCode, message, problems);
  }
  return {
    api,
    check,
    call: async (request: FastifyRequest, req: ApiRequest, ok?: readonly number[]) => check(await api(request, req), ok),
    /** After a change: back to a page that waits for the change to be read (read-your-writes). */
    done: (reply: FastifyReply, to: string, answer: ApiAnswer) => reply.redirect(`${to}?after=${typeof answer.body.position === 'number' ? answer.body.position : 0}`, 303),
  };
}
