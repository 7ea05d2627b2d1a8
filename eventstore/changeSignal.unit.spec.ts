import { describe, expect, it } from 'vitest';
import { ChangeSignal } from './changeSignal.ts';

/** Resolves after `hops` promise continuations: work that runs in microtasks, as a synchronous store's batch does. */
async function microtaskWork(hops: number): Promise<void> {
  for (let i = 0; i < hops; i++) await Promise.resolve();
}

describe('ChangeSignal', () => {
  it('wakes each waiter in a turn of its own: the next waiter wakes only after the previous one has done its microtask work', async () => {
    const signal = new ChangeSignal();
    const log: string[] = [];
    const waiters = ['a', 'b', 'c'].map((name) =>
      signal.wait(signal.version, 10_000).then(async () => {
        log.push(`${name} woke`);
        await microtaskWork(20);
        log.push(`${name} done`);
      }),
    );
    signal.notify();
    await Promise.all(waiters);
    expect(log).toEqual(['a woke', 'a done', 'b woke', 'b done', 'c woke', 'c done']);
  });

  it('lets timers and I/O callbacks queued by one woken waiter run before the next waiter wakes', async () => {
    const signal = new ChangeSignal();
    const log: string[] = [];
    const first = signal.wait(signal.version, 10_000).then(() => {
      log.push('first woke');
      // A check-phase callback of the next turn: it runs before the waiter after next.
      setImmediate(() => log.push('queued by first'));
    });
    const second = signal.wait(signal.version, 10_000).then(() => log.push('second woke'));
    const third = signal.wait(signal.version, 10_000).then(() => log.push('third woke'));
    signal.notify();
    await Promise.all([first, second, third]);
    expect(log.indexOf('queued by first')).toBeLessThan(log.indexOf('third woke'));
    expect(log.slice(0, 2)).toEqual(['first woke', 'second woke']);
  });

  it('resolves a wait at once when the version moved since it was read, and after the timeout without a notify', async () => {
    const signal = new ChangeSignal();
    const before = signal.version;
    signal.notify();
    expect(signal.version).toBe(before + 1);
    await expect(signal.wait(before, 10_000)).resolves.toBeUndefined();
    await new Promise((resolve) => setImmediate(resolve)); // the notify's wake-up has gone by
    const started = performance.now();
    await signal.wait(signal.version, 20);
    expect(performance.now() - started).toBeGreaterThanOrEqual(15);
  });
});
