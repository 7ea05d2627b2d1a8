import type { ChangeSignal } from './changeSignal.ts';
import type { BatchHandler, ReadAllOptions, RecordedEvent, SubscribeOptions, Subscription } from './port.ts';

export interface PollingSource {
  readAll(options: ReadAllOptions): Promise<RecordedEvent[]>;
  readonly signal: ChangeSignal;
  /** Longest wait between two reads when no wake-up arrives (the fallback for missed notifications). */
  readonly pollIntervalMs: number;
}

const noop = (): void => {};

/**
 * Catch-up then live subscription over any log that can be read in position
 * order: read a batch after the checkpoint, hand it to the handler, advance;
 * when a read comes back empty, wait for a wake-up or the poll interval.
 * Used by the SQLite and PostgreSQL adapters, whose positions are gap-free and
 * visible in order, so reading "after the checkpoint" never skips an event.
 * `stop()` waits for the handler call in progress: a handler must not await
 * `stop()` of its own subscription (call it without awaiting, or throw).
 */
export function startPollingSubscription(
  source: PollingSource,
  options: SubscribeOptions,
  handler: BatchHandler,
  onEnd: () => void = noop,
): Subscription {
  const batchSize = options.batchSize ?? 500;
  let stopped = false;
  let wakeStop: () => void = noop;
  const stopRequested = new Promise<void>((resolve) => {
    wakeStop = resolve;
  });

  const run = async (): Promise<void> => {
    let checkpoint = options.after;
    try {
      while (!stopped) {
        const version = source.signal.version;
        const batch = await source.readAll({ after: checkpoint, maxCount: batchSize });
        if (stopped) break;
        const last = batch.at(-1);
        if (!last) {
          await Promise.race([source.signal.wait(version, source.pollIntervalMs), stopRequested]);
          continue;
        }
        await handler(batch);
        checkpoint = last.position;
        // A short batch reached the end of the log as it was then: rather than
        // read an empty batch, wait unless an append woke the signal since.
        if (batch.length < batchSize && !stopped) await Promise.race([source.signal.wait(version, source.pollIntervalMs), stopRequested]);
      }
    } finally {
      onEnd();
    }
  };

  const done = run();
  done.catch(noop); // the caller observes failures through `done`; never an unhandled rejection
  return {
    done,
    async stop() {
      stopped = true;
      wakeStop();
      await done.catch(noop);
    },
  };
}
