import { describe, expect, it } from 'vitest';
import type { DeadLetterStore } from '../deadLetters.ts';
import { openEmbeddedListStores } from '../../query/lists/embeddedListStore.ts';
import type { StoredEntry } from '../../query/lists/keyedStore.ts';
import { ListWriteError } from '../../query/lists/keyedStore.ts';
import { PoisonEventError } from '../projection.ts';
import type { ApplicationDocument, SavedJobDocument, SavedSearchDocument } from './listDocuments.ts';
import {
  applicationKeyOf,
  applyToApplication,
  applyToSavedJob,
  alertSettingsOf,
  applyToSavedSearch,
  savedJobKey,
  savedJobKeyOf,
  savedSearchKey,
  savedSearchKeyOf,
} from './listDocuments.ts';
import { at, recorded, saved, searchAlertsChanged, searchArchived, searchDeleted, searchSaved, statusChanged, submitted, unsaved, withdrawn } from '../../tests/support/listFixtures.ts';
import { applyEvents, listsProjection, LISTS_PROJECTION } from './listsProjection.ts';

const noDeadLetters: DeadLetterStore = { record: () => Promise.resolve(), list: () => Promise.resolve([]), close: () => Promise.resolve() };

describe('list documents (pure)', () => {
  it('an application goes submitted -> reviewing -> withdrawn, keeping what it was submitted with', () => {
    const [s, c, w] = recorded([submitted('a1', 'j1', 'w1', 1), statusChanged('a1', 'reviewing', 2), withdrawn('a1', 3)]);
    const d1 = applyToApplication(undefined, s!);
    expect(d1).toEqual({ applicationId: 'a1', jobId: 'j1', workerId: 'w1', businessId: 'b1', status: 'submitted', message: 'hello', submittedAt: at(1), updatedAt: at(1), position: 1 });
    const d2 = applyToApplication(d1!, c!);
    expect(d2).toMatchObject({ status: 'reviewing', updatedAt: at(2), position: 2, submittedAt: at(1) });
    expect(applyToApplication(d2!, w!)).toMatchObject({ status: 'withdrawn', updatedAt: at(3), position: 3 });
  });

  it('an application keeps the contact the worker shared through status changes; a new submission replaces it, or drops it when it shares none', () => {
    const contact = { email: 'alex@example.com', phone: '+15305550142' };
    const base = submitted('a1', 'j1', 'w1', 1);
    const first = { ...base, data: { ...base.data, contact } } as typeof base;
    const [s, c, w, again] = recorded([first, statusChanged('a1', 'reviewing', 2), withdrawn('a1', 3), submitted('a1', 'j1', 'w1', 4)]);
    const d1 = applyToApplication(undefined, s!);
    expect(d1).toMatchObject({ contact, status: 'submitted' });
    const d2 = applyToApplication(d1!, c!);
    expect(d2).toMatchObject({ contact, status: 'reviewing' });
    const d3 = applyToApplication(d2!, w!);
    expect(d3).toMatchObject({ contact, status: 'withdrawn' });
    const d4 = applyToApplication(d3!, again!);
    expect(d4).toMatchObject({ status: 'submitted', position: 4 });
    expect(d4).not.toHaveProperty('contact');
  });

  it('a status change of an unknown application changes nothing; other events are not the model\'s', () => {
    const [c, sv] = recorded([statusChanged('a9', 'hired', 1), saved('w1', 'j1', 2)]);
    expect(applyToApplication(undefined, c!)).toBeUndefined();
    expect(applyToApplication(undefined, sv!)).toBeUndefined();
    expect(applicationKeyOf(sv!)).toBeUndefined();
    expect(applicationKeyOf(c!)).toBe('a9');
  });

  it('a saved job is a document; unsaving removes it (null)', () => {
    const [s, u] = recorded([saved('w1', 'j1', 1), unsaved('w1', 'j1', 2)]);
    expect(applyToSavedJob(undefined, s!)).toEqual({ workerId: 'w1', jobId: 'j1', savedAt: at(1), position: 1 });
    expect(applyToSavedJob(undefined, u!)).toBeNull();
    expect(savedJobKeyOf(s!)).toBe(savedJobKey('w1', 'j1'));
  });

  it('a saved search is active, then archived, then deleted; archiving a deleted one keeps it deleted', () => {
    const [s, a, d, a2] = recorded([searchSaved('w1', 's1', 1), searchArchived('w1', 's1', 2), searchDeleted('w1', 's1', 3), searchArchived('w1', 's1', 4)]);
    const d1 = applyToSavedSearch(undefined, s!);
    expect(d1).toEqual({ workerId: 'w1', searchId: 's1', name: 'search s1', query: { text: 'barista' }, alertFrequency: 'instant', alertHour: 8, alertWeekday: 1, timeZone: 'UTC', status: 'active', savedAt: at(1), updatedAt: at(1), position: 1 });
    const d2 = applyToSavedSearch(d1!, a!);
    expect(d2).toMatchObject({ status: 'archived', updatedAt: at(2) });
    const d3 = applyToSavedSearch(d2!, d!);
    expect(d3).toMatchObject({ status: 'deleted', updatedAt: at(3) });
    expect(applyToSavedSearch(d3!, a2!)).toMatchObject({ status: 'deleted', position: 4 });
    expect(savedSearchKeyOf(s!)).toBe(savedSearchKey('w1', 's1'));
  });

  it('changed alert settings replace the old ones; a deleted search keeps its last ones', () => {
    const [s, c, d, c2] = recorded([searchSaved('w1', 's1', 1), searchAlertsChanged('w1', 's1', 2, 'weekly', 'Europe/Paris'), searchDeleted('w1', 's1', 3), searchAlertsChanged('w1', 's1', 4, 'off')]);
    const d1 = applyToSavedSearch(undefined, s!);
    const d2 = applyToSavedSearch(d1!, c!);
    expect(d2).toMatchObject({ alertFrequency: 'weekly', timeZone: 'Europe/Paris', status: 'active', updatedAt: at(2), position: 2 });
    expect(savedSearchKeyOf(c!)).toBe(savedSearchKey('w1', 's1'));
    const d4 = applyToSavedSearch(applyToSavedSearch(d2!, d!)!, c2!);
    expect(d4).toMatchObject({ alertFrequency: 'weekly', status: 'deleted', position: 4 });
    expect(applyToSavedSearch(undefined, c!)).toBeUndefined();
  });

  it('reads documents stored before alert frequencies as the upcast event would make them', () => {
    const legacy = { workerId: 'w1', searchId: 's1', name: 'n', query: {}, alerts: false, status: 'active', savedAt: at(1), updatedAt: at(1), position: 1 } as unknown as SavedSearchDocument;
    expect(alertSettingsOf(legacy)).toEqual({ alertFrequency: 'off', alertHour: 8, alertWeekday: 1, timeZone: 'UTC' });
    expect(alertSettingsOf({ ...legacy, alerts: true } as unknown as SavedSearchDocument).alertFrequency).toBe('instant');
  });

  it('applyEvents skips events an entry already includes and tombstones removals with their position', () => {
    const events = recorded([saved('w1', 'j1', 1), unsaved('w1', 'j1', 2), saved('w1', 'j2', 3)]);
    const entries = new Map<string, StoredEntry<SavedJobDocument>>();
    const changed = applyEvents(entries, events, savedJobKeyOf, applyToSavedJob);
    expect([...changed.keys()]).toEqual([savedJobKey('w1', 'j1'), savedJobKey('w1', 'j2')]);
    expect(entries.get(savedJobKey('w1', 'j1'))).toEqual({ key: savedJobKey('w1', 'j1'), position: 2 });
    // Replaying the same events changes nothing.
    expect(applyEvents(entries, events, savedJobKeyOf, applyToSavedJob).size).toBe(0);
  });
});

