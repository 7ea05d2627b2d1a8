import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobExample, savedSearchExample } from '../../command/http/examples.ts';
import type { FullApp } from '../../tests/support/fullApp.ts';
import { startFullApp } from '../../tests/support/fullApp.ts';

const business = { role: 'business', sub: 'b-results' } as const;
const worker = { role: 'worker', sub: 'w-results' } as const;
const otherWorker = { role: 'worker', sub: 'w-results-other' } as const;
type Who = { role: 'business' | 'worker'; sub: string };
const t0 = new Date('2027-03-01T12:00:00Z');
const minutes = (m: number) => new Date(t0.getTime() + m * 60_000);

interface Results {
  searchId: string;
  name: string;
  status: string;
  newSince: string;
  newCount: number;
  total: number;
  nextCursor?: string;
  hits: { job: { id: string; title: string }; new: boolean }[];
}

describe.each(['embedded', 'server'] as const)('GET /v1/me/saved-searches/:id/results (%s mode)', (mode) => {
  let t: FullApp;
  let searchId: string;
  const ids: Record<string, string> = {};

  const send = async (method: 'POST' | 'DELETE', url: string, who: Who, payload?: object) => {
    const res = await t.app.inject({ method, url, headers: await t.auth(who), ...(payload ? { payload } : {}) });
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res.json<{ id: string; position: number }>();
  };
  const postJob = async (title: string, at: Date) => {
    t.clock.now = at;
    ids[title] = (await send('POST', '/v1/jobs', business, { ...jobExample, title, description: `${title} at the lakeside cafe, espresso all summer.` })).id;
  };
  const results = async (id: string, who: Who, at: Date, query = '') => {
    t.clock.now = at;
    expect(await t.settled()).toBe(true);
    return t.app.inject({ url: `/v1/me/saved-searches/${id}/results${query}`, headers: await t.auth(who) });
  };
  const titles = (r: Results) => r.hits.map((h) => h.job.title);
  const fresh = (r: Results) => r.hits.filter((h) => h.new).map((h) => h.job.title);

  beforeAll(async () => {
    t = await startFullApp(mode);
    await postJob('Barista one', minutes(0));
    await postJob('Barista two', minutes(1));
    t.clock.now = minutes(2);
    searchId = (await send('POST', '/v1/me/saved-searches', worker, { ...savedSearchExample, query: { text: 'barista', sort: 'newest' } })).id;
    await postJob('Barista three', minutes(3));
  });
  afterAll(async () => t?.close());

  it('answers what /v1/search answers for the saved query, marking as new what was posted since the search was saved', async () => {
    const res = await results(searchId, worker, minutes(5));
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<Results>();
    const search = (await t.app.inject({ method: 'POST', url: '/v1/search', payload: { text: 'barista', sort: 'newest' } })).json<Results>();
    expect(titles(body)).toEqual(titles(search));
    expect(body.total).toBe(search.total);
    expect(body).toMatchObject({ searchId, name: savedSearchExample.name, status: 'active', newSince: minutes(2).toISOString(), newCount: 1 });
    expect(titles(body)).toEqual(['Barista three', 'Barista two', 'Barista one']);
    expect(fresh(body)).toEqual(['Barista three']);
  });

  it('/v1/search takes the same bound as postedSince, and names it when it is not an instant', async () => {
    const since = await t.app.inject({ url: `/v1/search?text=barista&sort=newest&postedSince=${encodeURIComponent(minutes(2).toISOString())}` });
    expect(titles(since.json<Results>())).toEqual(['Barista three']);
    const bad = await t.app.inject({ url: '/v1/search?text=barista&postedSince=yesterday' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ details: { field: string }[] }>().details.map((d) => d.field)).toEqual([expect.stringContaining('postedSince')]);
  });

  it('keeps the same newSince on every page and reload of one visit, and counts new jobs over the whole list', async () => {
    const first = (await results(searchId, worker, minutes(10), '?size=1')).json<Results>();
    expect(first).toMatchObject({ newSince: minutes(2).toISOString(), newCount: 1, total: 3 });
    expect(titles(first)).toEqual(['Barista three']);
    const second = (await results(searchId, worker, minutes(12), `?size=1&cursor=${encodeURIComponent(first.nextCursor!)}`)).json<Results>();
    expect(second).toMatchObject({ newSince: minutes(2).toISOString(), newCount: 1 });
    expect(titles(second)).toEqual(['Barista two']);
    expect(fresh(second)).toEqual([]);
  });

  it('on a later visit marks as new only what was posted since the visit before', async () => {
    await postJob('Barista four', minutes(40));
    const later = (await results(searchId, worker, minutes(45))).json<Results>();
    expect(later).toMatchObject({ newSince: minutes(5).toISOString(), newCount: 1 });
    expect(fresh(later)).toEqual(['Barista four']);
    const reload = (await results(searchId, worker, minutes(50))).json<Results>();
    expect(reload).toMatchObject({ newSince: minutes(5).toISOString(), newCount: 1 });
    const nextVisit = (await results(searchId, worker, minutes(90))).json<Results>();
    expect(nextVisit).toMatchObject({ newSince: minutes(45).toISOString(), newCount: 0 });
    expect(fresh(nextVisit)).toEqual([]);
  });

  it('answers 404 for another worker\'s search, an unknown one and a deleted one, and 400 for an unknown parameter', async () => {
    expect((await results(searchId, otherWorker, minutes(100))).statusCode).toBe(404);
    expect((await results('nosuchsearch', worker, minutes(100))).statusCode).toBe(404);
    expect((await results(searchId, worker, minutes(100), '?text=x')).json()).toMatchObject({ statusCode: 400, code: 'validation_failed' });
    t.clock.now = minutes(101);
    const gone = (await send('POST', '/v1/me/saved-searches', worker, { ...savedSearchExample, name: 'gone', query: { text: 'barista' } })).id;
    await send('DELETE', `/v1/me/saved-searches/${gone}`, worker);
    const res = await results(gone, worker, minutes(102));
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'saved_search_not_found' });
  });
});
