// Writes of the engine's `jobs` index: bulk requests bounded in documents and
// bytes, items the engine was too busy for retried with backoff, and
// idempotency by external versioning (`version = position`: a write or a
// removal that is not newer than the stored document is a 409, which is
// success here).
import type { JobDocument } from '../../mappings/jobDocument.ts';
import type { BulkLine, Refresh, SearchClient } from './searchClient.ts';

export interface JobWriteFailure {
  jobId: string;
  status: number;
  type: string;
  reason: string;
  /** The engine was busy or failing (429, 5xx) even after retries: try again later, do not dead-letter. */
  transient: boolean;
}

/**
 * Some documents of a putJobs batch were refused (not version conflicts): the
 * others are stored. `failures` names each refused document, so the projection
 * runner can dead-letter it.
 */
export class JobWriteError extends Error {
  readonly failures: JobWriteFailure[];

  constructor(failures: JobWriteFailure[], total: number) {
    const shown = failures
      .slice(0, 10)
      .map((f) => `${f.jobId} (${f.status} ${f.type}: ${f.reason})`)
      .join('; ');
    super(`${failures.length} of ${total} job documents were not stored: ${shown}${failures.length > 10 ? '; ...' : ''}`);
    this.name = 'JobWriteError';
    this.failures = failures;
  }

  get jobIds(): string[] {
    return this.failures.map((f) => f.jobId);
  }

  /** Documents the engine refused for what they are (mapping, values): dead-letter these. */
  get poisonJobIds(): string[] {
    return this.failures.filter((f) => !f.transient).map((f) => f.jobId);
  }
}

/** Item statuses worth retrying: the engine is busy (429) or failing (5xx), the document is not at fault. */
const isTransient = (status: number): boolean => status === 429 || status >= 500;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface EngineJobWriterOptions {
  refresh: Refresh;
  bulkDocs: number;
  bulkBytes: number;
  retries: number;
  backoffMs: number;
}

export function engineJobWriter(client: SearchClient, alias: string, { refresh: refreshPolicy, bulkDocs, bulkBytes, retries, backoffMs }: EngineJobWriterOptions) {
  async function sendBulk(docs: readonly JobDocument[], failures: JobWriteFailure[], refresh: Refresh): Promise<void> {
    let pending = docs;
    for (let attempt = 0; pending.length > 0; attempt++) {
      const lines: BulkLine[] = [];
      for (const doc of pending) {
        lines.push({ index: { _index: alias, _id: doc.jobId, version: doc.position, version_type: 'external' } }, doc as unknown as BulkLine);
      }
      const res = await client.bulk(lines, { refresh });
      if (!res.errors) return;
      const retry: JobDocument[] = [];
      res.items.forEach((item, i) => {
        if (!item.error || item.status === 409) return; // 409: the stored document is as new or newer
        const doc = pending[i];
        const transient = isTransient(item.status);
        if (transient && doc && attempt < retries) retry.push(doc);
        else failures.push({ jobId: doc?.jobId ?? item._id, status: item.status, type: item.error.type, reason: item.error.reason, transient });
      });
      if (retry.length > 0) await sleep(backoffMs * 2 ** attempt);
      pending = retry;
    }
  }

  async function putJobs(docs: readonly JobDocument[], options: { refresh?: Refresh } = {}): Promise<void> {
    const refresh = options.refresh ?? refreshPolicy;
    const failures: JobWriteFailure[] = [];
    let chunk: JobDocument[] = [];
    let bytes = 0;
    for (const doc of docs) {
      if (typeof doc.jobId !== 'string' || doc.jobId.length === 0 || doc.jobId.length > 512) {
        failures.push({ jobId: String(doc.jobId), status: 400, type: 'invalid_job_id', reason: 'jobId must be a non-empty string of at most 512 characters', transient: false });
        continue;
      }
      if (!Number.isSafeInteger(doc.position) || doc.position < 0) {
        failures.push({ jobId: doc.jobId, status: 400, type: 'invalid_position', reason: `position ${String(doc.position)} is not a non-negative integer`, transient: false });
        continue;
      }
      const size = JSON.stringify(doc).length + 128;
      if (chunk.length > 0 && (chunk.length >= bulkDocs || bytes + size > bulkBytes)) {
        await sendBulk(chunk, failures, refresh);
        chunk = [];
        bytes = 0;
      }
      chunk.push(doc);
      bytes += size;
    }
    if (chunk.length > 0) await sendBulk(chunk, failures, refresh);
    if (failures.length > 0) throw new JobWriteError(failures, docs.length);
  }

  async function removeJobs(removed: ReadonlyArray<{ jobId: string; position: number }>, options: { refresh?: Refresh } = {}): Promise<void> {
    if (removed.length === 0) return;
    const res = await client.bulk(
      removed.map((r) => ({ delete: { _index: alias, _id: r.jobId, version: r.position, version_type: 'external' } })),
      { refresh: options.refresh ?? refreshPolicy },
    );
    // 404: already gone; 409: the stored document is as new or newer.
    const failed = res.items.filter((item) => item.status !== 404 && item.status !== 409 && item.error);
    if (failed.length > 0) throw new Error(`${failed.length} job documents were not removed: ${failed[0]?.error?.reason ?? 'unknown'}`);
  }

  return { putJobs, removeJobs };
}
