import { describe, expect, it } from 'vitest';
import type { Lease, LeaderLock } from './leaderLock.ts';
import { runWhileLeading, type LeaderRole } from './leadership.ts';

/** A lease the test loses or that is released; records releases. */
function fakeLease(name: string, events: string[], { releaseFails = false } = {}): Lease & { lose(): void } {
  let lose!: () => void;
  const lost = new Promise<void>((resolve) => (lose = resolve));
  return {
    name,
    lost,
    lose,
    async release() {
      events.push('release');
      lose();
      if (releaseFails) throw new Error('redis went away');
    },
  };
}

/** A lock whose acquire answers from a script, one step per call; further calls wait for the abort. */
function scriptedLock(steps: Array<() => Promise<Lease | undefined>>): LeaderLock & { calls: number } {
  const lock = {
    calls: 0,
    acquire(_name: string, signal?: AbortSignal): Promise<Lease> {
      const step = steps[lock.calls++];
      if (step) return step() as Promise<Lease>;
      return new Promise((_resolve, reject) => signal?.addEventListener('abort', () => reject(new Error('aborted')), { once: true }));
    },
    tryAcquire: () => Promise.resolve(undefined),
    close: () => Promise.resolve(),
  };
  return lock;
}

function recordingRole(events: string[], { startFails = false } = {}): LeaderRole {
  return {
    async start() {
      events.push('start');
      if (startFails) throw new Error('projector would not start');
    },
    async stop() {
      events.push('stop');
    },
  };
}

const until = async (check: () => boolean): Promise<void> => {
  while (!check()) await new Promise((r) => setTimeout(r, 1));
};

describe('runWhileLeading', () => {
  it('runs the role while it holds the lease, stops it when the lease is lost, and stands by for the next one', async () => {
    const events: string[] = [];
    const log: string[] = [];
    const first = fakeLease('projector:jobs', events);
    const second = fakeLease('projector:jobs', events);
    const lock = scriptedLock([async () => first, async () => second]);
    const abort = new AbortController();
    const running = runWhileLeading(lock, 'projector:jobs', recordingRole(events), abort.signal, { log: (l) => log.push(l), label: 'jobs projector' });

    await until(() => events.includes('start'));
    first.lose();
    await until(() => lock.calls === 2 && events.filter((e) => e === 'start').length === 2);
    abort.abort();
    await running;

    expect(events).toEqual(['start', 'stop', 'release', 'start', 'stop', 'release']);
    expect(log).toEqual(['jobs projector: active', 'jobs projector: lease lost, standing by', 'jobs projector: active']);
  });

  it('retries after a failure to take the lease, and after finding none, naming the role by its lease by default', async () => {
    const events: string[] = [];
    const log: string[] = [];
    const lease = fakeLease('scheduler', events);
    const lock = scriptedLock([() => Promise.reject(new Error('ECONNREFUSED')), async () => undefined, async () => lease]);
    const abort = new AbortController();
    const running = runWhileLeading(lock, 'scheduler', recordingRole(events), abort.signal, { log: (l) => log.push(l), retryMs: 1 });

    await until(() => events.includes('start'));
    abort.abort();
    await running;

    expect(lock.calls).toBe(3);
    expect(log).toEqual(['scheduler: cannot take the lease (ECONNREFUSED), retrying', 'scheduler: active']);
    expect(events).toEqual(['start', 'stop', 'release']);
  });

  it('stops the role and gives the lease back when the role fails to start, then stands by again without rejecting', async () => {
    const events: string[] = [];
    const log: string[] = [];
    const lock = scriptedLock([async () => fakeLease('x', events, { releaseFails: true })]);
    const abort = new AbortController();
    const running = runWhileLeading(lock, 'x', recordingRole(events, { startFails: true }), abort.signal, { log: (l) => log.push(l), retryMs: 1 });

    await until(() => log.length === 2);
    abort.abort();
    await expect(running).resolves.toBeUndefined();
    expect(events).toEqual(['start', 'stop', 'release']);
    expect(log).toEqual(['x: active', 'x: projector would not start; standing by']);
  });

  it('returns at once when aborted before it starts, and logs nothing for an abort while waiting for the lease', async () => {
    const log: string[] = [];
    const aborted = new AbortController();
    aborted.abort();
    const lock = scriptedLock([]);
    await runWhileLeading(lock, 'x', recordingRole([]), aborted.signal, { log: (l) => log.push(l) });
    expect(lock.calls).toBe(0);

    const later = new AbortController();
    const running = runWhileLeading(lock, 'x', recordingRole([]), later.signal, { log: (l) => log.push(l) });
    await until(() => lock.calls === 1);
    later.abort();
    await running;
    expect(log).toEqual([]);
  });
});
