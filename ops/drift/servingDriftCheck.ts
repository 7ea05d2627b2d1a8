import type { EventStore } from '../../eventstore/port.ts';
import { EmbeddedJobStore } from '../../query/embedded/embeddedJobStore.ts';
import type { JobReadStore } from '../../query/model/readStore.ts';
import type { Config } from '../config.ts';
import { eventStoreConfigOf } from '../runtime.ts';
import { checkDriftInWorker } from './checkDriftInWorker.ts';
import { driftTargetOfReadSide } from './openDriftTarget.ts';
import { type ScheduledDriftOptions, scheduledDriftCheck } from './scheduledDriftCheck.ts';

/**
 * The `drift-check` job of a serving process. Embedded: in a worker thread
 * that reads the store's file and the log itself and sends its repairs to the
 * store object here, so the serving event loop only applies them. Server mode:
 * in-process (the engine does the heavy part), with a client of its own.
 */
export function servingDriftCheck(config: Config, store: EventStore, jobs: JobReadStore, options: ScheduledDriftOptions = {}): ReturnType<typeof scheduledDriftCheck> {
  if (jobs instanceof EmbeddedJobStore && jobs.path !== ':memory:' && jobs.path !== '') {
    const eventStore = eventStoreConfigOf(config);
    return scheduledDriftCheck({ check: (mode, signal) => checkDriftInWorker({ jobs, eventStore }, { mode, repair: true }, signal) }, options);
  }
  return scheduledDriftCheck({ store, openTarget: () => driftTargetOfReadSide(config, jobs) }, options);
}
