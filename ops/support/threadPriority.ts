// Background work in worker threads of the serving process (the drift
// check, a rebuild's folds) competes with the serving thread for the same
// few cores. Linux keeps a nice value per thread (setpriority takes a
// thread's id, see setpriority(2), "BUGS"), so such a worker lowers its
// own: under contention the serving thread goes first, and on idle cores the
// work runs at full speed.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/** The nice value background threads take (0 is the default, 19 the lowest priority). */
export const BACKGROUND_NICE = 10;

/** The calling thread's kernel id (Linux: `/proc/thread-self` → `<pid>/task/<tid>`); undefined elsewhere. */
export function kernelThreadId(): number | undefined {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').at(-1));
    return Number.isSafeInteger(tid) && tid > 0 ? tid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Lowers the scheduling priority of the calling thread alone; call it first
 * thing in a worker thread (on the main thread it would lower the serving
 * thread). Answers whether it did: where threads have no id of their own, or
 * the call is refused, the thread keeps its priority.
 */
export function lowerThisThreadPriority(nice = BACKGROUND_NICE): boolean {
  const tid = kernelThreadId();
  if (tid === undefined) return false;
  try {
    setPriority(tid, nice);
    return true;
  } catch {
    return false;
  }
}
