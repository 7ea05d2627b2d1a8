// How the projection runner recovers: from a subscription that fails (store
// unreachable), from a poison event the projection names wrongly, and from a
// stop in the middle of a retry. The log is a scripted store, so each failure
// happens exactly where the test says.
import { describe, expect, it } from 'vitest';
import type { BatchHandler, EventStore, RecordedEvent, SubscribeOptions, Subscription } from '../eventstore/port.ts';
import type { Projection } from './projection.ts';
import { PoisonEventError } from './projection.ts';
import { ProjectionRunner } from './projectionRunner.ts';

const event = (position: number): RecordedEvent => ({
    type: 'JobViewed',
    data: { jobId: 'j1', viewedAt: '2027-03-01T00:00:00.000Z' },
    eventId: `e${position}`,
    streamId: 'jobviews-j1',
    revision: position - 1,
    position,
    metadata: { actor: { role: 'system', sub: 'test' }, correlationId: 'c', causationId: 'c', occurredAt: '2027-03-01T00:00:00.000Z' },
    storedVersion: 1,
    recordedAt: '2027-03-01T00:00:00.000Z',
});

/** A log of `head` events whose subscriptions the test drives: each one is handed over, to deliver batches or to fail. */
function scriptedStore(head: number) {
  const subscriptions: { options: SubscribeOptions; deliver: (events: RecordedEvent[]) => Promise<void>; fail: (err: unknown) => void; stopped: boolean }[] = [];
  const store = {
    subscribeToAll(options: SubscribeOptions, handler: BatchHandler): Subscription {
      let fail!: (err: unknown) => void;
      let end!: () => void;
      const done = new Promise<void>((resolve, reject) => {
        end = resolve;
        fail = reject;
      });
      const entry = { options, deliver: (events: RecordedEvent[]) => handler(events), fail, stopped: false };
      subscriptions.push(entry);
      return {
        done,
        stop: async () => {
          entry.stopped = true;
          end();
        },
      };
    },
    headPosition: async () => head,
  };
  return { store: store as unknown as EventStore, subscriptions };
}

function recordingProjection(apply: (events: readonly RecordedEvent[]) => Promise<void> = async () => undefined) {
  const applied: number[][] = [];
  const dead: number[] = [];
  const projection: Projection = {
    name: 'scripted',
    checkpoint: async () => 0,
    async apply(events) {
      await apply(events);
      applied.push(events.map((e) => e.position));
    },
    async deadLetter(e) {
      dead.push(e.position);
    },
  };
  return { projection, applied, dead };
}

const until = async (check: () => boolean | Promise<boolean>): Promise<void> => {
  while (!(await check())) await new Promise((r) => setTimeout(r, 1));
};
const retrying = (runner: ProjectionRunner) => async () => (await runner.status()).state === 'retrying';

