import { closeSync, fdatasync, fdatasyncSync, fsyncSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

/** Makes what SQLite has written to a WAL durable, as its `synchronous=FULL` does at each commit. */
export interface WalSync {
  /** fdatasync of the WAL: on the libuv thread pool, or with `now` on this thread (closing). */
  sync(now: boolean, done: (error: Error | null) => void): void;
  close(): void;
}

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

/**
 * The WAL file at `path`, opened at its first sync (once a commit has written
 * it; SQLite keeps the file while a connection is open). Its directory is
 * synced then, as SQLite does for a journal it created, so that a WAL made by
 * this process survives a power loss with its name.
 */
export function walSync(path: string): WalSync {
  let fd: number | undefined;
  const open = (): number => {
    if (fd !== undefined) return fd;
    const opened = openSync(path, 'r');
    try {
      const dir = openSync(dirname(path), 'r');
      try {
        fsyncSync(dir);
      } finally {
        closeSync(dir);
      }
    } catch (error) {
      closeSync(opened);
      throw error;
    }
    return (fd = opened);
  };
  return {
    sync(now, done) {
      let file: number;
      try {
        file = open();
        if (now) fdatasyncSync(file);
      } catch (error) {
        done(asError(error));
        return;
      }
      if (now) done(null);
      else fdatasync(file, (error) => done(error));
    },
    close() {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}
