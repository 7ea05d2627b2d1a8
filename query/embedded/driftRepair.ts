// Drift check and repair (ops/drift): pages of stored documents, and writes
// and deletes that apply only where the stored position is still the one the
// checker saw, so a projector write that landed since is never undone.

import type Database from 'better-sqlite3';
import type { JobDocument } from '../../mappings/jobDocument.ts';
import { STATUS_OPEN } from './columns.ts';
import type { EmbeddedState } from './embeddedState.ts';
import { type OldRow, type StoredRow, type UpsertRow, fromRow, readOldRow, scanDocsSql, toUpsertRow, upsertSql } from './jobRows.ts';
import { countTitle } from './suggest.ts';
import { encodeTermIds } from './termBlob.ts';
import { applyDoc, persistTerms, setColumns, termIds } from './writeJobs.ts';

export interface DriftStatements {
  scan: Database.Statement<[string, number, number], StoredRow>;
  replace: Database.Statement<UpsertRow>;
  delete: Database.Statement<[string]>;
}

/** The drift statements, prepared on first use (most stores are never checked). */
export class DriftRepair {
  private stmt: DriftStatements | undefined;

  constructor(private readonly st: EmbeddedState) {}

  private statements(): DriftStatements {
    return (this.stmt ??= prepareDriftStatements(this.st.db));
  }

  scanJobs(afterJobId: string, limit: number, abovePosition: number): JobDocument[] {
    return this.statements().scan.all(afterJobId, abovePosition, limit).map(fromRow);
  }

  replaceJobs(changes: ReadonlyArray<{ doc: JobDocument; seenPosition: number | undefined }>): string[] {
    const st = this.st;
    const stmt = this.statements();
    const due = new Map<string, JobDocument>();
    for (const { doc, seenPosition } of changes) {
      const slot = st.slotOf.get(doc.jobId);
      if ((slot === undefined ? undefined : st.cols.position[slot]) === seenPosition) due.set(doc.jobId, doc);
    }
    const writes = [...due.values()].map((d) => ({ d, ids: termIds(st, d) }));
    const olds = new Map<string, OldRow>();
    st.db.transaction(() => {
      if (writes.length > 0 || st.persistedTerms < st.text.dictionary.terms.length) st.stamp.bump();
      persistTerms(st);
      for (const { d, ids } of writes) {
        const old = readOldRow(st.stmt, d.jobId);
        if (old !== undefined) olds.set(d.jobId, old);
        stmt.replace.run(...toUpsertRow(d, encodeTermIds(ids)));
      }
    })();
    st.persistedTerms = st.text.dictionary.terms.length;
    for (const { d, ids } of writes) {
      const old = olds.get(d.jobId);
      applyDoc(st, d, old?.doc, ids, old?.ids);
    }
    return writes.map((w) => w.d.jobId);
  }

  deleteJobs(changes: ReadonlyArray<{ jobId: string; seenPosition: number }>): string[] {
    const st = this.st;
    const stmt = this.statements();
    const due = changes.filter(({ jobId, seenPosition }) => {
      const slot = st.slotOf.get(jobId);
      return slot !== undefined && st.cols.position[slot] === seenPosition;
    });
    const olds = new Map<string, OldRow>();
    st.db.transaction(() => {
      if (due.length > 0) st.stamp.bump();
      for (const { jobId } of due) {
        const old = readOldRow(st.stmt, jobId);
        if (old !== undefined) olds.set(jobId, old);
        stmt.delete.run(jobId);
      }
    })();
    const deleted: string[] = [];
    for (const { jobId } of due) {
      st.docCache.delete(jobId);
      const slot = st.slotOf.get(jobId);
      const old = olds.get(jobId);
      if (slot === undefined || !old) continue;
      if (st.cols.status[slot] === STATUS_OPEN) countTitle(st.titleCounts, st.cols.titles[slot] ?? '', -1);
      st.text.remove(slot, old.ids ?? termIds(st, old.doc));
      const { location: _place, ...rest } = old.doc;
      setColumns(st, slot, { ...rest, status: 'draft' }, false);
      st.cols.business[slot] = -3;
      st.geo.sync(slot, st.cols);
      st.byCategory.sync(slot, st.cols);
      st.slotOf.delete(jobId);
      deleted.push(jobId);
    }
    return deleted;
  }
}

function prepareDriftStatements(db: Database.Database): DriftStatements {
  return {
    scan: db.prepare<[string, number, number], StoredRow>(scanDocsSql).raw(),
    // Whatever the stored position: a repair may need to put back an equal or older document.
    replace: db.prepare<UpsertRow>(upsertSql('')),
    delete: db.prepare<[string]>('DELETE FROM job_documents WHERE job_id = ?'),
  };
}
