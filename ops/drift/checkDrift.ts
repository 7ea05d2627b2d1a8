import type { EventStore } from '../../eventstore/port.ts';
import type { JobDocument } from '../../mappings/jobDocument.ts';
import { recordDrift } from '../telemetry/instruments.ts';
import { documentHash } from './documentHash.ts';
import type { DriftTarget, RepairDelete, RepairPut, StoredJob } from './driftTarget.ts';
import { foldExpectedJobs, jobsTouched, type LogProgress } from './expectedJobs.ts';
import { jobBucket, passesFor } from './jobBucket.ts';
import { jobStream } from '../../command/deciders/jobDecider.ts';

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
  /** The pass this read belongs to (1-based) and how many there are; the log is read once per pass. */
  pass: number;
  passes: number;
}

export interface DriftOptions {
  repair?: boolean;
  mode?: DriftMode;
  /** Ids kept per kind in the report (default 10). */
  samples?: number;
  /**
   * Passes over the jobs, each holding only the jobs of its bucket (a hash of
   * the job id) in memory: full checks default to one pass per ~200,000 stored
   * documents, incremental ones to one per ~200,000 changed jobs. The report
   * is the same whatever the number.
   */
  passes?: number;
  /** Jobs one pass holds at most when `passes` is not given (default JOBS_PER_PASS): a smaller figure trades more reads of the log for less memory. */
  jobsPerPass?: number;
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
 * Memory: the expected documents of all jobs do not fit beside a loaded
 * store at scale, so the check runs in passes (`passes`), each folding the
 * log for one hash bucket of job ids, comparing, repairing and letting go.
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

  const touched = since === undefined ? undefined : await jobsTouched(store, since, to, (p) => options.onProgress?.({ phase: 'changes', ...p, pass: 1, passes: 1 }));
  const passes = Math.max(1, Math.floor(options.passes ?? passesFor(touched ? touched.jobs.size : await target.count(), options.jobsPerPass)));

  const counts: Record<Kind, number> = { missing: 0, extra: 0, stale: 0 };
  const samples: Record<Kind, string[]> = { missing: [], extra: [], stale: [] };
  const repaired: Record<Kind, number> = { missing: 0, extra: 0, stale: 0 };
  let checkedJobs = 0;
  let poisonEvents = 0;
  // Each pass keeps the jobs of one bucket and lets go of them before the next:
  // buckets partition the jobs, so the sums are what one pass over all of them finds.
  for (let pass = 0; pass < passes; pass++) {
    const keep = passes === 1 ? undefined : (id: string) => jobBucket(id, passes) === pass;
    const onProgress = (p: LogProgress) => options.onProgress?.({ phase: 'fold', ...p, pass: pass + 1, passes });
    const found = await checkPass({ store, target, to, since, touched, keep, onProgress });
    checkedJobs += found.checkedJobs;
    poisonEvents += found.poisonEvents;
    const ids: Record<Kind, string[]> = { missing: found.missing.map((p) => p.doc.jobId), extra: found.extra.map((d) => d.seen.doc.jobId), stale: found.stale.map((p) => p.doc.jobId) };
    for (const kind of KINDS) {
      counts[kind] += ids[kind].length;
      samples[kind] = [...samples[kind], ...ids[kind]].sort(byId).slice(0, sampleSize);
    }
    if (options.repair && found.missing.length + found.extra.length + found.stale.length > 0) {
      const done = await target.repair([...found.missing, ...found.stale], found.extra);
      repaired.missing += ids.missing.filter((id) => done.put.has(id)).length;
      repaired.extra += ids.extra.filter((id) => done.deleted.has(id)).length;
      repaired.stale += ids.stale.filter((id) => done.put.has(id)).length;
    }
  }

  const drifted = counts.missing + counts.extra + counts.stale;
  recordDriftReport({ ...counts, ...(options.repair ? { repaired } : {}) });
  // A repair refused because the projector moved the document on is left to the next check.
  const clean = drifted === 0 || (options.repair === true && repaired.missing + repaired.extra + repaired.stale === drifted);
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
    ...(options.repair ? { repaired } : {}),
    poisonEvents,
    clean,
    durationMs: Math.round(performance.now() - started),
  };
}

