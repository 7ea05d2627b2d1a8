import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobExample, savedSearchExample } from '../../command/http/examples.ts';
import type { FullApp } from '../../tests/support/fullApp.ts';
import { startFullApp } from '../../tests/support/fullApp.ts';
import { archiveSavedSearches } from '../scheduler/archiveSavedSearches.ts';
import { lastAlertOf } from './lastAlertOf.ts';

const DAY = 86_400_000;
const business = { role: 'business', sub: 'b-archive' } as const;
const worker = { role: 'worker', sub: 'w-archive' } as const;
const t0 = new Date('2027-01-04T12:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);

describe('archive-saved-searches counts a search\'s last alert, its last change and its last run as use', () => {
  let full: FullApp;
  const call = async (method: 'POST' | 'PATCH', url: string, who: { role: 'business' | 'worker'; sub: string }, payload: object) => {
    const res = await full.app.inject({ method, url, payload, headers: await full.auth(who) });
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res.json<{ id: string }>();
  };
  const settled = async () => expect(await full.settled()).toBe(true);

  beforeAll(async () => {
    full = await startFullApp('embedded', { notifications: {} });
  });
  afterAll(async () => full?.close());

  it('archives the silent search, keeps the one that alerted 40 days ago, the one whose alerts were changed and the one run 40 days ago', async () => {
    full.clock.now = t0;
    const alerting = await call('POST', '/v1/me/saved-searches', worker, { ...savedSearchExample, name: 'alerting', query: { text: 'ferryman' }, alertFrequency: 'instant' });
    const silent = await call('POST', '/v1/me/saved-searches', worker, { ...savedSearchExample, name: 'silent', query: { text: 'astronaut' }, alertFrequency: 'instant' });
    const changed = await call('POST', '/v1/me/saved-searches', worker, { ...savedSearchExample, name: 'changed', query: { text: 'astronomer' } });
    const run = await call('POST', '/v1/me/saved-searches', worker, { ...savedSearchExample, name: 'run', query: { text: 'lighthouse' } });
    await settled();
    full.clock.now = at(60 * DAY);
    const expiresAt = at(90 * DAY).toISOString();
    await call('POST', '/v1/jobs', business, { ...jobExample, title: 'Lake ferryman', description: 'Ferryman for the summer lake crossings.', publish: { expiresAt } });
    await call('PATCH', `/v1/me/saved-searches/${changed.id}`, worker, { alertFrequency: 'weekly', alertWeekday: 'friday', alertHour: 17 });
    expect((await full.app.inject({ url: `/v1/me/saved-searches/${run.id}/results`, headers: await full.auth(worker) })).statusCode).toBe(200);
    await settled();
    const last = lastAlertOf(full.notifications!.store);
    expect(await last(worker.sub, alerting.id)).toEqual(at(60 * DAY));
    expect(await last(worker.sub, silent.id)).toBeUndefined();

    const sweep = archiveSavedSearches({ store: full.runtime.store, lists: full.reads.lists, lastAlertOf: last });
    const signal = new AbortController().signal;
    const now = at(100 * DAY);
    expect(await sweep({ now, slot: now, signal })).toEqual({ items: 1 });
    const list = await full.app.inject({ url: `/v1/me/saved-searches?minPosition=${await full.runtime.store.headPosition()}`, headers: await full.auth(worker) });
    const status = Object.fromEntries(list.json<{ items: { searchId: string; status: string }[] }>().items.map((s) => [s.searchId, s.status]));
    expect(status).toEqual({ [alerting.id]: 'active', [silent.id]: 'archived', [changed.id]: 'active', [run.id]: 'active' });

    // An archived search still runs, and running it does not bring it back.
    full.clock.now = at(101 * DAY);
    const results = await full.app.inject({ url: `/v1/me/saved-searches/${silent.id}/results`, headers: await full.auth(worker) });
    expect(results.statusCode, results.body).toBe(200);
    expect(results.json()).toMatchObject({ status: 'archived', total: 0 });
    const stream = await full.runtime.store.readStream(`worker-${worker.sub}`);
    expect(stream.filter((e) => e.type === 'SavedSearchViewed').map((e) => (e.data as { searchId: string }).searchId)).toEqual([run.id]);
  });
});
