import { describe, expect, it } from 'vitest';
import type { WorkerEvent, WorkerProfile } from '../../eventstore/events/index.ts';
import type { WorkerCommand } from './workerDecider.ts';
import { MAX_ACTIVE_SAVED_SEARCHES, activeSavedSearchCount, workerDecider } from './workerDecider.ts';
import { scenario } from './testing.ts';

const { given } = scenario(workerDecider);

const workerId = 'worker-1';
const jobId = 'job-1';
const searchId = 'search-1';
const now = '2026-03-02T10:00:00Z';
const later = '2026-03-05T10:00:00Z';

const profile: WorkerProfile = {
  name: 'Ada',
  skills: ['picking', 'forklift'],
  location: { lat: 44.26, lon: -72.58 },
  maxTravelKm: 40,
  desiredHourlyPay: 20,
  currency: 'USD',
  availability: [{ from: '2026-04-01', to: '2026-09-30' }],
  experienceYears: 2,
};
const profileUpdated: WorkerEvent = { type: 'WorkerProfileUpdated', data: { workerId, profile, updatedAt: now } };
const jobSaved: WorkerEvent = { type: 'JobSaved', data: { workerId, jobId, savedAt: now } };
const query = { q: 'orchard', near: { lat: 44.26, lon: -72.58, km: 30 } };
const searchSaved = (id = searchId): WorkerEvent => ({
  type: 'SearchSaved', data: { workerId, searchId: id, name: 'Orchards', query, alerts: true, savedAt: now },
});
const saveSearch = (overrides: Partial<Extract<WorkerCommand, { type: 'SaveSearch' }>> = {}): WorkerCommand => ({
  type: 'SaveSearch', workerId, searchId, name: 'Orchards', query, alerts: true, now, ...overrides,
});

describe('UpdateWorkerProfile', () => {
  const update = (p: Extract<WorkerCommand, { type: 'UpdateWorkerProfile' }>['profile']): WorkerCommand => ({
    type: 'UpdateWorkerProfile', workerId, profile: p, now,
  });

  it('records a new profile', () => {
    given([]).when(update(profile)).then([profileUpdated]);
  });

  it('fills defaults and normalises the way the schema does', () => {
    const { currency: _c, ...noCurrency } = profile;
    given([]).when(update({ ...noCurrency, name: ' Ada ', skills: ['Picking', 'FORKLIFT'] })).then([profileUpdated]);
  });

  it('emits nothing for an identical profile', () => {
    given([profileUpdated]).when(update({ ...profile, email: undefined })).then([]);
  });

  it('records a changed profile', () => {
    given([profileUpdated])
      .when(update({ ...profile, maxTravelKm: 80 }))
      .then([{ type: 'WorkerProfileUpdated', data: { workerId, profile: { ...profile, maxTravelKm: 80 }, updatedAt: now } }]);
  });

  it('rejects availability windows that end before they start', () => {
    given([]).when(update({ ...profile, availability: [{ from: '2026-09-30', to: '2026-04-01' }] })).then('invalid_availability', 422);
    given([]).when(update({ ...profile, availability: [{ from: 'April' }] })).then('invalid_availability', 422);
  });

  it('rejects an invalid profile', () => {
    given([]).when(update({ ...profile, maxTravelKm: 0 })).then('invalid_profile', 422);
  });
});

describe('SaveJob / UnsaveJob', () => {
  const save = (status: 'none' | 'draft' | 'open' | 'closed' | 'expired' = 'open'): WorkerCommand => ({
    type: 'SaveJob', workerId, jobId, job: { status }, now,
  });
  const unsave: WorkerCommand = { type: 'UnsaveJob', workerId, jobId, now: later };

  it('saves an existing job', () => {
    given([]).when(save()).then([jobSaved]);
    expect(given([jobSaved]).state.savedJobIds.has(jobId)).toBe(true);
  });

  it('rejects saving an unknown job', () => {
    given([]).when(save('none')).then('job_not_found', 404);
  });

  it('is idempotent for an already saved job', () => {
    given([jobSaved]).when(save()).then([]);
  });

  it('unsaves a saved job', () => {
    const unsaved: WorkerEvent = { type: 'JobUnsaved', data: { workerId, jobId, unsavedAt: later } };
    given([jobSaved]).when(unsave).then([unsaved]);
    expect(given([jobSaved, unsaved]).state.savedJobIds.size).toBe(0);
  });

  it('emits nothing when unsaving a job that is not saved', () => {
    given([]).when(unsave).then([]);
  });
});

