import { describe, expect, it } from 'vitest';
import type { SavedSearchAlertSettings, WorkerEvent, WorkerProfile } from '../../eventstore/events/index.ts';
import type { WorkerCommand } from './workerDecider.ts';
import { MAX_ACTIVE_SAVED_SEARCHES, SAVED_SEARCH_VISIT_MS, activeSavedSearchCount, newSinceOf, workerDecider } from './workerDecider.ts';
import { scenario } from '../../tests/support/deciderScenario.ts';

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
const defaults = { alertFrequency: 'instant', alertHour: 8, alertWeekday: 1, timeZone: 'UTC' } as const;
const searchSaved = (id = searchId, alerts: Partial<SavedSearchAlertSettings> = {}): WorkerEvent => ({
  type: 'SearchSaved', data: { workerId, searchId: id, name: 'Orchards', query, ...defaults, ...alerts, savedAt: now },
});
const saveSearch = (overrides: Partial<Extract<WorkerCommand, { type: 'SaveSearch' }>> = {}): WorkerCommand => ({
  type: 'SaveSearch', workerId, searchId, name: 'Orchards', query, now, ...overrides,
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
    given([]).when(update({ ...profile, availability: [{ from: '2026-09-30', to: '2026-04-01' }] })).then('invalid_availability', 'unprocessable');
    given([]).when(update({ ...profile, availability: [{ from: 'April' }] })).then('invalid_availability', 'unprocessable');
  });

  it('rejects an invalid profile', () => {
    given([]).when(update({ ...profile, maxTravelKm: 0 })).then('invalid_profile', 'unprocessable');
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
    given([]).when(save('none')).then('job_not_found', 'not_found');
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
    given([searchSaved()]).when(saveSearch()).then('search_exists', 'conflict');
    const deleted: WorkerEvent = { type: 'SavedSearchDeleted', data: { workerId, searchId, deletedAt: later } };
    given([searchSaved(), deleted]).when(saveSearch()).then('search_exists', 'conflict');
  });

  it(`allows at most ${MAX_ACTIVE_SAVED_SEARCHES} active saved searches`, () => {
    const fifty = Array.from({ length: MAX_ACTIVE_SAVED_SEARCHES }, (_, i) => searchSaved(`s-${i}`));
    given(fifty).when(saveSearch()).then('too_many_saved_searches', 'unprocessable');
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
    given([]).when(saveSearch({ name: '   ' })).then('invalid_search', 'unprocessable');
  });

  it('alerts at once by default: digests at 08:00 on Mondays, UTC, when switched to them', () => {
    given([]).when(saveSearch()).then([searchSaved(searchId, defaults)]);
  });

  it('records a digest schedule, weekday names as numbers and time zones by their canonical name', () => {
    given([])
      .when(saveSearch({ alertFrequency: 'weekly', alertHour: 18, alertWeekday: 'Friday', timeZone: 'US/Eastern' }))
      .then([searchSaved(searchId, { alertFrequency: 'weekly', alertHour: 18, alertWeekday: 5, timeZone: 'America/New_York' })]);
    given([]).when(saveSearch({ alertFrequency: 'daily', alertWeekday: 'sun', timeZone: 'utc' })).then([searchSaved(searchId, { alertFrequency: 'daily', alertWeekday: 0 })]);
  });

  it('rejects alert settings out of range or an unknown time zone', () => {
    given([]).when(saveSearch({ alertHour: 24 })).then('invalid_alert_settings', 'unprocessable');
    given([]).when(saveSearch({ alertWeekday: 7 })).then('invalid_alert_settings', 'unprocessable');
    given([]).when(saveSearch({ alertWeekday: 'someday' })).then('invalid_alert_settings', 'unprocessable');
    given([]).when(saveSearch({ timeZone: 'Mars/Olympus_Mons' })).then('invalid_alert_settings', 'unprocessable');
    given([]).when(saveSearch({ timeZone: '+02:00' })).then('invalid_alert_settings', 'unprocessable');
  });
});

