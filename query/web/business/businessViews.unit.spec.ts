import { describe, expect, it } from 'vitest';
import type { ApplicationLifecycle } from '../../../eventstore/events/index.ts';
import { applicationTransitions } from '../../../eventstore/events/index.ts';
import type { Applicant, BusinessJob } from './businessViews.ts';
import { applicantRow, businessJobHref, businessJobRow, funnel, jobActions, jobStatusTabs, jobSummary, statusOf } from './businessViews.ts';

const now = new Date('2027-03-10T12:00:00Z');
const job: BusinessJob = {
  jobId: 'j-1', businessId: 'b-1', title: 'Lift operator', description: 'Run the chairlift.', category: 'food_service', employmentType: 'part_time',
  pay: { min: 18, max: 22, currency: 'USD', unit: 'hour' }, hourlyMin: 18, hourlyMax: 22, location: { lat: 39.3, lon: -120.2 }, city: 'Truckee', region: 'CA', country: 'US',
  remote: false, skills: ['ropes'], experienceYears: 1, status: 'open', createdAt: '2027-03-01T00:00:00Z', updatedAt: '2027-03-01T00:00:00Z',
  publishedAt: '2027-03-09T00:00:00Z', expiresAt: '2027-04-09T00:00:00Z', views: 1, saves: 2, applications: 0, position: 7,
};
const { publishedAt: _p, expiresAt: _e, ...draft } = { ...job, status: 'draft' as const };
const past = '2027-03-10T11:59:59Z';
const atNow = now.toISOString();

