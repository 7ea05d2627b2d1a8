/**
 * Property tests: random command sequences, folded through decide and evolve,
 * keep each aggregate's invariants; every emitted event is exactly what the
 * catalog schema describes; decide and evolve are deterministic.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ApplicationEvent, JobContent, JobEvent, WorkerEvent } from '../../eventstore/events/index.ts';
import { JobContent as JobContentSchema } from '../../eventstore/events/index.ts';
import type { Decider } from '../decider.ts';
import { DomainError, fold } from '../decider.ts';
import type { ApplicationCommand, ApplicationLifecycle, ApplicationState, ApplicationTargetStatus } from './applicationDecider.ts';
import { applicationDecider, applicationTransitions } from './applicationDecider.ts';
import type { JobCommand, JobState, JobStatus } from './jobDecider.ts';
import { checkJobRules, jobDecider } from './jobDecider.ts';
import { DAY_MS } from './shared.ts';
import { expectCatalogValid } from '../../tests/support/deciderScenario.ts';
import type { WorkerCommand, WorkerState } from './workerDecider.ts';
import { MAX_ACTIVE_SAVED_SEARCHES, activeSavedSearchCount, workerDecider } from './workerDecider.ts';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const iso = (ms: number): string => new Date(ms).toISOString();

/** A command that still needs the time it is issued at. */
type Template<C> = (nowMs: number) => C;

interface Step<C, E, S> {
  readonly command: C;
  readonly before: S;
  readonly after: S;
  readonly result: readonly E[] | DomainError;
  readonly history: readonly E[];
}

/**
 * Runs the templates through decide/evolve, advancing the clock between them,
 * and hands every step to `check`. Checks what holds for any decider: errors
 * carry a mapped status, events are catalog-valid, decide is deterministic and
 * folding the history from scratch gives the state evolved step by step.
 */
function run<C, E extends JobEvent | ApplicationEvent | WorkerEvent, S>(
  decider: Decider<C, E, S>,
  steps: readonly { readonly advanceMs: number; readonly template: Template<C> }[],
  check: (step: Step<C, E, S>) => void,
): void {
  let state = decider.initialState();
  let nowMs = T0;
  const history: E[] = [];
  for (const { advanceMs, template } of steps) {
    nowMs += advanceMs;
    const command = template(nowMs);
    const before = state;
    const result = decider.decide(command, state);
    expect(decider.decide(command, state)).toStrictEqual(result);
    if (result instanceof DomainError) {
      expect(['forbidden', 'not_found', 'conflict', 'unprocessable']).toContain(result.kind);
    } else {
      for (const event of result) {
        expectCatalogValid(event);
        state = decider.evolve(state, event);
        history.push(event);
      }
    }
    check({ command, before, after: state, result, history });
  }
  expect(fold(decider, history)).toStrictEqual(state);
}

/** Mostly small steps of time (so reopen-before-expiry happens), sometimes large ones (so expiry does). */
const advance = fc.oneof(fc.integer({ min: 0, max: 2 * DAY_MS }), fc.integer({ min: 0, max: 60 * DAY_MS }));

// ---------------------------------------------------------------- job

const baseContent: JobContent = {
  title: 'Harvest hand',
  description: 'Pick apples.',
  category: 'agriculture',
  employmentType: 'seasonal',
  pay: { min: 18, max: 22, currency: 'USD', unit: 'hour' },
  location: { point: { lat: 44.5, lon: -72.6 }, city: 'Montpelier', country: 'US' },
  remote: false,
  skills: ['picking'],
  experienceYears: 0,
};

const maybeDate = fc.option(fc.constantFrom('2026-02-01', '2026-03-01', '2026-06-30'), { nil: undefined });

const contentChanges: fc.Arbitrary<Partial<JobContent>> = fc.record(
  {
    title: fc.constantFrom('Harvest hand', 'Orchard hand', 'x'),
    remote: fc.boolean(),
    location: fc.constant(baseContent.location),
    startDate: maybeDate,
    endDate: maybeDate,
    experienceYears: fc.integer({ min: 0, max: 3 }),
  },
  { requiredKeys: [] },
);

