import { describe, expect, it } from 'vitest';
import type { ApplicationEvent } from '../../eventstore/events/index.ts';
import type { ApplicationCommand, ApplicationTargetStatus, JobSnapshot } from './applicationDecider.ts';
import { applicationDecider, applicationTransitions } from './applicationDecider.ts';
import { scenario } from '../../tests/support/deciderScenario.ts';

const { given } = scenario(applicationDecider);

const applicationId = 'job-1.worker-1';
const jobId = 'job-1';
const workerId = 'worker-1';
const businessId = 'biz-1';
const now = '2026-03-02T10:00:00Z';
const later = '2026-03-03T10:00:00Z';
const openJob: JobSnapshot = { status: 'open', businessId };

const submit = (overrides: Partial<Extract<ApplicationCommand, { type: 'SubmitApplication' }>> = {}): ApplicationCommand => ({
  type: 'SubmitApplication', applicationId, jobId, workerId, job: openJob, message: 'I have picked apples before.', now, ...overrides,
});
const submitted: ApplicationEvent = {
  type: 'ApplicationSubmitted',
  data: { applicationId, jobId, workerId, businessId, message: 'I have picked apples before.', submittedAt: now },
};
const withdrawnEvent: ApplicationEvent = { type: 'ApplicationWithdrawn', data: { applicationId, withdrawnAt: later } };
const moved = (status: ApplicationTargetStatus): ApplicationEvent => ({
  type: 'ApplicationStatusChanged', data: { applicationId, status, changedAt: later },
});
const change = (status: ApplicationTargetStatus, by = businessId, note?: string): ApplicationCommand => ({
  type: 'ChangeApplicationStatus', applicationId, businessId: by, status, note, now: later,
});

describe('SubmitApplication', () => {
  it('submits an application to an open job, carrying the owning business', () => {
    given([]).when(submit()).then([submitted]);
  });

  it('leaves out an absent message', () => {
    given([])
      .when(submit({ message: undefined }))
      .then([{ type: 'ApplicationSubmitted', data: { applicationId, jobId, workerId, businessId, submittedAt: now } }]);
  });

  it('rejects an unknown job', () => {
    given([]).when(submit({ job: { status: 'none' } })).then('job_not_found', 'not_found');
  });

  it('rejects a job that is not open', () => {
    for (const status of ['draft', 'closed', 'expired'] as const) {
      given([]).when(submit({ job: { status, businessId } })).then('job_not_open', 'unprocessable');
    }
  });

  it('rejects an open job past its expiry, before the expiry sweep has closed it, and takes one that expires later', () => {
    const at = Date.parse(now);
    given([]).when(submit({ job: { status: 'open', businessId, expiresAt: new Date(at).toISOString() } })).then('job_not_open', 'unprocessable');
    given([]).when(submit({ job: { status: 'open', businessId, expiresAt: new Date(at - 1).toISOString() } })).then('job_not_open', 'unprocessable');
    given([]).when(submit({ job: { status: 'open', businessId, expiresAt: new Date(at + 1000).toISOString() }, message: undefined }))
      .then([{ type: 'ApplicationSubmitted', data: { applicationId, jobId, workerId, businessId, submittedAt: now } }]);
  });

  it('rejects applying twice', () => {
    given([submitted]).when(submit()).then('already_applied', 'conflict');
    given([submitted, moved('reviewing')]).when(submit()).then('already_applied', 'conflict');
    given([submitted, moved('rejected')]).when(submit()).then('already_applied', 'conflict');
  });

  it('allows re-applying after a withdrawal', () => {
    const resubmitted: ApplicationEvent = {
      type: 'ApplicationSubmitted', data: { applicationId, jobId, workerId, businessId, submittedAt: later },
    };
    given([submitted, withdrawnEvent]).when(submit({ message: undefined, now: later })).then([resubmitted]);
    expect(given([submitted, withdrawnEvent, resubmitted]).state).toEqual({
      status: 'submitted', applicationId, jobId, workerId, businessId, submittedAt: later,
    });
  });

  it('rejects an application id that belongs to another worker', () => {
    given([submitted, withdrawnEvent]).when(submit({ workerId: 'worker-2' })).then('application_conflict', 'conflict');
  });

  it('rejects an overlong message', () => {
    given([]).when(submit({ message: 'x'.repeat(5001) })).then('invalid_message', 'unprocessable');
  });

  it('carries the contact the worker chose to share exactly as given: an email, a phone, or both', () => {
    for (const contact of [{ email: 'alex@example.com' }, { phone: '+1 530 555 0142' }, { email: 'alex@example.com', phone: '+33612345678' }]) {
      given([])
        .when(submit({ contact }))
        .then([{ type: 'ApplicationSubmitted', data: { applicationId, jobId, workerId, businessId, message: 'I have picked apples before.', contact, submittedAt: now } }]);
    }
  });

  it('leaves out a contact field given as undefined, and a contact not given at all', () => {
    given([])
      .when(submit({ message: undefined, contact: { email: 'alex@example.com', phone: undefined } }))
      .then([{ type: 'ApplicationSubmitted', data: { applicationId, jobId, workerId, businessId, contact: { email: 'alex@example.com' }, submittedAt: now } }]);
    given([]).when(submit({ contact: undefined })).then([submitted]);
  });

  it('rejects a contact that is empty, not an email, or not an international phone number', () => {
    for (const contact of [{}, { email: 'not-an-email' }, { phone: '555-0142' }, { phone: '+1 530 555 0142 ext 7' }, { email: 'alex@example.com', phone: '+0123456789' }]) {
      given([]).when(submit({ contact })).then('invalid_contact', 'unprocessable');
    }
  });
});