describe('ProjectionRunner recovery', () => {
  it('resubscribes from what it applied when the subscription fails, reporting the error meanwhile', async () => {
    const { store, subscriptions } = scriptedStore(3);
    const m = recordingProjection();
    const runner = new ProjectionRunner(store, m.projection, { initialRetryMs: 20, batchSize: 2 });
    await runner.start();
    await runner.start(); // already running: no second subscription
    expect(subscriptions).toHaveLength(1);
    expect(subscriptions[0]!.options).toEqual({ after: 0, batchSize: 2 });

    await subscriptions[0]!.deliver([event(1), event(2)]);
    subscriptions[0]!.fail(new Error('connection reset'));
    await until(() => subscriptions.length === 2);
    expect(subscriptions[1]!.options).toEqual({ after: 2, batchSize: 2 });
    await subscriptions[1]!.deliver([event(3)]);
    expect(await runner.status()).toMatchObject({ state: 'running', checkpoint: 3, lagEvents: 0, lastError: 'connection reset' });
    expect(m.applied).toEqual([[1, 2], [3]]);
    await runner.stop();
    expect(subscriptions[1]!.stopped).toBe(true);
  });

  it('says why in the status while it waits to resubscribe, and a non-Error failure as text', async () => {
    const { store, subscriptions } = scriptedStore(5);
    const runner = new ProjectionRunner(store, recordingProjection().projection, { initialRetryMs: 60_000 });
    await runner.start();
    subscriptions[0]!.fail('socket closed');
    await until(retrying(runner));
    expect(await runner.status()).toMatchObject({ state: 'retrying', lastError: 'socket closed', lagEvents: 5 });
    // Stopping ends the wait at once, and nothing resubscribes afterwards.
    await runner.stop();
    await new Promise((r) => setTimeout(r, 5));
    expect(subscriptions).toHaveLength(1);
    expect((await runner.status()).state).toBe('stopped');
  });

  it('does not resubscribe after a failure that comes once it was stopped', async () => {
    const { store, subscriptions } = scriptedStore(1);
    const runner = new ProjectionRunner(store, recordingProjection().projection, { initialRetryMs: 1 });
    await runner.start();
    const first = subscriptions[0]!;
    await runner.stop();
    first.fail(new Error('late failure'));
    await new Promise((r) => setTimeout(r, 10));
    expect(subscriptions).toHaveLength(1);
    expect((await runner.status()).lastError).toBeUndefined();
  });

  it('dead-letters a poison event at the head of a batch without applying an empty prefix', async () => {
    const { store, subscriptions } = scriptedStore(3);
    let poisoned = false;
    const m = recordingProjection(async (events) => {
      if (!poisoned && events[0]?.position === 1) {
        poisoned = true;
        throw new PoisonEventError(events[0], new Error('bad document'));
      }
    });
    const runner = new ProjectionRunner(store, m.projection);
    await runner.start();
    await subscriptions[0]!.deliver([event(1), event(2), event(3)]);
    expect(m.dead).toEqual([1]);
    expect(m.applied).toEqual([[2, 3]]);
    expect(await runner.status()).toMatchObject({ checkpoint: 3, deadLetters: 1 });
    await runner.stop();
  });

  it('retries a poison error that names an event outside the batch, as any transient failure', async () => {
    const { store, subscriptions } = scriptedStore(2);
    const errors: { message: string; attempt: number }[] = [];
    let thrown = false;
    const m = recordingProjection(async () => {
      if (!thrown) {
        thrown = true;
        throw new PoisonEventError(event(99), 'not in this batch');
      }
    });
    const runner = new ProjectionRunner(store, m.projection, { initialRetryMs: 1, random: () => 0, onError: (err, attempt) => errors.push({ message: (err as Error).message, attempt }) });
    await runner.start();
    await subscriptions[0]!.deliver([event(1), event(2)]);
    expect(m.dead).toEqual([]);
    expect(m.applied).toEqual([[1, 2]]);
    expect(errors).toEqual([{ message: 'event at position 99 (JobViewed) cannot be projected: not in this batch', attempt: 1 }]);
    await runner.stop();
  });

  it('leaves a batch it was stopped in the middle of retrying unapplied, its checkpoint where it was', async () => {
    const { store, subscriptions } = scriptedStore(2);
    const m = recordingProjection(() => Promise.reject(new Error('engine down')));
    const runner = new ProjectionRunner(store, m.projection, { initialRetryMs: 60_000 });
    await runner.start();
    const delivering = subscriptions[0]!.deliver([event(1), event(2)]);
    await until(retrying(runner));
    await runner.stop();
    await delivering;
    expect(m.applied).toEqual([]);
    expect(await runner.status()).toMatchObject({ state: 'stopped', checkpoint: 0, lagEvents: 2, lastError: 'engine down' });
  });

  it('passes a redelivered batch over without applying it again', async () => {
    const { store, subscriptions } = scriptedStore(2);
    const m = recordingProjection();
    const runner = new ProjectionRunner(store, m.projection);
    await runner.start();
    await subscriptions[0]!.deliver([event(1), event(2)]);
    await subscriptions[0]!.deliver([event(1), event(2)]);
    expect(m.applied).toEqual([[1, 2]]);
    await runner.stop();
  });
});
