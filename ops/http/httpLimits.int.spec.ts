// What the HTTP layer refuses before any route runs, over a real socket (the
// parser's limits cannot be reached through inject): an address that is too
// long answers 414, headers past Node's size limit 431, and bytes that are not
// HTTP 400, each in the one error shape with a snake_case code.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_URL_LENGTH } from './errorHandler.ts';
import type { FullApp } from '../../tests/support/fullApp.ts';
import { startFullApp } from '../../tests/support/fullApp.ts';

/** Sends `request` as raw bytes and reads the whole answer until the server closes or the answer is complete. */
function raw(port: number, request: string): Promise<{ status: number; headers: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    socket.on('data', (d: Buffer) => {
      data += d.toString('utf8');
      const split = data.indexOf('\r\n\r\n');
      const length = /content-length: (\d+)/i.exec(data)?.[1];
      if (split >= 0 && length !== undefined && Buffer.byteLength(data.slice(split + 4)) >= Number(length)) socket.end();
    });
    socket.on('error', reject);
    socket.on('close', () => {
      const split = data.indexOf('\r\n\r\n');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0), headers: data.slice(0, split), body: data.slice(split + 4) });
    });
    socket.write(request);
  });
}

describe('limits of the HTTP layer', () => {
  let t: FullApp;
  let port: number;
  beforeAll(async () => {
    t = await startFullApp('embedded');
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const address = t.app.server.address();
    port = typeof address === 'object' && address ? address.port : 0;
  });
  afterAll(async () => t?.close());

  it('answers an address longer than the limit with 414 uri_too_long, and one at the limit normally', async () => {
    const long = `/v1/search?text=${'a'.repeat(MAX_URL_LENGTH)}`;
    const res = await raw(port, `GET ${long} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
    expect(res.status).toBe(414);
    expect(JSON.parse(res.body)).toEqual({ statusCode: 414, code: 'uri_too_long', error: 'URI Too Long', message: `the address is longer than ${MAX_URL_LENGTH} characters` });
    const fits = `/v1/search?size=1&cursor=${'a'.repeat(MAX_URL_LENGTH - '/v1/search?size=1&cursor='.length)}`;
    expect(fits.length).toBe(MAX_URL_LENGTH);
    const answer = await raw(port, `GET ${fits} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
    // Routed and judged by the route: a cursor this long is not a valid one.
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({ statusCode: 400 });
  });

  it('answers headers past the size limit with 431 headers_too_large and closes the connection', async () => {
    const res = await raw(port, `GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`);
    expect(res.status).toBe(431);
    expect(res.headers).toMatch(/connection: close/i);
    expect(JSON.parse(res.body)).toEqual({ statusCode: 431, code: 'headers_too_large', error: 'Request Header Fields Too Large', message: 'the request headers are larger than the server accepts' });
  });

  it('answers bytes that are not HTTP with 400 bad_request', async () => {
    const res = await raw(port, 'HELLO there\r\n\r\n');
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toEqual({ statusCode: 400, code: 'bad_request', error: 'Bad Request', message: 'the request could not be parsed as HTTP' });
  });
});