describe('WithdrawApplication', () => {
  const withdraw = (by = workerId, reason?: string): ApplicationCommand => ({
    type: 'WithdrawApplication', applicationId, workerId: by, reason, now: later,
  });

  it('withdraws a submitted, reviewing or shortlisted application', () => {
    given([submitted]).when(withdraw()).then([withdrawnEvent]);
    given([submitted, moved('reviewing')]).when(withdraw()).then([withdrawnEvent]);
    given([submitted, moved('shortlisted')])
      .when(withdraw(workerId, 'found another job'))
      .then([{ type: 'ApplicationWithdrawn', data: { applicationId, reason: 'found another job', withdrawnAt: later } }]);
  });

  it("rejects another worker's withdrawal", () => {
    given([submitted]).when(withdraw('worker-2')).then('not_owner', 'forbidden');
  });

  it('rejects withdrawing a closed application', () => {
    given([submitted, withdrawnEvent]).when(withdraw()).then('application_closed', 'conflict');
    given([submitted, moved('rejected')]).when(withdraw()).then('application_closed', 'conflict');
    given([submitted, moved('hired')]).when(withdraw()).then('application_closed', 'conflict');
  });

  it('rejects an unknown application', () => {
    given([]).when(withdraw()).then('application_not_found', 'not_found');
  });

  it('rejects an overlong reason', () => {
    given([submitted]).when(withdraw(workerId, 'x'.repeat(1001))).then('invalid_reason', 'unprocessable');
  });
});

describe('ChangeApplicationStatus', () => {
  it('moves along the legal transitions', () => {
    given([submitted]).when(change('reviewing')).then([moved('reviewing')]);
    given([submitted]).when(change('shortlisted')).then([moved('shortlisted')]);
    given([submitted]).when(change('rejected')).then([moved('rejected')]);
    given([submitted]).when(change('hired')).then([moved('hired')]);
    given([submitted, moved('reviewing')]).when(change('shortlisted')).then([moved('shortlisted')]);
    given([submitted, moved('reviewing')]).when(change('hired')).then([moved('hired')]);
    given([submitted, moved('shortlisted')]).when(change('rejected')).then([moved('rejected')]);
    given([submitted, moved('shortlisted')]).when(change('hired')).then([moved('hired')]);
  });

  it('carries a note', () => {
    given([submitted])
      .when(change('reviewing', businessId, 'call Monday'))
      .then([{ type: 'ApplicationStatusChanged', data: { applicationId, status: 'reviewing', note: 'call Monday', changedAt: later } }]);
  });

  it('emits nothing for the same status', () => {
    given([submitted, moved('reviewing')]).when(change('reviewing')).then([]);
    given([submitted, moved('hired')]).when(change('hired')).then([]);
  });

  it('rejects illegal transitions', () => {
    given([submitted, moved('shortlisted')]).when(change('reviewing')).then('illegal_transition', 'conflict');
    given([submitted, moved('rejected')]).when(change('hired')).then('illegal_transition', 'conflict');
    given([submitted, moved('hired')]).when(change('rejected')).then('illegal_transition', 'conflict');
    given([submitted, withdrawnEvent]).when(change('reviewing')).then('illegal_transition', 'conflict');
  });

  it('treats withdrawn, rejected and hired as final', () => {
    for (const final of ['withdrawn', 'rejected', 'hired'] as const) expect(applicationTransitions[final]).toEqual([]);
  });

  it("rejects a change by a business that does not own the job", () => {
    given([submitted]).when(change('reviewing', 'biz-2')).then('not_owner', 'forbidden');
  });

  it('rejects an unknown application', () => {
    given([]).when(change('reviewing')).then('application_not_found', 'not_found');
  });

  it('rejects a target status outside the catalog', () => {
    given([submitted, moved('reviewing')]).when(change('submitted' as ApplicationTargetStatus)).then('invalid_status', 'unprocessable');
  });

  it('rejects an overlong note', () => {
    given([submitted]).when(change('reviewing', businessId, 'x'.repeat(2001))).then('invalid_note', 'unprocessable');
  });
});
