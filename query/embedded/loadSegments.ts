// Opening from persisted segments (saveSegments.ts): one read of the file,
// typed views of its buffer for the columns and postings (no copy), string
// tables decoded once. Taken only when the file was written by this code for
// exactly the rows SQLite holds now (same store id, same write counter, same
// analyzer and layout); anything else, or a file that fails its checks, leaves
// the state untouched and the caller does the full load.

import { ANALYZER_VERSION } from './analysis/analyzer.ts';
import { STATUS_OPEN, type TypedColumnName, type TypedColumns, typedColumns } from './columns.ts';
import type { EmbeddedState } from './embeddedState.ts';
import type { RestoredField } from './textIndex.ts';
import { type SectionView, readSegmentFile } from './segmentFile.ts';
import { decodeStrings, segmentFingerprint, segmentsPath } from './segmentLayout.ts';
import { countTitle } from './suggest.ts';

interface Meta {
  fingerprint: string;
  storeId: string;
  writes: number;
  size: number;
  fields: Array<{ docCount: number; sumLength: number }>;
}

type ViewType<T extends SectionView> = { new (buf: ArrayBuffer, offset: number, length: number): T; BYTES_PER_ELEMENT: number };

/** Fills the empty state from the segments beside `storePath`; false (state untouched) when they are missing, stale or unreadable. */
export function loadSegments(st: EmbeddedState, storePath: string): boolean {
  const file = readSegmentFile(segmentsPath(storePath));
  if (!file) return false;
  const meta = file.meta as Partial<Meta>;
  const analyzer = st.db.prepare<[], string>("SELECT value FROM store_meta WHERE key = 'analyzer'").pluck().get();
  if (meta.fingerprint !== segmentFingerprint || meta.storeId !== st.stamp.storeId || analyzer !== ANALYZER_VERSION) return false;
  // Read before anything else of the file's rows is trusted: a write after it makes the counters differ.
  if (meta.writes !== st.stamp.loaded() || typeof meta.size !== 'number' || !Array.isArray(meta.fields)) return false;
  const size = meta.size;
  const view = <T extends SectionView>(name: string, type: ViewType<T>): T | undefined =>
    file.view(name, (b, o, n) => new type(b, o, n), type.BYTES_PER_ELEMENT);
  const strings = (name: string): string[] | undefined => {
    const lengths = view(`${name}.lengths`, Uint32Array);
    const bytes = view(`${name}.utf8`, Uint8Array);
    return lengths && bytes ? decodeStrings(lengths, bytes) : undefined;
  };

  const arrays: Partial<Record<TypedColumnName, SectionView>> = {};
  for (const name of Object.keys(typedColumns) as TypedColumnName[]) {
    const a = view(`col.${name}`, typedColumns[name] as ViewType<SectionView>);
    if (a?.length !== size) return false;
    arrays[name] = a;
  }
  const jobIds = strings('jobIds');
  const titleTable = strings('titles');
  const businesses = strings('businesses');
  const skillNames = strings('skillNames');
  const cityNames = strings('cityNames');
  const terms = strings('terms');
  const titleOf = view('titleOf', Uint32Array);
  const skillSetOf = view('skillSetOf', Uint32Array);
  const setOffsets = view('skillSets.offsets', Uint32Array);
  const setIds = view('skillSets.ids', Int32Array);
  if (!jobIds || !titleTable || !businesses || !skillNames || !cityNames || !terms || !titleOf || !skillSetOf || !setOffsets || !setIds) return false;
  if (jobIds.length !== size || titleOf.length !== size || skillSetOf.length !== size || setOffsets[setOffsets.length - 1] !== setIds.length) return false;
  const skillSets = Array.from({ length: setOffsets.length - 1 }, (_, i) => setIds.subarray(setOffsets[i], setOffsets[i + 1]));
  if (titleOf.some((i) => i >= titleTable.length) || skillSetOf.some((i) => i >= skillSets.length)) return false;

  const fields: RestoredField[] = [];
  for (let f = 0; f < st.text.fields.length; f++) {
    const stats = meta.fields[f];
    const norms = view(`text.${f}.norms`, Uint8Array);
    const fieldTerms = view(`text.${f}.terms`, Int32Array);
    const offsets = view(`text.${f}.offsets`, Float64Array);
    const ids = view(`text.${f}.ids`, Int32Array);
    const tfs = view(`text.${f}.tfs`, Uint16Array);
    if (!stats || !norms || !fieldTerms || !offsets || !ids || !tfs) return false;
    if (norms.length !== size || offsets.length !== fieldTerms.length + 1 || offsets[fieldTerms.length] !== ids.length || tfs.length !== ids.length) return false;
    fields.push({ norms, docCount: stats.docCount, sumLength: stats.sumLength, terms: fieldTerms, offsets, ids, tfs });
  }

  // Every check passed: only now is the state touched.
  st.text.dictionary.restore(terms);
  st.persistedTerms = terms.length;
  st.cols.restore({ size, arrays: arrays as TypedColumns, jobIds, titleTable, titleOf, skillSets, skillSetOf, businesses, skillNames, cityNames });
  st.text.restore(size, fields);
  const { status, titles } = st.cols;
  for (let s = 0; s < size; s++) {
    st.slotOf.set(jobIds[s]!, s);
    if (status[s] === STATUS_OPEN) countTitle(st.titleCounts, titles[s]!, 1);
  }
  st.stamp.persisted = meta.writes;
  return true;
}