const businessIdArb = fc.constantFrom('biz-1', 'biz-2');
/** Expiry relative to now: mostly valid, sometimes past or too far. */
const expiryOffset = fc.oneof(
  { arbitrary: fc.integer({ min: 1, max: 365 * DAY_MS }), weight: 4 },
  { arbitrary: fc.integer({ min: -5 * DAY_MS, max: 0 }), weight: 1 },
  { arbitrary: fc.integer({ min: 365 * DAY_MS + 1, max: 400 * DAY_MS }), weight: 1 },
);

const jobId = 'job-1';
const jobCommand: fc.Arbitrary<Template<JobCommand>> = fc.oneof(
  fc.record({ businessId: businessIdArb, changes: contentChanges }).map(
    ({ businessId, changes }) => (nowMs: number): JobCommand => ({
      type: 'DraftJob', jobId, businessId, content: { ...baseContent, ...changes }, now: iso(nowMs),
    }),
  ),
  fc.record({ businessId: businessIdArb, changes: contentChanges }).map(
    ({ businessId, changes }) => (nowMs: number): JobCommand => ({ type: 'UpdateJob', jobId, businessId, changes, now: iso(nowMs) }),
  ),
  fc.record({ businessId: businessIdArb, offset: fc.option(expiryOffset, { nil: undefined }) }).map(
    ({ businessId, offset }) => (nowMs: number): JobCommand => ({
      type: 'PublishJob', jobId, businessId, expiresAt: offset === undefined ? undefined : iso(nowMs + offset), now: iso(nowMs),
    }),
  ),
  fc.record({ businessId: businessIdArb, reason: fc.constantFrom('filled' as const, 'withdrawn' as const) }).map(
    ({ businessId, reason }) => (nowMs: number): JobCommand => ({ type: 'CloseJob', jobId, businessId, reason, now: iso(nowMs) }),
  ),
  fc.constant((nowMs: number): JobCommand => ({ type: 'ExpireJob', jobId, now: iso(nowMs) })),
  fc.record({ businessId: businessIdArb, offset: expiryOffset }).map(
    ({ businessId, offset }) => (nowMs: number): JobCommand => ({
      type: 'ReopenJob', jobId, businessId, expiresAt: iso(nowMs + offset), now: iso(nowMs),
    }),
  ),
  fc.option(fc.constantFrom('worker-1', 'worker-2'), { nil: undefined }).map(
    (viewerId) => (nowMs: number): JobCommand => ({ type: 'RecordJobView', jobId, viewerId, now: iso(nowMs) }),
  ),
  businessIdArb.map((businessId) => (nowMs: number): JobCommand => ({ type: 'DiscardJob', jobId, businessId, now: iso(nowMs) })),
);

const jobMoves = new Set<string>([
  'none>draft', 'draft>open', 'draft>closed', 'open>closed', 'open>expired', 'closed>open', 'draft>discarded', 'closed>discarded',
]);

function checkJobInvariants(state: JobState, owner: string | undefined): void {
  if (state.status === 'none') return;
  expect(state.businessId).toBe(owner);
  if (state.status === 'discarded') return;
  expect(JobContentSchema.safeParse(state.content).success).toBe(true);
  expect(checkJobRules(state.content)).toBeNull();
  expect(state.closedReason !== undefined).toBe(state.status === 'closed');
  if (state.status === 'open' || state.status === 'expired') {
    expect(state.publishedAt).toBeDefined();
    expect(state.expiresAt).toBeDefined();
  }
}

