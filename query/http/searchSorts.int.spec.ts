// The sorts `expiring` and `match` of /v1/search, through the whole app in
// both modes: soonest expiry first; the asking worker's match score first
// (signed-in workers with a profile only), paged exactly, never cached.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workerDecider, workerStream } from '../../command/deciders/workerDecider.ts';
import { foldStream } from '../../command/execute.ts';
import { jobExample, workerProfileExample } from '../../command/http/examples.ts';
import type { WorkerProfile } from '../../eventstore/events/index.ts';
import type { FullApp } from '../../tests/support/fullApp.ts';
import { startFullApp } from '../../tests/support/fullApp.ts';
import { defaultWeights, matchScore } from '../match/matchScore.ts';

interface Hit {
  job: { jobId: string; expiresAt: string; remote: boolean };
  match?: { score: number; factors: Record<string, number> };
}
interface Page {
  total: number;
  hits: Hit[];
  nextCursor?: string;
}
interface ErrorBody {
  code: string;
  details?: Array<{ field: string; code: string }>;
}

const BUSINESS = 'b-sorts';
const at = (lat: number, lon: number) => ({ point: { lat, lon }, city: 'Somewhere', country: 'US' });

describe.each(['embedded', 'server'] as const)('search sorts expiring and match (%s mode)', (mode) => {
  let t: FullApp;
  let head = 0;
  const worker = { role: 'worker' as const, sub: 'w-sorts' };
  const ids: string[] = [];

  beforeAll(async () => {
    // A response cache, to show a `match` answer is never served to someone else.
    t = await startFullApp(mode, { minPositionWaitMs: 15_000, responseCacheBytes: 1024 * 1024 });
    t.clock.now = new Date('2027-03-01T12:00:00Z');
    // Seven jobs of one business: expiry days out of order (two share one), places near and far, one remote, skills varied.
    const variants: Array<Record<string, unknown>> = [
      { publish: { expiresAt: '2027-05-20T00:00:00Z' } },
      { publish: { expiresAt: '2027-04-02T00:00:00Z' }, location: at(39.9, -120.05), skills: ['espresso'] },
      { publish: { expiresAt: '2027-04-02T00:00:00Z' }, remote: true, location: at(40.71, -74.0), skills: ['bookkeeping'] },
      { publish: { expiresAt: '2027-03-15T00:00:00Z' }, location: at(34.05, -118.24), pay: { min: 30, max: 35, currency: 'USD', unit: 'hour' } },
      { publish: { expiresAt: '2027-06-30T00:00:00Z' }, skills: [], experienceYears: 5 },
      { publish: { expiresAt: '2027-03-02T00:00:00Z' }, location: at(39.2, -120.1), startDate: '2027-10-01', endDate: '2027-10-31' },
      { publish: { expiresAt: '2027-05-01T00:00:00Z' }, location: at(39.11, -120.06) },
    ];
    for (const v of variants) {
      const res = await t.app.inject({ method: 'POST', url: '/v1/jobs', payload: { ...jobExample, ...v }, headers: await t.auth({ role: 'business', sub: BUSINESS }) });
      expect(res.statusCode).toBe(201);
      const { id, position } = res.json<{ id: string; position: number }>();
      ids.push(id);
      head = Math.max(head, position);
    }
  }, 60_000);
  afterAll(async () => t?.close());

  const search = async (qs: string, principal?: { role: 'worker' | 'business' | 'operator'; sub: string }) =>
    t.app.inject({ url: `/v1/search?businessId=${BUSINESS}&minPosition=${head}&${qs}`, ...(principal ? { headers: await t.auth(principal) } : {}) });

  /** Every page of a query, size `size`, following nextCursor to the end. */
  const allPages = async (qs: string, size: number, principal?: { role: 'worker'; sub: string }): Promise<Hit[]> => {
    const hits: Hit[] = [];
    let cursor: string | undefined;
    for (let n = 0; n < 50; n++) {
      const res = await search(`${qs}&size=${size}${cursor ? `&cursor=${cursor}` : ''}`, principal);
      expect(res.statusCode).toBe(200);
      const page = res.json<Page>();
      hits.push(...page.hits);
      cursor = page.nextCursor;
      if (!cursor) return hits;
    }
    throw new Error('cursor loop');
  };

  const storedProfile = async (workerId: string): Promise<WorkerProfile> => {
    const profile = foldStream(workerDecider, await t.runtime.store.readStream(workerStream(workerId))).profile;
    if (!profile) throw new Error('no profile');
    return profile;
  };

  it('sort=expiring: soonest expiresAt first, ties by job id, and pages of one add up to the one big page', async () => {
    const res = await search('sort=expiring&size=100');
    expect(res.statusCode).toBe(200);
    const big = res.json<Page>().hits;
    expect(big).toHaveLength(ids.length);
    const expected = [...big].sort((a, b) => Date.parse(a.job.expiresAt) - Date.parse(b.job.expiresAt) || (a.job.jobId < b.job.jobId ? -1 : 1));
    expect(big.map((h) => h.job.jobId)).toEqual(expected.map((h) => h.job.jobId));
    expect(big[0]!.job.jobId).toBe(ids[5]);
    expect((await allPages('sort=expiring', 1)).map((h) => h.job.jobId)).toEqual(big.map((h) => h.job.jobId));
    // A job that expired meanwhile is no longer listed.
    t.clock.now = new Date('2027-03-03T00:00:00Z');
    const later = (await search('sort=expiring&size=100')).json<Page>();
    t.clock.now = new Date('2027-03-01T12:00:00Z');
    expect(later.hits.map((h) => h.job.jobId)).toEqual(big.slice(1).map((h) => h.job.jobId));
  });

  it('sort=match: anonymous and business callers get a 400 naming sort; a worker without a profile a 422 profile_required', async () => {
    for (const principal of [undefined, { role: 'business' as const, sub: BUSINESS }, { role: 'operator' as const, sub: 'op' }]) {
      const res = await search('sort=match', principal);
      expect(res.statusCode, principal?.role ?? 'anonymous').toBe(400);
      expect(res.json<ErrorBody>().details).toEqual([expect.objectContaining({ field: 'querystring.sort', code: 'worker_required' })]);
    }
    const body = await t.app.inject({ method: 'POST', url: '/v1/search', payload: { sort: 'match' } });
    expect(body.statusCode).toBe(400);
    expect(body.json<ErrorBody>().details).toEqual([expect.objectContaining({ field: 'body.sort', code: 'worker_required' })]);
    const none = await search('sort=match', { role: 'worker', sub: 'w-without-profile' });
    expect(none.statusCode).toBe(422);
    expect(none.json<ErrorBody>().code).toBe('profile_required');
  });

  it('sort=match for a worker: every match of the query (also beyond the travel range), best score first, scores and factors of the reference; paging to the end equals one big page', async () => {
    const put = await t.app.inject({ method: 'PUT', url: '/v1/me/profile', payload: workerProfileExample, headers: await t.auth(worker) });
    expect(put.statusCode).toBe(200);
    const res = await search('sort=match&size=100', worker);
    expect(res.statusCode).toBe(200);
    const page = res.json<Page>();
    expect(page.total).toBe(ids.length);
    expect(new Set(page.hits.map((h) => h.job.jobId))).toEqual(new Set(ids));
    const profile = await storedProfile(worker.sub);
    const expected = await Promise.all(
      page.hits.map(async (h) => ({ id: h.job.jobId, ref: matchScore(profile, (await t.reads.jobs.getJob(h.job.jobId))!, defaultWeights, t.clock.now) })),
    );
    expected.sort((a, b) => b.ref.score - a.ref.score || (a.id < b.id ? -1 : 1));
    expect(page.hits.map((h) => h.job.jobId)).toEqual(expected.map((e) => e.id));
    page.hits.forEach((h, i) => {
      expect(h.match!.score).toBeCloseTo(expected[i]!.ref.score, 9);
      expect(h.match!.factors).toEqual(expected[i]!.ref.factors);
    });
    // A sort, not a filter: Los Angeles is far beyond the worker's 40 km and still listed, last or near it.
    expect(page.hits.some((h) => !h.job.remote && h.match!.factors.distance === 0)).toBe(true);
    for (const size of [1, 2, 3]) expect((await allPages('sort=match', size, worker)).map((h) => h.job.jobId)).toEqual(page.hits.map((h) => h.job.jobId));
    // The JSON body asks the same.
    const post = await t.app.inject({ method: 'POST', url: `/v1/search?minPosition=${head}`, payload: { businessId: BUSINESS, sort: 'match', size: 100 }, headers: await t.auth(worker) });
    expect(post.statusCode).toBe(200);
    expect(post.json<Page>().hits.map((h) => h.job.jobId)).toEqual(page.hits.map((h) => h.job.jobId));
  });

  it('the OpenAPI document offers both sorts on GET and POST /v1/search, and 422 for a worker without a profile', async () => {
    const doc = (await t.app.inject('/openapi.json')).json<{ paths: Record<string, Record<string, { parameters?: Array<{ name: string; schema: { enum?: string[] } }>; requestBody?: { content: Record<string, { schema: { properties: { sort: { enum: string[] } } } }> }; responses: Record<string, unknown> }>> }>();
    const get = doc.paths['/v1/search']!.get!;
    expect(get.parameters!.find((p) => p.name === 'sort')!.schema.enum).toEqual(['relevance', 'distance', 'newest', 'pay', 'expiring', 'match']);
    expect(doc.paths['/v1/search']!.post!.requestBody!.content['application/json']!.schema.properties.sort.enum).toEqual(['relevance', 'distance', 'newest', 'pay', 'expiring', 'match']);
    expect(Object.keys(get.responses)).toContain('422');
  });

  it('sort=match answers are never cached: another worker asking the same URL gets their own order', async () => {
    const other = { role: 'worker' as const, sub: 'w-sorts-la' };
    for (const [who, profile] of [[worker, workerProfileExample], [other, { ...workerProfileExample, location: { lat: 34.05, lon: -118.24 }, skills: ['espresso', 'customer service', 'cash handling'] }]] as const) {
      const put = await t.app.inject({ method: 'PUT', url: '/v1/me/profile', payload: profile, headers: await t.auth(who) });
      expect(put.statusCode).toBe(200);
    }
    const mine = await search('sort=match&size=100', worker);
    const theirs = await search('sort=match&size=100', other);
    expect(theirs.headers['x-cache']).not.toBe('hit');
    const first = (r: typeof mine) => r.json<Page>().hits[0]!.job.jobId;
    expect(first(theirs)).toBe(ids[3]); // the Los Angeles job, nearest to them
    expect(first(mine)).not.toBe(ids[3]);
  });
});
