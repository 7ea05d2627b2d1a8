// The contract every ListStores adapter passes (embedded, search engine): one
// suite, run by query/lists/listStores.int.spec.ts against each.
import { expect, it } from 'vitest';
import type { ApplicationDocument, SavedJobDocument, SavedSearchDocument } from '../../projections/lists/listDocuments.ts';
import { savedJobKey, savedSearchKey } from '../../projections/lists/listDocuments.ts';
import { recorded, saved, searchArchived, searchDeleted, searchSaved, statusChanged, submitted, unsaved, withdrawn } from '../support/listFixtures.ts';
import { LISTS_PROJECTION, listsProjection } from '../../projections/lists/listsProjection.ts';
import type { DeadLetterStore } from '../../projections/deadLetters.ts';
import type { KeyedDocStore, ListSink, Positioned } from '../../query/lists/keyedStore.ts';
import { InvalidListCursorError } from '../../query/lists/keyedStore.ts';

const at = (minute: number): string => new Date(Date.UTC(2027, 0, 1, 0, minute)).toISOString();

export const application = (applicationId: string, workerId: string, jobId: string, minute: number, position: number, status: ApplicationDocument['status'] = 'submitted'): ApplicationDocument => ({
  applicationId,
  jobId,
  workerId,
  businessId: 'b1',
  status,
  submittedAt: at(minute),
  updatedAt: at(minute),
  position,
});
export const savedJob = (workerId: string, jobId: string, minute: number, position: number): SavedJobDocument => ({ workerId, jobId, savedAt: at(minute), position });
export const savedSearch = (workerId: string, searchId: string, minute: number, position: number, status: SavedSearchDocument['status'] = 'active'): SavedSearchDocument => ({
  workerId,
  searchId,
  name: `search ${searchId}`,
  query: { text: 'barista', nested: { anything: [1, 2] } },
  alertFrequency: 'daily',
  alertHour: 7,
  alertWeekday: 1,
  timeZone: 'Europe/Paris',
  status,
  savedAt: at(minute),
  updatedAt: at(minute),
  position,
});

const put = <D extends Positioned>(store: KeyedDocStore<D>, ...docs: D[]) => store.write(docs.map((doc) => ({ key: store.model.keyOf(doc), position: doc.position, doc })));

async function allPages<D extends Positioned>(store: KeyedDocStore<D>, q: { by: string; value: string; filter?: Record<string, readonly string[]> }, size: number): Promise<D[]> {
  const out: D[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 100; i++) {
    const page = await store.list({ ...q, size, ...(cursor !== undefined ? { cursor } : {}) });
    expect(page.items.length).toBeLessThanOrEqual(size);
    out.push(...page.items);
    cursor = page.nextCursor;
    if (cursor === undefined) return out;
  }
  throw new Error('paging did not end');
}