const KINDS = ['missing', 'extra', 'stale'] as const;

/** The drift metrics of one check, recorded where the telemetry runs (a worker thread's check has its report recorded by its host). */
export function recordDriftReport(report: Pick<DriftReport, Kind | 'repaired'>): void {
  for (const kind of KINDS) recordDrift('jobs', kind, report[kind], report.repaired?.[kind] ?? 0);
}
const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

interface PassFound {
  missing: RepairPut[];
  extra: RepairDelete[];
  stale: RepairPut[];
  checkedJobs: number;
  poisonEvents: number;
}

/**
 * Compares the jobs `keep` accepts (all when undefined): the fold keeps only
 * theirs, and the store's documents of other jobs are passed over page by page.
 */
async function checkPass(args: {
  store: EventStore;
  target: DriftTarget;
  to: number;
  since: number | undefined;
  touched: { jobs: ReadonlySet<string>; businesses: ReadonlySet<string> } | undefined;
  keep: ((jobId: string) => boolean) | undefined;
  onProgress: (p: LogProgress) => void;
}): Promise<PassFound> {
  const { store, target, to, since, keep, onProgress } = args;
  const found: PassFound = { missing: [], extra: [], stale: [], checkedJobs: 0, poisonEvents: 0 };
  /** Documents of no expected job that claim a position after `to`: extra unless their job started after `to`. */
  const ahead: StoredJob[] = [];

  const classify = (stored: StoredJob, expected: JobDocument | undefined): void => {
    found.checkedJobs++;
    const s = stored.doc;
    if (!expected) {
      if (s.position <= to) found.extra.push({ seen: stored });
      else ahead.push(stored);
      return;
    }
    if (s.position > to) return; // newer than this check's snapshot: the projector's, not drift
    if (s.position !== expected.position || documentHash(s) !== documentHash(expected)) found.stale.push({ doc: expected, seen: stored });
  };

  if (since === undefined || args.touched === undefined) {
    const expected = await foldExpectedJobs(store, { to, ...(keep ? { keep } : {}), onProgress });
    found.poisonEvents = expected.poisonEvents;
    const docs = expected.docs;
    await target.scan((page) => {
      for (const stored of page) {
        const id = stored.doc.jobId;
        if (keep && !keep(id)) continue;
        classify(stored, docs.get(id));
        docs.delete(id);
      }
    });
    for (const doc of docs.values()) {
      found.checkedJobs++;
      found.missing.push({ doc, seen: undefined });
    }
  } else {
    const renamed = args.touched.businesses;
    const touched = keep ? [...args.touched.jobs].filter(keep) : [...args.touched.jobs];
    const suspects = new Map<string, StoredJob>();
    await target.scan(
      (page) => {
        for (const s of page) if (!keep || keep(s.doc.jobId)) suspects.set(s.doc.jobId, s);
      },
      { abovePosition: since },
    );
    const ids = new Set([...touched, ...suspects.keys()]);
    // A job's counters come from other streams (saves, applications), so its
    // expected document needs the whole log, not its own stream: skipped when
    // nothing changed.
    const expected =
      ids.size > 0 || renamed.size > 0
        ? await foldExpectedJobs(store, { to, only: ids, businesses: renamed, ...(keep ? { keep } : {}), onProgress })
        : { docs: new Map<string, JobDocument>(), poisonEvents: 0 };
    found.poisonEvents = expected.poisonEvents;
    // The jobs of a business whose profile changed were touched too (renamed).
    for (const id of expected.docs.keys()) if (!ids.has(id)) {
      ids.add(id);
      touched.push(id);
    }
    const others = await target.getJobs(touched.filter((id) => !suspects.has(id)));
    for (const id of ids) {
      const stored = suspects.get(id) ?? others.get(id);
      const doc = expected.docs.get(id);
      if (stored) classify(stored, doc);
      else if (doc) {
        found.checkedJobs++;
        found.missing.push({ doc, seen: undefined });
      }
    }
  }
  for (const stored of ahead) {
    const events = await store.readStream(jobStream(stored.doc.jobId), { maxCount: 1 });
    if (events.length === 0) found.extra.push({ seen: stored });
  }
  return found;
}