describe('lists projection on the embedded store', () => {
  const history = recorded([
    submitted('a1', 'j1', 'w1', 1),
    saved('w1', 'j1', 2),
    searchSaved('w1', 's1', 3),
    submitted('a2', 'j2', 'w1', 4),
    statusChanged('a1', 'shortlisted', 5),
    unsaved('w1', 'j1', 6),
    saved('w1', 'j3', 7),
    searchArchived('w1', 's1', 8),
    searchSaved('w1', 's2', 9),
    searchDeleted('w1', 's2', 10),
    withdrawn('a2', 11),
  ]);

  async function snapshot(sink: ReturnType<typeof openEmbeddedListStores>) {
    const apps = (await sink.applications.list({ by: 'workerId', value: 'w1', size: 100 })).items;
    const jobs = (await sink.savedJobs.list({ by: 'workerId', value: 'w1', size: 100 })).items;
    const searches = (await sink.savedSearches.list({ by: 'workerId', value: 'w1', size: 100 })).items;
    return { apps, jobs, searches };
  }

  it('builds the documents and checkpoint, in batches or at once, and a replay of any suffix is idempotent', async () => {
    const once = openEmbeddedListStores(':memory:');
    await listsProjection(once, noDeadLetters).apply(history);
    const expected = await snapshot(once);
    expect(expected.apps.map((a: ApplicationDocument) => [a.applicationId, a.status])).toEqual([['a2', 'withdrawn'], ['a1', 'shortlisted']]);
    expect(expected.jobs.map((j) => j.jobId)).toEqual(['j3']);
    expect(expected.searches.map((s: SavedSearchDocument) => [s.searchId, s.status])).toEqual([['s2', 'deleted'], ['s1', 'archived']]);
    expect(await once.checkpoint(LISTS_PROJECTION)).toBe(11);

    for (const batch of [1, 2, 3, 5]) {
      const sink = openEmbeddedListStores(':memory:');
      const projection = listsProjection(sink, noDeadLetters);
      for (let i = 0; i < history.length; i += batch) await projection.apply(history.slice(i, i + batch));
      // A crash replays from an older checkpoint: every suffix again.
      for (let from = 0; from < history.length; from += 3) await projection.apply(history.slice(from));
      expect(await snapshot(sink)).toEqual(expected);
      await sink.close();
    }
    await once.close();
  });

  it('a replayed JobSaved older than the tombstone does not bring the saved job back', async () => {
    const sink = openEmbeddedListStores(':memory:');
    const projection = listsProjection(sink, noDeadLetters);
    const events = recorded([saved('w1', 'j1', 1), unsaved('w1', 'j1', 2)]);
    await projection.apply(events);
    await projection.apply(events.slice(0, 1));
    expect((await sink.savedJobs.list({ by: 'workerId', value: 'w1', size: 10 })).items).toEqual([]);
    expect(await sink.savedJobs.load([savedJobKey('w1', 'j1')])).toEqual(new Map([[savedJobKey('w1', 'j1'), { key: savedJobKey('w1', 'j1'), position: 2 }]]));
    await sink.close();
  });
});

describe('lists projection: refused documents', () => {
  it('a document the store refuses for good becomes a PoisonEventError naming the first event that changed it', async () => {
    const inner = openEmbeddedListStores(':memory:');
    const sink = {
      ...inner,
      commit: () => Promise.reject(new ListWriteError('saved_jobs', [savedJobKey('w1', 'j2')], 'mapper_parsing_exception')),
    };
    const events = recorded([saved('w1', 'j1', 1), saved('w1', 'j2', 2), unsaved('w1', 'j2', 3)]);
    const err: unknown = await listsProjection(sink, noDeadLetters).apply(events).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PoisonEventError);
    expect((err as PoisonEventError).event.position).toBe(2);
    await inner.close();
  });

  it('any other failure is passed on as it is (transient: the runner retries)', async () => {
    const inner = openEmbeddedListStores(':memory:');
    const boom = new Error('engine down');
    const sink = { ...inner, commit: () => Promise.reject(boom) };
    await expect(listsProjection(sink, noDeadLetters).apply(recorded([saved('w1', 'j1', 1)]))).rejects.toBe(boom);
    await inner.close();
  });
});
