import type { JobDocument } from '../../mappings/jobDocument.ts';

/** A stored document as the drift check saw it. */
export interface StoredJob {
  doc: JobDocument;
  /** Engine: the document's `_version` (normally its position; ahead of it after a write behind the projector's back). */
  version?: number;
}

/** A repair of one document: put the expected one back, or delete an extra one. */
export type RepairPut = { doc: JobDocument; seen: StoredJob | undefined };
export type RepairDelete = { seen: StoredJob };

/**
 * What the drift check needs of the `jobs` read store (one adapter per store:
 * embeddedDriftTarget.ts, engineDriftTarget.ts). Every repair write is
 * conditional on the document still being the one the check saw, so a
 * projector running at the same time is never undone.
 */
export interface DriftTarget {
  readonly kind: 'embedded' | 'search-engine';
  /** The `jobs` projection's stored checkpoint: the store claims every event up to it. */
  checkpoint(): Promise<number>;
  /** Number of stored documents (sizes the passes of a full check; need not be exact). */
  count(): Promise<number>;
  /** Every stored document, page by page, in job id order; only those with position above `abovePosition` when given. */
  scan(onPage: (page: StoredJob[]) => void | Promise<void>, options?: { abovePosition?: number }): Promise<void>;
  /** The stored documents of these ids (absent ones left out). */
  getJobs(ids: readonly string[]): Promise<Map<string, StoredJob>>;
  /** Applies the repairs; returns the job ids actually written and deleted (a document changed since it was seen is left alone). */
  repair(puts: readonly RepairPut[], deletes: readonly RepairDelete[]): Promise<{ put: Set<string>; deleted: Set<string> }>;
  /** Log position the last clean check covered (the `drift:jobs` marker), if any. */
  lastCheckedPosition(): Promise<number | undefined>;
  setLastCheckedPosition(position: number): Promise<void>;
}

/** Name of the marker the drift check keeps beside the projection checkpoints. */
export const DRIFT_MARKER = 'drift:jobs';
