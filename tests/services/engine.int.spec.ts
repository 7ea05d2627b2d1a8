// Smoke test of the search engine through the SearchClient seam: the features
// the read side relies on (geo_point + geohash_grid/geo_centroid, painless
// script_score with params, percolator, analysis-common, mapper-extras, reindex,
// atomic alias swap). Runs against SEARCH_URL and, when set, ELASTICSEARCH_URL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSearch } from '../../query/engine/connect.ts';
import type { BulkLine, SearchClient } from '../../query/engine/searchClient.ts';
import { engineTargets } from '../support/engines.ts';
import { referenceGeohash } from '../support/referenceGeohash.ts';

const geohash = referenceGeohash;

interface JobDoc {
  title: string;
  skills: string[];
  pay: number;
  loc: { lat: number; lon: number };
}

const JOBS: Record<string, JobDoc> = {
  'berlin-a': { title: 'Barista for a busy cafe', skills: ['coffee'], pay: 10.5, loc: { lat: 52.52, lon: 13.405 } },
  'berlin-b': { title: 'Kitchen porter', skills: ['cleaning'], pay: 18, loc: { lat: 52.51, lon: 13.39 } },
  paris: { title: 'Seasonal grape pickers', skills: ['harvest'], pay: 20, loc: { lat: 48.8566, lon: 2.3522 } },
  nyc: { title: 'Dog walkers wanted', skills: ['dogs'], pay: 15.25, loc: { lat: 40.7128, lon: -74.006 } },
};

const MAPPINGS = {
  properties: {
    title: { type: 'text', analyzer: 'english' },
    skills: { type: 'keyword' },
    pay: { type: 'float' },
    loc: { type: 'geo_point' },
    query: { type: 'percolator' },
  },
};

const uid = `${process.pid}_${Date.now().toString(36)}`;

