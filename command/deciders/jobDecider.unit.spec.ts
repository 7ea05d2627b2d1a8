import { describe, expect, it } from 'vitest';
import type { JobContent, JobEvent } from '../../eventstore/events/index.ts';
import { DomainError } from '../decider.ts';
import type { JobCommand } from './jobDecider.ts';
import { jobDecider } from './jobDecider.ts';
import { scenario } from '../../tests/support/deciderScenario.ts';

const { given } = scenario(jobDecider);

const jobId = 'job-1';
const businessId = 'biz-1';
const otherBusiness = 'biz-2';
const now = '2026-03-01T09:00:00Z';
const later = '2026-03-10T09:00:00Z';
const expiresAt = '2026-04-01T00:00:00Z';

const content: JobContent = {
  title: 'Harvest hand',
  description: 'Pick apples in the orchard.',
  category: 'agriculture',
  employmentType: 'seasonal',
  pay: { min: 18, max: 22, currency: 'USD', unit: 'hour' },
  location: { point: { lat: 44.5, lon: -72.6 }, city: 'Montpelier', region: 'VT', country: 'US' },
  remote: false,
  skills: ['picking', 'ladders'],
  startDate: '2026-04-01',
  endDate: '2026-06-30',
  experienceYears: 0,
};

const drafted: JobEvent = { type: 'JobDrafted', data: { jobId, businessId, ...content } };
const published: JobEvent = { type: 'JobPublished', data: { jobId, publishedAt: now, expiresAt } };
const filled: JobEvent = { type: 'JobClosed', data: { jobId, reason: 'filled', closedAt: later } };
const withdrawn: JobEvent = { type: 'JobClosed', data: { jobId, reason: 'withdrawn', closedAt: later } };
const expired: JobEvent = { type: 'JobExpired', data: { jobId, expiredAt: expiresAt } };

const draftJob = (overrides: Partial<Extract<JobCommand, { type: 'DraftJob' }>> = {}): JobCommand => ({
  type: 'DraftJob', jobId, businessId, content, now, ...overrides,
});

describe('DraftJob', () => {
  it('drafts a new job', () => {
    given([]).when(draftJob()).then([drafted]);
  });

  it('normalises the content the way the schema does', () => {
    given([])
      .when(draftJob({ content: { ...content, title: '  Harvest hand  ', skills: [' Picking ', 'LADDERS'] } }))
      .then([drafted]);
  });

  it('leaves absent optional fields out of the event', () => {
    const { startDate: _s, endDate: _e, ...undated } = content;
    given([])
      .when(draftJob({ content: { ...undated, startDate: undefined } }))
      .then([{ type: 'JobDrafted', data: { jobId, businessId, ...undated } }]);
  });

  it('accepts a remote job without a location', () => {
    const { location: _l, ...remote } = content;
    given([])
      .when(draftJob({ content: { ...remote, remote: true } }))
      .then([{ type: 'JobDrafted', data: { jobId, businessId, ...remote, remote: true } }]);
  });

  it('rejects a job that already exists', () => {
    given([drafted]).when(draftJob()).then('job_exists', 'conflict');
  });

  it('rejects content the schema rejects', () => {
    given([]).when(draftJob({ content: { ...content, title: 'x' } })).then('invalid_content', 'unprocessable');
    given([]).when(draftJob({ content: { ...content, pay: { ...content.pay, min: 30 } } })).then('invalid_content', 'unprocessable');
  });

  it('rejects an end date before the start date', () => {
    given([]).when(draftJob({ content: { ...content, endDate: '2026-03-31' } })).then('invalid_dates', 'unprocessable');
  });

  it('rejects an on-site job without a location', () => {
    const { location: _l, ...noLocation } = content;
    given([]).when(draftJob({ content: noLocation })).then('location_required', 'unprocessable');
  });

  it('rejects malformed ids and times', () => {
    given([]).when(draftJob({ jobId: 'job 1' })).then('invalid_id', 'unprocessable');
    given([]).when(draftJob({ now: '2026-03-01' })).then('invalid_time', 'unprocessable');
  });
});

