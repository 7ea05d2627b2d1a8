import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workerDecider, workerStream } from '../../command/deciders/workerDecider.ts';
import { foldStream } from '../../command/execute.ts';
import { jobExample, workerProfileExample } from '../../command/http/examples.ts';
import type { Principal } from '../../eventstore/events/index.ts';
import { applicationIdOf } from '../../eventstore/events/index.ts';
import type { FullApp } from '../../tests/support/fullApp.ts';
import { startFullApp } from '../../tests/support/fullApp.ts';
import { defaultWeights, matchScore } from '../match/matchScore.ts';
import type { ApplicantView } from './applicantRoutes.ts';

const owner: Principal = { role: 'business', sub: 'b-applicants' };
const rival: Principal = { role: 'business', sub: 'b-rival' };
const alex: Principal = { role: 'worker', sub: 'w-alex' };
const sam: Principal = { role: 'worker', sub: 'w-sam' };
const noProfile: Principal = { role: 'worker', sub: 'w-noprofile' };
const bystander: Principal = { role: 'worker', sub: 'w-bystander' };

// Distinct strings, so that finding them in any answer means a leak.
const alexContact = { email: 'alex.shares.this@example.org', phone: '+1 530 555 0142' };
const phoneOnly = { phone: '+44 20-7946-0958' };
const alexProfile = { ...workerProfileExample, name: 'Alex Rivera', email: 'alex.private.profile@example.org' };
const samProfile = { ...workerProfileExample, name: 'Sam Okafor', skills: ['forklift'], location: { lat: 39.3, lon: -120.2 }, experienceYears: 0, availability: [], email: 'sam.private@example.org' };
const bystanderProfile = { ...workerProfileExample, name: 'Bystander Never Applied', email: 'bystander@example.org' };
const secrets = [alexContact.email, alexContact.phone, phoneOnly.phone, alexProfile.email, samProfile.email, bystanderProfile.email];

interface Page {
  items: ApplicantView[];
  nextCursor?: string;
  position: number;
}