/** Registers the contract's cases; `open` gives a fresh, empty ListSink per case. */
export function listStoreContract(open: () => Promise<ListSink>): void {
  it('stores, gets and loads documents; a write not newer than the stored one is ignored', async () => {
    const s = await open();
    await put(s.applications, application('a1', 'w1', 'j1', 1, 5));
    expect(await s.applications.get('a1')).toEqual(application('a1', 'w1', 'j1', 1, 5));
    await put(s.applications, application('a1', 'w1', 'j1', 1, 4, 'hired'));
    await put(s.applications, application('a1', 'w1', 'j1', 1, 5, 'rejected'));
    expect(await s.applications.get('a1')).toMatchObject({ status: 'submitted', position: 5 });
    await put(s.applications, application('a1', 'w1', 'j1', 1, 6, 'reviewing'));
    expect(await s.applications.get('a1')).toMatchObject({ status: 'reviewing', position: 6 });
    expect(await s.applications.get('nope')).toBeUndefined();
    const loaded = await s.applications.load(['a1', 'nope']);
    expect([...loaded.keys()]).toEqual(['a1']);
    expect(loaded.get('a1')).toEqual({ key: 'a1', position: 6, doc: application('a1', 'w1', 'j1', 1, 6, 'reviewing') });
  });

  it("keeps the contact a worker shared with an application whole, and never lists or filters by it", async () => {
    const s = await open();
    const shared = { ...application('a1', 'w1', 'j1', 1, 2), contact: { email: 'alex@example.com', phone: '+1 530 555 0142' } };
    await put(s.applications, shared, application('a2', 'w2', 'j1', 2, 3));
    expect(await s.applications.get('a1')).toEqual(shared);
    expect((await s.applications.list({ by: 'jobId', value: 'j1', size: 10 })).items).toEqual([application('a2', 'w2', 'j1', 2, 3), shared]);
    await expect(s.applications.list({ by: 'contact', value: 'alex@example.com', size: 10 })).rejects.toThrow(/cannot be listed by contact/);
    await expect(s.applications.list({ by: 'jobId', value: 'j1', filter: { contact: ['alex@example.com'] }, size: 10 })).rejects.toThrow(/cannot be filtered on contact/);
  });

  it('keeps a saved search query as arbitrary JSON', async () => {
    const s = await open();
    await put(s.savedSearches, savedSearch('w1', 's1', 1, 3));
    expect(await s.savedSearches.get(savedSearchKey('w1', 's1'))).toEqual(savedSearch('w1', 's1', 1, 3));
  });

  it('a tombstone removes a document and keeps its position: an older write cannot bring it back, a newer one can', async () => {
    const s = await open();
    const key = savedJobKey('w1', 'j1');
    await put(s.savedJobs, savedJob('w1', 'j1', 1, 1));
    await s.savedJobs.write([{ key, position: 3 }]);
    expect(await s.savedJobs.get(key)).toBeUndefined();
    expect((await s.savedJobs.list({ by: 'workerId', value: 'w1', size: 10 })).items).toEqual([]);
    expect((await s.savedJobs.load([key])).get(key)).toEqual({ key, position: 3 });
    await put(s.savedJobs, savedJob('w1', 'j1', 1, 2));
    expect(await s.savedJobs.get(key)).toBeUndefined();
    await s.savedJobs.write([{ key, position: 2 }]); // an older tombstone changes nothing either
    expect((await s.savedJobs.load([key])).get(key)?.position).toBe(3);
    await put(s.savedJobs, savedJob('w1', 'j1', 4, 4));
    expect(await s.savedJobs.get(key)).toEqual(savedJob('w1', 'j1', 4, 4));
  });

  it('lists one owner newest first (ties by key, descending), paged by cursors that cover every item once', async () => {
    const s = await open();
    const mine = [
      savedJob('w1', 'j1', 1, 1),
      savedJob('w1', 'j2', 5, 2),
      savedJob('w1', 'j3', 3, 3),
      savedJob('w1', 'j4', 3, 4),
      savedJob('w1', 'j5', 9, 5),
      savedJob('w1', 'j6', 3, 6),
      savedJob('w1', 'j7', 2, 7),
    ];
    await put(s.savedJobs, ...mine, savedJob('w2', 'j1', 10, 8), savedJob('w10', 'j9', 11, 9));
    const expected = ['j5', 'j2', 'j6', 'j4', 'j3', 'j7', 'j1'];
    expect((await s.savedJobs.list({ by: 'workerId', value: 'w1', size: 100 })).items.map((d) => d.jobId)).toEqual(expected);
    for (const size of [1, 2, 3, 7]) {
      expect((await allPages(s.savedJobs, { by: 'workerId', value: 'w1' }, size)).map((d) => d.jobId)).toEqual(expected);
    }
    const exact = await s.savedJobs.list({ by: 'workerId', value: 'w1', size: 7 });
    expect(exact.nextCursor).toBeUndefined();
    expect((await s.savedJobs.list({ by: 'workerId', value: 'w2', size: 10 })).items).toEqual([savedJob('w2', 'j1', 10, 8)]);
    expect((await s.savedJobs.list({ by: 'workerId', value: 'nobody', size: 10 })).items).toEqual([]);
    expect((await s.savedJobs.list({ by: 'jobId', value: 'j1', size: 10 })).items.map((d) => d.workerId)).toEqual(['w2', 'w1']);
  });

  it('filters a list on a field, by another owner field too', async () => {
    const s = await open();
    await put(
      s.applications,
      application('a1', 'w1', 'j1', 1, 1),
      application('a2', 'w2', 'j1', 2, 2, 'rejected'),
      application('a3', 'w3', 'j1', 3, 3, 'shortlisted'),
      application('a4', 'w1', 'j2', 4, 4, 'withdrawn'),
    );
    expect((await s.applications.list({ by: 'jobId', value: 'j1', size: 10 })).items.map((a) => a.applicationId)).toEqual(['a3', 'a2', 'a1']);
    expect((await s.applications.list({ by: 'jobId', value: 'j1', filter: { status: ['submitted', 'shortlisted'] }, size: 10 })).items.map((a) => a.applicationId)).toEqual(['a3', 'a1']);
    expect((await allPages(s.applications, { by: 'workerId', value: 'w1', filter: { status: ['withdrawn'] } }, 1)).map((a) => a.applicationId)).toEqual(['a4']);
    await put(s.savedSearches, savedSearch('w1', 's1', 1, 5), savedSearch('w1', 's2', 2, 6, 'archived'), savedSearch('w1', 's3', 3, 7, 'deleted'));
    expect((await s.savedSearches.list({ by: 'workerId', value: 'w1', filter: { status: ['active', 'archived'] }, size: 10 })).items.map((d) => d.searchId)).toEqual(['s2', 's1']);
  });

  it('refuses a cursor it did not give out', async () => {
    const s = await open();
    for (const cursor of ['not a cursor', Buffer.from('{"x":1}').toString('base64url'), Buffer.from('[1]').toString('base64url')]) {
      await expect(s.savedJobs.list({ by: 'workerId', value: 'w1', size: 10, cursor })).rejects.toBeInstanceOf(InvalidListCursorError);
    }
  });

  it('commits the changes of all models with the checkpoint', async () => {
    const s = await open();
    expect(await s.checkpoint('lists')).toBe(0);
    await s.commit(
      {
        applications: [{ key: 'a1', position: 1, doc: application('a1', 'w1', 'j1', 1, 1) }],
        savedJobs: [{ key: savedJobKey('w1', 'j1'), position: 2, doc: savedJob('w1', 'j1', 1, 2) }],
        savedSearches: [{ key: savedSearchKey('w1', 's1'), position: 3 }],
      },
      'lists',
      7,
    );
    expect(await s.checkpoint('lists')).toBe(7);
    expect(await s.checkpoint('other')).toBe(0);
    expect(await s.applications.get('a1')).toBeDefined();
    expect(await s.savedJobs.get(savedJobKey('w1', 'j1'))).toBeDefined();
    expect((await s.savedSearches.load([savedSearchKey('w1', 's1')])).get(savedSearchKey('w1', 's1'))).toEqual({ key: savedSearchKey('w1', 's1'), position: 3 });
  });

  it('the lists projection builds the same lists, in batches and with replays of any suffix', async () => {
    const s = await open();
    const noDeadLetters: DeadLetterStore = { record: () => Promise.resolve(), list: () => Promise.resolve([]), close: () => Promise.resolve() };
    const projection = listsProjection(s, noDeadLetters);
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
      saved('w1', 'j1', 12),
    ]);
    for (let i = 0; i < history.length; i += 4) await projection.apply(history.slice(i, i + 4));
    for (const from of [0, 5, 9]) await projection.apply(history.slice(from));
    expect(await s.checkpoint(LISTS_PROJECTION)).toBe(12);
    const apps = (await s.applications.list({ by: 'workerId', value: 'w1', size: 10 })).items;
    expect(apps.map((a) => [a.applicationId, a.status, a.position])).toEqual([['a2', 'withdrawn', 11], ['a1', 'shortlisted', 5]]);
    expect((await s.applications.list({ by: 'jobId', value: 'j1', size: 10 })).items.map((a) => a.applicationId)).toEqual(['a1']);
    expect((await s.savedJobs.list({ by: 'workerId', value: 'w1', size: 10 })).items.map((d) => [d.jobId, d.position])).toEqual([['j1', 12], ['j3', 7]]);
    const searches = (await s.savedSearches.list({ by: 'workerId', value: 'w1', filter: { status: ['active', 'archived'] }, size: 10 })).items;
    expect(searches.map((d) => [d.searchId, d.status])).toEqual([['s1', 'archived']]);
  });
}
