import type { Decider } from '../decider.ts';
import { DomainError, assertNever } from '../decider.ts';
import type { JobEvent } from '../../eventstore/events/index.ts';
import { JobContent } from '../../eventstore/events/index.ts';
import { MAX_EXPIRY_MS, checkEnvelope, describeIssues, instantMs, jsonEqual, withoutUndefined } from './shared.ts';

/** Stream `job-<jobId>`. */
export const jobStream = (jobId: string): string => `job-${jobId}`;

export const jobStatuses = ['none', 'draft', 'open', 'closed', 'expired', 'discarded'] as const;
export type JobStatus = (typeof jobStatuses)[number];
export const jobCloseReasons = ['filled', 'withdrawn'] as const;
export type JobCloseReason = (typeof jobCloseReasons)[number];

// ---------------------------------------------------------------- commands

export interface DraftJob {
  readonly type: 'DraftJob';
  readonly jobId: string;
  readonly businessId: string;
  readonly content: JobContent;
  readonly now: string;
}

/** Fields left out (or undefined) stay as they are; an optional field cannot be cleared by an update. */
export interface UpdateJob {
  readonly type: 'UpdateJob';
  readonly jobId: string;
  readonly businessId: string;
  readonly changes: Partial<JobContent>;
  readonly now: string;
}

export interface PublishJob {
  readonly type: 'PublishJob';
  readonly jobId: string;
  readonly businessId: string;
  readonly expiresAt?: string | undefined;
  readonly now: string;
}

export interface CloseJob {
  readonly type: 'CloseJob';
  readonly jobId: string;
  readonly businessId: string;
  readonly reason: JobCloseReason;
  readonly now: string;
}

/** Issued by the system's expiry sweep, not by a business. */
export interface ExpireJob {
  readonly type: 'ExpireJob';
  readonly jobId: string;
  readonly now: string;
}

export interface ReopenJob {
  readonly type: 'ReopenJob';
  readonly jobId: string;
  readonly businessId: string;
  readonly expiresAt: string;
  readonly now: string;
}

export interface RecordJobView {
  readonly type: 'RecordJobView';
  readonly jobId: string;
  readonly viewerId?: string | undefined;
  readonly now: string;
}

/** Throws away a job that was never published (a draft, or a draft withdrawn); published jobs are closed instead. */
export interface DiscardJob {
  readonly type: 'DiscardJob';
  readonly jobId: string;
  readonly businessId: string;
  readonly now: string;
}

export type JobCommand = DraftJob | UpdateJob | PublishJob | CloseJob | ExpireJob | ReopenJob | RecordJobView | DiscardJob;

// ---------------------------------------------------------------- state

export interface NoJob {
  readonly status: 'none';
}

/** What is left of a discarded job: every command but a repeated discard finds no job. */
export interface DiscardedJob {
  readonly status: 'discarded';
  readonly jobId: string;
  readonly businessId: string;
}

export interface ExistingJob {
  readonly status: Exclude<JobStatus, 'none' | 'discarded'>;
  readonly jobId: string;
  readonly businessId: string;
  readonly content: JobContent;
  /** Set once published; replaced by a reopen. */
  readonly expiresAt?: string;
  readonly publishedAt?: string;
  /** Set while closed. */
  readonly closedReason?: JobCloseReason;
}

export type JobState = NoJob | DiscardedJob | ExistingJob;

// ---------------------------------------------------------------- rules

/** Rules across fields of a job's content that the schema alone does not state. */
export function checkJobRules(content: JobContent): DomainError | null {
  if (content.startDate !== undefined && content.endDate !== undefined && content.endDate < content.startDate) {
    return new DomainError('invalid_dates', 'endDate must not be before startDate', 'unprocessable');
  }
  if (!content.remote && content.location === undefined) {
    return new DomainError('location_required', 'a job that is not remote needs a location', 'unprocessable');
  }
  return null;
}

/** The rules for a new expiry, on publish and on reopen. */
function checkNewExpiry(expiresAt: string | undefined, nowMs: number): DomainError | null {
  if (expiresAt === undefined) return new DomainError('expiry_required', 'expiresAt is required', 'unprocessable');
  const expiresMs = instantMs(expiresAt);
  if (expiresMs === null) return new DomainError('invalid_expiry', 'expiresAt must be an ISO-8601 instant with offset', 'unprocessable');
  if (expiresMs <= nowMs) return new DomainError('expiry_in_past', 'expiresAt must be in the future', 'unprocessable');
  if (expiresMs - nowMs > MAX_EXPIRY_MS) {
    return new DomainError('expiry_too_far', 'expiresAt must be at most 365 days ahead', 'unprocessable');
  }
  return null;
}

function jobNotFound(jobId: string): DomainError {
  return new DomainError('job_not_found', `job ${jobId} does not exist`, 'not_found');
}

/** The job, if it exists and `businessId` owns it. */
function ownedJob(state: JobState, jobId: string, businessId: string): ExistingJob | DomainError {
  if (state.status === 'none' || state.status === 'discarded') return jobNotFound(jobId);
  if (state.businessId !== businessId) return new DomainError('not_owner', 'only the owning business may change a job', 'forbidden');
  return state;
}