describe('ChangeSavedSearchAlerts', () => {
  const change = (alerts: Omit<Extract<WorkerCommand, { type: 'ChangeSavedSearchAlerts' }>, 'type' | 'workerId' | 'searchId' | 'now'>): WorkerCommand => ({
    type: 'ChangeSavedSearchAlerts', workerId, searchId, now: later, ...alerts,
  });
  const changed = (alerts: Partial<SavedSearchAlertSettings>): WorkerEvent => ({
    type: 'SavedSearchAlertsChanged', data: { workerId, searchId, ...defaults, ...alerts, changedAt: later },
  });

  it('switches alerts off, keeping the rest of the settings', () => {
    given([searchSaved(searchId, { alertHour: 6 })]).when(change({ alertFrequency: 'off' })).then([changed({ alertFrequency: 'off', alertHour: 6 })]);
    const state = given([searchSaved(), changed({ alertFrequency: 'off' })]).state;
    expect(state.savedSearches.get(searchId)).toMatchObject({ alertFrequency: 'off', status: 'active' });
  });

  it('changes the digest schedule of an active or archived search', () => {
    const archived: WorkerEvent = { type: 'SavedSearchArchived', data: { workerId, searchId, archivedAt: later } };
    given([searchSaved(), archived])
      .when(change({ alertFrequency: 'daily', alertHour: 20, timeZone: 'Asia/Tokyo' }))
      .then([changed({ alertFrequency: 'daily', alertHour: 20, timeZone: 'Asia/Tokyo' })]);
  });

  it('emits nothing when the settings do not change', () => {
    given([searchSaved()]).when(change({ alertFrequency: 'instant', timeZone: 'Etc/UTC' })).then([]);
    given([searchSaved(), changed({ alertFrequency: 'off' })]).when(change({ alertFrequency: 'off' })).then([]);
  });

  it('rejects an unknown or deleted search, and invalid settings', () => {
    given([]).when(change({ alertFrequency: 'off' })).then('saved_search_not_found', 'not_found');
    const deleted: WorkerEvent = { type: 'SavedSearchDeleted', data: { workerId, searchId, deletedAt: later } };
    given([searchSaved(), deleted]).when(change({ alertFrequency: 'off' })).then('saved_search_not_found', 'not_found');
    given([searchSaved()]).when(change({ alertHour: -1 })).then('invalid_alert_settings', 'unprocessable');
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
    given([]).when(del).then('saved_search_not_found', 'not_found');
    given([searchSaved(), deleted]).when(del).then('saved_search_not_found', 'not_found');
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
    given([searchSaved(), archived]).when(archive).then('saved_search_not_active', 'conflict');
  });

  it('rejects an unknown or deleted search', () => {
    given([]).when(archive).then('saved_search_not_found', 'not_found');
    const deleted: WorkerEvent = { type: 'SavedSearchDeleted', data: { workerId, searchId, deletedAt: later } };
    given([searchSaved(), deleted]).when(archive).then('saved_search_not_found', 'not_found');
  });
});

describe('ViewSavedSearch', () => {
  const at = (minutes: number) => new Date(Date.parse(later) + minutes * 60_000).toISOString();
  const view = (minutes: number): WorkerCommand => ({ type: 'ViewSavedSearch', workerId, searchId, now: at(minutes) });
  const viewed = (minutes: number): WorkerEvent => ({ type: 'SavedSearchViewed', data: { workerId, searchId, viewedAt: at(minutes) } });
  const visitMinutes = SAVED_SEARCH_VISIT_MS / 60_000;

  it('records the first run of a search, and a run after the visit window has passed', () => {
    given([searchSaved()]).when(view(0)).then([viewed(0)]);
    given([searchSaved(), viewed(0)]).when(view(visitMinutes)).then([viewed(visitMinutes)]);
  });

  it('records nothing for a run within the same visit (a reload or the next page)', () => {
    given([searchSaved(), viewed(0)]).when(view(visitMinutes - 1)).then([]);
  });

  it('records nothing for an archived search, which can still be run', () => {
    const archived: WorkerEvent = { type: 'SavedSearchArchived', data: { workerId, searchId, archivedAt: later } };
    given([searchSaved(), archived]).when(view(5)).then([]);
    expect(given([searchSaved(), archived]).when(view(5)).state.savedSearches.get(searchId)?.status).toBe('archived');
  });

  it('rejects an unknown or deleted search', () => {
    given([]).when(view(0)).then('saved_search_not_found', 'not_found');
    const deleted: WorkerEvent = { type: 'SavedSearchDeleted', data: { workerId, searchId, deletedAt: later } };
    given([searchSaved(), deleted]).when(view(0)).then('saved_search_not_found', 'not_found');
  });

  it('counts a run as use of the search, for the archive sweep', () => {
    expect(given([searchSaved(), viewed(0)]).state.savedSearches.get(searchId)?.lastUsedAt).toBe(at(0));
  });

  it('marks as new what was published since the visit before, the same on every page of a visit', () => {
    const fresh = given([searchSaved()]).state.savedSearches.get(searchId)!;
    expect(newSinceOf(fresh, Date.parse(at(0)))).toBe(now);
    const once = given([searchSaved(), viewed(0)]).state.savedSearches.get(searchId)!;
    expect(newSinceOf(once, Date.parse(at(1)))).toBe(now);
    expect(newSinceOf(once, Date.parse(at(visitMinutes)))).toBe(at(0));
    const twice = given([searchSaved(), viewed(0), viewed(visitMinutes)]).state.savedSearches.get(searchId)!;
    expect(newSinceOf(twice, Date.parse(at(visitMinutes + 1)))).toBe(at(0));
    expect(newSinceOf(twice, Date.parse(at(3 * visitMinutes)))).toBe(at(visitMinutes));
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
