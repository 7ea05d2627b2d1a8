// Documents read back whole: from the parsed-document cache, else SQLite.

import type { JobDocument } from '../../mappings/jobDocument.ts';
import type { EmbeddedState } from './embeddedState.ts';
import { fromRow } from './jobRows.ts';

/** Cached documents first, the rest in one SQLite statement per 500. */
export function readJobs(st: EmbeddedState, jobIds: readonly string[]): Array<JobDocument | undefined> {
  const out: Array<JobDocument | undefined> = jobIds.map((id) => st.docCache.get(id));
  const missing = jobIds.filter((_, i) => out[i] === undefined);
  const found = new Map<string, JobDocument>();
  for (let i = 0; i < missing.length; i += 500) {
    const chunk = missing.slice(i, i + 500);
    const rows = st.db.prepare<string[], [string, string, string]>(`SELECT job_id, description, doc FROM job_documents WHERE job_id IN (${chunk.map(() => '?').join(',')})`).raw().all(...chunk);
    for (const [id, description, json] of rows) found.set(id, fromRow([description, json]));
  }
  return out.map((doc, i) => doc ?? found.get(jobIds[i]!));
}

/** One document, kept in the cache (most recently used last). */
export function readJob(st: EmbeddedState, jobId: string): JobDocument | undefined {
  const cached = st.docCache.get(jobId);
  if (cached !== undefined) {
    st.docCache.delete(jobId);
    st.docCache.set(jobId, cached);
    return cached;
  }
  const row = st.stmt.getDoc.get(jobId);
  if (row === undefined) return undefined;
  const doc = fromRow(row);
  if (st.docCacheSize > 0) {
    st.docCache.set(jobId, doc);
    if (st.docCache.size > st.docCacheSize) st.docCache.delete(st.docCache.keys().next().value!);
  }
  return doc;
}
