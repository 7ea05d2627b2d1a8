import type { Decider } from '../decider.ts';
import { DomainError, assertNever } from '../decider.ts';
import type { ApplicationEvent, ApplicationLifecycle, ApplicationTargetStatus } from '../../eventstore/events/index.ts';
import { ApplicationContact, applicationTransitions } from '../../eventstore/events/index.ts';
import type { JobStatus } from './jobDecider.ts';
import { checkEnvelope } from './shared.ts';

/** Stream `application-<applicationId>`; the API derives the id from jobId and workerId. */
export const applicationStream = (applicationId: string): string => `application-${applicationId}`;

export type { ApplicationLifecycle, ApplicationTargetStatus } from '../../eventstore/events/index.ts';
export { applicationTransitions } from '../../eventstore/events/index.ts';

/** The statuses from which a worker may still withdraw. */
const withdrawable: readonly ApplicationLifecycle[] = ['submitted', 'reviewing', 'shortlisted'];
const targetStatuses: readonly string[] = ['reviewing', 'shortlisted', 'rejected', 'hired'];

// ---------------------------------------------------------------- commands

/** What the handler read from the job stream before submitting. */
export type JobSnapshot =
  | { readonly status: 'none' }
  | { readonly status: Exclude<JobStatus, 'none'>; readonly businessId: string; readonly expiresAt?: string | undefined };

export interface SubmitApplication {
  readonly type: 'SubmitApplication';
  readonly applicationId: string;
  readonly jobId: string;
  readonly workerId: string;
  readonly job: JobSnapshot;
  readonly message?: string | undefined;
  /** How the worker chooses to be reached about this application (the job's business alone sees it). */
  readonly contact?: ApplicationContact | undefined;
  readonly now: string;
}

export interface WithdrawApplication {
  readonly type: 'WithdrawApplication';
  readonly applicationId: string;
  readonly workerId: string;
  readonly reason?: string | undefined;
  readonly now: string;
}

export interface ChangeApplicationStatus {
  readonly type: 'ChangeApplicationStatus';
  readonly applicationId: string;
  readonly businessId: string;
  readonly status: ApplicationTargetStatus;
  readonly note?: string | undefined;
  readonly now: string;
}

export type ApplicationCommand = SubmitApplication | WithdrawApplication | ChangeApplicationStatus;

// ---------------------------------------------------------------- state

export interface NoApplication {
  readonly status: 'none';
}

export interface ExistingApplication {
  readonly status: ApplicationLifecycle;
  readonly applicationId: string;
  readonly jobId: string;
  readonly workerId: string;
  /** The business owning the job when the application was submitted. */
  readonly businessId: string;
  readonly submittedAt: string;
  readonly message?: string;
}

export type ApplicationState = NoApplication | ExistingApplication;

// ---------------------------------------------------------------- decide

function tooLong(value: string | undefined, max: number): boolean {
  return value !== undefined && value.length > max;
}

/** The contact as given, without keys whose value is absent (an event never carries `undefined`). */
function contactOf(c: ApplicationContact): ApplicationContact {
  return { ...(c.email !== undefined ? { email: c.email } : {}), ...(c.phone !== undefined ? { phone: c.phone } : {}) };
}

function submit(command: SubmitApplication, state: ApplicationState): readonly ApplicationEvent[] | DomainError {
  const { applicationId, jobId, workerId, job } = command;
  const businessId = job.status === 'none' ? undefined : job.businessId;
  const nowMs = checkEnvelope({ applicationId, jobId, workerId, businessId }, command.now);
  if (nowMs instanceof DomainError) return nowMs;
  if (job.status === 'none' || job.status === 'discarded') return new DomainError('job_not_found', `job ${jobId} does not exist`, 'not_found');
  if (job.status !== 'open') return new DomainError('job_not_open', `the job is ${job.status}`, 'unprocessable');
  // Past its expiry a job is expired, whether or not the expiry sweep has recorded it yet.
  if (job.expiresAt !== undefined && Date.parse(job.expiresAt) <= nowMs) return new DomainError('job_not_open', 'the job is expired', 'unprocessable');
  if (state.status !== 'none') {
    if (state.jobId !== jobId || state.workerId !== workerId) {
      return new DomainError('application_conflict', 'the application id belongs to another job or worker', 'conflict');
    }
    if (state.status !== 'withdrawn') return new DomainError('already_applied', 'the worker already applied to this job', 'conflict');
  }
  if (tooLong(command.message, 5000)) return new DomainError('invalid_message', 'message is longer than 5000 characters', 'unprocessable');
  if (command.contact !== undefined && !ApplicationContact.safeParse(command.contact).success) {
    return new DomainError('invalid_contact', 'contact needs a valid email, an international phone number, or both', 'unprocessable');
  }
  const data = {
    applicationId, jobId, workerId, businessId: job.businessId,
    ...(command.message !== undefined ? { message: command.message } : {}),
    ...(command.contact !== undefined ? { contact: contactOf(command.contact) } : {}),
    submittedAt: command.now,
  };
  return [{ type: 'ApplicationSubmitted', data }];
}

