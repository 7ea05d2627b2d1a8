// Two rules every command of the job and worker deciders keeps, checked for
// each command: a `now` that is not an ISO-8601 instant with offset is refused
// before anything is decided, and an id outside the catalog's id format too.
// And how their state folds events that refer to nothing (a stream that starts
// mid-way, or a search that was never saved): such events change nothing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JobContent, JobEvent, WorkerEvent } from '../../eventstore/events/index.ts';
import { DomainError, fold } from '../decider.ts';
import { jobDecider, type JobCommand } from './jobDecider.ts';
import { workerDecider, type WorkerCommand } from './workerDecider.ts';

const now = '2026-03-01T09:00:00Z';
const content: JobContent = {
  title: 'Harvest hand',
  description: 'Pick apples in the orchard.',
  category: 'agriculture',
  employmentType: 'seasonal',
  pay: { min: 18, max: 22, currency: 'USD', unit: 'hour' },
  location: { point: { lat: 44.5, lon: -72.6 }, city: 'Montpelier', region: 'VT', country: 'US' },
  remote: false,
  skills: ['picking'],
  experienceYears: 0,
};

const jobCommands: JobCommand[] = [
  { type: 'DraftJob', jobId: 'job-1', businessId: 'biz-1', content, now },
  { type: 'UpdateJob', jobId: 'job-1', businessId: 'biz-1', changes: { title: 'Picker' }, now },
  { type: 'PublishJob', jobId: 'job-1', businessId: 'biz-1', expiresAt: '2026-04-01T00:00:00Z', now },
  { type: 'CloseJob', jobId: 'job-1', businessId: 'biz-1', reason: 'filled', now },
  { type: 'ExpireJob', jobId: 'job-1', now },
  { type: 'ReopenJob', jobId: 'job-1', businessId: 'biz-1', expiresAt: '2026-04-01T00:00:00Z', now },
  { type: 'RecordJobView', jobId: 'job-1', viewerId: 'v-1', now },
];

const workerCommands: WorkerCommand[] = [
  { type: 'UpdateWorkerProfile', workerId: 'w-1', profile: { name: 'Ana', skills: [], maxTravelKm: 10, availability: [], experienceYears: 1 }, now },
  { type: 'SaveJob', workerId: 'w-1', jobId: 'job-1', job: { status: 'open' }, now },
  { type: 'UnsaveJob', workerId: 'w-1', jobId: 'job-1', now },
  { type: 'SaveSearch', workerId: 'w-1', searchId: 's-1', name: 'Apples', query: { text: 'apples' }, now },
  { type: 'ChangeSavedSearchAlerts', workerId: 'w-1', searchId: 's-1', alertFrequency: 'off', now },
  { type: 'DeleteSavedSearch', workerId: 'w-1', searchId: 's-1', now },
  { type: 'ArchiveSavedSearch', workerId: 'w-1', searchId: 's-1', now },
];

// Texts that are no ISO-8601 instant with an offset: no offset, no time, a date that does not exist, free text.
const notAnInstant = fc.oneof(
  fc.constantFrom('2026-03-01T09:00:00', '2026-03-01', '2026-02-30T09:00:00Z', 'yesterday', '', '1741000000000'),
  fc.string().filter((s) => !/^\d{4}-\d\d-\d\dT/.test(s)),
);

const decideJob = (c: JobCommand) => jobDecider.decide(c, jobDecider.initialState());
const decideWorker = (c: WorkerCommand) => workerDecider.decide(c, workerDecider.initialState());

describe('the envelope of every command', () => {
  it.each(jobCommands.map((c) => [c.type, c] as const))('job %s refuses a now that is not an instant with offset', (_type, command) => {
    fc.assert(
      fc.property(notAnInstant, (bad) => {
        const decided = decideJob({ ...command, now: bad });
        expect(decided).toBeInstanceOf(DomainError);
        expect(decided).toMatchObject({ code: 'invalid_time', kind: 'unprocessable' });
      }),
      { numRuns: 25 },
    );
  });

  it.each(workerCommands.map((c) => [c.type, c] as const))('worker %s refuses a now that is not an instant with offset', (_type, command) => {
    fc.assert(
      fc.property(notAnInstant, (bad) => {
        expect(decideWorker({ ...command, now: bad })).toMatchObject({ code: 'invalid_time', kind: 'unprocessable' });
      }),
      { numRuns: 25 },
    );
  });

  it.each(jobCommands.map((c) => [c.type, c] as const))('job %s refuses a job id outside the id format', (_type, command) => {
    expect(decideJob({ ...command, jobId: 'job 1' })).toMatchObject({ code: 'invalid_id', kind: 'unprocessable' });
  });

  it.each(workerCommands.map((c) => [c.type, c] as const))('worker %s refuses a worker id outside the id format', (_type, command) => {
    expect(decideWorker({ ...command, workerId: 'w/1' })).toMatchObject({ code: 'invalid_id', kind: 'unprocessable' });
  });
});

describe('folding events that refer to nothing', () => {
  const later = '2026-03-10T09:00:00Z';
  const emptyJobStreams: JobEvent[] = [
    { type: 'JobUpdated', data: { jobId: 'job-1', changes: { title: 'x' } } },
    { type: 'JobPublished', data: { jobId: 'job-1', publishedAt: later, expiresAt: '2026-04-01T00:00:00Z' } },
    { type: 'JobClosed', data: { jobId: 'job-1', reason: 'filled', closedAt: later } },
    { type: 'JobExpired', data: { jobId: 'job-1', expiredAt: later } },
    { type: 'JobReopened', data: { jobId: 'job-1', expiresAt: '2026-04-01T00:00:00Z', reopenedAt: later } },
  ];
  it.each(emptyJobStreams)('a job stream that starts with $type holds no job', (event) => {
    expect(fold(jobDecider, [event])).toEqual(jobDecider.initialState());
  });

  const unknownSearches: WorkerEvent[] = [
    { type: 'SavedSearchAlertsChanged', data: { workerId: 'w-1', searchId: 's-none', alertFrequency: 'off', alertHour: 8, alertWeekday: 1, timeZone: 'UTC', changedAt: later } },
    { type: 'SavedSearchDeleted', data: { workerId: 'w-1', searchId: 's-none', deletedAt: later } },
    { type: 'SavedSearchArchived', data: { workerId: 'w-1', searchId: 's-none', archivedAt: later } },
  ];
  it.each(unknownSearches)('$type of a search never saved leaves the searches as they were', (event) => {
    const state = fold(workerDecider, [event]);
    expect(state.workerId).toBe('w-1');
    expect(state.savedSearches.size).toBe(0);
  });
});
