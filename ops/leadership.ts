import type { LeaderLock } from './leaderLock.ts';

/** Something only one process at a time may run (a projector of one read model). */
export interface LeaderRole {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Stands by until this process holds `leaseName`, runs `role` while it holds
 * it, stops it when the lease is lost, and stands by again, until `signal`
 * aborts. Never rejects: a Redis or start failure is logged and retried, so it
 * cannot end the process as an unhandled rejection.
 */
export interface LeadingOptions {
  log?: (line: string) => void;
  /** How the log names the role (default: the lease name). */
  label?: string;
  retryMs?: number;
}

export async function runWhileLeading(lock: LeaderLock, leaseName: string, role: LeaderRole, signal: AbortSignal, { log = () => undefined, label = leaseName, retryMs = 1000 }: LeadingOptions = {}): Promise<void> {
  const aborted = new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  while (!signal.aborted) {
    try {
      const lease = await lock.acquire(leaseName, signal).catch((err: unknown) => {
        if (!signal.aborted) log(`${label}: cannot take the lease (${err instanceof Error ? err.message : String(err)}), retrying`);
        return undefined;
      });
      if (!lease) {
        if (!signal.aborted) await Promise.race([new Promise((r) => setTimeout(r, retryMs).unref()), aborted]);
        continue;
      }
      log(`${label}: active`);
      try {
        await role.start();
        await Promise.race([lease.lost, aborted]);
      } finally {
        await role.stop();
        await lease.release().catch(() => undefined);
      }
      if (!signal.aborted) log(`${label}: lease lost, standing by`);
    } catch (err) {
      log(`${label}: ${err instanceof Error ? err.message : String(err)}; standing by`);
      if (!signal.aborted) await Promise.race([new Promise((r) => setTimeout(r, retryMs).unref()), aborted]);
    }
  }
}
