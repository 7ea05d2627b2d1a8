import { z } from 'zod';
import type { Decider } from '../decider.ts';
import { DomainError, assertNever } from '../decider.ts';
import type { SavedSearchAlertSettings, SavedSearchAlertsInput as AlertsInput, WorkerEvent } from '../../eventstore/events/index.ts';
import { SavedSearchAlertsInput, WorkerProfile, defaultAlertSettings } from '../../eventstore/events/index.ts';
import type { JobStatus } from './jobDecider.ts';
import { checkEnvelope, describeIssues, jsonEqual, withoutUndefined } from './shared.ts';

/** Stream `worker-<workerId>`. */
export const workerStream = (workerId: string): string => `worker-${workerId}`;

/** A worker keeps at most this many active saved searches; archived and deleted ones do not count. */
export const MAX_ACTIVE_SAVED_SEARCHES = 50;

/**
 * Runs of a saved search this close together are one visit: one
 * `SavedSearchViewed` is kept, and every page of the visit marks as new what
 * was published since the visit before (reloading or paging does not reset it).
 */
export const SAVED_SEARCH_VISIT_MS = 30 * 60_000;

/** A worker keeps at most this many saved jobs; unsaving one makes room (the stream and the saved_jobs list stay bounded). */
export const MAX_SAVED_JOBS = 500;

// ---------------------------------------------------------------- commands

export interface UpdateWorkerProfile {
  readonly type: 'UpdateWorkerProfile';
  readonly workerId: string;
  /** The profile as the API received it; the schema fills defaults (currency) and normalises skills. */
  readonly profile: z.input<typeof WorkerProfile>;
  readonly now: string;
}

export interface SaveJob {
  readonly type: 'SaveJob';
  readonly workerId: string;
  readonly jobId: string;
  /** What the handler read from the job stream; status 'none' if the job does not exist. */
  readonly job: { readonly status: JobStatus };
  readonly now: string;
}

export interface UnsaveJob {
  readonly type: 'UnsaveJob';
  readonly workerId: string;
  readonly jobId: string;
  readonly now: string;
}

/** Alert settings left out take their defaults: instant, 08:00 on Mondays for digests, UTC. */
export interface SaveSearch extends Readonly<AlertsInput> {
  readonly type: 'SaveSearch';
  readonly workerId: string;
  readonly searchId: string;
  readonly name: string;
  /** Checked against the search request schema before it gets here (the query side owns that schema). */
  readonly query: Readonly<Record<string, unknown>>;
  readonly now: string;
}

/** Settings left out stay as they are; e.g. only `alertFrequency: 'off'` from an unsubscribe link. */
export interface ChangeSavedSearchAlerts extends Readonly<AlertsInput> {
  readonly type: 'ChangeSavedSearchAlerts';
  readonly workerId: string;
  readonly searchId: string;
  readonly now: string;
}

export interface DeleteSavedSearch {
  readonly type: 'DeleteSavedSearch';
  readonly workerId: string;
  readonly searchId: string;
  readonly now: string;
}

/** The worker runs the search; recorded once per visit, and only while it is active. */
export interface ViewSavedSearch {
  readonly type: 'ViewSavedSearch';
  readonly workerId: string;
  readonly searchId: string;
  readonly now: string;
}

/** Issued by the system, e.g. for searches unused for a long time. */
export interface ArchiveSavedSearch {
  readonly type: 'ArchiveSavedSearch';
  readonly workerId: string;
  readonly searchId: string;
  readonly now: string;
}

export type WorkerCommand =
  | UpdateWorkerProfile
  | SaveJob
  | UnsaveJob
  | SaveSearch
  | ChangeSavedSearchAlerts
  | DeleteSavedSearch
  | ViewSavedSearch
  | ArchiveSavedSearch;

// ---------------------------------------------------------------- state

export type SavedSearchStatus = 'active' | 'archived' | 'deleted';

