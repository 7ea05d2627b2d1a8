// The serving side of a drift check run in a worker thread: at 1M jobs a
// check is seconds of CPU (reading the log, folding, hashing documents), which
// on the serving event loop would stall every query meanwhile. The worker
// (driftWorker.ts) does all of that; this thread only applies the repairs it
// sends, through the live store object, so they reach the in-memory indexes.
import type { Worker } from 'node:worker_threads';
import type { EventStoreConfig } from '../../eventstore/openEventStore.ts';
import type { EmbeddedJobStore } from '../../query/embedded/embeddedJobStore.ts';
import { siblingModule, startWorker } from '../support/typescriptWorker.ts';
import { type DriftMode, type DriftReport, recordDriftReport } from './checkDrift.ts';
import type { DriftHostReply, DriftWorkerData, DriftWorkerRequest } from './driftWorkerProtocol.ts';
import { embeddedDriftTarget } from './embeddedDriftTarget.ts';

export interface WorkerDriftCheckDeps {
  /** The store the process serves (the live-version proxy): its file is read at each run, as a rebuild may have swapped it. */
  jobs: EmbeddedJobStore;
  eventStore: EventStoreConfig;
}

/**
 * The worker's heap counts in the serving process's memory: its old
 * generation is capped (V8 would otherwise let a fold's garbage pile up to
 * gigabytes before collecting it) and each pass holds fewer jobs than a
 * check run alone (JOBS_PER_PASS), so a 1M-job check stays a few hundred
 * megabytes beside the store it serves, at the price of more reads of the log.
 */
const WORKER_HEAP_MB = 512;
const WORKER_JOBS_PER_PASS = 100_000;

/**
 * One drift check in a worker thread of its own, which ends with it: nothing
 * of the fold's memory outlives the run, and a start costs a few hundred
 * milliseconds of that thread every five minutes. A repair is applied only
 * while the store still serves the file the worker read (a swap meanwhile
 * leaves it to the next run); `signal` ends the worker (the server stopping).
 */
export function checkDriftInWorker(deps: WorkerDriftCheckDeps, options: { mode: DriftMode; repair: boolean }, signal?: AbortSignal): Promise<DriftReport> {
  const readPath = deps.jobs.path;
  const data: DriftWorkerData = { readPath, eventStore: deps.eventStore, mode: options.mode, repair: options.repair, jobsPerPass: WORKER_JOBS_PER_PASS };
  // execArgv: none of the parent's preloads (telemetry's register.ts would start a second exporter in the thread).
  const worker = startWorker(siblingModule(import.meta.url, 'driftWorker'), { workerData: data, execArgv: [], resourceLimits: { maxYoungGenerationSizeMb: 32, maxOldGenerationSizeMb: WORKER_HEAP_MB } });
  const target = embeddedDriftTarget(deps.jobs);
  const live = () => deps.jobs.path === readPath;
  return new Promise<DriftReport>((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      fn();
      void worker.terminate();
    };
    const onAbort = () => settle(() => reject(new Error('drift check stopped: the scheduler is stopping')));
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (m: DriftWorkerRequest) => {
      if (m.type === 'done') {
        recordDriftReport(m.report);
        settle(() => resolve(m.report));
      } else if (m.type === 'error') settle(() => reject(new Error(`drift check failed: ${m.message}`)));
      else void answer(worker, m, target, live);
    });
    worker.on('error', (err) => settle(() => reject(err)));
    worker.on('exit', (code) => settle(() => reject(new Error(`the drift check worker exited with code ${code} before finishing`))));
  });
}

async function answer(worker: Worker, m: Extract<DriftWorkerRequest, { id: number }>, target: ReturnType<typeof embeddedDriftTarget>, live: () => boolean): Promise<void> {
  const reply = (r: DriftHostReply) => worker.postMessage(r);
  try {
    if (m.type === 'repair') {
      if (!live()) return reply({ type: 'repaired', id: m.id, put: [], deleted: [] });
      const done = await target.repair(m.puts, m.deletes);
      reply({ type: 'repaired', id: m.id, put: [...done.put], deleted: [...done.deleted] });
    } else {
      if (live()) await target.setLastCheckedPosition(m.position);
      reply({ type: 'marked', id: m.id });
    }
  } catch (err) {
    reply({ type: 'failed', id: m.id, message: err instanceof Error ? err.message : String(err) });
  }
}