describe('what the business pages show', () => {
  it('takes an open job past its expiry for expired before the expiry sweep has run, and nothing else', () => {
    expect(statusOf(job, now)).toBe('open');
    expect(statusOf({ ...job, expiresAt: past }, now)).toBe('expired');
    // At the very instant of expiry the job is no longer open.
    expect(statusOf({ ...job, expiresAt: atNow }, now)).toBe('expired');
    expect(statusOf({ status: 'open' }, now)).toBe('open');
    expect(statusOf({ ...job, status: 'closed', expiresAt: past }, now)).toBe('closed');
    expect(statusOf({ ...job, status: 'expired', expiresAt: past }, now)).toBe('expired');
    expect(statusOf(draft, now)).toBe('draft');
  });

  it('offers the lifecycle forms the job decider allows in each status', () => {
    const published = { publishedAt: '2027-01-01T00:00:00Z' };
    const cases: Array<[string, Pick<BusinessJob, 'status' | 'expiresAt' | 'publishedAt'>, ReturnType<typeof jobActions>]> = [
      ['draft', draft, { edit: true, publish: true, close: false, reopen: false, discard: true }],
      ['open', { ...job, ...published }, { edit: true, publish: false, close: true, reopen: false, discard: false }],
      ['open past its expiry', { ...job, ...published, expiresAt: past }, { edit: false, publish: false, close: false, reopen: false, discard: false }],
      ['closed before its expiry', { ...job, ...published, status: 'closed' }, { edit: false, publish: false, close: false, reopen: true, discard: false }],
      ['closed past its expiry', { ...job, ...published, status: 'closed', expiresAt: past }, { edit: false, publish: false, close: false, reopen: false, discard: false }],
      ['a draft withdrawn before it was published', { status: 'closed' }, { edit: false, publish: false, close: false, reopen: false, discard: true }],
      ['expired', { ...job, ...published, status: 'expired', expiresAt: past }, { edit: false, publish: false, close: false, reopen: false, discard: false }],
    ];
    for (const [name, j, actions] of cases) expect(jobActions(j, now), name).toEqual(actions);
  });

  it('shares applications and saves of views, the shortlist of applications and hires of the shortlist, and no share of an empty stage', () => {
    expect(funnel({ views: 1234, saves: 617, applications: 37, shortlisted: 3, hired: 1 })).toEqual([
      { key: 'views', label: 'Views', count: '1,234', share: '' },
      { key: 'saves', label: 'Saves', count: '617', share: '50% of views' },
      // Applying needs no save: applications are a share of views, not of saves.
      { key: 'applications', label: 'Applications', count: '37', share: '3% of views' },
      { key: 'shortlisted', label: 'Shortlisted', count: '3', share: '8% of applications' },
      { key: 'hired', label: 'Hired', count: '1', share: '33% of shortlisted' },
    ]);
    // Nothing divided by zero: a stage after an empty one has no share.
    expect(funnel({ views: 0, saves: 0, applications: 0, shortlisted: 0, hired: 0 }).map((s) => [s.count, s.share])).toEqual([['0', ''], ['0', '—'], ['0', '—'], ['0', '—'], ['0', '—']]);
    expect(funnel({ views: 4, saves: 0, applications: 3, shortlisted: 0, hired: 0 }).map((s) => s.share)).toEqual(['', '0% of views', '75% of views', '0% of applications', '—']);
  });

  it('offers for each applicant the moves its status allows, each worded, and none once it is final', () => {
    const applicant = (status: ApplicationLifecycle, message?: string): Applicant => ({
      applicationId: 'a-1', workerId: 'w-1', status, ...(message !== undefined ? { message } : {}), submittedAt: '2027-03-09T08:00:00Z', updatedAt: '2027-03-09T09:00:00Z',
    });
    const words: Record<ApplicationLifecycle, string> = {
      submitted: 'New', reviewing: 'Reviewing', shortlisted: 'Shortlisted', rejected: 'Rejected', hired: 'Hired', withdrawn: 'Withdrawn by the applicant',
    };
    const labels: Record<string, string> = { reviewing: 'Mark as reviewing', shortlisted: 'Shortlist', hired: 'Accept (hire)', rejected: 'Reject' };
    for (const status of Object.keys(applicationTransitions) as ApplicationLifecycle[]) {
      const row = applicantRow(applicant(status), now);
      expect(row.moves.map((m) => m.to), status).toEqual(applicationTransitions[status]);
      expect(row.moves.map((m) => m.label), status).toEqual(applicationTransitions[status].map((to) => labels[to]));
      expect([row.status, row.statusKey], status).toEqual([words[status], status]);
    }
    expect(applicantRow(applicant('submitted'), now).moves.map((m) => m.label)).toEqual(['Mark as reviewing', 'Shortlist', 'Reject', 'Accept (hire)']);
    expect(applicantRow(applicant('hired'), now).moves).toEqual([]);
    // The message is kept as typed: the template escapes it.
    const row = applicantRow(applicant('reviewing', 'I <b>can</b> start & stay'), now);
    expect([row.applicationId, row.workerId, row.message, row.submitted]).toEqual(['a-1', 'w-1', 'I <b>can</b> start & stay', 'yesterday']);
    expect(applicantRow(applicant('reviewing'), now).message).toBe('');
  });

  it("names an applicant with a profile and lists what the business decides on: shared contact (as links), skills, experience, availability, match", () => {
    const base: Applicant = { applicationId: 'a-1', workerId: 'w-1', status: 'submitted', submittedAt: '2027-03-09T08:00:00Z', updatedAt: '2027-03-09T08:00:00Z' };
    const row = applicantRow({
      ...base,
      contact: { email: 'jo+work@example.org', phone: '+44 20-7946-0958' },
      worker: { name: 'Jo <Doe>', skills: ['espresso', 'first aid'], experienceYears: 1, availability: [{ from: '2027-06-01', to: '2027-09-30' }, { from: '2027-11-01' }] },
      match: { score: 87.5, factors: { skills: 2 / 3, distance: 0.801, pay: 1, availability: 0.5, experience: 0 } },
    }, now);
    expect([row.heading, row.who, row.score]).toEqual(['Jo <Doe>', 'Jo <Doe>', '88% match']);
    expect(row.facts).toEqual([
      { label: 'Email', value: 'jo+work@example.org', href: 'mailto:jo%2Bwork@example.org' },
      { label: 'Phone', value: '+44 20-7946-0958', href: 'tel:+442079460958' },
      { label: 'Skills', value: 'espresso, first aid' },
      { label: 'Experience', value: '1 year' },
      { label: 'Available', value: '1 Jun 2027 – 30 Sep 2027; from 1 Nov 2027' },
      { label: 'Match', value: 'skills 67% · distance 80% · pay 100% · availability 50% · experience 0%' },
    ]);
    const bare = applicantRow({ ...base, worker: null, match: null }, now);
    expect([bare.heading, bare.who, bare.score, bare.facts]).toEqual(['Applicant w-1', 'applicant w-1', '', []]);
    const nothingListed = applicantRow({ ...base, worker: { name: 'Sam', skills: [], experienceYears: 3, availability: [] } }, now);
    expect(nothingListed.facts.map((f) => f.value)).toEqual(['none listed', '3 years', 'not given']);
  });

  it('lists a job with its status, place, pay, age and counts, in the singular for one', () => {
    expect(businessJobRow(job, now)).toEqual({
      jobId: 'j-1', href: '/business/jobs/j-1', title: 'Lift operator', status: 'Open', statusKey: 'open', place: 'Truckee, CA', pay: '$18–$22 per hour',
      when: 'published yesterday', counts: '1 view · 2 saves · 0 applications',
    });
    expect(businessJobRow({ ...draft, views: 0, saves: 1, applications: 1 }, now)).toMatchObject({ status: 'Draft', statusKey: 'draft', when: 'drafted 9 days ago', counts: '0 views · 1 save · 1 application' });
    expect(businessJobRow({ ...job, expiresAt: past }, now)).toMatchObject({ status: 'Expired', statusKey: 'expired', when: 'published yesterday' });
    expect(businessJobRow({ ...job, jobId: 'j/2 x', remote: true, city: undefined, region: undefined, country: undefined }, now)).toMatchObject({ href: '/business/jobs/j%2F2%20x', place: 'Remote' });
  });

  it('sums a job up for its page: the reason it closed, the dates, the links and the forms', () => {
    expect(jobSummary(job, now)).toEqual({
      jobId: 'j-1', title: 'Lift operator', status: 'Open', statusKey: 'open', publicHref: '/jobs/j-1', editHref: '/business/jobs/j-1/edit', place: 'Truckee, CA', pay: '$18–$22 per hour',
      type: 'Part time', category: 'Food service', created: '1 Mar 2027', published: '9 Mar 2027', expires: 'expires 9 Apr 2027',
      actions: { edit: true, publish: false, close: true, reopen: false, discard: false },
    });
    expect(jobSummary({ ...job, status: 'closed', closedReason: 'filled' }, now)).toMatchObject({ status: 'Closed (filled)', statusKey: 'closed', actions: { reopen: true } });
    expect(jobSummary({ ...job, status: 'closed', closedReason: 'withdrawn' }, now).status).toBe('Closed (withdrawn)');
    expect(jobSummary({ ...job, status: 'expired', closedReason: 'expired', expiresAt: past }, now)).toMatchObject({ status: 'Expired', expires: 'expired 10 Mar 2027' });
    expect(jobSummary({ ...job, expiresAt: past }, now)).toMatchObject({ status: 'Expired', statusKey: 'expired', expires: 'expired 10 Mar 2027' });
    expect(jobSummary(draft, now)).toMatchObject({ status: 'Draft', published: '', expires: '', actions: { edit: true, publish: true } });
  });

  it('has a tab for every job status and one for all of them', () => {
    expect(jobStatusTabs.map(([key]) => key)).toEqual(['', 'draft', 'open', 'closed', 'expired']);
    expect(jobStatusTabs.map(([, label]) => label)).toEqual(['All', 'Drafts', 'Open', 'Closed', 'Expired']);
    expect(businessJobHref('a b/c')).toBe('/business/jobs/a%20b%2Fc');
  });
});
