// Writes the in-memory structures of a store as segments (segmentFile.ts),
// so the next open takes them instead of rebuilding them row by row
// (loadSegments.ts). Only what cannot be derived cheaply is saved: the
// columns with their string tables, the term dictionary and the postings
// with the BM25 statistics. The sorted geo and category orders, slotOf and the
// title counts are rebuilt from the columns at load, exactly as a full load
// builds them, in well under a second at 1M jobs.
//
// Slots a drift repair deleted (allocated, matching nothing, gone from
// slotOf) are left out and the rest renumbered in order, as a full load
// would never have them.

import { type TypedColumnName, typedColumns } from './columns.ts';
import type { EmbeddedState } from './embeddedState.ts';
import { type Section, type SectionView, byteSum, writeSegmentFile } from './segmentFile.ts';
import { segmentFingerprint, segmentsPath, stringSections } from './segmentLayout.ts';

/** Saves the segments of a store opened read-write when they would describe exactly its rows now and the file does not hold them already. */
export function saveSegmentsIfCurrent(st: EmbeddedState, storePath: string): boolean {
  const stamp = st.stamp;
  if (st.writeOnly || !Number.isFinite(stamp.writes) || stamp.persisted === stamp.writes) return false;
  // Another connection wrote since this one loaded or last wrote: the memory misses that write.
  if (stamp.stored() !== stamp.writes) return false;
  saveSegments(st, segmentsPath(storePath));
  stamp.persisted = stamp.writes;
  return true;
}

/** When some slot is dead: the old slot of each saved one, and the saved slot of each old one (-1: dropped). */
function renumbering(st: EmbeddedState): { live?: Int32Array; newSlot?: Int32Array } {
  const { cols, slotOf } = st;
  if (slotOf.size === cols.size) return {};
  const live = new Int32Array(slotOf.size);
  const newSlot = new Int32Array(cols.size).fill(-1);
  let n = 0;
  for (let s = 0; s < cols.size; s++) {
    if (slotOf.get(cols.jobIds[s]!) !== s) continue;
    newSlot[s] = n;
    live[n++] = s;
  }
  return { live, newSlot };
}

/** Writes the segments of `st` to `path` (atomically); returns the file's size. */
export function saveSegments(st: EmbeddedState, path: string): number {
  const { cols, text } = st;
  const size = cols.size;
  const { live, newSlot } = renumbering(st);
  const kept = live?.length ?? size;
  const pick = <T extends SectionView>(a: T): T => {
    if (!live) return a.subarray(0, size) as T;
    const out = new (a.constructor as new (n: number) => T)(kept);
    for (let i = 0; i < kept; i++) out[i] = a[live[i]!]!;
    return out;
  };
  const slotsOf = <T>(a: readonly T[]): T[] => (live ? Array.from(live, (s) => a[s]!) : a.slice(0, size));

  const sections: Section[] = [];
  const add = (name: string, ...parts: SectionView[]) => sections.push({ name, bytes: byteSum(parts), parts: () => parts });
  for (const name of Object.keys(typedColumns) as TypedColumnName[]) add(`col.${name}`, pick(cols[name]));

  const titleIndex = new Map<string, number>();
  const titleOf = new Uint32Array(kept);
  const setIndex = new Map<Int32Array, number>();
  const skillSetOf = new Uint32Array(kept);
  const titles = slotsOf(cols.titles);
  const skills = slotsOf(cols.skills);
  for (let i = 0; i < kept; i++) {
    const t = titles[i]!;
    let ti = titleIndex.get(t);
    if (ti === undefined) titleIndex.set(t, (ti = titleIndex.size));
    titleOf[i] = ti;
    const set = skills[i]!;
    let si = setIndex.get(set);
    if (si === undefined) setIndex.set(set, (si = setIndex.size));
    skillSetOf[i] = si;
  }
  const sets = [...setIndex.keys()];
  const setOffsets = new Uint32Array(sets.length + 1);
  sets.forEach((s, i) => (setOffsets[i + 1] = setOffsets[i]! + s.length));
  add('titleOf', titleOf);
  add('skillSetOf', skillSetOf);
  add('skillSets.offsets', setOffsets);
  sections.push({ name: 'skillSets.ids', bytes: byteSum(sets), parts: () => sets });
  sections.push(
    ...stringSections('jobIds', slotsOf(cols.jobIds)),
    ...stringSections('titles', [...titleIndex.keys()]),
    ...stringSections('businesses', cols.businesses.values),
    ...stringSections('skillNames', cols.skillNames.values),
    ...stringSections('cityNames', cols.cityNames.values),
    // As text_terms holds them: terms interned since the last write (a removal's analysis) are not stored yet, and no posting names them.
    ...stringSections('terms', text.dictionary.terms.slice(0, st.persistedTerms)),
  );

  const fields = text.fields.map((_, f) => {
    const terms: number[] = [];
    const ids: Int32Array[] = [];
    const tfs: Uint16Array[] = [];
    for (const p of text.postingsOf(f)) {
      terms.push(p.term);
      // Renumbered in order, so every list stays sorted; a deleted slot holds no postings.
      ids.push(newSlot ? p.ids.map((s) => newSlot[s]!) : p.ids);
      tfs.push(p.tfs);
    }
    const offsets = new Float64Array(terms.length + 1);
    ids.forEach((a, k) => (offsets[k + 1] = offsets[k]! + a.length));
    add(`text.${f}.norms`, pick(text.normsOf(f, size)));
    add(`text.${f}.terms`, Int32Array.from(terms));
    add(`text.${f}.offsets`, offsets);
    sections.push({ name: `text.${f}.ids`, bytes: byteSum(ids), parts: () => ids });
    sections.push({ name: `text.${f}.tfs`, bytes: byteSum(tfs), parts: () => tfs });
    const { docCount, sumLength } = text.stats(f);
    return { docCount, sumLength };
  });

  const meta = { fingerprint: segmentFingerprint, storeId: st.stamp.storeId, writes: st.stamp.writes, size: kept, fields };
  return writeSegmentFile(path, meta, sections);
}
