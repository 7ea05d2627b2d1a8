import type { EventStore } from '../../eventstore/port.ts';
import type { JobDocument } from '../../projections/jobs/jobDocument.ts';
import { recordDrift } from '../telemetry/instruments.ts';
import { documentHash } from './documentHash.ts';
import type { DriftTarget, RepairDelete, RepairPut, StoredJob } from './driftTarget.ts';
import { foldExpectedJobs, jobsTouched, type LogProgress } from './expectedJobs.ts';

/**
 * `full` compares every document; `{ since }` only the jobs events after that
 * position touched plus the documents claiming a position after it;
 * `incremental` is `{ since }` from the last clean check's marker (full when
 * there is none).
 */
export type DriftMode = 'full' | 'incremental' | { since: number };

export interface DriftProgress {
  phase: 'changes' | 'fold';
  position: number;
  to: number;
}

export interface DriftOptions {
  repair?: boolean;
  mode?: DriftMode;
  /** Ids kept per kind in the report (default 10). */
  samples?: number;
  onProgress?: (p: DriftProgress) => void;
}

export interface DriftDeps {
  store: EventStore;
  target: DriftTarget;
}

type Kind = 'missing' | 'extra' | 'stale';

export interface DriftReport {
  readModel: 'jobs';
  mode: 'full' | 'incremental';
  /** Incremental: changes after this position were checked; full: 0. */
  fromPosition: number;
  /** The log was folded up to here: the head or the projection checkpoint, whichever is lower (lag is not drift). */
  toPosition: number;
  head: number;
  checkedJobs: number;
  /** Documents the log says exist and the store lacks. */
  missing: number;
  /** Documents of no job in the log. */
  extra: number;
  /** Documents older than the log says, or at the right position with other content. */
  stale: number;
  samples: Record<Kind, string[]>;
  repaired?: Record<Kind, number>;
  /** Events the projection function throws on (dead-lettered by the projector, skipped here alike). */
  poisonEvents: number;
  /** No drift, or all of it repaired. */
  clean: boolean;
  durationMs: number;
}

/**
 * Replays the log through the projector's pure function up to a position
 * fixed at the start and compares the result with the `jobs` read model. A
 * document the projector wrote after that position is not drift, so a live
 * projector may run meanwhile; repairs are conditional on each document being
 * unchanged since the check saw it. A clean check (nothing found, or all
 * repaired) moves the `drift:jobs` marker that incremental checks start from.
 */
export async function checkDrift(deps: DriftDeps, options: DriftOptions = {}): Promise<DriftReport> {
  const started = performance.now();
  const { store, target } = deps;
  const sampleSize = options.samples ?? 10;
  const [head, checkpoint] = await Promise.all([store.headPosition(), target.checkpoint()]);
  const to = Math.min(head, checkpoint);
  const requested = options.mode ?? 'full';
  let since: number | undefined;
  if (typeof requested === 'object') since = Math.max(0, requested.since);
  else if (requested === 'incremental') since = await target.lastCheckedPosition();

  const found: { missing: RepairPut[]; extra: RepairDelete[]; stale: RepairPut[] } = { missing: [], extra: [], stale: [] };
  /** Documents of no expected job that claim a position after `to`: extra unless their job started after `to`. */
  const ahead: StoredJob[] = [];
  let checkedJobs = 0;

  const classify = (stored: StoredJob, expected: JobDocument | undefined): void => {
    checkedJobs++;
    const s = stored.doc;
    if (!expected) {
      if (s.position <= to) found.extra.push({ seen: stored });
      else ahead.push(stored);
      return;
    }
    if (s.position > to) return; // newer than this check's snapshot: the projector's, not drift
    if (s.position !== expected.position || documentHash(s) !== documentHash(expected)) found.stale.push({ doc: expected, seen: stored });
  };
  const progress = (phase: DriftProgress['phase']) => (p: LogProgress) => options.onProgress?.({ phase, ...p });

  let poisonEvents: number;
  if (since === undefined) {
    const expected = await foldExpectedJobs(store, { to, onProgress: progress('fold') });
    poisonEvents = expected.poisonEvents;
    const docs = expected.docs;
    await target.scan((page) => {
      for (const stored of page) {
        const id = stored.doc.jobId;
        classify(stored, docs.get(id));
        docs.delete(id);
      }
    });
    for (const doc of docs.values()) {
      checkedJobs++;
      found.missing.push({ doc, seen: undefined });
    }
  } else {
    const touched = await jobsTouched(store, since, to, progress('changes'));
    const suspects = new Map<string, StoredJob>();
    await target.scan(
      (page) => {
        for (const s of page) suspects.set(s.doc.jobId, s);
      },
      { abovePosition: since },
    );
    const ids = new Set([...touched, ...suspects.keys()]);
    // A job's counters come from other streams (saves, applications), so its
    // expected document needs the whole log, not its own stream: skipped when
    // nothing changed.
    const expected = ids.size > 0 ? await foldExpectedJobs(store, { to, only: ids, onProgress: progress('fold') }) : { docs: new Map<string, JobDocument>(), poisonEvents: 0 };
    poisonEvents = expected.poisonEvents;
    const others = await target.getJobs([...touched].filter((id) => !suspects.has(id)));
    for (const id of ids) {
      const stored = suspects.get(id) ?? others.get(id);
      const doc = expected.docs.get(id);
      if (stored) classify(stored, doc);
      else if (doc) {
        checkedJobs++;
        found.missing.push({ doc, seen: undefined });
      }
    }
  }
  for (const stored of ahead) {
    const events = await store.readStream(`job-${stored.doc.jobId}`, { maxCount: 1 });
    if (events.length === 0) found.extra.push({ seen: stored });
  }

  const counts = { missing: found.missing.length, extra: found.extra.length, stale: found.stale.length };
  const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const samples = {
    missing: found.missing.map((p) => p.doc.jobId).sort(byId).slice(0, sampleSize),
    extra: found.extra.map((d) => d.seen.doc.jobId).sort(byId).slice(0, sampleSize),
    stale: found.stale.map((p) => p.doc.jobId).sort(byId).slice(0, sampleSize),
  };
  const drifted = counts.missing + counts.extra + counts.stale;
  let repaired: Record<Kind, number> | undefined;
  if (options.repair) {
    const done = drifted > 0 ? await target.repair([...found.missing, ...found.stale], found.extra) : { put: new Set<string>(), deleted: new Set<string>() };
    repaired = {
      missing: found.missing.filter((p) => done.put.has(p.doc.jobId)).length,
      extra: found.extra.filter((d) => done.deleted.has(d.seen.doc.jobId)).length,
      stale: found.stale.filter((p) => done.put.has(p.doc.jobId)).length,
    };
  }
  for (const kind of ['missing', 'extra', 'stale'] as const) recordDrift('jobs', kind, counts[kind], repaired?.[kind] ?? 0);
  // A repair refused because the projector moved the document on is left to the next check.
  const clean = drifted === 0 || (repaired !== undefined && repaired.missing + repaired.extra + repaired.stale === drifted);
  if (clean) {
    const marker = await target.lastCheckedPosition();
    if (marker === undefined || to > marker) await target.setLastCheckedPosition(to);
  }
  return {
    readModel: 'jobs',
    mode: since === undefined ? 'full' : 'incremental',
    fromPosition: since ?? 0,
    toPosition: to,
    head,
    checkedJobs,
    ...counts,
    samples,
    ...(repaired ? { repaired } : {}),
    poisonEvents,
    clean,
    durationMs: Math.round(performance.now() - started),
  };
}