export interface SavedSearch extends Readonly<SavedSearchAlertSettings> {
  readonly searchId: string;
  readonly name: string;
  readonly query: Readonly<Record<string, unknown>>;
  readonly status: SavedSearchStatus;
  readonly savedAt: string;
  /** Saved, alerts chosen, or run (the latest visit): the archive sweep counts from here. */
  readonly lastUsedAt: string;
  /** The start of the latest visit, and of the one before it. */
  readonly lastViewedAt?: string;
  readonly previousViewedAt?: string;
  readonly archivedAt?: string;
  readonly deletedAt?: string;
}

export interface WorkerState {
  /** Null until the stream has an event. */
  readonly workerId: string | null;
  readonly profile: WorkerProfile | null;
  readonly savedJobIds: ReadonlySet<string>;
  /** Every search ever saved, by searchId, deleted ones included so an id is never reused. */
  readonly savedSearches: ReadonlyMap<string, SavedSearch>;
}

export function activeSavedSearchCount(state: WorkerState): number {
  let count = 0;
  for (const search of state.savedSearches.values()) if (search.status === 'active') count++;
  return count;
}

// ---------------------------------------------------------------- decide

const SearchInput = z.object({ name: z.string().trim().min(1).max(200), query: z.record(z.string(), z.unknown()) }).strict();

/** The alert fields of a command, without `type` and the ids, for the schema to check. */
function alertInputOf(command: Readonly<AlertsInput>): AlertsInput {
  const { alertFrequency, alertHour, alertWeekday, timeZone } = command;
  return withoutUndefined({ alertFrequency, alertHour, alertWeekday, timeZone });
}

const settingsOf = (s: SavedSearchAlertSettings): SavedSearchAlertSettings => ({
  alertFrequency: s.alertFrequency,
  alertHour: s.alertHour,
  alertWeekday: s.alertWeekday,
  timeZone: s.timeZone,
});

function updateProfile(command: UpdateWorkerProfile, state: WorkerState): readonly WorkerEvent[] | DomainError {
  const nowMs = checkEnvelope({ workerId: command.workerId }, command.now);
  if (nowMs instanceof DomainError) return nowMs;
  const parsed = WorkerProfile.safeParse(command.profile);
  if (!parsed.success) {
    const availability = parsed.error.issues.some((issue) => issue.path[0] === 'availability');
    return new DomainError(availability ? 'invalid_availability' : 'invalid_profile', describeIssues(parsed.error), 'unprocessable');
  }
  const profile = withoutUndefined(parsed.data);
  if (jsonEqual(state.profile, profile)) return [];
  return [{ type: 'WorkerProfileUpdated', data: { workerId: command.workerId, profile, updatedAt: command.now } }];
}

function saveJob(command: SaveJob, state: WorkerState): readonly WorkerEvent[] | DomainError {
  const nowMs = checkEnvelope({ workerId: command.workerId, jobId: command.jobId }, command.now);
  if (nowMs instanceof DomainError) return nowMs;
  if (command.job.status === 'none' || command.job.status === 'discarded') return new DomainError('job_not_found', `job ${command.jobId} does not exist`, 'not_found');
  if (state.savedJobIds.has(command.jobId)) return [];
  if (state.savedJobIds.size >= MAX_SAVED_JOBS) {
    return new DomainError('too_many_saved_jobs', `at most ${MAX_SAVED_JOBS} saved jobs; unsave one first`, 'unprocessable');
  }
  return [{ type: 'JobSaved', data: { workerId: command.workerId, jobId: command.jobId, savedAt: command.now } }];
}

function unsaveJob(command: UnsaveJob, state: WorkerState): readonly WorkerEvent[] | DomainError {
  const nowMs = checkEnvelope({ workerId: command.workerId, jobId: command.jobId }, command.now);
  if (nowMs instanceof DomainError) return nowMs;
  if (!state.savedJobIds.has(command.jobId)) return [];
  return [{ type: 'JobUnsaved', data: { workerId: command.workerId, jobId: command.jobId, unsavedAt: command.now } }];
}