describe('job decider properties', () => {
  it('keeps the lifecycle invariants for any command sequence', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ advanceMs: advance, template: jobCommand }), { maxLength: 40, size: 'max' }), (steps) => {
        let owner: string | undefined;
        run(jobDecider, steps, ({ command, before, after, result, history }) => {
          if (history[0]?.type === 'JobDrafted') owner = history[0].data.businessId;
          expect(after.status === 'none').toBe(history.length === 0);
          checkJobInvariants(after, owner);
          if (before.status !== after.status) expect(jobMoves).toContain(`${before.status}>${after.status}`);
          // Only the owner changes a job; expiry and views are not a business's command.
          if (!(result instanceof DomainError) && result.length > 0 && 'businessId' in command && command.type !== 'DraftJob') {
            expect(command.businessId).toBe(owner);
          }
          // Expired and discarded are terminal: nothing more is ever emitted.
          if (before.status === 'expired' || before.status === 'discarded') expect(result instanceof DomainError ? [] : result).toEqual([]);
          // A job that was ever published is never discarded.
          if (!(result instanceof DomainError) && result[0]?.type === 'JobDiscarded') expect(history.some((e) => e.type === 'JobPublished')).toBe(false);
          if (!(result instanceof DomainError) && result[0]?.type === 'JobExpired' && before.status === 'open') {
            expect(Date.parse(command.now)).toBeGreaterThanOrEqual(Date.parse(before.expiresAt ?? ''));
          }
        });
      }),
      { numRuns: 150 },
    );
  });

  it('evolve is deterministic and does not mutate its input', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ advanceMs: advance, template: jobCommand }), { maxLength: 25, size: 'max' }), (steps) => {
        run(jobDecider, steps, ({ before, history }) => {
          const snapshot = structuredClone(before);
          const last = history.at(-1);
          if (last !== undefined) {
            expect(jobDecider.evolve(before, last)).toStrictEqual(jobDecider.evolve(before, last));
          }
          expect(before).toStrictEqual(snapshot);
        });
      }),
      { numRuns: 100 },
    );
  });

  it('reaches every status and move from random sequences (the generators are not vacuous)', () => {
    const statuses = new Set<JobStatus>();
    const moves = new Set<string>();
    fc.assert(
      fc.property(fc.array(fc.record({ advanceMs: advance, template: jobCommand }), { maxLength: 40, size: 'max' }), (steps) => {
        run(jobDecider, steps, ({ before, after }) => {
          statuses.add(after.status);
          if (before.status !== after.status) moves.add(`${before.status}>${after.status}`);
        });
      }),
      { numRuns: 150, seed: 42 },
    );
    expect([...statuses].sort()).toEqual(['closed', 'discarded', 'draft', 'expired', 'none', 'open']);
    expect([...moves].sort()).toEqual([...jobMoves].sort());
  });
});

// ---------------------------------------------------------------- application

const applicationId = 'job-1.worker-1';
const jobStatusArb = fc.constantFrom('none' as const, 'draft' as const, 'open' as const, 'open' as const, 'closed' as const);
const applicationCommand: fc.Arbitrary<Template<ApplicationCommand>> = fc.oneof(
  jobStatusArb.map((status) => (nowMs: number): ApplicationCommand => ({
    type: 'SubmitApplication',
    applicationId,
    jobId: 'job-1',
    workerId: 'worker-1',
    job: status === 'none' ? { status } : { status, businessId: 'biz-1' },
    now: iso(nowMs),
  })),
  fc.constantFrom('worker-1', 'worker-1', 'worker-2').map(
    (workerId) => (nowMs: number): ApplicationCommand => ({ type: 'WithdrawApplication', applicationId, workerId, now: iso(nowMs) }),
  ),
  fc
    .record({
      businessId: fc.constantFrom('biz-1', 'biz-1', 'biz-2'),
      status: fc.constantFrom<ApplicationTargetStatus>('reviewing', 'shortlisted', 'rejected', 'hired'),
    })
    .map(({ businessId, status }) => (nowMs: number): ApplicationCommand => ({
      type: 'ChangeApplicationStatus', applicationId, businessId, status, now: iso(nowMs),
    })),
);

function lifecycle(state: ApplicationState): ApplicationLifecycle | 'none' {
  return state.status;
}

describe('application decider properties', () => {
  it('only moves along legal transitions', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ advanceMs: advance, template: applicationCommand }), { maxLength: 30, size: 'max' }), (steps) => {
        run(applicationDecider, steps, ({ command, before, after }) => {
          const from = lifecycle(before);
          const to = lifecycle(after);
          if (from === to) return;
          const legal =
            (to === 'submitted' && (from === 'none' || from === 'withdrawn')) ||
            (to === 'withdrawn' && (from === 'submitted' || from === 'reviewing' || from === 'shortlisted')) ||
            (from !== 'none' && to !== 'none' && to !== 'withdrawn' && to !== 'submitted' && applicationTransitions[from].includes(to));
          expect(legal, `${from} -> ${to}`).toBe(true);
          if (command.type === 'WithdrawApplication') expect(command.workerId).toBe('worker-1');
          if (command.type === 'ChangeApplicationStatus') expect(command.businessId).toBe('biz-1');
        });
      }),
      { numRuns: 200 },
    );
  });
});

