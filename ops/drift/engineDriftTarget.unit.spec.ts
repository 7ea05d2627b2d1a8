// The engine drift target's requests and how it reads the answers, against a
// client that records requests and answers from a script: the versions repairs
// write with (never undoing the projector), the retry of a missing document
// behind a delete's tombstone, which refusals are left alone and which fail.
import { describe, expect, it } from 'vitest';
import type { JobDocument } from '../../mappings/jobDocument.ts';
import type { BulkItem, BulkLine, SearchClient } from '../../query/engine/searchClient.ts';
import { engineDriftTarget } from './engineDriftTarget.ts';

const doc = (jobId: string, position: number): JobDocument => ({ jobId, position }) as unknown as JobDocument;

interface Recorded {
  bulks: BulkLine[][];
  searches: { index: string; body: Record<string, unknown> }[];
  requests: { method: string; path: string; body?: unknown }[];
  gets: { index: string; id: string }[];
}

function fakeClient(script: {
  bulk?: (lines: BulkLine[]) => BulkItem[];
  search?: (body: Record<string, unknown>) => { _id: string; _source?: JobDocument; _version?: number; sort?: unknown[] }[];
  request?: (path: string, body: unknown) => unknown;
  get?: (index: string, id: string) => { _source: { position: number } } | undefined;
} = {}): SearchClient & Recorded {
  const recorded: Recorded = { bulks: [], searches: [], requests: [], gets: [] };
  const client = {
    ...recorded,
    async bulk(lines: readonly BulkLine[]) {
      recorded.bulks.push([...lines]);
      return { took: 1, errors: false, items: script.bulk?.([...lines]) ?? [] };
    },
    async search(index: string, body: Record<string, unknown>) {
      recorded.searches.push({ index, body });
      return { hits: { hits: script.search?.(body) ?? [] } };
    },
    async request(req: { method: string; path: string; body?: unknown }) {
      recorded.requests.push(req);
      return { body: script.request?.(req.path, req.body) ?? {} };
    },
    async get(index: string, id: string) {
      recorded.gets.push({ index, id });
      return script.get?.(index, id);
    },
    count: async () => 7,
  };
  return client as unknown as SearchClient & Recorded;
}

const item = (action: BulkItem['action'], _id: string, status: number, error?: BulkItem['error']): BulkItem => ({ action, _index: 'jobs', _id, status, ...(error ? { error } : {}) });

