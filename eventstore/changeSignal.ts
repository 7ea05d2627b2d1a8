/**
 * Wakes live subscriptions when the log may have grown. `version` increases on
 * every notify, so a subscriber that remembers it before reading cannot miss a
 * wake-up that happened while it was reading.
 */
export class ChangeSignal {
  #version = 0;
  readonly #waiters = new Set<() => void>();
  #waking = false;

  get version(): number {
    return this.#version;
  }

  notify(): void {
    this.#version++;
    if (this.#waking) return;
    this.#waking = true;
    // Woken after the current I/O callbacks, not in their microtasks: the
    // appender's HTTP reply goes out before an in-process projector starts
    // its (synchronous) batch. One waiter per turn of the event loop: each
    // in-process projector's batch runs in a turn of its own, with the
    // requests that arrived meanwhile served in between rather than after
    // all of them.
    setImmediate(() => {
      this.#waking = false;
      const waiters = [...this.#waiters];
      this.#waiters.clear();
      wakeInTurns(waiters, 0);
    });
  }

  /** Resolves on the next notify after `sinceVersion`, or after `timeoutMs` at the latest. */
  wait(sinceVersion: number, timeoutMs: number): Promise<void> {
    if (this.#version !== sinceVersion) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.#waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, timeoutMs);
      this.#waiters.add(wake);
    });
  }
}

function wakeInTurns(waiters: ReadonlyArray<() => void>, from: number): void {
  waiters[from]?.();
  if (from + 1 < waiters.length) setImmediate(() => wakeInTurns(waiters, from + 1));
}