function saveSearch(command: SaveSearch, state: WorkerState): readonly WorkerEvent[] | DomainError {
  const nowMs = checkEnvelope({ workerId: command.workerId, searchId: command.searchId }, command.now);
  if (nowMs instanceof DomainError) return nowMs;
  if (state.savedSearches.has(command.searchId)) {
    return new DomainError('search_exists', `saved search ${command.searchId} already exists`, 'conflict');
  }
  if (activeSavedSearchCount(state) >= MAX_ACTIVE_SAVED_SEARCHES) {
    return new DomainError('too_many_saved_searches', `at most ${MAX_ACTIVE_SAVED_SEARCHES} active saved searches`, 'unprocessable');
  }
  const parsed = SearchInput.safeParse({ name: command.name, query: command.query });
  if (!parsed.success) return new DomainError('invalid_search', describeIssues(parsed.error), 'unprocessable');
  const alerts = SavedSearchAlertsInput.safeParse(alertInputOf(command));
  if (!alerts.success) return new DomainError('invalid_alert_settings', describeIssues(alerts.error), 'unprocessable');
  const { name, query } = parsed.data;
  return [
    {
      type: 'SearchSaved',
      data: { workerId: command.workerId, searchId: command.searchId, name, query, ...defaultAlertSettings, ...alerts.data, savedAt: command.now },
    },
  ];
}

function changeAlerts(command: ChangeSavedSearchAlerts, state: WorkerState): readonly WorkerEvent[] | DomainError {
  const nowMs = checkEnvelope({ workerId: command.workerId, searchId: command.searchId }, command.now);
  if (nowMs instanceof DomainError) return nowMs;
  const search = knownSearch(state, command.searchId);
  if (search instanceof DomainError) return search;
  const alerts = SavedSearchAlertsInput.safeParse(alertInputOf(command));
  if (!alerts.success) return new DomainError('invalid_alert_settings', describeIssues(alerts.error), 'unprocessable');
  const before = settingsOf(search);
  const after = { ...before, ...alerts.data };
  if (jsonEqual(before, after)) return [];
  return [
    { type: 'SavedSearchAlertsChanged', data: { workerId: command.workerId, searchId: search.searchId, ...after, changedAt: command.now } },
  ];
}

/** The saved search, unless it was never saved or has been deleted. */
function knownSearch(state: WorkerState, searchId: string): SavedSearch | DomainError {
  const search = state.savedSearches.get(searchId);
  if (search === undefined || search.status === 'deleted') {
    return new DomainError('saved_search_not_found', `saved search ${searchId} does not exist`, 'not_found');
  }
  return search;
}

function deleteSearch(command: DeleteSavedSearch, state: WorkerState): readonly WorkerEvent[] | DomainError {
  const nowMs = checkEnvelope({ workerId: command.workerId, searchId: command.searchId }, command.now);
  if (nowMs instanceof DomainError) return nowMs;
  const search = knownSearch(state, command.searchId);
  if (search instanceof DomainError) return search;
  return [
    { type: 'SavedSearchDeleted', data: { workerId: command.workerId, searchId: search.searchId, deletedAt: command.now } },
  ];
}

/** Since when a run at `nowMs` shows jobs as new: the visit before this one, else the time it was saved. */
export function newSinceOf(search: SavedSearch, nowMs: number): string {
  const last = search.lastViewedAt;
  if (last === undefined) return search.savedAt;
  return nowMs - Date.parse(last) < SAVED_SEARCH_VISIT_MS ? (search.previousViewedAt ?? search.savedAt) : last;
}

function viewSearch(command: ViewSavedSearch, state: WorkerState): readonly WorkerEvent[] | DomainError {
  const nowMs = checkEnvelope({ workerId: command.workerId, searchId: command.searchId }, command.now);
  if (nowMs instanceof DomainError) return nowMs;
  const search = knownSearch(state, command.searchId);
  if (search instanceof DomainError) return search;
  // An archived search can still be run; running it does not bring it back.
  if (search.status !== 'active') return [];
  if (search.lastViewedAt !== undefined && nowMs - Date.parse(search.lastViewedAt) < SAVED_SEARCH_VISIT_MS) return [];
  return [{ type: 'SavedSearchViewed', data: { workerId: command.workerId, searchId: search.searchId, viewedAt: command.now } }];
}