function applicationNotFound(applicationId: string): DomainError {
  return new DomainError('application_not_found', `application ${applicationId} does not exist`, 'not_found');
}

function withdraw(command: WithdrawApplication, state: ApplicationState): readonly ApplicationEvent[] | DomainError {
  const nowMs = checkEnvelope({ applicationId: command.applicationId, workerId: command.workerId }, command.now);
  if (nowMs instanceof DomainError) return nowMs;
  if (state.status === 'none') return applicationNotFound(command.applicationId);
  if (state.workerId !== command.workerId) {
    return new DomainError('not_owner', 'only the applying worker may withdraw an application', 'forbidden');
  }
  if (!withdrawable.includes(state.status)) {
    return new DomainError('application_closed', `the application is ${state.status}`, 'conflict');
  }
  if (tooLong(command.reason, 1000)) return new DomainError('invalid_reason', 'reason is longer than 1000 characters', 'unprocessable');
  const data = command.reason === undefined
    ? { applicationId: state.applicationId, withdrawnAt: command.now }
    : { applicationId: state.applicationId, reason: command.reason, withdrawnAt: command.now };
  return [{ type: 'ApplicationWithdrawn', data }];
}

function changeStatus(command: ChangeApplicationStatus, state: ApplicationState): readonly ApplicationEvent[] | DomainError {
  const nowMs = checkEnvelope({ applicationId: command.applicationId, businessId: command.businessId }, command.now);
  if (nowMs instanceof DomainError) return nowMs;
  if (state.status === 'none') return applicationNotFound(command.applicationId);
  if (state.businessId !== command.businessId) {
    return new DomainError('not_owner', 'only the business owning the job may change an application', 'forbidden');
  }
  if (!targetStatuses.includes(command.status)) {
    return new DomainError('invalid_status', `an application cannot be moved to ${String(command.status)}`, 'unprocessable');
  }
  if (state.status === command.status) return [];
  if (!applicationTransitions[state.status].includes(command.status)) {
    return new DomainError('illegal_transition', `an application cannot go from ${state.status} to ${command.status}`, 'conflict');
  }
  if (tooLong(command.note, 2000)) return new DomainError('invalid_note', 'note is longer than 2000 characters', 'unprocessable');
  const base = { applicationId: state.applicationId, status: command.status };
  const data = command.note === undefined
    ? { ...base, changedAt: command.now }
    : { ...base, note: command.note, changedAt: command.now };
  return [{ type: 'ApplicationStatusChanged', data }];
}

// ---------------------------------------------------------------- evolve

function evolve(state: ApplicationState, event: ApplicationEvent): ApplicationState {
  switch (event.type) {
    case 'ApplicationSubmitted': {
      // A first submission, or a resubmission after withdrawal: either way a fresh application.
      const { applicationId, jobId, workerId, businessId, message, submittedAt } = event.data;
      const next: ExistingApplication = { status: 'submitted', applicationId, jobId, workerId, businessId, submittedAt };
      return message === undefined ? next : { ...next, message };
    }
    case 'ApplicationWithdrawn':
      return state.status === 'none' ? state : { ...state, status: 'withdrawn' };
    case 'ApplicationStatusChanged':
      return state.status === 'none' ? state : { ...state, status: event.data.status };
    default:
      return assertNever(event);
  }
}

export const applicationDecider: Decider<ApplicationCommand, ApplicationEvent, ApplicationState> = {
  decide(command, state) {
    switch (command.type) {
      case 'SubmitApplication':
        return submit(command, state);
      case 'WithdrawApplication':
        return withdraw(command, state);
      case 'ChangeApplicationStatus':
        return changeStatus(command, state);
      default:
        return assertNever(command);
    }
  },
  evolve,
  initialState: () => ({ status: 'none' }),
};