describe('UpdateJob', () => {
  const update = (changes: Partial<JobContent>, by = businessId): JobCommand => ({
    type: 'UpdateJob', jobId, businessId: by, changes, now: later,
  });

  it('emits only the fields that change', () => {
    given([drafted])
      .when(update({ title: 'Orchard hand', remote: false, skills: ['picking', 'ladders'] }))
      .then([{ type: 'JobUpdated', data: { jobId, changes: { title: 'Orchard hand' } } }]);
  });

  it('updates an open job', () => {
    given([drafted, published])
      .when(update({ pay: { min: 20, max: 25, currency: 'USD', unit: 'hour' } }))
      .then([{ type: 'JobUpdated', data: { jobId, changes: { pay: { min: 20, max: 25, currency: 'USD', unit: 'hour' } } } }]);
  });

  it('emits nothing when nothing changes', () => {
    given([drafted]).when(update({})).then([]);
    given([drafted]).when(update({ title: '  Harvest hand ', experienceYears: 0 })).then([]);
  });

  it('folds the update into the content', () => {
    const changed: JobEvent = { type: 'JobUpdated', data: { jobId, changes: { title: 'Orchard hand' } } };
    const state = given([drafted, changed]).state;
    expect(state.status === 'draft' && state.content.title).toBe('Orchard hand');
  });

  it('rejects an unknown job', () => {
    given([]).when(update({ title: 'Orchard hand' })).then('job_not_found', 'not_found');
  });

  it("rejects another business's change", () => {
    given([drafted]).when(update({ title: 'Orchard hand' }, otherBusiness)).then('not_owner', 'forbidden');
  });

  it('rejects changes to a closed or expired job', () => {
    given([drafted, published, filled]).when(update({ title: 'Orchard hand' })).then('job_closed', 'conflict');
    given([drafted, published, expired]).when(update({ title: 'Orchard hand' })).then('job_closed', 'conflict');
  });

  it('checks the merged content against the rules', () => {
    given([drafted]).when(update({ endDate: '2026-03-01' })).then('invalid_dates', 'unprocessable');
    given([drafted]).when(update({ startDate: '2026-07-01' })).then('invalid_dates', 'unprocessable');
    given([drafted]).when(update({ title: '' })).then('invalid_content', 'unprocessable');
  });
});

describe('PublishJob', () => {
  const publish = (overrides: Partial<Extract<JobCommand, { type: 'PublishJob' }>> = {}): JobCommand => ({
    type: 'PublishJob', jobId, businessId, expiresAt, now, ...overrides,
  });

  it('publishes a draft', () => {
    given([drafted]).when(publish()).then([published]);
  });

  it('accepts an expiry exactly 365 days ahead', () => {
    given([drafted])
      .when(publish({ expiresAt: '2027-03-01T09:00:00Z' }))
      .then([{ type: 'JobPublished', data: { jobId, publishedAt: now, expiresAt: '2027-03-01T09:00:00Z' } }]);
  });

  it('compares instants, not their text', () => {
    // 10:30+02:00 is 08:30Z, which is before now (09:00Z).
    given([drafted]).when(publish({ expiresAt: '2026-03-01T10:30:00+02:00' })).then('expiry_in_past', 'unprocessable');
  });

  it('requires an expiry', () => {
    given([drafted]).when(publish({ expiresAt: undefined })).then('expiry_required', 'unprocessable');
  });

  it('rejects an expiry that is not in the future', () => {
    given([drafted]).when(publish({ expiresAt: now })).then('expiry_in_past', 'unprocessable');
    given([drafted]).when(publish({ expiresAt: '2026-02-01T00:00:00Z' })).then('expiry_in_past', 'unprocessable');
  });

  it('rejects an expiry more than 365 days ahead', () => {
    given([drafted]).when(publish({ expiresAt: '2027-03-01T09:00:00.001Z' })).then('expiry_too_far', 'unprocessable');
  });

  it('rejects a malformed expiry', () => {
    given([drafted]).when(publish({ expiresAt: 'next month' })).then('invalid_expiry', 'unprocessable');
  });

  it('rejects an unknown job and a foreign business', () => {
    given([]).when(publish()).then('job_not_found', 'not_found');
    given([drafted]).when(publish({ businessId: otherBusiness })).then('not_owner', 'forbidden');
  });

  it('publishes only drafts', () => {
    given([drafted, published]).when(publish()).then('job_not_draft', 'conflict');
    given([drafted, published, filled]).when(publish()).then('job_closed', 'conflict');
    given([drafted, published, expired]).when(publish()).then('job_closed', 'conflict');
  });
});

