import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobDocument } from '../../mappings/jobDocument.ts';
import type { SavedSearchDocument } from '../../projections/lists/listDocuments.ts';
import { savedSearchKey } from '../../projections/lists/listDocuments.ts';
import { engineTargets } from '../../tests/support/engines.ts';
import { connectSearch } from '../engine/connect.ts';
import type { SearchClient } from '../engine/searchClient.ts';
import type { EngineListStores } from './engineListStore.ts';
import { openEngineListStores } from './engineListStore.ts';
import { LIST_INDEX_VERSION, listAliasName, listIndexDefinition, listIndexName } from '../../mappings/listIndexes.ts';
import { percolatorQueryOf } from './savedSearchQuery.ts';
import { pointCells, prefilterFieldsOf } from './percolatorPrefilter.ts';
import { haversineKm } from '../model/geo.ts';

const job: JobDocument = {
  jobId: 'j-percolate',
  businessId: 'b1',
  title: 'Espresso Barista',
  description: 'Pull shots and steam milk at a lakeside cafe.',
  category: 'hospitality',
  employmentType: 'seasonal',
  pay: { min: 18, max: 22, currency: 'USD', unit: 'hour' },
  hourlyMin: 18,
  hourlyMax: 22,
  location: { lat: 39.1, lon: -120.05 },
  city: 'Tahoe City',
  country: 'US',
  remote: false,
  skills: ['coffee', 'customer service'],
  startDate: '2027-06-01',
  endDate: '2027-09-01',
  experienceYears: 0,
  status: 'open',
  createdAt: '2027-01-01T00:00:00.000Z',
  updatedAt: '2027-01-01T00:00:00.000Z',
  publishedAt: '2027-01-01T00:00:00.000Z',
  expiresAt: '2027-12-31T00:00:00.000Z',
  views: 0,
  saves: 0,
  applications: 0,
  position: 1,
};

const search = (searchId: string, query: Record<string, unknown>, position: number, extra: Partial<SavedSearchDocument> = {}): SavedSearchDocument => ({
  workerId: 'w1',
  searchId,
  name: searchId,
  query,
  alertFrequency: 'instant',
  alertHour: 8,
  alertWeekday: 1,
  timeZone: 'UTC',
  status: 'active',
  savedAt: '2027-01-01T00:00:00.000Z',
  updatedAt: '2027-01-01T00:00:00.000Z',
  position,
  ...extra,
});

describe('saved search percolator query (pure)', () => {
  it('keeps filters and text, leaves out visibility, paging and postedWithinDays; an invalid query has none', () => {
    const q = percolatorQueryOf({ text: 'barista', category: ['hospitality'], postedWithinDays: 3, sort: 'newest', size: 5 });
    expect(q).toEqual({
      bool: {
        must: [{ multi_match: expect.objectContaining({ query: 'barista' }) }],
        filter: [{ terms: { category: ['hospitality'] } }],
      },
    });
    expect(JSON.stringify(percolatorQueryOf({ payMin: 15, near: { lat: 1, lon: 2, radiusKm: 5 } }))).not.toContain('status');
    expect(percolatorQueryOf({ colour: 'blue' })).toBeUndefined();
    expect(percolatorQueryOf({ text: 42 })).toBeUndefined();
  });
});