// ---------------------------------------------------------------- decide

function draft(command: DraftJob, state: JobState): readonly JobEvent[] | DomainError {
  const nowMs = checkEnvelope({ jobId: command.jobId, businessId: command.businessId }, command.now);
  if (nowMs instanceof DomainError) return nowMs;
  if (state.status !== 'none') return new DomainError('job_exists', `job ${command.jobId} already exists`, 'conflict');
  const parsed = JobContent.safeParse(command.content);
  if (!parsed.success) return new DomainError('invalid_content', describeIssues(parsed.error), 'unprocessable');
  const content = withoutUndefined(parsed.data);
  const broken = checkJobRules(content);
  if (broken) return broken;
  return [{ type: 'JobDrafted', data: { jobId: command.jobId, businessId: command.businessId, ...content } }];
}

function update(command: UpdateJob, state: JobState): readonly JobEvent[] | DomainError {
  const nowMs = checkEnvelope({ jobId: command.jobId, businessId: command.businessId }, command.now);
  if (nowMs instanceof DomainError) return nowMs;
  const job = ownedJob(state, command.jobId, command.businessId);
  if (job instanceof DomainError) return job;
  if (job.status === 'closed' || job.status === 'expired') {
    return new DomainError('job_closed', `a ${job.status} job cannot be changed`, 'conflict');
  }
  const parsed = JobContent.partial().safeParse(command.changes);
  if (!parsed.success) return new DomainError('invalid_content', describeIssues(parsed.error), 'unprocessable');
  const changes = withoutUndefined(parsed.data);
  const broken = checkJobRules({ ...job.content, ...changes });
  if (broken) return broken;
  const effective = Object.fromEntries(
    Object.entries(changes).filter(([key, value]) => !jsonEqual(job.content[key as keyof JobContent], value)),
  ) as Partial<JobContent>;
  if (Object.keys(effective).length === 0) return [];
  return [{ type: 'JobUpdated', data: { jobId: job.jobId, changes: effective } }];
}

function publish(command: PublishJob, state: JobState): readonly JobEvent[] | DomainError {
  const nowMs = checkEnvelope({ jobId: command.jobId, businessId: command.businessId }, command.now);
  if (nowMs instanceof DomainError) return nowMs;
  const job = ownedJob(state, command.jobId, command.businessId);
  if (job instanceof DomainError) return job;
  if (job.status === 'open') return new DomainError('job_not_draft', 'the job is already published', 'conflict');
  if (job.status === 'closed' || job.status === 'expired') {
    return new DomainError('job_closed', `a ${job.status} job cannot be published; reopen it instead`, 'conflict');
  }
  const expiresAt = command.expiresAt;
  if (expiresAt === undefined) return new DomainError('expiry_required', 'publishing a job needs expiresAt', 'unprocessable');
  const badExpiry = checkNewExpiry(expiresAt, nowMs);
  if (badExpiry) return badExpiry;
  return [{ type: 'JobPublished', data: { jobId: job.jobId, publishedAt: command.now, expiresAt } }];
}

function close(command: CloseJob, state: JobState): readonly JobEvent[] | DomainError {
  const nowMs = checkEnvelope({ jobId: command.jobId, businessId: command.businessId }, command.now);
  if (nowMs instanceof DomainError) return nowMs;
  const job = ownedJob(state, command.jobId, command.businessId);
  if (job instanceof DomainError) return job;
  if (!(jobCloseReasons as readonly string[]).includes(command.reason)) {
    return new DomainError('invalid_reason', 'reason must be filled or withdrawn', 'unprocessable');
  }
  const closable = job.status === 'open' || (job.status === 'draft' && command.reason === 'withdrawn');
  if (!closable) {
    const why = job.status === 'draft' ? 'a draft can only be withdrawn' : `the job is ${job.status}`;
    return new DomainError('job_not_open', why, 'conflict');
  }
  return [{ type: 'JobClosed', data: { jobId: job.jobId, reason: command.reason, closedAt: command.now } }];
}

function expire(command: ExpireJob, state: JobState): readonly JobEvent[] | DomainError {
  const nowMs = checkEnvelope({ jobId: command.jobId }, command.now);
  if (nowMs instanceof DomainError) return nowMs;
  if (state.status === 'none' || state.status === 'discarded') return jobNotFound(command.jobId);
  const expiresMs = state.expiresAt === undefined ? null : instantMs(state.expiresAt);
  if (state.status !== 'open' || expiresMs === null || expiresMs > nowMs) {
    return new DomainError('job_not_expirable', 'only an open job past its expiry can expire', 'conflict');
  }
  return [{ type: 'JobExpired', data: { jobId: state.jobId, expiredAt: command.now } }];
}

