import { ANALYZER_VERSION } from './analysis/analyzer.ts';
import type { EmbeddedState } from './embeddedState.ts';
import { type LoadRow, fromIndexRow, indexColumns } from './jobRows.ts';
import { loadSegments } from './loadSegments.ts';
import { decodeTermIds, encodeTermIds } from './termBlob.ts';
import { applyDoc, filterKeys, persistTerms, termIds } from './writeJobs.ts';

/**
 * Fills the in-memory structures: from the persisted segments beside
 * `storePath` when they describe exactly the rows (loadSegments.ts), else
 * row by row (the full load, always correct). Either way the sorted orders
 * are built from the columns the same way.
 */
export function loadStore(st: EmbeddedState, storePath: string | undefined): 'segments' | 'rows' {
  const from = storePath !== undefined && loadSegments(st, storePath) ? 'segments' : loadRows(st);
  st.geo.rebuild(st.cols, st.cols.size);
  st.byCategory.rebuild(st.cols, st.cols.size, filterKeys(st));
  // Now, not by the first skill or city filter: at 1M jobs that query would wait most of a second.
  st.bySkill.rebuild(st.cols.size, st.cols.skillNames.values.length);
  st.byCity.rebuild(st.cols.size, st.cols.cityNames.values.length);
  // Built now rather than by the first map (a second at 1M jobs); a map at another clock rebuilds it.
  st.pyramid?.prepare(Date.now());
  return from;
}

/**
 * Rebuilds the in-memory structures from SQLite. Documents carry their
 * analyzed text as term ids (with the term dictionary in text_terms), so
 * opening does not re-tokenize; when the analyzer changed, or a row lacks
 * them, the text is analyzed again and the stored term ids rewritten.
 */
function loadRows(st: EmbeddedState): 'rows' {
  const db = st.db;
  // Before the rows: a write landing in between leaves the memory newer than the counter, so no segments are saved from it.
  st.stamp.loaded();
  const version = db.prepare<[string], string>('SELECT value FROM store_meta WHERE key = ?').pluck().get('analyzer');
  const current = version === ANALYZER_VERSION;
  if (current) st.text.dictionary.restore(db.prepare<[], string>('SELECT term FROM text_terms ORDER BY id').pluck().all());
  st.persistedTerms = current ? st.text.dictionary.terms.length : 0;
  const rewrite: Array<[Buffer, string]> = [];
  const rows = db.prepare<[], LoadRow>(`SELECT ${indexColumns.join(', ')}, terms FROM job_documents`).raw();
  for (const row of rows.iterate()) {
    const doc = fromIndexRow(row);
    const blob = row[indexColumns.length];
    let ids: ArrayLike<number>[] | undefined = current && blob ? decodeTermIds(blob) : undefined;
    if (!ids) {
      ids = termIds(st, doc);
      rewrite.push([encodeTermIds(ids), doc.jobId]);
    }
    applyDoc(st, doc, undefined, ids);
  }
  st.text.trim();
  if (!current || rewrite.length > 0) {
    const update = db.prepare<[Buffer, string]>('UPDATE job_documents SET terms = ? WHERE job_id = ?');
    db.transaction(() => {
      if (!current) db.exec('DELETE FROM text_terms');
      persistTerms(st);
      for (const r of rewrite) update.run(...r);
      db.prepare('INSERT OR REPLACE INTO store_meta (key, value) VALUES (?, ?)').run('analyzer', ANALYZER_VERSION);
      st.stamp.bump();
    })();
    st.persistedTerms = st.text.dictionary.terms.length;
  }
  return 'rows';
}