describe.each(engineTargets())('search engine at $label', ({ url }) => {
  let search: SearchClient;
  const jobs = `smoke_jobs_${uid}`;
  const created: string[] = [];

  beforeAll(async () => {
    search = await connectSearch(url);
    await search.createIndex(jobs, { settings: { number_of_shards: 1, number_of_replicas: 0 }, mappings: MAPPINGS });
    created.push(jobs);
    const lines: BulkLine[] = [];
    for (const [id, doc] of Object.entries(JOBS)) lines.push({ index: { _index: jobs, _id: id } }, { ...doc });
    // Two stored saved searches (percolator queries) in the same index.
    lines.push(
      { index: { _index: jobs, _id: 'saved-barista' } },
      { query: { bool: { must: [{ match: { title: 'barista' } }], filter: [{ term: { skills: 'coffee' } }] } } },
      { index: { _index: jobs, _id: 'saved-dogs' } },
      { query: { bool: { must: [{ match: { title: 'dog' } }] } } },
    );
    const res = await search.bulk(lines, { refresh: 'wait_for' });
    expect(res.errors, JSON.stringify(res.items.filter((i) => i.error))).toBe(false);
    expect(res.items).toHaveLength(6);
    expect(res.items.every((i) => i.action === 'index' && i.status === 201)).toBe(true);
  });

  afterAll(async () => {
    if (!search) return;
    await search.deleteIndex(created, { ignoreMissing: true });
    await search.close();
  });

  it('identifies the engine and its version', async () => {
    const info = await search.info();
    expect(search.engine).toBe(info.engine);
    expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
    console.info(`engine: ${info.engine} ${info.version} at ${url}`);
  });

  it('indexExists, get, count and deleteByQuery', async () => {
    expect(await search.indexExists(jobs)).toBe(true);
    expect(await search.indexExists(`${jobs}_missing`)).toBe(false);
    const doc = await search.get<JobDoc>(jobs, 'paris');
    expect(doc?._source.title).toBe('Seasonal grape pickers');
    expect(await search.get(jobs, 'nope')).toBeNull();
    expect(await search.get(`${jobs}_missing`, 'paris')).toBeNull();
    expect(await search.count(jobs, { exists: { field: 'loc' } })).toBe(4);
    expect(await search.count(jobs)).toBe(6);
  });

  it('geohash_grid + geo_centroid give the expected buckets', async () => {
    // Sanity of the reference encoder against well-known cells.
    expect(geohash(52.52, 13.405, 3)).toBe('u33');
    expect(geohash(48.8566, 2.3522, 3)).toBe('u09');
    expect(geohash(40.7128, -74.006, 3)).toBe('dr5');

    const res = await search.search(jobs, {
      size: 0,
      query: { exists: { field: 'loc' } },
      aggs: { cells: { geohash_grid: { field: 'loc', precision: 3 }, aggs: { centre: { geo_centroid: { field: 'loc' } } } } },
    });
    type Bucket = { key: string; doc_count: number; centre: { location: { lat: number; lon: number }; count: number } };
    const buckets = (res.aggregations?.cells as { buckets: Bucket[] }).buckets;

    const expected = new Map<string, JobDoc[]>();
    for (const doc of Object.values(JOBS)) {
      const key = geohash(doc.loc.lat, doc.loc.lon, 3);
      expected.set(key, [...(expected.get(key) ?? []), doc]);
    }
    expect(new Set(buckets.map((b) => b.key))).toEqual(new Set(expected.keys()));
    for (const bucket of buckets) {
      const docs = expected.get(bucket.key)!;
      expect(bucket.doc_count).toBe(docs.length);
      expect(bucket.centre.count).toBe(docs.length);
      const lat = docs.reduce((s, d) => s + d.loc.lat, 0) / docs.length;
      const lon = docs.reduce((s, d) => s + d.loc.lon, 0) / docs.length;
      expect(Math.abs(bucket.centre.location.lat - lat)).toBeLessThan(1e-5);
      expect(Math.abs(bucket.centre.location.lon - lon)).toBeLessThan(1e-5);
    }
    expect(buckets.find((b) => b.key === 'u33')?.doc_count).toBe(2);
  });

  it('painless script_score with params gives the expected scores', async () => {
    const params = { base: 1, factor: 2, decay: 0.01 };
    const res = await search.search<JobDoc>(jobs, {
      size: 10,
      query: {
        script_score: {
          query: { exists: { field: 'pay' } },
          script: {
            lang: 'painless',
            source: "double pay = doc['pay'].value; return params.base + params.factor * pay * Math.exp(-params.decay * pay);",
            params,
          },
        },
      },
    });
    expect(res.hits.hits).toHaveLength(4);
    const expected = (pay: number): number => params.base + params.factor * pay * Math.exp(-params.decay * pay);
    for (const hit of res.hits.hits) {
      const want = expected(hit._source!.pay);
      // scores are float32: compare with a relative tolerance
      expect(Math.abs((hit._score ?? 0) - want) / want).toBeLessThan(1e-6);
    }
    const order = res.hits.hits.map((h) => h._id);
    const wantOrder = Object.entries(JOBS)
      .sort(([, a], [, b]) => expected(b.pay) - expected(a.pay))
      .map(([id]) => id);
    expect(order).toEqual(wantOrder);
  });

  it('percolate finds the stored query that matches a new document', async () => {
    const res = await search.search(jobs, {
      query: { percolate: { field: 'query', document: { title: 'Baristas needed for the summer', skills: ['coffee'], pay: 12 } } },
    });
    expect(res.hits.hits.map((h) => h._id)).toEqual(['saved-barista']);
    const none = await search.search(jobs, { query: { percolate: { field: 'query', document: { title: 'Baristas', skills: ['tea'] } } } });
    expect(none.hits.hits).toHaveLength(0);
  });

  it('loads analysis-common (stemming, edge_ngram), mapper-extras and reindex', async () => {
    const idx = `smoke_text_${uid}`;
    await search.createIndex(idx, {
      settings: {
        number_of_shards: 1,
        number_of_replicas: 0,
        analysis: {
          tokenizer: { prefix: { type: 'edge_ngram', min_gram: 2, max_gram: 6, token_chars: ['letter'] } },
          filter: { stem: { type: 'stemmer', language: 'english' } },
          analyzer: {
            autocomplete: { type: 'custom', tokenizer: 'prefix', filter: ['lowercase'] },
            stemmed: { type: 'custom', tokenizer: 'standard', filter: ['lowercase', 'stem'] },
          },
        },
      },
      mappings: { properties: { title: { type: 'search_as_you_type' }, words: { type: 'token_count', analyzer: 'standard' } } },
    });
    created.push(idx);
    const analyze = async (analyzer: string, text: string): Promise<string[]> => {
      const res = await search.request({ method: 'POST', path: `/${idx}/_analyze`, body: { analyzer, text } });
      return (res.body as { tokens: { token: string }[] }).tokens.map((t) => t.token);
    };
    expect(await analyze('autocomplete', 'Barista')).toEqual(['ba', 'bar', 'bari', 'baris', 'barist']);
    expect(await analyze('stemmed', 'pickers picking')).toEqual(['picker', 'pick']);

    await search.bulk([{ index: { _index: idx, _id: '1' } }, { title: 'seasonal grape picker', words: 'one two three' }], { refresh: true });
    const sayt = await search.search(idx, { query: { multi_match: { query: 'seasonal gra', type: 'bool_prefix', fields: ['title', 'title._2gram', 'title._3gram'] } } });
    expect(sayt.hits.hits.map((h) => h._id)).toEqual(['1']);

    const copy = `${idx}_copy`;
    await search.createIndex(copy, { settings: { number_of_shards: 1, number_of_replicas: 0 } });
    created.push(copy);
    const reindex = await search.request({ method: 'POST', path: '/_reindex', querystring: { refresh: true }, body: { source: { index: idx }, dest: { index: copy } } });
    expect((reindex.body as { created: number }).created).toBe(1);
    expect(await search.count(copy)).toBe(1);
    const removed = await search.deleteByQuery(copy, { match_all: {} }, { refresh: true });
    expect(removed.deleted).toBe(1);
  });

  it('swaps an alias atomically: concurrent searches never fail and see the old or the new index', async () => {
    const alias = `smoke_alias_${uid}`;
    const v1 = `${alias}_v1`;
    const v2 = `${alias}_v2`;
    for (const [name, gen, n] of [[v1, 1, 3], [v2, 2, 5]] as const) {
      await search.createIndex(name, { settings: { number_of_shards: 1, number_of_replicas: 0 }, mappings: { properties: { gen: { type: 'integer' } } } });
      created.push(name);
      const lines: BulkLine[] = [];
      for (let i = 0; i < n; i++) lines.push({ index: { _index: name, _id: `${gen}-${i}` } }, { gen });
      const res = await search.bulk(lines, { refresh: true });
      expect(res.errors).toBe(false);
    }
    await search.updateAliases([{ add: { index: v1, alias } }]);
    expect(await search.getAliases(alias)).toEqual({ [v1]: [alias] });

    const seen: number[] = [];
    const failures: string[] = [];
    let swappedAt = 0;
    const reader = async (): Promise<void> => {
      while (swappedAt === 0 || Date.now() - swappedAt < 400) {
        try {
          const res = await search.search<{ gen: number }>(alias, { size: 20, track_total_hits: true, query: { match_all: {} } });
          const gens = new Set(res.hits.hits.map((h) => h._source?.gen));
          const gen = [...gens][0];
          const total = res.hits.total?.value;
          if (gens.size !== 1 || (gen === 1 && total !== 3) || (gen === 2 && total !== 5)) {
            failures.push(`mixed or partial view: gens ${[...gens].join(',')} total ${total}`);
          } else seen.push(gen!);
        } catch (err) {
          failures.push((err as Error).message);
        }
      }
    };
    const readers = Promise.all([reader(), reader(), reader()]);
    await new Promise((r) => setTimeout(r, 150));
    await search.updateAliases([{ remove: { index: v1, alias } }, { add: { index: v2, alias } }]);
    swappedAt = Date.now();
    await readers;

    expect(failures).toEqual([]);
    expect(seen).toContain(1);
    expect(seen).toContain(2);
    expect(seen.at(-1)).toBe(2);
    expect(await search.getAliases(alias)).toEqual({ [v2]: [alias] });
  });
});
