// The adapters' plumbing (status codes, ignore lists, bulk NDJSON, response
// normalization, engine detection) against a loopback HTTP server that answers
// like Elasticsearch 8 or OpenSearch 2. No Elasticsearch 8 can run here; the
// engine suites cover the real thing when ELASTICSEARCH_URL is set.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSearch, probeEngine } from '../../query/engine/connect.ts';
import { SearchEngineError } from '../../query/engine/searchClient.ts';

interface Seen {
  method: string;
  url: string;
  body: string;
}

function fakeEngine(distribution: 'opensearch' | 'elasticsearch'): { server: Server; seen: Seen[] } {
  const seen: Seen[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', body });
      const send = (status: number, payload?: unknown): void => {
        res.statusCode = status;
        res.setHeader('content-type', 'application/json');
        if (distribution === 'elasticsearch') res.setHeader('x-elastic-product', 'Elasticsearch');
        res.end(payload === undefined ? '' : JSON.stringify(payload));
      };
      const path = (req.url ?? '').split('?')[0];
      const route = `${req.method} ${path}`;
      switch (route) {
        case 'GET /':
          return send(200, {
            cluster_name: 'fake',
            version: { number: distribution === 'opensearch' ? '2.19.1' : '8.15.3', lucene_version: '9.12.1', ...(distribution === 'opensearch' ? { distribution } : {}) },
          });
        case 'HEAD /present':
          return send(200);
        case 'HEAD /absent':
          return send(404);
        case 'PUT /taken':
          return send(400, { error: { type: 'resource_already_exists_exception', reason: 'index [taken] already exists' }, status: 400 });
        case 'GET /_alias/jobs':
          return send(200, { jobs_v2: { aliases: { jobs: {} } } });
        case 'GET /_alias/none':
          return send(404, { error: 'alias [none] missing', status: 404 });
        case 'GET /jobs/_doc/1':
          return send(200, { _index: 'jobs_v2', _id: '1', _version: 3, _seq_no: 5, _primary_term: 1, found: true, _source: { title: 'a' } });
        case 'GET /jobs/_doc/2':
          return send(404, { _index: 'jobs_v2', _id: '2', found: false });
        case 'POST /_bulk':
          return send(200, {
            took: 3,
            errors: true,
            items: [
              { index: { _index: 'jobs', _id: '1', status: 201, result: 'created', _version: 1 } },
              { index: { _index: 'jobs', _id: '2', status: 409, error: { type: 'version_conflict_engine_exception', reason: 'version conflict' } } },
            ],
          });
        case 'POST /jobs,saved/_search':
          return send(200, { took: 1, timed_out: false, _shards: {}, hits: { total: 1, max_score: 1, hits: [{ _index: 'jobs_v2', _id: '1', _score: 1, _source: { title: 'a' } }] } });
        case 'POST /jobs/_count':
          return send(200, { count: 42 });
        default:
          return send(500, { error: { type: 'unexpected', reason: route } });
      }
    });
  });
  return { server, seen };
}

describe.each(['elasticsearch', 'opensearch'] as const)('SearchClient adapter for %s (fake server)', (distribution) => {
  const { server, seen } = fakeEngine(distribution);
  let url = '';

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('probes GET / and picks the matching adapter', async () => {
    expect(await probeEngine(url)).toEqual({ engine: distribution, version: distribution === 'opensearch' ? '2.19.1' : '8.15.3' });
    const client = await connectSearch(url);
    expect(client.engine).toBe(distribution);
    expect(await client.info()).toMatchObject({ engine: distribution, clusterName: 'fake', luceneVersion: '9.12.1' });
    await client.close();
  });

  it('normalizes answers and errors into plain JSON', async () => {
    const client = await connectSearch(url, { maxRetries: 0 });
    expect(await client.indexExists('present')).toBe(true);
    expect(await client.indexExists('absent')).toBe(false);
    const err = await client.createIndex('taken').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SearchEngineError);
    expect(err).toMatchObject({ statusCode: 400, type: 'resource_already_exists_exception' });
    expect(await client.getAliases('jobs')).toEqual({ jobs_v2: ['jobs'] });
    expect(await client.getAliases('none')).toEqual({});
    expect(await client.get('jobs', '1')).toEqual({ _index: 'jobs_v2', _id: '1', _version: 3, _seq_no: 5, _primary_term: 1, _source: { title: 'a' } });
    expect(await client.get('jobs', '2')).toBeNull();

    const bulk = await client.bulk(
      [{ index: { _index: 'jobs', _id: '1' } }, { title: 'a' }, { index: { _index: 'jobs', _id: '2', version: 7, version_type: 'external' } }, { title: 'b' }],
      { refresh: 'wait_for' },
    );
    expect(bulk.errors).toBe(true);
    expect(bulk.items).toEqual([
      { action: 'index', _index: 'jobs', _id: '1', status: 201, result: 'created', _version: 1 },
      { action: 'index', _index: 'jobs', _id: '2', status: 409, error: { type: 'version_conflict_engine_exception', reason: 'version conflict' } },
    ]);
    const sent = seen.find((s) => s.url.startsWith('/_bulk'))!;
    expect(sent.url).toContain('refresh=wait_for');
    expect(sent.body.trimEnd().split('\n').map((l) => JSON.parse(l) as unknown)).toHaveLength(4);

    const res = await client.search(['jobs', 'saved'], { query: { match_all: {} } });
    expect(res.hits.total).toEqual({ value: 1, relation: 'eq' }); // an int total is normalized
    expect(res.hits.hits[0]?._id).toBe('1');
    expect(await client.count('jobs', { match_all: {} })).toBe(42);
    await client.close();
  });
});