describe('application decider coverage', () => {
  it('reaches resubmission and every final status (the generators are not vacuous)', () => {
    const moves = new Set<string>();
    fc.assert(
      fc.property(fc.array(fc.record({ advanceMs: advance, template: applicationCommand }), { maxLength: 30, size: 'max' }), (steps) => {
        run(applicationDecider, steps, ({ before, after }) => {
          if (before.status !== after.status) moves.add(`${before.status}>${after.status}`);
        });
      }),
      { numRuns: 400, seed: 42 },
    );
    for (const move of ['none>submitted', 'withdrawn>submitted', 'submitted>withdrawn', 'reviewing>shortlisted', 'shortlisted>hired', 'reviewing>rejected']) {
      expect(moves).toContain(move);
    }
  });
});

// ---------------------------------------------------------------- worker

const workerId = 'worker-1';
const searchIdArb = fc.integer({ min: 0, max: 149 }).map((n) => `s-${n}`);
const workerCommand: fc.Arbitrary<Template<WorkerCommand>> = fc.oneof(
  { arbitrary: searchIdArb.map((searchId) => (nowMs: number): WorkerCommand => ({
    type: 'SaveSearch', workerId, searchId, name: 'Search', query: { q: searchId }, alertFrequency: 'off', now: iso(nowMs),
  })), weight: 8 },
  { arbitrary: searchIdArb.map((searchId) => (nowMs: number): WorkerCommand => ({
    type: 'DeleteSavedSearch', workerId, searchId, now: iso(nowMs),
  })), weight: 1 },
  { arbitrary: searchIdArb.map((searchId) => (nowMs: number): WorkerCommand => ({
    type: 'ArchiveSavedSearch', workerId, searchId, now: iso(nowMs),
  })), weight: 1 },
  { arbitrary: fc.constantFrom('job-1', 'job-2').map((jobId) => (nowMs: number): WorkerCommand => ({
    type: 'SaveJob', workerId, jobId, job: { status: 'open' }, now: iso(nowMs),
  })), weight: 1 },
  { arbitrary: fc.constantFrom('job-1', 'job-2').map((jobId) => (nowMs: number): WorkerCommand => ({
    type: 'UnsaveJob', workerId, jobId, now: iso(nowMs),
  })), weight: 1 },
);

describe('worker decider properties', () => {
  it(`never holds more than ${MAX_ACTIVE_SAVED_SEARCHES} active searches, and deleted ones stay deleted`, () => {
    fc.assert(
      fc.property(fc.array(fc.record({ advanceMs: fc.constant(60_000), template: workerCommand }), { minLength: 60, maxLength: 120 }), (steps) => {
        run(workerDecider, steps, ({ before, after, history }) => {
          expect(activeSavedSearchCount(after)).toBeLessThanOrEqual(MAX_ACTIVE_SAVED_SEARCHES);
          for (const [searchId, search] of before.savedSearches) {
            if (search.status === 'deleted') expect(after.savedSearches.get(searchId)?.status).toBe('deleted');
          }
          expect(after.savedJobIds).toEqual(savedJobsFrom(history));
        });
      }),
      { numRuns: 30 },
    );
  });

  it('reaches the saved-search limit from random sequences (the generators are not vacuous)', () => {
    let limited = 0;
    fc.assert(
      fc.property(fc.array(fc.record({ advanceMs: fc.constant(60_000), template: workerCommand }), { minLength: 80, maxLength: 120 }), (steps) => {
        run(workerDecider, steps, ({ result }) => {
          if (result instanceof DomainError && result.code === 'too_many_saved_searches') limited++;
        });
      }),
      { numRuns: 15, seed: 7 },
    );
    expect(limited).toBeGreaterThan(0);
  });

  it('is idempotent for saving and unsaving jobs', () => {
    const state: WorkerState = fold(workerDecider, [{ type: 'JobSaved', data: { workerId, jobId: 'job-1', savedAt: iso(T0) } }]);
    expect(workerDecider.decide({ type: 'SaveJob', workerId, jobId: 'job-1', job: { status: 'open' }, now: iso(T0) }, state)).toEqual([]);
    expect(workerDecider.decide({ type: 'UnsaveJob', workerId, jobId: 'job-2', now: iso(T0) }, state)).toEqual([]);
  });
});

function savedJobsFrom(history: readonly WorkerEvent[]): Set<string> {
  const saved = new Set<string>();
  for (const event of history) {
    if (event.type === 'JobSaved') saved.add(event.data.jobId);
    if (event.type === 'JobUnsaved') saved.delete(event.data.jobId);
  }
  return saved;
}
