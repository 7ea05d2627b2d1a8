import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CommandError, ConcurrencyError } from '../../command/commandError.ts';
import { pathOf } from '../../command/http/fieldPath.ts';
import { InvalidCursorError } from '../../query/model/invalidCursorError.ts';
import { ReadError } from '../../query/model/readError.ts';
import { installErrorHandler } from './errorHandler.ts';
import { HttpError } from './httpError.ts';

describe('pathOf', () => {
  it.each([
    [[], ''],
    [['pay'], 'pay'],
    [['pay', 'min'], 'pay.min'],
    [['skills', 2], 'skills[2]'],
    [['items', 0, 'name'], 'items[0].name'],
    [[3], '[3]'],
    [[Symbol.for('s')], 'Symbol(s)'],
  ])('writes %j as %j', (path, expected) => {
    expect(pathOf(path)).toBe(expected);
  });
});

describe('the error handler', () => {
  let app: FastifyInstance;
  const logged: { msg: string }[] = [];

  beforeAll(async () => {
    app = Fastify({
      bodyLimit: 64,
      logger: { level: 'error', stream: { write: (line: string) => void logged.push(JSON.parse(line) as { msg: string }) } },
    });
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    installErrorHandler(app);
    const typed = app.withTypeProvider<ZodTypeProvider>();
    typed.get('/api-error', async () => {
      throw new HttpError(409, 'conflict_here', 'it conflicts', { at: 'x' }, { 'retry-after': '3' });
    });
    typed.get('/command-error', async () => {
      throw new CommandError('conflict', 'idempotency_key_in_use', 'still running', undefined, 1);
    });
    typed.get('/concurrency-error', async () => {
      throw new ConcurrencyError('revision_mismatch', 'stale', { currentRevision: 3 });
    });
    typed.get('/read-error', async () => {
      throw new ReadError('gone', 'job_closed', 'job j1 is closed (filled)', { reason: 'filled' });
    });
    typed.get('/api-error-plain', async () => {
      throw new HttpError(404, 'not_found', 'job not found');
    });
    typed.post(
      '/validate',
      { schema: { body: z.object({ pay: z.object({ min: z.number() }), skills: z.array(z.string()) }).strict() } },
      async () => ({ ok: true }),
    );
    typed.get('/query', { schema: { querystring: z.object({ limit: z.coerce.number().int().max(10) }) } }, async () => ({ ok: true }));
    typed.get('/bad-response', { schema: { response: { 200: z.object({ n: z.number() }) } } }, async () => ({ n: 'not a number' }) as never);
    typed.get('/boom', async () => {
      throw new Error('secret database detail');
    });
    typed.get('/unavailable', async () => {
      throw Object.assign(new Error('engine down: 10.0.0.3'), { statusCode: 503 });
    });
    typed.get('/teapot', async () => {
      throw Object.assign(new Error('short and stout'), { statusCode: 418, code: 'SOMETHING_ELSE' });
    });
    typed.get('/unnamed-status', async () => {
      throw Object.assign(new Error('client went away'), { statusCode: 499 });
    });
    typed.get('/cursor', async () => {
      throw new InvalidCursorError('cursor is not one this API gave');
    });
    typed.get('/low-status', async () => {
      throw Object.assign(new Error('redirect?'), { statusCode: 302 });
    });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
  });

  it('answers a refused command or read with the one status of its kind, its code, details and Retry-After', async () => {
    const command = await app.inject('/command-error');
    expect(command.statusCode).toBe(409);
    expect(command.headers['retry-after']).toBe('1');
    expect(command.json()).toEqual({ statusCode: 409, code: 'idempotency_key_in_use', error: 'Conflict', message: 'still running' });
    expect((await app.inject('/concurrency-error')).json()).toEqual({ statusCode: 409, code: 'revision_mismatch', error: 'Conflict', message: 'stale', details: { currentRevision: 3 } });
    const read = await app.inject('/read-error');
    expect(read.headers['retry-after']).toBeUndefined();
    expect(read.json()).toEqual({ statusCode: 410, code: 'job_closed', error: 'Gone', message: 'job j1 is closed (filled)', details: { reason: 'filled' } });
  });

  it('answers an HttpError with its status, code, message, details and headers', async () => {
    const res = await app.inject('/api-error');
    expect(res.statusCode).toBe(409);
    expect(res.headers['retry-after']).toBe('3');
    expect(res.json()).toEqual({ statusCode: 409, code: 'conflict_here', error: 'Conflict', message: 'it conflicts', details: { at: 'x' } });
  });

  it('leaves details out when an HttpError has none', async () => {
    const res = await app.inject('/api-error-plain');
    expect(res.json()).toEqual({ statusCode: 404, code: 'not_found', error: 'Not Found', message: 'job not found' });
  });

  it('names each invalid body field by its path, arrays by index', async () => {
    const res = await app.inject({ method: 'POST', url: '/validate', payload: { pay: { min: 'x' }, skills: ['a', 7] } });
    expect(res.statusCode).toBe(400);
    const body = res.json<{ code: string; message: string; details: { field: string; code: string }[] }>();
    expect(body.code).toBe('validation_failed');
    expect(body.details.map((d) => d.field)).toEqual(['body.pay.min', 'body.skills[1]']);
    expect(body.message).toMatch(/^body\.pay\.min: /);
  });

  it('lists each unknown field on its own', async () => {
    const res = await app.inject({ method: 'POST', url: '/validate', payload: { pay: { min: 1 }, skills: [], extra: 1, more: 2 } });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ details: unknown[] }>().details).toEqual([
      { field: 'body.extra', message: 'unknown field', code: 'unknown_field' },
      { field: 'body.more', message: 'unknown field', code: 'unknown_field' },
    ]);
  });

  it('names the part of the request at fault, and the part alone when the whole of it is', async () => {
    const query = await app.inject('/query?limit=99');
    expect(query.json<{ details: { field: string }[] }>().details[0]!.field).toBe('querystring.limit');
    const whole = await app.inject({ method: 'POST', url: '/validate', payload: '[]', headers: { 'content-type': 'application/json' } });
    expect(whole.statusCode).toBe(400);
    expect(whole.json<{ details: { field: string }[] }>().details[0]!.field).toBe('body');
  });

  it('hides a response that breaks its schema behind a 500 and logs it', async () => {
    const res = await app.inject('/bad-response');
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ statusCode: 500, code: 'internal_error', error: 'Internal Server Error', message: 'internal server error' });
    expect(logged.map((l) => l.msg)).toContain('response did not match its schema');
  });

  it('hides the message of any 5xx and logs the error', async () => {
    for (const [url, status] of [['/boom', 500], ['/unavailable', 503]] as const) {
      const res = await app.inject(url);
      expect(res.statusCode).toBe(status);
      expect(res.body).not.toMatch(/secret|10\.0\.0\.3/);
      expect(res.json<{ code: string }>().code).toBe('internal_error');
    }
    expect(logged.filter((l) => l.msg === 'unhandled error')).toHaveLength(2);
  });

  it('treats a status below 400 on a thrown error as a 500', async () => {
    const res = await app.inject('/low-status');
    expect(res.statusCode).toBe(500);
    expect(res.json<{ code: string }>().code).toBe('internal_error');
  });

  it.each([
    ['invalid JSON', { method: 'POST', url: '/validate', payload: '{', headers: { 'content-type': 'application/json' } }, 400, 'invalid_json'],
    ['an empty JSON body', { method: 'POST', url: '/validate', payload: '', headers: { 'content-type': 'application/json' } }, 400, 'empty_body'],
    ['a body over the limit', { method: 'POST', url: '/validate', payload: { pad: 'x'.repeat(200) } }, 413, 'body_too_large'],
    ['a media type no parser takes', { method: 'POST', url: '/validate', payload: 'a', headers: { 'content-type': 'text/csv' } }, 415, 'unsupported_media_type'],
  ] as const)('gives fastify’s own 4xx for %s a stable code', async (_name, request, status, code) => {
    const res = await app.inject(request);
    expect(res.statusCode).toBe(status);
    expect(res.json<{ code: string; error: string }>()).toMatchObject({ statusCode: status, code });
  });

  it('passes the message of other 4xx errors through, a cursor error as invalid_cursor, others as bad_request', async () => {
    const cursor = await app.inject('/cursor');
    expect(cursor.json()).toEqual({ statusCode: 400, code: 'invalid_cursor', error: 'Bad Request', message: 'cursor is not one this API gave' });
    const teapot = await app.inject('/teapot');
    expect(teapot.json()).toEqual({ statusCode: 418, code: 'bad_request', error: "I'm a Teapot", message: 'short and stout' });
    const unnamed = await app.inject('/unnamed-status');
    expect(unnamed.json()).toEqual({ statusCode: 499, code: 'bad_request', error: 'Error', message: 'client went away' });
  });

  it('answers an unknown route with route_not_found, without the query string', async () => {
    const res = await app.inject('/nowhere?token=abc');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ statusCode: 404, code: 'route_not_found', error: 'Not Found', message: 'route GET /nowhere not found' });
  });
});

