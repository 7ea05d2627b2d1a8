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
    // its (synchronous) batch.
    setImmediate(() => {
      this.#waking = false;
      const waiters = [...this.#waiters];
      this.#waiters.clear();
      for (const wake of waiters) wake();
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
