// The messages between the serving thread and the drift check's worker
// thread (driftWorker.ts, checkDriftInWorker.ts): plain JSON documents only.
import type { EventStoreConfig } from '../../eventstore/openEventStore.ts';
import type { DriftMode, DriftReport } from './checkDrift.ts';
import type { RepairDelete, RepairPut } from './driftTarget.ts';

export interface DriftWorkerData {
  /** The live embedded `jobs` file, opened read-only by the worker. */
  readPath: string;
  /** The log, through a connection of the worker's own. */
  eventStore: EventStoreConfig;
  mode: DriftMode;
  repair: boolean;
  /** Jobs one pass of the check holds (checkDrift's jobsPerPass). */
  jobsPerPass: number;
}

/** Worker to host: a write for the serving store (answered by id), or the outcome. */
export type DriftWorkerRequest =
  | { type: 'repair'; id: number; puts: RepairPut[]; deletes: RepairDelete[] }
  | { type: 'marker'; id: number; position: number }
  | { type: 'done'; report: DriftReport }
  | { type: 'error'; message: string };

/** Host to worker: the answer to a request. */
export type DriftHostReply =
  | { type: 'repaired'; id: number; put: string[]; deleted: string[] }
  | { type: 'marked'; id: number }
  | { type: 'failed'; id: number; message: string };