describe('SaveSearch', () => {
  it('saves a search', () => {
    given([]).when(saveSearch()).then([searchSaved()]);
    expect(given([searchSaved()]).state.savedSearches.get(searchId)).toMatchObject({ status: 'active', lastUsedAt: now });
  });

  it('rejects the same searchId twice, even after deletion', () => {
    given([searchSaved()]).when(saveSearch()).then('search_exists', 409);
    const deleted: WorkerEvent = { type: 'SavedSearchDeleted', data: { workerId, searchId, deletedAt: later } };
    given([searchSaved(), deleted]).when(saveSearch()).then('search_exists', 409);
  });

  it(`allows at most ${MAX_ACTIVE_SAVED_SEARCHES} active saved searches`, () => {
    const fifty = Array.from({ length: MAX_ACTIVE_SAVED_SEARCHES }, (_, i) => searchSaved(`s-${i}`));
    given(fifty).when(saveSearch()).then('too_many_saved_searches', 422);
    given(fifty.slice(1)).when(saveSearch()).then([searchSaved()]);
  });

  it('does not count archived or deleted searches against the limit', () => {
    const fifty = Array.from({ length: MAX_ACTIVE_SAVED_SEARCHES }, (_, i) => searchSaved(`s-${i}`));
    const archived: WorkerEvent = { type: 'SavedSearchArchived', data: { workerId, searchId: 's-0', archivedAt: later } };
    const deleted: WorkerEvent = { type: 'SavedSearchDeleted', data: { workerId, searchId: 's-1', deletedAt: later } };
    expect(activeSavedSearchCount(given([...fifty, archived, deleted]).state)).toBe(48);
    given([...fifty, archived]).when(saveSearch()).then([searchSaved()]);
  });

  it('rejects an empty name', () => {
    given([]).when(saveSearch({ name: '   ' })).then('invalid_search', 422);
  });
});

describe('DeleteSavedSearch', () => {
  const del: WorkerCommand = { type: 'DeleteSavedSearch', workerId, searchId, now: later };
  const deleted: WorkerEvent = { type: 'SavedSearchDeleted', data: { workerId, searchId, deletedAt: later } };
  const archived: WorkerEvent = { type: 'SavedSearchArchived', data: { workerId, searchId, archivedAt: later } };

  it('deletes an active or archived search', () => {
    given([searchSaved()]).when(del).then([deleted]);
    given([searchSaved(), archived]).when(del).then([deleted]);
  });

  it('rejects an unknown or already deleted search', () => {
    given([]).when(del).then('saved_search_not_found', 404);
    given([searchSaved(), deleted]).when(del).then('saved_search_not_found', 404);
  });
});

describe('ArchiveSavedSearch', () => {
  const archive: WorkerCommand = { type: 'ArchiveSavedSearch', workerId, searchId, now: later };
  const archived: WorkerEvent = { type: 'SavedSearchArchived', data: { workerId, searchId, archivedAt: later } };

  it('archives an active search', () => {
    given([searchSaved()]).when(archive).then([archived]);
    expect(given([searchSaved(), archived]).state.savedSearches.get(searchId)?.status).toBe('archived');
  });

  it('rejects archiving a search that is not active', () => {
    given([searchSaved(), archived]).when(archive).then('saved_search_not_active', 409);
  });

  it('rejects an unknown or deleted search', () => {
    given([]).when(archive).then('saved_search_not_found', 404);
    const deleted: WorkerEvent = { type: 'SavedSearchDeleted', data: { workerId, searchId, deletedAt: later } };
    given([searchSaved(), deleted]).when(archive).then('saved_search_not_found', 404);
  });
});

describe('evolve', () => {
  it('does not mutate the state it is given', () => {
    const before = given([jobSaved, searchSaved()]).state;
    workerDecider.evolve(before, { type: 'JobUnsaved', data: { workerId, jobId, unsavedAt: later } });
    workerDecider.evolve(before, { type: 'SavedSearchDeleted', data: { workerId, searchId, deletedAt: later } });
    expect(before.savedJobIds.has(jobId)).toBe(true);
    expect(before.savedSearches.get(searchId)?.status).toBe('active');
  });
});
