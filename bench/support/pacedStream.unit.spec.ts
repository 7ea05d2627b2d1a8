// The paced load generator against a real HTTP server on loopback: requests
// arrive spread over the second at the offered rate (not as one burst), a
// stall of the server shows in the latency of every request due during it
// (counted from when it was due), unanswered requests end as time-outs, and
// arrivals that find the queue full are dropped unsent.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPaced } from './pacedStream.ts';

describe('runPaced', () => {
  const arrivals: number[] = [];
  let stallUntil = 0;
  let server: http.Server;
  let url = '';

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      arrivals.push(performance.now());
      if (req.url === '/never') return; // left unanswered: the client's time-out ends it
      const answer = (): void => {
        res.writeHead(req.url === '/missing' ? 404 : 200, { 'x-cache': req.url === '/cached' ? 'hit' : 'miss' });
        res.end('{}');
      };
      const wait = stallUntil - performance.now();
      if (wait > 0) setTimeout(answer, wait);
      else answer();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('spreads the offered rate over the run instead of sending each second as a burst', async () => {
    arrivals.length = 0;
    const out = await runPaced({ url, connections: 8, rate: 40, seconds: 1, next: () => ({ method: 'GET', path: '/ok' }) });
    expect(out.times).toHaveLength(40);
    expect(out.codes.get(200)).toBe(40);
    expect(out.cache).toEqual({ hits: 0, misses: 40 });
    // A burst would put all 40 arrivals within a few ms; paced, the first and last lie most of a second apart.
    expect(arrivals.at(-1)! - arrivals[0]!).toBeGreaterThan(800);
    // And no quarter of the second gets more than half of them.
    const start = arrivals[0]!;
    for (let q = 0; q < 4; q++) expect(arrivals.filter((t) => t - start >= q * 250 && t - start < (q + 1) * 250).length).toBeLessThanOrEqual(20);
  });

  it('counts a stall in the latency of every request due during it, from when it was due', async () => {
    stallUntil = performance.now() + 400;
    const out = await runPaced({ url, connections: 2, rate: 20, seconds: 1, next: () => ({ method: 'GET', path: '/ok' }) });
    stallUntil = 0;
    const sorted = [...out.times].sort((a, b) => a - b);
    // The first request waited the whole stall; those due later waited less; after it, answers are quick again.
    expect(sorted.at(-1)!).toBeGreaterThan(350);
    expect(sorted[0]!).toBeLessThan(100);
    expect(out.times.filter((t) => t > 100).length).toBeGreaterThanOrEqual(5);
  });

  it('ends unanswered requests as time-outs and counts answers that are not 2xx and cache hits', async () => {
    const paths = ['/never', '/missing', '/cached', '/ok'];
    let i = 0;
    const out = await runPaced({ url, connections: 4, rate: 40, seconds: 0.5, timeoutMs: 300, next: () => ({ method: 'POST', path: paths[i++ % 4]!, body: '{"a":1}' }) });
    expect(out.timeouts).toBe(5);
    expect(out.non2xx).toBe(5);
    expect(out.cache.hits).toBe(5);
    expect(out.times).toHaveLength(15);
    expect(out.errors).toBe(0);
  });

  it('drops unsent the arrivals that find the queue full, and answers the rest', async () => {
    stallUntil = performance.now() + 600;
    const out = await runPaced({ url, connections: 1, rate: 40, seconds: 0.5, queueLimit: 3, next: () => ({ method: 'GET', path: '/ok' }) });
    stallUntil = 0;
    expect(out.dropped).toBeGreaterThan(0);
    expect(out.timeouts).toBe(out.dropped);
    expect(out.times.length + out.dropped).toBe(20);
  });
});