describe('CloseJob', () => {
  const close = (reason: 'filled' | 'withdrawn', by = businessId): JobCommand => ({
    type: 'CloseJob', jobId, businessId: by, reason, now: later,
  });

  it('closes an open job as filled or withdrawn', () => {
    given([drafted, published]).when(close('filled')).then([filled]);
    given([drafted, published]).when(close('withdrawn')).then([withdrawn]);
  });

  it('lets a draft be withdrawn but not filled', () => {
    given([drafted]).when(close('withdrawn')).then([withdrawn]);
    given([drafted]).when(close('filled')).then('job_not_open', 'conflict');
  });

  it('rejects closing a closed or expired job', () => {
    given([drafted, published, filled]).when(close('withdrawn')).then('job_not_open', 'conflict');
    given([drafted, published, expired]).when(close('filled')).then('job_not_open', 'conflict');
  });

  it('rejects an unknown job and a foreign business', () => {
    given([]).when(close('filled')).then('job_not_found', 'not_found');
    given([drafted, published]).when(close('filled', otherBusiness)).then('not_owner', 'forbidden');
  });

  it('rejects an unknown reason', () => {
    given([drafted, published])
      .when({ type: 'CloseJob', jobId, businessId, reason: 'bored' as 'filled', now: later })
      .then('invalid_reason', 'unprocessable');
  });
});

describe('ExpireJob', () => {
  const expire = (at: string): JobCommand => ({ type: 'ExpireJob', jobId, now: at });

  it('expires an open job at or after its expiry', () => {
    given([drafted, published]).when(expire(expiresAt)).then([expired]);
    given([drafted, published])
      .when(expire('2026-04-02T00:00:00Z'))
      .then([{ type: 'JobExpired', data: { jobId, expiredAt: '2026-04-02T00:00:00Z' } }]);
  });

  it('rejects expiring before the expiry', () => {
    given([drafted, published]).when(expire('2026-03-31T23:59:59Z')).then('job_not_expirable', 'conflict');
  });

  it('rejects expiring a job that is not open', () => {
    given([drafted]).when(expire(expiresAt)).then('job_not_expirable', 'conflict');
    given([drafted, published, filled]).when(expire(expiresAt)).then('job_not_expirable', 'conflict');
    given([drafted, published, expired]).when(expire(expiresAt)).then('job_not_expirable', 'conflict');
  });

  it('rejects an unknown job', () => {
    given([]).when(expire(expiresAt)).then('job_not_found', 'not_found');
  });
});

describe('ReopenJob', () => {
  const newExpiry = '2026-04-15T00:00:00Z';
  const reopen = (overrides: Partial<Extract<JobCommand, { type: 'ReopenJob' }>> = {}): JobCommand => ({
    type: 'ReopenJob', jobId, businessId, expiresAt: newExpiry, now: '2026-03-20T00:00:00Z', ...overrides,
  });
  const reopened: JobEvent = {
    type: 'JobReopened', data: { jobId, reopenedAt: '2026-03-20T00:00:00Z', expiresAt: newExpiry },
  };

  it('reopens a filled or withdrawn job before its original expiry', () => {
    given([drafted, published, filled]).when(reopen()).then([reopened]);
    given([drafted, published, withdrawn]).when(reopen()).then([reopened]);
  });

  it('opens the job again with the new expiry', () => {
    const state = given([drafted, published, filled, reopened]).state;
    expect(state).toMatchObject({ status: 'open', expiresAt: newExpiry, publishedAt: now });
    expect(state).not.toHaveProperty('closedReason');
  });

  it('rejects reopening at or after the original expiry', () => {
    given([drafted, published, filled])
      .when(reopen({ now: expiresAt, expiresAt: '2026-05-01T00:00:00Z' }))
      .then('reopen_after_expiry', 'unprocessable');
  });

  it('applies the publish rules to the new expiry', () => {
    given([drafted, published, filled]).when(reopen({ expiresAt: '2026-03-19T00:00:00Z' })).then('expiry_in_past', 'unprocessable');
    given([drafted, published, filled]).when(reopen({ expiresAt: '2027-06-01T00:00:00Z' })).then('expiry_too_far', 'unprocessable');
  });

  it('rejects reopening an expired, open or draft job', () => {
    given([drafted, published, expired]).when(reopen()).then('job_not_reopenable', 'conflict');
    given([drafted, published]).when(reopen()).then('job_not_reopenable', 'conflict');
    given([drafted]).when(reopen()).then('job_not_reopenable', 'conflict');
  });

  it('rejects reopening a draft that was withdrawn before it was published', () => {
    given([drafted, withdrawn]).when(reopen()).then('job_not_reopenable', 'conflict');
  });

  it('rejects an unknown job and a foreign business', () => {
    given([]).when(reopen()).then('job_not_found', 'not_found');
    given([drafted, published, filled]).when(reopen({ businessId: otherBusiness })).then('not_owner', 'forbidden');
  });
});