describe.each(['embedded', 'server'] as const)('applicants of a job (%s mode)', (mode) => {
  let t: FullApp;
  let last = 0;
  let jobId = '';
  beforeAll(async () => {
    t = await startFullApp(mode, { minPositionWaitMs: 15_000 });
    t.clock.now = new Date('2027-03-01T12:00:00Z');
  });
  afterAll(async () => t?.close());

  const call = async (method: 'GET' | 'POST' | 'PUT', url: string, who?: Principal, payload?: object) => {
    t.clock.now = new Date(t.clock.now.getTime() + 1000);
    const res = await t.app.inject({ method, url, headers: who ? await t.auth(who) : {}, ...(payload ? { payload } : {}) });
    const position = method !== 'GET' && res.statusCode < 300 ? res.json<{ position?: number }>().position : undefined;
    if (typeof position === 'number') last = Math.max(last, position);
    return res;
  };
  const ok = async (method: 'POST' | 'PUT', url: string, who: Principal, payload: object) => {
    const res = await call(method, url, who, payload);
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res.json<{ id: string; position: number }>();
  };
  const applicants = async (who: Principal | undefined, qs = '') => call('GET', `/v1/jobs/${jobId}/applications?size=100&minPosition=${last}${qs}`, who);
  const storedProfile = async (workerId: string) => foldStream(workerDecider, await t.runtime.store.readStream(workerStream(workerId))).profile!;

  it('shows the owning business each applicant with the profile summary, the match score of POST /v1/match and the contact exactly as shared', async () => {
    jobId = (await ok('POST', '/v1/jobs', owner, { ...jobExample, title: 'Lakeside Barista' })).id;
    await ok('PUT', '/v1/me/profile', alex, alexProfile);
    await ok('PUT', '/v1/me/profile', sam, samProfile);
    await ok('PUT', '/v1/me/profile', bystander, bystanderProfile);
    await ok('POST', `/v1/jobs/${jobId}/applications`, alex, { message: 'Two summers at the lake.', contact: alexContact });
    await ok('POST', `/v1/jobs/${jobId}/applications`, sam, {});
    await ok('POST', `/v1/jobs/${jobId}/applications`, noProfile, { contact: phoneOnly });

    const res = await applicants(owner);
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json<Page>();
    const byWorker = new Map(page.items.map((a) => [a.workerId, a]));
    expect(page.items.map((a) => a.workerId)).toEqual([noProfile.sub, sam.sub, alex.sub]);

    const a = byWorker.get(alex.sub)!;
    expect(a).toMatchObject({ applicationId: applicationIdOf(jobId, alex.sub), status: 'submitted', message: 'Two summers at the lake.', contact: alexContact });
    expect(a.worker).toEqual({ name: 'Alex Rivera', skills: ['espresso', 'customer service'], experienceYears: 2, availability: [{ from: '2027-06-01', to: '2027-09-30' }] });
    // The score is the one POST /v1/match gives the worker for this job, and the reference function's.
    const matched = await call('POST', `/v1/match?minPosition=${last}`, alex, { jobIds: [jobId] });
    expect(matched.statusCode, matched.body).toBe(200);
    const fromMatch = matched.json<{ results: Array<{ score: number; factors: Record<string, number> }> }>().results[0]!;
    expect(a.match).toEqual({ score: fromMatch.score, factors: fromMatch.factors });
    const reference = matchScore(await storedProfile(alex.sub), (await t.reads.jobs.getJob(jobId))!, defaultWeights, t.clock.now);
    expect(a.match!.score).toBeCloseTo(reference.score, 9);
    expect(a.match!.factors).toEqual(reference.factors);
    expect(a.match!.score).toBeGreaterThan(0);

    const s = byWorker.get(sam.sub)!;
    expect(s).not.toHaveProperty('contact');
    expect(s.worker).toEqual({ name: 'Sam Okafor', skills: ['forklift'], experienceYears: 0, availability: [] });
    expect(s.match!.score).toBeCloseTo(matchScore(await storedProfile(sam.sub), (await t.reads.jobs.getJob(jobId))!, defaultWeights, t.clock.now).score, 9);
    expect(s.match!.score).toBeLessThan(a.match!.score);

    // No profile yet: the application and its contact, no summary and no score.
    expect(byWorker.get(noProfile.sub)).toMatchObject({ contact: phoneOnly, worker: null, match: null });

    // A worker who did not apply is nowhere; a profile's own email is never shown, only what was shared.
    expect(res.body).not.toContain(bystander.sub);
    expect(res.body).not.toContain(bystanderProfile.name);
    for (const email of [alexProfile.email, samProfile.email, bystanderProfile.email]) expect(res.body).not.toContain(email);

    // details=false: the applications alone (contact included), no profile reads.
    const brief = (await applicants(owner, '&details=false')).json<Page>();
    expect(brief.items.map((i) => Object.keys(i).filter((k) => k === 'worker' || k === 'match'))).toEqual([[], [], []]);
    expect(brief.items.find((i) => i.workerId === alex.sub)).toMatchObject({ contact: alexContact });
  });

  it('refuses the applicants to another business (403), a worker (403) and anonymous callers (401), and no other read shows a shared contact', async () => {
    for (const [who, status] of [[rival, 403], [alex, 403], [bystander, 403], [undefined, 401]] as const) {
      const res = await applicants(who);
      expect(res.statusCode, `${who?.sub ?? 'anonymous'}`).toBe(status);
      for (const secret of secrets) expect(res.body).not.toContain(secret);
    }
    const reads: Array<[string, Principal | undefined]> = [
      [`/v1/jobs/${jobId}`, undefined],
      [`/v1/jobs/${jobId}`, rival],
      [`/v1/search?text=${encodeURIComponent(alexContact.email)}&minPosition=${last}`, undefined],
      [`/v1/search?text=${encodeURIComponent('555 0142')}`, rival],
      ['/v1/me/applications', sam],
      ['/v1/me/applications', bystander],
      ['/v1/businesses/me/jobs', rival],
      ['/v1/businesses/me/jobs', owner],
      [`/v1/jobs/${jobId}/stats`, owner],
      ['/v1/me/notifications', owner],
    ];
    for (const [url, who] of reads) {
      const res = await call('GET', url, who);
      for (const secret of [alexContact.email, alexContact.phone, phoneOnly.phone]) expect(res.body, `${url} as ${who?.sub ?? 'anonymous'}`).not.toContain(secret);
    }
    // The applying worker sees what it shared.
    const mine = (await call('GET', `/v1/me/applications?minPosition=${last}`, alex)).json<{ items: Array<{ jobId: string; contact?: unknown }> }>();
    expect(mine.items.find((i) => i.jobId === jobId)?.contact).toEqual(alexContact);
  });

  it('stops showing the contact of a worker who withdrew, and shows the new one when the worker applies again', async () => {
    const withdrawn = await ok('POST', `/v1/applications/${applicationIdOf(jobId, alex.sub)}/withdraw`, alex, {});
    expect(withdrawn.position).toBeGreaterThan(0);
    const after = (await applicants(owner)).json<Page>().items.find((a) => a.workerId === alex.sub)!;
    expect(after.status).toBe('withdrawn');
    expect(after).not.toHaveProperty('contact');
    await ok('POST', `/v1/jobs/${jobId}/applications`, alex, { contact: { email: 'alex.new@example.org' } });
    const again = (await applicants(owner)).json<Page>().items.find((a) => a.workerId === alex.sub)!;
    expect(again).toMatchObject({ status: 'submitted', contact: { email: 'alex.new@example.org' } });
    expect(JSON.stringify(again)).not.toContain(alexContact.phone);
  });

  it('refuses a contact that is not an email or an international phone, naming the field, and writes nothing', async () => {
    const other = (await ok('POST', '/v1/jobs', owner, { ...jobExample, title: 'Dock Hand' })).id;
    const cases: Array<[unknown, string]> = [
      [{ email: 'not-an-email' }, 'body.contact.email'],
      [{ phone: '555-0142' }, 'body.contact.phone'],
      [{ phone: `+1${'5'.repeat(40)}` }, 'body.contact.phone'],
      [{ email: `${'a'.repeat(260)}@example.org` }, 'body.contact.email'],
      [{}, 'body.contact'],
      [{ email: 'alex@example.org', fax: '+15305550142' }, 'body.contact.fax'],
      ['alex@example.org', 'body.contact'],
    ];
    for (const [contact, field] of cases) {
      const res = await call('POST', `/v1/jobs/${other}/applications`, alex, { contact });
      expect(res.statusCode, JSON.stringify(contact)).toBe(400);
      expect(res.json(), JSON.stringify(contact)).toMatchObject({ code: 'validation_failed', details: expect.arrayContaining([expect.objectContaining({ field })]) });
    }
    const listed = (await call('GET', `/v1/jobs/${other}/applications?minPosition=${last}`, owner)).json<Page>();
    expect(listed.items).toEqual([]);
    const badDetails = await call('GET', `/v1/jobs/${other}/applications?details=maybe`, owner);
    expect(badDetails.statusCode).toBe(400);
    expect(badDetails.json()).toMatchObject({ details: [expect.objectContaining({ field: 'querystring.details' })] });
  });
});