describe.each(engineTargets())('saved searches percolate new jobs on $label', ({ url }) => {
  const prefix = `t${Math.random().toString(36).slice(2, 8)}_`;
  let client: SearchClient;
  let stores: EngineListStores;
  beforeAll(async () => {
    client = await connectSearch(url);
    stores = openEngineListStores(client, { prefix });
    await stores.ensureIndexes();
  });
  afterAll(async () => {
    await client.deleteIndex([...stores.indexes], { ignoreMissing: true });
    await client.close();
  });

  it('finds the saved searches whose query matches the job, and not the others', async () => {
    const docs = [
      search('match-text', { text: 'barista' }, 1),
      search('match-filters', { category: ['hospitality'], payMin: 20, skills: ['coffee'], near: { lat: 39.2, lon: -120.1, radiusKm: 30 }, availableFrom: '2027-07-01' }, 2),
      search('match-all', {}, 3),
      search('other-text', { text: 'welder' }, 4),
      search('other-category', { text: 'barista', category: ['warehouse'] }, 5),
      search('too-far', { near: { lat: 47.6, lon: -122.3, radiusKm: 20 } }, 6),
      search('pay-too-high', { payMin: 30 }, 7),
      search('invalid-query', { colour: 'blue' }, 8),
      search('no-alerts', { text: 'barista' }, 9, { alertFrequency: 'off' }),
      search('daily-digest', { text: 'barista' }, 11, { alertFrequency: 'daily', alertHour: 18, timeZone: 'America/Los_Angeles' }),
      search('archived', { text: 'barista' }, 10, { status: 'archived' }),
    ];
    await stores.savedSearches.write(docs.map((d) => ({ key: savedSearchKey(d.workerId, d.searchId), position: d.position, doc: d })));
    // The invalid one is stored (and listed) all the same, only without a percolator query.
    expect(await stores.savedSearches.get(savedSearchKey('w1', 'invalid-query'))).toEqual(docs[7]);

    const found = await stores.percolateJob(job);
    expect(found.map((s) => s.searchId).sort()).toEqual(['daily-digest', 'match-all', 'match-filters', 'match-text']);
    expect(found.find((s) => s.searchId === 'match-text')).toEqual(docs[0]);
    const withoutAlerts = await stores.percolateJob(job, { alertsOnly: false });
    expect(withoutAlerts.map((s) => s.searchId).sort()).toEqual(['daily-digest', 'match-all', 'match-filters', 'match-text', 'no-alerts']);
    const welder = await stores.percolateJob({ ...job, jobId: 'j2', title: 'Welder', description: 'Weld steel frames.', skills: ['welding'], category: 'construction' });
    expect(welder.map((s) => s.searchId).sort()).toEqual(['match-all', 'other-text']);
  });

  it('gives an index made before alert frequencies their fields, and reads its old documents by their alerts flag', async () => {
    const oldPrefix = `${prefix}old_`;
    const definition = listIndexDefinition('saved_searches', { alias: listAliasName('saved_searches', oldPrefix) });
    const { alertFrequency: _f, alertHour: _h, alertWeekday: _w, timeZone: _t, ...oldProperties } = (definition.mappings as { properties: Record<string, unknown> }).properties;
    await client.createIndex(listIndexName('saved_searches', LIST_INDEX_VERSION, oldPrefix), { ...definition, mappings: { ...definition.mappings, properties: oldProperties } });
    const old = openEngineListStores(client, { prefix: oldPrefix });
    try {
      const { alertFrequency: _a, alertHour: _b, alertWeekday: _c, timeZone: _d, ...legacy } = search('legacy-off', { text: 'barista' }, 1);
      await old.savedSearches.write([{ key: savedSearchKey('w1', 'legacy-off'), position: 1, doc: { ...legacy, alerts: false } as unknown as SavedSearchDocument }]);
      await old.ensureIndexes();
      const fresh = search('new-instant', { text: 'barista' }, 2);
      await old.savedSearches.write([{ key: savedSearchKey('w1', 'new-instant'), position: 2, doc: fresh }]);
      expect((await old.percolateJob(job)).map((s) => s.searchId)).toEqual(['new-instant']);
      expect((await old.percolateJob(job, { alertsOnly: false })).map((s) => s.searchId).sort()).toEqual(['legacy-off', 'new-instant']);
    } finally {
      await client.deleteIndex([...old.indexes], { ignoreMissing: true });
    }
  });

  it('prefilters a job with a long text by its analyzed terms, as it does a short one', async () => {
    // Other forms of the job's words: they meet the job once analyzed (english), the prefilter's text too.
    const stemmed = search('match-stemmed', { text: 'BARISTAS steaming' }, 12);
    await stores.savedSearches.write([{ key: savedSearchKey('w1', 'match-stemmed'), position: stemmed.position, doc: stemmed }]);
    const long = { ...job, jobId: 'j-long', description: `${job.description} ${'Serve guests, keep the station tidy and smile. '.repeat(40)}` };
    const short = await stores.percolateJob(job, { alertsOnly: false });
    expect(short.map((s) => s.searchId)).toContain('match-stemmed');
    expect(short.length).toBeGreaterThan(2);
    expect((await stores.percolateJob(long, { alertsOnly: false })).map((s) => s.searchId)).toEqual(short.map((s) => s.searchId));
  });

  it('tests each circle itself after the engine answers, paging on past the searches just outside it', async () => {
    const loc = job.location ?? { lat: 0, lon: 0 };
    // Centres east of the job; a circle 50 m short of the job (inside the prefilter's padded cells) or 50 m past it.
    const circle = (searchId: string, eastDeg: number, marginKm: number, position: number) => {
      const centre = { lat: loc.lat, lon: loc.lon + eastDeg };
      const km = haversineKm(centre.lat, centre.lon, loc.lat, loc.lon);
      return search(searchId, { near: { ...centre, radiusKm: Number((km + marginKm).toFixed(3)) } }, position);
    };
    const misses = [1, 2, 3, 4, 5].map((i) => circle(`circle-a-miss-${i}`, 0.01 * i, -0.05, 20 + i));
    const hits = [circle('circle-z-hit-1', 0.015, 0.05, 30), circle('circle-z-hit-2', 0.025, 0.05, 31)];
    // The misses share a cell with the job: only the circle test after the engine can tell them apart.
    const jobCells = new Set(pointCells(loc.lat, loc.lon));
    for (const m of misses) expect((prefilterFieldsOf(m.query)?.pf_cells as string[]).some((c) => jobCells.has(c))).toBe(true);
    await stores.savedSearches.write([...misses, ...hits].map((d) => ({ key: savedSearchKey(d.workerId, d.searchId), position: d.position, doc: d })));
    const all = await stores.percolateJob(job, { alertsOnly: false });
    expect(all.map((s) => s.searchId).filter((id) => id.startsWith('circle-'))).toEqual(['circle-z-hit-1', 'circle-z-hit-2']);
    // A page of 2 holds misses only: the store reads on until two searches pass their circle.
    const two = await stores.percolateJob({ ...job, title: 'Nothing alike', description: '-', skills: [], category: 'construction' }, { alertsOnly: false, size: 2 });
    expect(two.map((s) => s.searchId)).toEqual(['circle-z-hit-1', 'circle-z-hit-2']);
  });

  it('percolates documents indexed before the prefilter fields (they pass the prefilter, verified as before)', async () => {
    const oldPrefix = `${prefix}pf_`;
    const alias = listAliasName('saved_searches', oldPrefix);
    const definition = listIndexDefinition('saved_searches', { alias });
    const properties = Object.fromEntries(Object.entries((definition.mappings as { properties: Record<string, unknown> }).properties).filter(([f]) => !f.startsWith('pf_')));
    await client.createIndex(listIndexName('saved_searches', LIST_INDEX_VERSION, oldPrefix), { ...definition, mappings: { ...definition.mappings, properties } });
    const old = openEngineListStores(client, { prefix: oldPrefix });
    try {
      // Written as the store wrote them before: the document, its percolator query and bookkeeping only.
      const legacy = [
        search('legacy-near', { near: { lat: 39.2, lon: -120.1, radiusKm: 30 }, category: ['hospitality'] }, 1),
        search('legacy-far', { near: { lat: 47.6, lon: -122.3, radiusKm: 20 } }, 2),
      ];
      await client.bulk(
        legacy.flatMap((d) => [
          { index: { _index: alias, _id: savedSearchKey(d.workerId, d.searchId), version: d.position, version_type: 'external' } },
          { ...(d as unknown as Record<string, unknown>), percolator: percolatorQueryOf(d.query) ?? null, key: savedSearchKey(d.workerId, d.searchId), deleted: false },
        ]),
        { refresh: true },
      );
      await old.ensureIndexes();
      const fresh = [search('new-near', { near: { lat: 39.0, lon: -120.0, radiusKm: 25 } }, 3), search('new-other-category', { category: ['warehouse'] }, 4)];
      await old.savedSearches.write(fresh.map((d) => ({ key: savedSearchKey(d.workerId, d.searchId), position: d.position, doc: d })));
      expect((await old.percolateJob(job)).map((s) => s.searchId)).toEqual(['legacy-near', 'new-near']);
      expect(await old.savedSearches.get(savedSearchKey('w1', 'new-near'))).toEqual(fresh[0]);
    } finally {
      await client.deleteIndex([...old.indexes], { ignoreMissing: true });
    }
  });
});