function reopen(command: ReopenJob, state: JobState): readonly JobEvent[] | DomainError {
  const nowMs = checkEnvelope({ jobId: command.jobId, businessId: command.businessId }, command.now);
  if (nowMs instanceof DomainError) return nowMs;
  const job = ownedJob(state, command.jobId, command.businessId);
  if (job instanceof DomainError) return job;
  if (job.status !== 'closed') {
    const why = job.status === 'expired' ? 'an expired job cannot be reopened' : `the job is ${job.status}, not closed`;
    return new DomainError('job_not_reopenable', why, 'conflict');
  }
  // A draft withdrawn before it was ever published has no expiry to reopen within.
  const originalExpiryMs = job.expiresAt === undefined ? null : instantMs(job.expiresAt);
  if (originalExpiryMs === null) {
    return new DomainError('job_not_reopenable', 'the job was never published; draft a new one', 'conflict');
  }
  if (nowMs >= originalExpiryMs) {
    return new DomainError('reopen_after_expiry', 'a closed job can only be reopened before its original expiry', 'unprocessable');
  }
  const badExpiry = checkNewExpiry(command.expiresAt, nowMs);
  if (badExpiry) return badExpiry;
  return [{ type: 'JobReopened', data: { jobId: job.jobId, reopenedAt: command.now, expiresAt: command.expiresAt } }];
}

function recordView(command: RecordJobView, state: JobState): readonly JobEvent[] | DomainError {
  const nowMs = checkEnvelope({ jobId: command.jobId, viewerId: command.viewerId }, command.now);
  if (nowMs instanceof DomainError) return nowMs;
  if (state.status === 'none' || state.status === 'discarded') return jobNotFound(command.jobId);
  if (state.status !== 'open') return new DomainError('job_not_open', `the job is ${state.status}`, 'conflict');
  const data = command.viewerId === undefined
    ? { jobId: state.jobId, viewedAt: command.now }
    : { jobId: state.jobId, viewedAt: command.now, viewerId: command.viewerId };
  return [{ type: 'JobViewed', data }];
}

function discard(command: DiscardJob, state: JobState): readonly JobEvent[] | DomainError {
  const nowMs = checkEnvelope({ jobId: command.jobId, businessId: command.businessId }, command.now);
  if (nowMs instanceof DomainError) return nowMs;
  // A repeated discard (a retried DELETE) finds it done.
  if (state.status === 'discarded' && state.businessId === command.businessId) return [];
  const job = ownedJob(state, command.jobId, command.businessId);
  if (job instanceof DomainError) return job;
  if (job.publishedAt !== undefined) {
    return new DomainError('job_published', 'a job that was published is closed, never discarded: its log and applications stay', 'conflict');
  }
  return [{ type: 'JobDiscarded', data: { jobId: job.jobId, discardedAt: command.now } }];
}

// ---------------------------------------------------------------- evolve

/**
 * Events that do not fit the state (which a stream written through this decider
 * never holds) leave the state as it is, so a fold never throws.
 */
function evolve(state: JobState, event: JobEvent): JobState {
  switch (event.type) {
    case 'JobDrafted': {
      if (state.status !== 'none') return state;
      const { jobId, businessId, ...content } = event.data;
      return { status: 'draft', jobId, businessId, content };
    }
    case 'JobUpdated':
      if (state.status === 'none' || state.status === 'discarded') return state;
      return { ...state, content: { ...state.content, ...withoutUndefined(event.data.changes) } };
    case 'JobPublished':
      if (state.status === 'none' || state.status === 'discarded') return state;
      return { ...state, status: 'open', publishedAt: event.data.publishedAt, expiresAt: event.data.expiresAt };
    case 'JobClosed':
      if (state.status === 'none' || state.status === 'discarded') return state;
      return { ...state, status: 'closed', closedReason: event.data.reason };
    case 'JobExpired': {
      if (state.status === 'none' || state.status === 'discarded') return state;
      const { closedReason: _closed, ...rest } = state;
      return { ...rest, status: 'expired' };
    }
    case 'JobReopened': {
      if (state.status === 'none' || state.status === 'discarded') return state;
      const { closedReason: _closed, ...rest } = state;
      return { ...rest, status: 'open', expiresAt: event.data.expiresAt };
    }
    case 'JobViewed':
      return state;
    case 'JobDiscarded':
      if (state.status === 'none' || state.status === 'discarded') return state;
      return { status: 'discarded', jobId: state.jobId, businessId: state.businessId };
    default:
      return assertNever(event);
  }
}

export const jobDecider: Decider<JobCommand, JobEvent, JobState> = {
  decide(command, state) {
    switch (command.type) {
      case 'DraftJob':
        return draft(command, state);
      case 'UpdateJob':
        return update(command, state);
      case 'PublishJob':
        return publish(command, state);
      case 'CloseJob':
        return close(command, state);
      case 'ExpireJob':
        return expire(command, state);
      case 'ReopenJob':
        return reopen(command, state);
      case 'RecordJobView':
        return recordView(command, state);
      case 'DiscardJob':
        return discard(command, state);
      default:
        return assertNever(command);
    }
  },
  evolve,
  initialState: () => ({ status: 'none' }),
};
