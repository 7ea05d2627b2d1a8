import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobDocument } from '../../projections/jobs/jobDocument.ts';
import type { SavedSearchDocument } from '../../projections/lists/listDocuments.ts';
import { savedSearchKey } from '../../projections/lists/listDocuments.ts';
import { engineTargets } from '../../tests/support/engines.ts';
import { connectSearch } from '../engine/connect.ts';
import type { SearchClient } from '../engine/searchClient.ts';
import type { EngineListStores } from './engineListStore.ts';
import { openEngineListStores } from './engineListStore.ts';
import { percolatorQueryOf } from './savedSearchQuery.ts';

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
});
