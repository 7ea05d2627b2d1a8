// BaseSearchClient's REST paths and how it reads the engine's answers,
// through an adapter whose transport answers from a script: the requests each
// method sends, the shapes it normalizes (totals, bulk items, aliases), and the
// errors it raises from each shape of error body.
import { describe, expect, it } from 'vitest';
import type { EngineRequest, EngineResponse } from './searchClient.ts';
import { BaseSearchClient, SearchEngineError } from './searchClient.ts';

class ScriptedClient extends BaseSearchClient {
  readonly engine = 'opensearch' as const;
  readonly sent: EngineRequest[] = [];
  constructor(private readonly answer: (req: EngineRequest) => EngineResponse) {
    super();
  }
  protected send(req: EngineRequest): Promise<EngineResponse> {
    this.sent.push(req);
    return Promise.resolve(this.answer(req));
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

const answering = (statusCode: number, body: unknown = {}) => new ScriptedClient(() => ({ statusCode, body }));

const errorFrom = async (statusCode: number, body: unknown): Promise<SearchEngineError> => {
  const err = await answering(statusCode, body).request({ method: 'GET', path: '/jobs/_search' }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SearchEngineError);
  return err as SearchEngineError;
};

describe('engine errors', () => {
  it('carry the status, the engine’s error type and reason, and the request', async () => {
    const err = await errorFrom(404, { error: { type: 'index_not_found_exception', reason: 'no such index [jobs]' }, status: 404 });
    expect(err).toMatchObject({ name: 'SearchEngineError', statusCode: 404, type: 'index_not_found_exception', message: 'GET /jobs/_search: 404 index_not_found_exception: no such index [jobs]' });
    expect(err.body).toEqual({ error: { type: 'index_not_found_exception', reason: 'no such index [jobs]' }, status: 404 });
  });

  it('take the reason of the root cause when the error has none, and name an untyped error unknown_error', async () => {
    expect((await errorFrom(400, { error: { type: 'search_phase_execution_exception', root_cause: [{ reason: 'bad query' }] } })).message).toBe(
      'GET /jobs/_search: 400 search_phase_execution_exception: bad query',
    );
    expect((await errorFrom(400, { error: { root_cause: [] } })).message).toBe('GET /jobs/_search: 400 unknown_error');
    expect((await errorFrom(400, { error: { type: 7, reason: 8 } })).type).toBe('unknown_error');
  });

  it('read an error given as a string, a plain text body (cut at 500 characters) and any other body', async () => {
    expect(await errorFrom(401, { error: 'unauthorized' })).toMatchObject({ type: 'unauthorized', message: 'GET /jobs/_search: 401 unauthorized' });
    const text = await errorFrom(502, `Bad Gateway ${'x'.repeat(600)}`);
    expect(text.type).toBe('unknown_error');
    expect(text.message).toBe(`GET /jobs/_search: 502 unknown_error: Bad Gateway ${'x'.repeat(500 - 'Bad Gateway '.length)}`);
    expect((await errorFrom(500, null)).message).toBe('GET /jobs/_search: 500 unknown_error');
    expect((await errorFrom(500, [1, 2])).message).toBe('GET /jobs/_search: 500 unknown_error');
  });

  it('are not raised for a status the request says to ignore', async () => {
    const res = await answering(404, { found: false }).request({ method: 'GET', path: '/x', ignore: [404] });
    expect(res).toEqual({ statusCode: 404, body: { found: false } });
  });
});

describe('client methods', () => {
  it('info tells OpenSearch by its distribution and Elasticsearch otherwise, with defaults for what is missing', async () => {
    expect(await answering(200, { cluster_name: 'c', version: { number: '2.19.1', distribution: 'opensearch', lucene_version: '9.12.1' } }).info()).toEqual({
      engine: 'opensearch', version: '2.19.1', clusterName: 'c', luceneVersion: '9.12.1',
    });
    expect(await answering(200, {}).info()).toEqual({ engine: 'elasticsearch', version: 'unknown', clusterName: '' });
  });

  it('bulk sends nothing for no lines, else NDJSON lines with the refresh asked, and normalizes every item', async () => {
    const none = answering(200);
    expect(await none.bulk([])).toEqual({ took: 0, errors: false, items: [] });
    expect(none.sent).toEqual([]);

    const client = answering(200, {
      took: 5,
      items: [
        { index: { _index: 'jobs_v1', _id: 'j1', status: 201, result: 'created', _version: 3 } },
        { delete: { _index: 'jobs_v1', _id: 'j2', status: 404, result: 'not_found' } },
        { create: { status: 409, error: { type: 'version_conflict_engine_exception', reason: 'exists' } } },
        {},
      ],
    });
    const res = await client.bulk([{ index: { _index: 'jobs', _id: 'j1' } }, { title: 'a' }], { refresh: 'wait_for' });
    expect(client.sent[0]).toEqual({ method: 'POST', path: '/_bulk', bulkBody: [{ index: { _index: 'jobs', _id: 'j1' } }, { title: 'a' }], querystring: { refresh: 'wait_for' } });
    expect(res).toEqual({
      took: 5,
      errors: true,
      items: [
        { action: 'index', _index: 'jobs_v1', _id: 'j1', status: 201, result: 'created', _version: 3 },
        { action: 'delete', _index: 'jobs_v1', _id: 'j2', status: 404, result: 'not_found' },
        { action: 'create', _index: '', _id: '', status: 409, error: { type: 'version_conflict_engine_exception', reason: 'exists' } },
        { action: 'index', _index: '', _id: '', status: 0 },
      ],
    });
    expect((await answering(200, { errors: false }).bulk([{ delete: { _index: 'x', _id: '1' } }])).errors).toBe(false);
  });

  it('search gives the total as an object whatever the engine sent, none when it sent none, and aggregations only when there are some', async () => {
    const hit = { _index: 'jobs_v1', _id: 'j1', _score: 1, _source: { title: 'a' } };
    const asNumber = await answering(200, { took: 1, timed_out: false, hits: { total: 12, max_score: 1, hits: [hit] } }).search('jobs', { query: { match_all: {} } });
    expect(asNumber).toEqual({ took: 1, timed_out: false, hits: { total: { value: 12, relation: 'eq' }, max_score: 1, hits: [hit] } });
    const asObject = await answering(200, { took: 1, timed_out: false, hits: { total: { value: 10000, relation: 'gte' }, hits: [] }, aggregations: { by: {} } }).search(['a', 'b c'], {});
    expect(asObject.hits).toEqual({ total: { value: 10000, relation: 'gte' }, max_score: null, hits: [] });
    expect(asObject.aggregations).toEqual({ by: {} });
    const noTotal = answering(200, { took: 1, timed_out: false, hits: { hits: [] } });
    expect((await noTotal.search('jobs', {})).hits).not.toHaveProperty('total');
  });

  it('names several indexes in one path, each escaped', async () => {
    const client = answering(200, { count: 3 });
    expect(await client.count(['jobs', 'saved jobs'])).toBe(3);
    expect(await client.count('jobs', { term: { status: 'open' } })).toBe(3);
    expect(client.sent).toEqual([
      { method: 'POST', path: '/jobs,saved%20jobs/_count', body: {} },
      { method: 'POST', path: '/jobs/_count', body: { query: { term: { status: 'open' } } } },
    ]);
  });

  it('get gives null for a missing document or index, else the document without its found flag', async () => {
    expect(await answering(404, { found: false }).get('jobs', 'j1')).toBeNull();
    expect(await answering(200, { found: false }).get('jobs', 'j1')).toBeNull();
    expect(await answering(200, undefined).get('jobs', 'j1')).toBeNull();
    const client = answering(200, { _index: 'jobs_v1', _id: 'a/b', _version: 2, found: true, _source: { title: 't' } });
    expect(await client.get('jobs', 'a/b')).toEqual({ _index: 'jobs_v1', _id: 'a/b', _version: 2, _source: { title: 't' } });
    expect(client.sent[0]).toMatchObject({ method: 'GET', path: '/jobs/_doc/a%2Fb', ignore: [404] });
  });

  it('getAliases lists the aliases of each index sorted, and nothing for an unknown alias or an odd answer', async () => {
    const client = answering(200, { jobs_v2: { aliases: { jobs: {}, 'a-jobs': {} } }, jobs_v1: { aliases: {} }, other: 'not an entry' });
    expect(await client.getAliases('jobs')).toEqual({ jobs_v2: ['a-jobs', 'jobs'], jobs_v1: [] });
    expect(client.sent[0]).toMatchObject({ path: '/_alias/jobs' });
    expect(await answering(404, { error: 'alias [x] missing' }).getAliases('x')).toEqual({});
    expect(await answering(200, ['odd']).getAliases()).toEqual({});
  });

  it('sends the paths of the index, alias, refresh and delete-by-query calls', async () => {
    const client = answering(200, { deleted: 4 });
    await client.createIndex('jobs_v3');
    await client.deleteIndex(['jobs_v1', 'jobs_v2']);
    await client.deleteIndex('gone', { ignoreMissing: true });
    await client.refresh();
    await client.refresh(['jobs', 'lists']);
    await client.updateAliases([{ remove: { index: 'jobs_v1', alias: 'jobs' } }]);
    expect(await client.deleteByQuery('jobs', { match_all: {} }, { refresh: true })).toEqual({ deleted: 4 });
    expect(await answering(200, {}).deleteByQuery(['a', 'b'], { match_all: {} })).toEqual({ deleted: 0 });
    expect(client.sent).toEqual([
      { method: 'PUT', path: '/jobs_v3', body: {} },
      { method: 'DELETE', path: '/jobs_v1,jobs_v2' },
      { method: 'DELETE', path: '/gone', querystring: { ignore_unavailable: true }, ignore: [404] },
      { method: 'POST', path: '/_refresh' },
      { method: 'POST', path: '/jobs,lists/_refresh' },
      { method: 'POST', path: '/_aliases', body: { actions: [{ remove: { index: 'jobs_v1', alias: 'jobs' } }] } },
      { method: 'POST', path: '/jobs/_delete_by_query', querystring: { conflicts: 'proceed', refresh: true }, body: { query: { match_all: {} } } },
    ]);
  });

  it('indexExists is true for 200 and false for 404', async () => {
    expect(await answering(200).indexExists('jobs')).toBe(true);
    expect(await answering(404).indexExists('jobs')).toBe(false);
    await expect(answering(500, { error: 'boom' }).indexExists('jobs')).rejects.toThrow('HEAD /jobs: 500 boom');
  });
});