describe('RecordJobView', () => {
  it('records a view of an open job, with or without a viewer', () => {
    given([drafted, published])
      .when({ type: 'RecordJobView', jobId, viewerId: 'worker-7', now: later })
      .then([{ type: 'JobViewed', data: { jobId, viewedAt: later, viewerId: 'worker-7' } }]);
    given([drafted, published])
      .when({ type: 'RecordJobView', jobId, now: later })
      .then([{ type: 'JobViewed', data: { jobId, viewedAt: later } }]);
  });

  it('rejects views of jobs that are not open', () => {
    const view: JobCommand = { type: 'RecordJobView', jobId, now: later };
    given([drafted]).when(view).then('job_not_open', 'conflict');
    given([drafted, published, filled]).when(view).then('job_not_open', 'conflict');
    given([drafted, published, expired]).when(view).then('job_not_open', 'conflict');
  });

  it('rejects an unknown job', () => {
    given([]).when({ type: 'RecordJobView', jobId, now: later }).then('job_not_found', 'not_found');
  });
});

describe('evolve', () => {
  it('folds the lifecycle into state', () => {
    expect(given([]).state).toEqual({ status: 'none' });
    expect(given([drafted]).state).toEqual({ status: 'draft', jobId, businessId, content });
    expect(given([drafted, published]).state).toEqual({
      status: 'open', jobId, businessId, content, publishedAt: now, expiresAt,
    });
    expect(given([drafted, published, filled]).state).toMatchObject({ status: 'closed', closedReason: 'filled' });
    expect(given([drafted, published, expired]).state).toMatchObject({ status: 'expired', expiresAt });
  });

  it('does not mutate the state it is given', () => {
    const before = given([drafted, published]).state;
    const snapshot = structuredClone(before);
    jobDecider.evolve(before, filled);
    expect(before).toStrictEqual(snapshot);
  });

  it('returns a DomainError, never throws, for a rule', () => {
    expect(jobDecider.decide({ type: 'RecordJobView', jobId, now }, jobDecider.initialState())).toBeInstanceOf(DomainError);
  });
});

describe('DiscardJob', () => {
  const discard = (overrides: Partial<Extract<JobCommand, { type: 'DiscardJob' }>> = {}): JobCommand => ({ type: 'DiscardJob', jobId, businessId, now: later, ...overrides });
  const discarded: JobEvent = { type: 'JobDiscarded', data: { jobId, discardedAt: later } };

  it('discards a draft', () => {
    given([drafted]).when(discard()).then([discarded]);
  });

  it('discards a draft that was withdrawn before it was ever published', () => {
    given([drafted, withdrawn]).when(discard()).then([discarded]);
  });

  it('refuses a job that was published, open, closed or expired: it is closed, never discarded', () => {
    given([drafted, published]).when(discard()).then('job_published', 'conflict');
    given([drafted, published, filled]).when(discard()).then('job_published', 'conflict');
    given([drafted, published, expired]).when(discard()).then('job_published', 'conflict');
  });

  it("refuses another business's draft and a job that does not exist", () => {
    given([drafted]).when(discard({ businessId: otherBusiness })).then('not_owner', 'forbidden');
    given([]).when(discard()).then('job_not_found', 'not_found');
  });

  it('a repeated discard finds it done; another business still finds no job', () => {
    given([drafted, discarded]).when(discard()).then([]);
    given([drafted, discarded]).when(discard({ businessId: otherBusiness })).then('job_not_found', 'not_found');
  });

  it('a discarded job takes no other command', () => {
    given([drafted, discarded]).when({ type: 'PublishJob', jobId, businessId, expiresAt, now }).then('job_not_found', 'not_found');
    given([drafted, discarded]).when({ type: 'UpdateJob', jobId, businessId, changes: { title: 'Again' }, now }).then('job_not_found', 'not_found');
    given([drafted, discarded]).when({ type: 'CloseJob', jobId, businessId, reason: 'withdrawn', now }).then('job_not_found', 'not_found');
    given([drafted, discarded]).when({ type: 'RecordJobView', jobId, now }).then('job_not_found', 'not_found');
    given([drafted, discarded]).when(draftJob()).then('job_exists', 'conflict');
  });
});
