// A worker's stream of saved jobs is bounded.
import { describe, it } from 'vitest';
import type { WorkerEvent } from '../../eventstore/events/index.ts';
import type { WorkerCommand } from './workerDecider.ts';
import { MAX_SAVED_JOBS, workerDecider } from './workerDecider.ts';
import { scenario } from '../../tests/support/deciderScenario.ts';

const { given } = scenario(workerDecider);
const workerId = 'worker-1';
const now = '2026-03-02T10:00:00Z';
const saved = (jobId: string): WorkerEvent => ({ type: 'JobSaved', data: { workerId, jobId, savedAt: now } });
const unsaved = (jobId: string): WorkerEvent => ({ type: 'JobUnsaved', data: { workerId, jobId, unsavedAt: now } });
const save = (jobId: string): WorkerCommand => ({ type: 'SaveJob', workerId, jobId, job: { status: 'open' }, now });
const full = Array.from({ length: MAX_SAVED_JOBS }, (_, i) => saved(`job-${i}`));

describe(`at most ${MAX_SAVED_JOBS} saved jobs per worker`, () => {
  it('refuses one more with 422 too_many_saved_jobs', () => {
    given(full).when(save('job-new')).then('too_many_saved_jobs', 'unprocessable');
  });

  it('saving one already saved stays a no-op at the cap', () => {
    given(full).when(save('job-7')).then([]);
  });

  it('one below the cap saves; unsaving one makes room', () => {
    given(full.slice(1)).when(save('job-new')).then([saved('job-new')]);
    given([...full, unsaved('job-3')]).when(save('job-new')).then([saved('job-new')]);
  });
});