function archiveSearch(command: ArchiveSavedSearch, state: WorkerState): readonly WorkerEvent[] | DomainError {
  const nowMs = checkEnvelope({ workerId: command.workerId, searchId: command.searchId }, command.now);
  if (nowMs instanceof DomainError) return nowMs;
  const search = knownSearch(state, command.searchId);
  if (search instanceof DomainError) return search;
  if (search.status !== 'active') {
    return new DomainError('saved_search_not_active', `saved search ${search.searchId} is ${search.status}`, 'conflict');
  }
  return [
    { type: 'SavedSearchArchived', data: { workerId: command.workerId, searchId: search.searchId, archivedAt: command.now } },
  ];
}

// ---------------------------------------------------------------- evolve

function withSearch(state: WorkerState, search: SavedSearch): WorkerState {
  const savedSearches = new Map(state.savedSearches);
  savedSearches.set(search.searchId, search);
  return { ...state, savedSearches };
}

function evolve(state: WorkerState, event: WorkerEvent): WorkerState {
  const base: WorkerState = state.workerId === null ? { ...state, workerId: event.data.workerId } : state;
  switch (event.type) {
    case 'WorkerProfileUpdated':
      return { ...base, profile: event.data.profile };
    case 'JobSaved': {
      const savedJobIds = new Set(base.savedJobIds);
      savedJobIds.add(event.data.jobId);
      return { ...base, savedJobIds };
    }
    case 'JobUnsaved': {
      const savedJobIds = new Set(base.savedJobIds);
      savedJobIds.delete(event.data.jobId);
      return { ...base, savedJobIds };
    }
    case 'SearchSaved': {
      const { searchId, name, query, savedAt } = event.data;
      return withSearch(base, { searchId, name, query, ...settingsOf(event.data), status: 'active', savedAt, lastUsedAt: savedAt });
    }
    case 'SavedSearchAlertsChanged': {
      const search = base.savedSearches.get(event.data.searchId);
      if (search === undefined) return base;
      // Choosing how a search alerts is using it: the archive sweep counts from here.
      return withSearch(base, { ...search, ...settingsOf(event.data), lastUsedAt: event.data.changedAt });
    }
    case 'SavedSearchDeleted': {
      const search = base.savedSearches.get(event.data.searchId);
      if (search === undefined) return base;
      return withSearch(base, { ...search, status: 'deleted', deletedAt: event.data.deletedAt });
    }
    case 'SavedSearchArchived': {
      const search = base.savedSearches.get(event.data.searchId);
      if (search === undefined) return base;
      return withSearch(base, { ...search, status: 'archived', archivedAt: event.data.archivedAt });
    }
    case 'SavedSearchViewed': {
      const search = base.savedSearches.get(event.data.searchId);
      if (search === undefined) return base;
      const { viewedAt } = event.data;
      return withSearch(base, { ...search, ...(search.lastViewedAt !== undefined ? { previousViewedAt: search.lastViewedAt } : {}), lastViewedAt: viewedAt, lastUsedAt: viewedAt });
    }
    default:
      return assertNever(event);
  }
}

export const workerDecider: Decider<WorkerCommand, WorkerEvent, WorkerState> = {
  decide(command, state) {
    switch (command.type) {
      case 'UpdateWorkerProfile':
        return updateProfile(command, state);
      case 'SaveJob':
        return saveJob(command, state);
      case 'UnsaveJob':
        return unsaveJob(command, state);
      case 'SaveSearch':
        return saveSearch(command, state);
      case 'ChangeSavedSearchAlerts':
        return changeAlerts(command, state);
      case 'DeleteSavedSearch':
        return deleteSearch(command, state);
      case 'ViewSavedSearch':
        return viewSearch(command, state);
      case 'ArchiveSavedSearch':
        return archiveSearch(command, state);
      default:
        return assertNever(command);
    }
  },
  evolve,
  initialState: () => ({ workerId: null, profile: null, savedJobIds: new Set(), savedSearches: new Map() }),
};