describe('engineDriftTarget', () => {
  it('reads the projection checkpoint and the drift marker from the checkpoints index, 0 and none when absent', async () => {
    const client = fakeClient({ get: (_i, id) => (id === 'jobs' ? { _source: { position: 42 } } : undefined) });
    const target = engineDriftTarget(client, { prefix: 't1_' });
    expect(target.kind).toBe('search-engine');
    expect(await target.checkpoint()).toBe(42);
    expect(await target.lastCheckedPosition()).toBeUndefined();
    expect(await engineDriftTarget(fakeClient()).checkpoint()).toBe(0);
    expect(await target.count()).toBe(7);
    expect(new Set(client.gets.map((g) => g.index)).size).toBe(1);
    expect(client.gets[0]!.index).toMatch(/^t1_/);
  });

  it('records the last clean check under the drift marker, its id escaped in the path', async () => {
    const client = fakeClient();
    await engineDriftTarget(client, { prefix: 't1_' }).setLastCheckedPosition(99);
    expect(client.requests).toHaveLength(1);
    expect(client.requests[0]).toMatchObject({ method: 'PUT', path: expect.stringMatching(/^\/t1_\S+\/_doc\/drift%3Ajobs$/), body: { name: 'drift:jobs', position: 99 } });
  });

  it('repairs at max(position, the version seen), externally versioned, so a document the projector moved on is refused', async () => {
    const client = fakeClient({ bulk: (lines) => lines.filter((_, i) => i % 2 === 0).map((l) => item('index', (l.index as { _id: string })._id, 201)) });
    const target = engineDriftTarget(client, { alias: 'jobs_alias' });
    const result = await target.repair(
      [
        { doc: doc('j1', 10), seen: undefined },
        { doc: doc('j2', 10), seen: { doc: doc('j2', 8), version: 15 } },
        { doc: doc('j3', 20), seen: { doc: doc('j3', 20) } },
      ],
      [],
    );
    expect([...result.put]).toEqual(['j1', 'j2', 'j3']);
    expect(client.bulks).toHaveLength(1);
    const actions = client.bulks[0]!.filter((_, i) => i % 2 === 0);
    expect(actions).toEqual([
      { index: { _index: 'jobs_alias', _id: 'j1', version: 10, version_type: 'external_gte' } },
      { index: { _index: 'jobs_alias', _id: 'j2', version: 15, version_type: 'external_gte' } },
      { index: { _index: 'jobs_alias', _id: 'j3', version: 20, version_type: 'external_gte' } },
    ]);
    expect(client.bulks[0]![1]).toEqual(doc('j1', 10));
  });

  it('writes a missing document refused at its position with create (past a delete’s tombstone), and leaves a refused seen one alone', async () => {
    const client = fakeClient({
      bulk: (lines) => {
        const first = lines[0]!;
        if ('create' in first) return [item('create', 'j1', 201)];
        return [item('index', 'j1', 409), item('index', 'j2', 409)];
      },
    });
    const result = await engineDriftTarget(client).repair(
      [
        { doc: doc('j1', 10), seen: undefined },
        { doc: doc('j2', 10), seen: { doc: doc('j2', 9) } },
      ],
      [],
    );
    expect([...result.put]).toEqual(['j1']);
    expect(client.bulks).toHaveLength(2);
    expect(client.bulks[1]).toEqual([{ create: { _index: 'jobs', _id: 'j1' } }, doc('j1', 10)]);
  });

  it('deletes at the version seen; a document already gone or changed since is not counted, and no error', async () => {
    const client = fakeClient({ bulk: () => [item('delete', 'j1', 200), item('delete', 'j2', 404), item('delete', 'j3', 409)] });
    const result = await engineDriftTarget(client).repair([], [
      { seen: { doc: doc('j1', 5), version: 6 } },
      { seen: { doc: doc('j2', 5) } },
      { seen: { doc: doc('j3', 5) } },
    ]);
    expect([...result.deleted]).toEqual(['j1']);
    expect(result.put.size).toBe(0);
    expect(client.bulks[0]).toEqual([
      { delete: { _index: 'jobs', _id: 'j1', version: 6, version_type: 'external_gte' } },
      { delete: { _index: 'jobs', _id: 'j2', version: 5, version_type: 'external_gte' } },
      { delete: { _index: 'jobs', _id: 'j3', version: 5, version_type: 'external_gte' } },
    ]);
  });

  it('fails on any other refusal, naming the documents and the reasons', async () => {
    const client = fakeClient({ bulk: () => [item('index', 'j1', 400, { type: 'mapper_parsing_exception', reason: 'bad field' }), item('index', 'j2', 503)] });
    await expect(engineDriftTarget(client).repair([{ doc: doc('j1', 1), seen: undefined }, { doc: doc('j2', 1), seen: undefined }], [])).rejects.toThrow(
      'drift repair: 2 documents refused: j1 (400 mapper_parsing_exception: bad field); j2 (503 : )',
    );
  });

  it('sends no request for an empty repair', async () => {
    const client = fakeClient();
    expect(await engineDriftTarget(client).repair([], [])).toEqual({ put: new Set(), deleted: new Set() });
    expect(client.bulks).toEqual([]);
  });

  it('scans page by page in job id order, after the last sort key, above a position when asked', async () => {
    const pages = [
      Array.from({ length: 1000 }, (_, i) => ({ _id: `j${i}`, _source: doc(`j${i}`, i), _version: i + 1, sort: [`j${i}`] })),
      [{ _id: 'k1', _source: doc('k1', 5), sort: ['k1'] }, { _id: 'k2', sort: ['k2'] }],
    ];
    let call = 0;
    const client = fakeClient({ search: () => pages[call++] ?? [] });
    const seen: { doc: JobDocument; version?: number }[][] = [];
    await engineDriftTarget(client).scan((page) => void seen.push(page), { abovePosition: 3 });
    expect(seen.map((p) => p.length)).toEqual([1000, 1]);
    expect(seen[0]![0]).toEqual({ doc: doc('j0', 0), version: 1 });
    expect(seen[1]![0]).toEqual({ doc: doc('k1', 5) });
    expect(client.searches[0]!.body).toMatchObject({ query: { range: { position: { gt: 3 } } }, size: 1000, sort: [{ jobId: 'asc' }], version: true });
    expect(client.searches[0]!.body).not.toHaveProperty('search_after');
    expect(client.searches[1]!.body).toMatchObject({ search_after: ['j999'] });

    const empty = fakeClient();
    const none: unknown[] = [];
    await engineDriftTarget(empty).scan((page) => void none.push(page));
    expect(none).toEqual([]);
    expect(empty.searches[0]!.body).toMatchObject({ query: { match_all: {} } });
  });

  it('gets documents by id in chunks, leaving out the ones not found', async () => {
    const client = fakeClient({
      request: (_path, body) => ({
        docs: (body as { ids: string[] }).ids.map((id) => (id.endsWith('7') ? { _id: id, found: false } : { _id: id, found: true, _version: 3, _source: doc(id, 2) })),
      }),
    });
    const ids = Array.from({ length: 1500 }, (_, i) => `j${i}`);
    const got = await engineDriftTarget(client, { alias: 'my jobs' }).getJobs(ids);
    expect(client.requests.map((r) => [r.method, r.path, (r.body as { ids: string[] }).ids.length])).toEqual([
      ['POST', '/my%20jobs/_mget', 1000],
      ['POST', '/my%20jobs/_mget', 500],
    ]);
    expect(got.size).toBe(1500 - 150);
    expect(got.get('j1')).toEqual({ doc: doc('j1', 2), version: 3 });
    expect(got.has('j7')).toBe(false);
  });
});
