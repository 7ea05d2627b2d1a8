// Writes: documents into SQLite (with their term ids) and the in-memory
// structures brought along, one slot per job.

import type { JobDocument } from '../../mappings/jobDocument.ts';
import { type IndexedDoc, STATUS_OPEN } from './columns.ts';
import { type EmbeddedState, nextGeneration } from './embeddedState.ts';
import { filterKey } from './filterKey.ts';
import { type OldRow, readOldRow, toUpsertRow } from './jobRows.ts';
import { countTitle } from './suggest.ts';
import { encodeTermIds } from './termBlob.ts';

/**
 * Writes the documents newer than what is stored, and the checkpoint when
 * given, in one transaction; `alongside` writes what else belongs to the same
 * commit (the business profiles) inside it.
 */
export function writeJobs(st: EmbeddedState, docs: readonly JobDocument[], checkpoint: { name: string; position: number } | undefined, alongside?: () => void): void {
  const accepted = new Map<string, JobDocument>();
  for (const d of docs) {
    const slot = st.slotOf.get(d.jobId);
    const current = accepted.get(d.jobId)?.position ?? (slot === undefined ? undefined : st.cols.position[slot]);
    if (current !== undefined && !(d.position > current)) continue;
    accepted.set(d.jobId, d);
  }
  // Analyze first: new terms get ids now and are stored with the documents.
  const writes = [...accepted.values()].map((d) => ({ d, ids: termIds(st, d) }));
  const olds = new Map<string, OldRow>();
  st.db.transaction(() => {
    // A checkpoint alone changes nothing the segments hold; new terms alone (interned by a removal's analysis) do.
    if (writes.length > 0 || st.persistedTerms < st.text.dictionary.terms.length) st.stamp.bump();
    persistTerms(st);
    for (const { d, ids } of writes) {
      if (st.slotOf.has(d.jobId)) {
        const old = readOldRow(st.stmt, d.jobId);
        if (old !== undefined) olds.set(d.jobId, old);
      }
      st.stmt.upsert.run(...toUpsertRow(d, encodeTermIds(ids)));
    }
    alongside?.();
    if (checkpoint) st.stmt.setCheckpoint.run(checkpoint.name, checkpoint.position, new Date().toISOString());
  })();
  st.persistedTerms = st.text.dictionary.terms.length;
  if (st.writeOnly) return;
  for (const { d, ids } of writes) {
    const old = olds.get(d.jobId);
    applyDoc(st, d, old?.doc, ids, old?.ids);
  }
}

/** Inserts the dictionary's terms not yet in text_terms (inside a transaction). */
export function persistTerms(st: EmbeddedState): void {
  const terms = st.text.dictionary.terms;
  for (let id = st.persistedTerms; id < terms.length; id++) st.stmt.insertTerm.run(id, terms[id]!);
}

/** Brings the in-memory structures to `doc`; `old` is the document it replaces. */
export function applyDoc(st: EmbeddedState, doc: IndexedDoc, old: IndexedDoc | undefined, ids: ArrayLike<number>[], oldIds?: ArrayLike<number>[]): void {
  st.docCache.delete(doc.jobId);
  const cols = st.cols;
  let slot = st.slotOf.get(doc.jobId);
  const isNew = slot === undefined;
  if (slot === undefined) {
    slot = cols.append(doc.jobId);
    st.slotOf.set(doc.jobId, slot);
    st.text.add(slot, ids);
  } else {
    if (cols.status[slot] === STATUS_OPEN) countTitle(st.titleCounts, cols.titles[slot] ?? '', -1);
    const textChanged = !old || old.title !== doc.title || old.description !== doc.description || old.skills.join('\u0000') !== doc.skills.join('\u0000');
    if (textChanged) {
      if (old) st.text.remove(slot, oldIds ?? termIds(st, old));
      st.text.add(slot, ids);
    }
  }
  setColumns(st, slot, doc, isNew);
  if (doc.status === 'open') countTitle(st.titleCounts, doc.title, 1);
}

/** Writes a slot's columns and brings both sorted indexes along (moved: to their delta; else: values copied). */
export function setColumns(st: EmbeddedState, slot: number, doc: IndexedDoc, isNew: boolean): void {
  st.generation = nextGeneration();
  const cols = st.cols;
  const before = isNew ? -1 : filterKey(cols.category[slot]!, cols.published[slot]!);
  // Skill sets are shared arrays (Columns.skillSet): the same skills, the same array.
  const skillsBefore = cols.skills[slot];
  const cityBefore = cols.city[slot];
  const remoteBefore = cols.remote[slot];
  // A new slot always joins the delta: its zeroed key may equal its real one (the cell at -90, -180).
  if (cols.set(slot, doc) || isNew) st.geo.touch(slot);
  else st.geo.sync(slot, cols);
  st.visibility.touch(cols, slot);
  if (filterKey(cols.category[slot]!, cols.published[slot]!) !== before) st.byCategory.touch(slot);
  else st.byCategory.sync(slot, cols);
  if (isNew || cols.skills[slot] !== skillsBefore) st.bySkill.touch(slot);
  if (isNew || cols.city[slot] !== cityBefore) st.byCity.touch(slot);
  if (isNew || cols.remote[slot] !== remoteBefore) st.byRemote.touch(slot);
  if (isNew || cols.remote[slot] !== remoteBefore || cols.skills[slot] !== skillsBefore) st.remoteBySkill.touch(slot);
  const memo = st.nextExpiry;
  const e = cols.expires[slot]!;
  if (memo && cols.status[slot] === STATUS_OPEN && e > memo.from && e < memo.until) memo.until = e;
}

/** The byCategory keys of every slot. */
export function filterKeys(st: EmbeddedState): Float64Array {
  const cols = st.cols;
  const keys = new Float64Array(cols.size);
  for (let s = 0; s < cols.size; s++) keys[s] = filterKey(cols.category[s]!, cols.published[s]!);
  return keys;
}

export function termIds(st: EmbeddedState, doc: IndexedDoc): number[][] {
  return st.text.analyze([[doc.title], doc.skills, [doc.description]]);
}
